// The one shrink loop of every method's counterexamples (issue 11 item 1):
// each input variable in turn moved toward readable values (0, 1, -1, 2,
// ...: DischargeUtil.h's kPreferred, or the alternatives the caller lists),
// the first alternative that still witnesses the violation kept, within
// the budgets of verify/core/Budgets.h. Two paths: through the solver (a
// value that is hard to rule in is skipped; the symbolic methods'
// obligations and the enumerated method's solver models) and concretely
// (the enumerated method where its model is confirmed by evaluation).
#pragma once

#include "solver/Solver.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace ksynth::verify {

struct ShrinkBudget {
  unsigned maxVars = 6; // variables tried, in order
  unsigned wholeMs = 0; // the whole search (wall time)
  unsigned queryMs = 0; // each query's timeout
};

// Through the solver. `conds` and `m`: a satisfiable query and its model;
// on return, the query with each kept value added and a model of it.
// `vars`: the variables, in order. `ask(conds, timeoutMs)`: the method's
// query (with its domain and ranges).
// `choices(v)`: the constraints to try on v, in order, each asked; without
// it, v is bv32 float bits tried at kPreferred's values up to the model's
// current one (already readable: nothing asked).
smt::Model shrinkModel(
    std::vector<smt::Expr> &conds, smt::Model m,
    const std::vector<smt::Expr> &vars, const ShrinkBudget &budget,
    const std::function<smt::QueryResult(const std::vector<smt::Expr> &,
                                         unsigned timeoutMs)> &ask,
    const std::function<std::vector<smt::Expr>(const smt::Expr &v)> &choices =
        nullptr);

// Concretely, no solver: for each of `vars` (while within `wholeMs`), its
// `alternatives(v)` in order up to its `current(v)` value; `set(v, a)`
// replaces its value, and the first for which `holds()` is kept (else the
// value is put back).
void shrinkConcretely(
    const std::vector<smt::Expr> &vars, unsigned wholeMs,
    const std::function<std::vector<uint64_t>(const smt::Expr &v)>
        &alternatives,
    const std::function<uint64_t(const smt::Expr &v)> &current,
    const std::function<void(const smt::Expr &v, uint64_t bits)> &set,
    const std::function<bool()> &holds);

} // namespace ksynth::verify
