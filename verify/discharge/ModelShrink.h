// Shrinking a counterexample's model through the solver toward readable
// values (0, 1, -1, 2, ...: DischargeUtil.h's kPreferred), one float
// variable at a time, within the search budget; a value that is hard to
// rule in is skipped. Used by the discharge of the symbolic methods'
// obligations (their counterexamples name input elements and leaves).
#pragma once

#include "solver/Solver.h"

#include <functional>
#include <vector>

namespace ksynth::verify {

struct ShrinkBudget {
  unsigned maxVars = 6; // variables tried, in order
  unsigned wholeMs = 0; // the whole search (wall time)
  unsigned queryMs = 0; // each query's timeout
};

// `conds` and `m`: a satisfiable query and its model; on return, the query
// with each kept value added and a model of it. `vars`: bv32 float bits.
// `ask(conds, timeoutMs)`: the method's query (with its domain and ranges).
smt::Model
shrinkModel(std::vector<smt::Expr> &conds, smt::Model m,
            const std::vector<smt::Expr> &vars, const ShrinkBudget &budget,
            const std::function<smt::QueryResult(const std::vector<smt::Expr> &,
                                                 unsigned timeoutMs)> &ask);

} // namespace ksynth::verify
