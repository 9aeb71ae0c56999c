// The bottom of the stack: one fresh Z3 solver per query, checked in a
// forked child that is killed at the deadline (SolverConfig::fork and a
// timeout set; ForkedZ3.h), or in this process under the watchdog.
#include "solver/Context.h"
#include "solver/ForkedZ3.h"
#include "solver/Solver.h"
#include "solver/Watchdog.h"

#include <climits>
#include <string>

namespace ksynth::smt {

using detail::ctx;

namespace {

constexpr unsigned kBackstopMs = 1000;

// Z3's reason_unknown in ksynth's words.
std::string normaliseReason(const std::string &z3Reason) {
  if (z3Reason.find("timeout") != std::string::npos)
    return "timeout";
  if (z3Reason.find("memory") != std::string::npos ||
      z3Reason.find("memout") != std::string::npos)
    return "memout";
  if (z3Reason.find("cancel") != std::string::npos ||
      z3Reason.find("interrupt") != std::string::npos)
    return "canceled";
  return z3Reason.empty() ? std::string("unknown") : z3Reason;
}

// Z3's memory limit counts all of Z3's memory in the process and is global:
// it holds only while a check runs, so that building terms between checks
// never fails on a limit set for a query. 0 would mean no limit.
struct MemoryLimit {
  explicit MemoryLimit(unsigned mb) {
    Z3_global_param_set("memory_max_size", std::to_string(mb).c_str());
  }
  ~MemoryLimit() { Z3_global_param_set("memory_max_size", "0"); }
};

class Z3Solver : public QuerySolver {
public:
  Z3Solver(const SolverConfig &cfg, const detail::ForkTuning &tuning)
      : cfg_(cfg), tuning_(tuning) {}

  QueryResult check(const Query &q) override;
  const SolverStats &stats() const override { return stats_; }

private:
  void setGlobalParams() const;
  Z3_solver makeSolver(unsigned timeoutMs, bool z3Timer) const;
  QueryResult checkInProcess(const Query &q, unsigned timeoutMs);
  QueryResult checkForked(const Query &q, unsigned timeoutMs);
  void count(const QueryResult &r);

