#include "solver/Context.h"

#include <cstdio>
#include <cstdlib>

namespace ksynth::smt::detail {
namespace {

thread_local SoftErrors *softErrors = nullptr;

void onZ3Error(Z3_context c, Z3_error_code e) {
  std::string msg = Z3_get_error_msg(c, e);
  if (softErrors) {
    softErrors->record(e, msg);
    return;
  }
  fail("Z3 error: " + msg);
}

Z3_ast keep(Z3_context c, Z3_ast a) {
  Z3_inc_ref(c, a);
  return a;
}

Z3_sort keepSort(Z3_context c, Z3_sort s) {
  Z3_inc_ref(c, Z3_sort_to_ast(c, s));
  return s;
}

struct Globals {
  Z3_context ctx = nullptr;
  Z3_sort boolSort = nullptr;
  Z3_sort fp32 = nullptr;
  Z3_sort bv[65] = {};
  Z3_ast rne = nullptr;
  Z3_ast rtz = nullptr;

  Globals() {
    // Must precede the context: Z3's unspecified-FP functions (to_ieee_bv of
    // NaN, min/max of zeros, ...) otherwise gave wrong formulas (Alive2).
    Z3_global_param_set("rewriter.hi_fp_unspecified", "true");
    Z3_config cfg = Z3_mk_config();
    Z3_set_param_value(cfg, "model", "true");
    ctx = Z3_mk_context_rc(cfg);
    Z3_del_config(cfg);
    Z3_set_error_handler(ctx, onZ3Error);
    Z3_set_ast_print_mode(ctx, Z3_PRINT_SMTLIB2_COMPLIANT);
    boolSort = keepSort(ctx, Z3_mk_bool_sort(ctx));
    fp32 = keepSort(ctx, Z3_mk_fpa_sort(ctx, 8, 24));
    for (unsigned w = 1; w <= 64; ++w)
      bv[w] = keepSort(ctx, Z3_mk_bv_sort(ctx, w));
    rne = keep(ctx, Z3_mk_fpa_rne(ctx));
    rtz = keep(ctx, Z3_mk_fpa_rtz(ctx));
  }
};

Globals &globals() {
  // Deliberately leaked (see Context.h).
  static Globals *g = new Globals();
  return *g;
}

} // namespace

Z3_context ctx() { return globals().ctx; }
Z3_sort boolSort() { return globals().boolSort; }
Z3_sort fp32Sort() { return globals().fp32; }
Z3_ast rne() { return globals().rne; }
Z3_ast rtz() { return globals().rtz; }

Z3_sort bvSort(unsigned width) {
  KSYNTH_SMT_CHECK(width >= 1 && width <= 64, "smt: bit-vector width " +
                                                  std::to_string(width) +
                                                  " outside 1..64");
  return globals().bv[width];
}

std::string sortName(Z3_sort s) { return Z3_sort_to_string(ctx(), s); }

void fail(const std::string &msg) {
  std::fprintf(stderr, "ksynth: internal error: smt: %s\n", msg.c_str());
  std::fflush(stderr);
  std::abort();
}

SoftErrors::SoftErrors() : outer_(softErrors) { softErrors = this; }
SoftErrors::~SoftErrors() { softErrors = outer_; }

void SoftErrors::record(Z3_error_code code, const std::string &message) {
  if (code_ == Z3_OK) { // keep the first
    code_ = code;
    message_ = message;
  }
}

} // namespace ksynth::smt::detail
