// shrinkModel and shrinkConcretely (ModelShrink.h).
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
                                                 unsigned timeoutMs)> &ask,
            const std::function<std::vector<Expr>(const Expr &v)> &choices) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(budget.wholeMs);
  unsigned tried = 0;
  for (const Expr &v : vars) {
    if (tried++ >= budget.maxVars ||
        std::chrono::steady_clock::now() > deadline)
      break;
    std::vector<Expr> tries;
    if (choices) {
      tries = choices(v);
    } else {
      std::optional<uint64_t> now = m.bv(v);
      for (float f : kPreferred) {
        if (now && *now == floatBits(f))
          break; // already readable
        tries.push_back(v.eq(Expr::bvVal(floatBits(f), 32)));
      }
    }
    for (const Expr &c : tries) {
      if (std::chrono::steady_clock::now() > deadline)
        break;
      std::vector<Expr> q = conds;
      q.push_back(c);
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

void shrinkConcretely(
    const std::vector<Expr> &vars, unsigned wholeMs,
    const std::function<std::vector<uint64_t>(const Expr &v)> &alternatives,
    const std::function<uint64_t(const Expr &v)> &current,
    const std::function<void(const Expr &v, uint64_t bits)> &set,
    const std::function<bool()> &holds) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(wholeMs);
  for (const Expr &v : vars) {
    if (std::chrono::steady_clock::now() > deadline)
      break;
    uint64_t was = current(v);
    for (uint64_t a : alternatives(v)) {
      if (a == was)
        break; // already as readable as this
      set(v, a);
      if (holds())
        break;
      set(v, was);
    }
  }
}

} // namespace ksynth::verify
