// shrinkModel (ModelShrink.h).
#include "verify/discharge/ModelShrink.h"

#include "support/Float.h"
#include "verify/core/DischargeUtil.h"

#include <chrono>

namespace ksynth::verify {

using smt::Expr;

smt::Model
shrinkModel(std::vector<Expr> &conds, smt::Model m,
            const std::vector<Expr> &vars, const ShrinkBudget &budget,
            const std::function<smt::QueryResult(const std::vector<Expr> &,
                                                 unsigned timeoutMs)> &ask) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(budget.wholeMs);
  unsigned tried = 0;
  for (const Expr &v : vars) {
    if (tried++ >= budget.maxVars ||
        std::chrono::steady_clock::now() > deadline)
      break;
    std::optional<uint64_t> now = m.bv(v);
    for (float f : kPreferred) {
      if (std::chrono::steady_clock::now() > deadline)
        break;
      if (now && *now == floatBits(f))
        break; // already readable
      std::vector<Expr> q = conds;
      q.push_back(v.eq(Expr::bvVal(floatBits(f), 32)));
      smt::QueryResult r = ask(q, budget.queryMs);
      if (r.status == smt::SatResult::Sat) {
        conds = std::move(q);
        m = r.model;
        break;
      }
    }
  }
  return m;
}

} // namespace ksynth::verify
