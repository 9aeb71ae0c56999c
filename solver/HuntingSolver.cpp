// Counterexample hunting before the solver: a query is first evaluated
// under a few dozen concrete assignments of its variables (special floats,
// readable values, random bits). If one satisfies every assertion — checked
// by Z3's own evaluator, so the answer is exactly as sound as a model from
// the solver — it is returned as Sat without a search. Bit-exact float
// queries that take Z3 tens of seconds (fused vs unfused multiply-add) are
// usually refuted here in milliseconds, with readable values.
#include "solver/Context.h"
#include "solver/Solver.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <random>
#include <set>

namespace ksynth::smt {

namespace {

uint32_t bitsOf(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

class HuntingSolver : public QuerySolver {
public:
  HuntingSolver(std::unique_ptr<QuerySolver> inner, unsigned seed,
                unsigned tries)
      : inner_(std::move(inner)), rng_(seed), tries_(tries) {}

  QueryResult check(const Query &q) override {
    auto t0 = std::chrono::steady_clock::now();
    Expr conj = Expr::andAll(q.assertions);
    std::vector<Expr> vars = conj.vars();
    if (!vars.empty() && vars.size() <= 64) {
      collectConstants(conj);
      for (unsigned t = 0; t < tries_; ++t) {
        base_ = pickBase();
        std::vector<std::pair<Expr, Expr>> a;
        for (const Expr &v : vars)
          a.emplace_back(v, pick(v, t));
        if (conj.substitute(a).simplify().isTrue()) {
          QueryResult r;
          r.status = SatResult::Sat;
          r.model = modelOf(a);
          r.solver = "hunt";
          r.seconds = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - t0)
                          .count();
          stats_.record(r);
          return r;
        }
      }
    }
    QueryResult r = inner_->check(q);
    r.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    stats_.record(r, q.label);
    return r;
  }

  const SolverStats &stats() const override { return stats_; }

private:
  // The float constants of the query (declared input ranges are among
  // them: their ends are the domain's boundary), at most 64.
  void collectConstants(const Expr &conj) {
    consts_.clear();
    std::vector<Expr> stack{conj}, keep;
    std::set<unsigned> seen;
    while (!stack.empty() && seen.size() < 20000 && consts_.size() < 64) {
      Expr e = stack.back();
      stack.pop_back();
      if (!seen.insert(e.id()).second)
        continue;
      keep.push_back(e);
      if (e.op() == Expr::Op::FPNum) {
        if (auto b = e.asFPBits())
          if ((*b & 0x7f800000u) != 0x7f800000u) // finite
            consts_.push_back(*b);
        continue;
      }
      for (const Expr &a : e.args())
        stack.push_back(a);
    }
  }

  // A per-try constant: the large value of "constant plus jitter".
  float pickBase() {
    static const float big[] = {100.0f, 1000.0f, 1e4f, -1000.0f, 3e4f};
    return big[rng_() % (sizeof big / sizeof big[0])];
  }

  // Try t draws every 32-bit variable from one family, so that declared
  // input ranges (part of the query) can be met by all variables at once:
  // small integers, [-1, 1], [-8, 8], then a mix of special and readable
  // values, any bits, large magnitudes, a large constant plus small jitter
  // (cancellation), and the query's own float constants (the ends of the
  // declared ranges: every variable at one end, or each at a random one).
  Expr pick(const Expr &v, unsigned t) {
    if (v.isBool())
      return Expr::boolVal((rng_() & 1) != 0);
    if (v.isBV() && v.bvWidth() == 32) {
      uint32_t bits;
      switch (t % 9) {
      case 5: { // large magnitudes
        float m = std::pow(10.0f, static_cast<float>(2 + rng_() % 37));
        bits = bitsOf(rng_() & 1 ? m : -m);
        break;
      }
      case 6: { // a large constant plus small jitter
        float j = std::fabs(base_) * 1e-3f;
        bits =
            bitsOf(base_ + std::uniform_real_distribution<float>(-j, j)(rng_));
        break;
      }
      case 7: // every variable at the same constant of the query
        bits = consts_.empty() ? mixed() : consts_[(t / 9) % consts_.size()];
        break;
      case 8: // each at a random constant of the query
        bits = consts_.empty() ? mixed() : consts_[rng_() % consts_.size()];
        break;
      case 0:
        bits = bitsOf(static_cast<float>(static_cast<int>(rng_() % 19) - 9));
        break;
      case 1:
        bits = bitsOf(std::uniform_real_distribution<float>(-1, 1)(rng_));
        break;
      case 2:
        bits = bitsOf(std::uniform_real_distribution<float>(-8, 8)(rng_));
        break;
      case 3:
        bits = mixed();
        break;
      default:
        bits = static_cast<uint32_t>(rng_());
      }
      return Expr::bvVal(bits, 32);
    }
    if (v.isBV())
      return Expr::bvVal(rng_() % 3 == 0 ? rng_() : rng_() % 4, v.bvWidth());
    if (v.isFP())
      return Expr::fpVal(std::uniform_real_distribution<float>(-8, 8)(rng_));
    return v;
  }

  uint32_t mixed() {
    static const float special[] = {
        0.0f,   1.0f, -1.0f, 2.0f, -2.0f, 0.5f,   3.0f,    -0.0f, 0.1f,
        -0.1f,  1.5f, -3.0f, 6.0f, 7.0f,  100.0f, -100.0f, 1e-3f, 1e30f,
        -1e30f, 0.3f, -0.3f, 0.7f, 1.1f,  -1.1f,  0.2f,    -0.7f};
    static const uint32_t sp[] = {0x7fc00000u, 0x7f800000u, 0xff800000u,
                                  0x00000001u, 0x80000001u, 0x007fffffu,
                                  0x7f7fffffu, 0xff7fffffu, 0x00800000u};
    switch (rng_() % 3) {
    case 0:
      return bitsOf(special[rng_() % (sizeof special / sizeof special[0])]);
    case 1:
      return sp[rng_() % (sizeof sp / sizeof sp[0])];
    default: // readable: a few decimal digits
      return bitsOf(static_cast<float>(static_cast<int>(rng_() % 2001) - 1000) /
                    static_cast<float>(1 + rng_() % 100));
    }
  }

  static Model modelOf(const std::vector<std::pair<Expr, Expr>> &a) {
    Z3_context c = detail::ctx();
    Z3_model m = Z3_mk_model(c);
    Z3_model_inc_ref(c, m);
    for (const auto &[var, val] : a)
      Z3_add_const_interp(c, m, Z3_get_app_decl(c, Z3_to_app(c, var.raw())),
                          val.raw());
    Model r(m, {});
    Z3_model_dec_ref(c, m);
    return r;
  }

  std::unique_ptr<QuerySolver> inner_;
  std::vector<uint32_t> consts_;
  float base_ = 0;
  std::mt19937_64 rng_;
  unsigned tries_;
  SolverStats stats_;
};

} // namespace

std::unique_ptr<QuerySolver> makeHuntingSolver(std::unique_ptr<QuerySolver> s,
                                               unsigned seed, unsigned tries) {
  return std::make_unique<HuntingSolver>(std::move(s), seed, tries);
}

} // namespace ksynth::smt
