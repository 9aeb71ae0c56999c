// The process-wide Z3 context and the helpers every solver/ file shares.
// Internal to solver/: no header outside solver/ may include this one.
#pragma once

#include <string>
#include <z3.h>

namespace ksynth::smt::detail {

// The one Z3 context (reference-counted ASTs). Created on first use with
// rewriter.hi_fp_unspecified=true and SMT-LIB2 printing; never destroyed, so
// that Exprs held in static objects can still release their references at
// exit.
Z3_context ctx();

Z3_sort boolSort();
Z3_sort bvSort(unsigned width); // 1..64
Z3_sort fp32Sort();
Z3_ast rne(); // rounding mode: nearest, ties to even
Z3_ast rtz(); // rounding mode: toward zero

std::string sortName(Z3_sort s);

// An internal error in ksynth (a misuse of the smt API, or a Z3 error
// outside a solver check): prints the message and aborts. Unlike assert it
// is never compiled out.
[[noreturn]] void fail(const std::string &msg);

// While one of these is alive on this thread, a Z3 error is recorded here
// instead of aborting the process (the solver check uses it: running out of
// memory inside Z3 is an answer, "memout", not a bug).
class SoftErrors {
public:
  SoftErrors();
  ~SoftErrors();
  SoftErrors(const SoftErrors &) = delete;
  SoftErrors &operator=(const SoftErrors &) = delete;

  bool any() const { return code_ != Z3_OK; }
  Z3_error_code code() const { return code_; }
  const std::string &message() const { return message_; }
  void record(Z3_error_code code, const std::string &message);

private:
  SoftErrors *outer_;
  Z3_error_code code_ = Z3_OK;
  std::string message_;
};

} // namespace ksynth::smt::detail

// Always-on check with a message; see detail::fail.
#define KSYNTH_SMT_CHECK(cond, msg)                                            \
  do {                                                                         \
    if (!(cond))                                                               \
      ::ksynth::smt::detail::fail(msg);                                        \
  } while (false)
