// SymbolicRun (SymbolicRun.h): the equivalence obligations of the symbolic
// methods, one per store of a path to an output (the candidate's value, the
// reference's value at the store's index, the path condition, the loop
// summaries of both), streamed to their discharger
// (verify/discharge/SymbolicEquivalenceDischarge.h), which decides them.
#include "verify/methods/SymbolicRun.h"

namespace ksynth::verify {

EquivalenceSite SymbolicRun::equivalenceSite() {
  EquivalenceSite es;
  es.base = site();
  es.domain = [this](const std::vector<Expr> &conds) { return domain(conds); };
  es.ids = g1_;
  es.itemText = [this](const smt::Model &m) { return itemText(m, g1_); };
  es.folds = folds_;
  es.referenceValueAt = [this](const std::string &t, int64_t flat,
                               const EquivalenceSite::Bits &bits) {
    return concreteReferenceValueAt(s_, run_.shape, t, flat, bits);
  };
  es.referenceAt = [this](const std::string &t, int64_t flat,
                          const EquivalenceSite::Bits &bits) {
    return concreteReferenceAt(s_, run_.shape, t, flat, bits);
  };
  es.approximations = &out_.approximations;
  return es;
}

bool SymbolicRun::equivalence() {
  EquivalenceDischarger d(s_, run_, opts_, solver_, equivalenceSite());
  for (const SymbolicPath &p : one_) {
    for (size_t wi = 0; wi < p.accesses.size(); ++wi) {
      const SymAccess &w = p.accesses[wi];
      if (!w.write || regionOf(w.region)->role != Role::Output)
        continue;
      EquivalenceObligation st;
      st.pc = p.pc;
      st.out = regionOf(w.region)->name;
      st.index = w.index;
      st.location = accessLocOf(w.inst, true);
      std::vector<Expr> later;
      for (size_t j = wi + 1; j < p.accesses.size(); ++j)
        if (p.accesses[j].write && p.accesses[j].region == w.region)
          later.push_back(p.accesses[j].index.eq(w.index));
      st.notLater = !Expr::orAll(later);
      st.isInt = !regionOf(w.region)->isFloat;
      if (st.isInt) {
        if (!w.value.isInt() || w.value.width != 64) {
          d.unsupported("a store to the int64 output " + st.out +
                            " that is not a 64-bit integer",
                        UnknownKind::Unsupported);
          continue;
        }
        st.c = w.value.expr();
      } else {
        Val cv = w.value.isFloat() ? w.value : ops::bitsToFloat(w.value);
        st.c = cv.expr();
      }
      {
        // The reference's branches on index terms (division guesses, window
        // taps, scan positions) decided on this path.
        const Expr pc = p.pc;
        pushReferenceDecider(
            [&, pc](const Expr &cond) -> std::optional<bool> {
              for (bool want : {true, false}) {
                d.sideQuery();
                smt::QueryResult q =
                    solver_.check({{pc, want ? !cond : cond},
                                   "reference branch " + shapeLabel(run_.shape),
                                   opts_.budgets.referenceBranchMs});
                if (q.status == smt::SatResult::Unsat)
                  return want;
              }
              return std::nullopt;
            },
            &solver_, opts_.budgets.referenceIdentityMs);
        struct Pop { // also when the reference throws CannotDecide
          ~Pop() { popReferenceDecider(); }
        } pop;
        st.f = referenceElementFolded(s_, run_.shape, st.out, w.index,
                                      st.refFolds, opts_.limits.summarizeAbove);
        if (s_.tolerance.sumForm() && !st.isInt && !st.refFolds.empty()) {
          std::vector<Fold> none; // the summation form reads a linear sum
          st.fUnfolded =
              referenceElementFolded(s_, run_.shape, st.out, w.index, none, 0);
        }
      }
      if (d.store(std::move(st)))
        return record(d.outcome());
    }
    if (d.endPath())
      return record(d.outcome());
  }
  return record(d.finish());
}

} // namespace ksynth::verify