  SolverConfig cfg_;
  detail::ForkTuning tuning_;
  SolverStats stats_;
  // Started on the first in-process check: in forked mode the process has
  // no watchdog thread at all when it forks.
  std::unique_ptr<detail::Watchdog> watchdog_;
  detail::Reaper reaper_; // answered children, exiting
};

void Z3Solver::setGlobalParams() const {
  // Process-wide in Z3: set before every check so that the solver of this
  // query runs under this config even if another config set them since.
  std::string seed = std::to_string(cfg_.seed);
  Z3_global_param_set("smt.random_seed", seed.c_str());
  Z3_global_param_set("sat.random_seed", seed.c_str());
}

Z3_solver Z3Solver::makeSolver(unsigned timeoutMs, bool z3Timer) const {
  Z3_context c = ctx();
  Z3_solver s = Z3_mk_solver(c);
  Z3_solver_inc_ref(c, s);
  Z3_params p = Z3_mk_params(c);
  Z3_params_inc_ref(c, p);
  // Z3's own timeout is only a backstop, a second after the watchdog's
  // deadline: the watchdog is what keeps the deadline. A forked check has
  // none: Z3's timer threads are pooled, and a pooled one does not exist in
  // the child (its scoped_timer would wait for it forever); the parent
  // kills the child instead.
  if (z3Timer)
    Z3_params_set_uint(c, p, Z3_mk_string_symbol(c, "timeout"),
                       timeoutMs > UINT_MAX - kBackstopMs
                           ? UINT_MAX
                           : timeoutMs + kBackstopMs);
  Z3_params_set_uint(c, p, Z3_mk_string_symbol(c, "random_seed"), cfg_.seed);
  Z3_solver_set_params(c, s, p);
  Z3_params_dec_ref(c, p);
  return s;
}

void Z3Solver::count(const QueryResult &r) { stats_.record(r); }

QueryResult Z3Solver::check(const Query &q) {
  for (const Expr &a : q.assertions)
    KSYNTH_SMT_CHECK(a.isBool(), "Z3Solver: assertion is not Bool in query '" +
                                     q.label + "': " + a.str().substr(0, 200));
  setGlobalParams();
  unsigned timeoutMs = q.timeoutMs && q.timeoutMs < cfg_.timeoutMs
                           ? q.timeoutMs
                           : cfg_.timeoutMs;
  QueryResult r = cfg_.fork && timeoutMs ? checkForked(q, timeoutMs)
                                         : checkInProcess(q, timeoutMs);
  r.solver = "z3";
  count(r);
  return r;
}

QueryResult Z3Solver::checkForked(const Query &q, unsigned timeoutMs) {
  Z3_context c = ctx();
  Z3_solver s = makeSolver(timeoutMs, /*z3Timer=*/false);
  for (const Expr &a : q.assertions)
    Z3_solver_assert(c, s, a.raw());
  auto start = detail::Watchdog::Clock::now();
  detail::ChildOutcome o = detail::checkInChild(
      s, q.assertions, start + std::chrono::milliseconds(timeoutMs),
      cfg_.memoryMb, tuning_, reaper_);
  Z3_solver_dec_ref(c, s);
  QueryResult r;
  r.seconds =
      std::chrono::duration<double>(detail::Watchdog::Clock::now() - start)
          .count();
  using Kind = detail::ChildOutcome::Kind;
  switch (o.kind) {
  case Kind::ForkFailed: // no child: in this process, as without fork
    return checkInProcess(q, timeoutMs);
  case Kind::Killed:
    r.reason = "timeout (killed)";
    return r;
  case Kind::Memout:
    r.reason = "memout";
    return r;
  case Kind::Crashed:
    r.reason = "solver process " + o.detail;
    return r;
  case Kind::Answered:
    break;
  }
  if (o.error != Z3_OK) {
    r.reason = o.error == Z3_MEMOUT_FAIL ? std::string("memout")
                                         : "z3 error: " + o.errorMessage;
  } else if (o.status == Z3_L_TRUE) {
    r.status = SatResult::Sat;
    r.model = detail::rebuildModel(o, q.assertions);
    // A model that did not survive the trip (a construct the script cannot
    // carry) or does not satisfy the query: solved again in this process,
    // which the child showed to take r.seconds, so that the answer is the
    // in-process one.
    if (r.model.isNull() ||
        r.model.boolean(Expr::andAll(q.assertions)) == std::optional(false)) {
      double forked = r.seconds;
      r = checkInProcess(q, timeoutMs);
      r.seconds += forked;
    }
  } else if (o.status == Z3_L_FALSE) {
    r.status = SatResult::Unsat;
  } else {
    std::string reason = normaliseReason(o.reasonUnknown);
    r.reason = reason == "canceled" ? std::string("timeout") : reason;
  }
  return r;
}

QueryResult Z3Solver::checkInProcess(const Query &q, unsigned timeoutMs) {
  Z3_context c = ctx();
  if (!watchdog_)
    watchdog_ = std::make_unique<detail::Watchdog>();
  Z3_solver s = makeSolver(timeoutMs, /*z3Timer=*/true);
  for (const Expr &a : q.assertions)
    Z3_solver_assert(c, s, a.raw());

  QueryResult r;
  Z3_lbool status;
  bool fired;
  std::string z3Error;
  Z3_error_code z3ErrorCode = Z3_OK;
  auto start = detail::Watchdog::Clock::now();
  {
    detail::SoftErrors errors; // memout inside Z3 is an answer, not a bug
    MemoryLimit limit(cfg_.memoryMb);
    watchdog_->arm(s, start + std::chrono::milliseconds(timeoutMs));
    status = Z3_solver_check(c, s);
    fired = watchdog_->disarm();
    z3ErrorCode = errors.code();
    z3Error = errors.message();
  }
  r.seconds =
      std::chrono::duration<double>(detail::Watchdog::Clock::now() - start)
          .count();

  if (z3ErrorCode != Z3_OK) {
    r.status = SatResult::Unknown;
    r.reason = z3ErrorCode == Z3_MEMOUT_FAIL ? std::string("memout")
               : fired                       ? std::string("timeout")
                                             : "z3 error: " + z3Error;
  } else if (status == Z3_L_TRUE) {
    r.status = SatResult::Sat;
    r.model = Model(Z3_solver_get_model(c, s), {});
    // A counterexample the model does not support is a Z3 bug; never
    // report it as Sat.
    if (r.model.boolean(Expr::andAll(q.assertions)) == std::optional(false)) {
      r.status = SatResult::Unknown;
      r.reason = "invalid model";
      r.model = Model();
    }
  } else if (status == Z3_L_FALSE) {
    r.status = SatResult::Unsat;
  } else {
    r.status = SatResult::Unknown;
    std::string reason = normaliseReason(Z3_solver_get_reason_unknown(c, s));
    // An interrupt is ours: the watchdog's, or Z3's backstop timer.
    r.reason = fired || reason == "canceled" ? std::string("timeout") : reason;
  }
  Z3_solver_dec_ref(c, s);
  return r;
}

} // namespace

std::unique_ptr<QuerySolver> makeZ3Solver(const SolverConfig &cfg) {
  return std::make_unique<Z3Solver>(cfg, detail::ForkTuning());
}

std::unique_ptr<QuerySolver>
detail::makeZ3Solver(const SolverConfig &cfg,
                     const detail::ForkTuning &tuning) {
  return std::make_unique<Z3Solver>(cfg, tuning);
}

} // namespace ksynth::smt
