// EquivalenceDischarger (SymbolicEquivalenceDischarge.h): equivalence of
// every store of a symbolic method's paths to the reference, by level
// (structural, loop summaries unified with the reference's folds, rounding,
// bit-exact), int64 outputs, and the counterexamples through folds and
// leaves.
#include "verify/discharge/SymbolicEquivalenceDischarge.h"

#include "spec/Interpreter.h"
#include "spec/OpTable.h"
#include "support/Float.h"
#include "verify/core/VarNames.h"
#include "verify/discharge/ModelShrink.h"
#include "verify/numerics/Canonical.h"

#include <cmath>

namespace ksynth::verify {

using smt::Expr;

EquivalenceDischarger::EquivalenceDischarger(const spec::Spec &s, ShapeRun &run,
                                             const VerifyOptions &o,
                                             smt::QuerySolver &solver,
                                             EquivalenceSite site)
    : s_(s), run_(run), opts_(o), solver_(solver), site_(std::move(site)),
      g1_(site_.ids),
      folds_(site_.folds), res_{"equivalence", run.shape, "proved",
                                "structural",  0,         0},
      t0_(std::chrono::steady_clock::now()) {
  for (const spec::OpNode &op : s_.ops)
    tensorOps_ = tensorOps_ || spec::isTensorOp(op);
}

bool EquivalenceDischarger::refuted(Counterexample cx,
                                    const EquivalenceObligation &st) {
  if (!cx.location.valid()) // the store of the wrong value
    cx.location = st.location;
  res_.status = "refuted";
  res_.queries += sideQueries_;
  res_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_)
          .count();
  outcome_.result = res_;
  outcome_.refuted = std::move(cx);
  return true;
}

LoggedOutcome EquivalenceDischarger::finish() {
  res_.queries += sideQueries_;
  res_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_)
          .count();
  LoggedOutcome o;
  o.result = res_;
  return o;
}

std::optional<smt::Model>
EquivalenceDischarger::itemOnPath(const EquivalenceObligation &st,
                                  const std::string &what,
                                  std::vector<std::pair<Expr, Expr>> &ids) {
  std::vector<Expr> zero;
  for (const Expr &g : g1_)
    zero.push_back(g.eq(Expr::bvVal(0, 64)));
  for (bool first : {true, false}) {
    std::vector<Expr> q{st.pc && st.notLater};
    if (first)
      q.push_back(Expr::andAll(zero));
    smt::QueryResult r = ask(q, what);
    ++sideQueries_;
    if (r.status == smt::SatResult::Sat) {
      ids.clear();
      for (const Expr &g : g1_)
        ids.emplace_back(g, Expr::bvVal(r.model.bv(g).value_or(0), 64));
      return r.model;
    }
  }
  return std::nullopt;
}

bool EquivalenceDischarger::store(EquivalenceObligation st) {
  ObligationResult &res = res_;
  if (st.isInt) {
    // argmax / argmin: one bit-vector equality per store.
    std::string why;
    UnknownKind kind = UnknownKind::Unsupported;
    if (auto cx = intStore(st, res, why, kind))
      return refuted(std::move(*cx), st);
    if (!why.empty())
      unknown(why, kind);
    return false;
  }
  if (s_.tolerance.sumForm()) {
    // A linear sum under sum_rtol, read in one pass
    // (SymbolicSumFormDischarge.cpp).
    SumFormOutcome sf = sumFormStore(st);
    if (sf.cx) {
      res.level = "rounding";
      return refuted(std::move(*sf.cx), st);
    }
    if (sf.proved) {
      level("rounding");
      return false;
    }
    if (!sf.unknown.empty()) {
      unknown(sf.unknown, UnknownKind::Approximation);
      return false;
    }
  }
  const std::vector<Fold> &refFolds = st.refFolds;
  inductionTimedOut_ = false;
  if (!folds_.empty() && !refFolds.empty())
    st.c = unifyWithReference(st, refFolds);
  if (mentionsFold(st.c, folds_) ||
      foldsIn(st.f, refFolds).size() > foldsIn(st.c, refFolds).size()) {
    // A loop summary that is not the reference's fold: only concrete
    // evaluation can tell a difference.
    if (auto cx = foldWitness(st, refFolds)) {
      res.level = "bit-exact";
      return refuted(std::move(*cx), st);
    }
    std::vector<const Fold *> mine = foldsIn(st.c, folds_);
    unknown(
        mine.empty()
            ? "a reduction of the reference is summarised as a fold "
              "but the candidate computes it without a matching loop "
              "summary, and no concrete difference was found"
            : "the candidate's " + mine[0]->where +
                  " is not the reference's fold (" +
                  (foldMismatch_.empty()
                       ? std::string("trip count, initial state or "
                                     "update not proved equal by "
                                     "induction")
                       : foldMismatch_) +
                  "), and no concrete difference was found" + inductionNote(),
        inductionTimedOut_ ? UnknownKind::Timeout : UnknownKind::Approximation);
    return false;
  }
  Expr cs = st.c.simplify(), fs = st.f.simplify();
  if (cs.same(fs) || sameUpToSymmetry(cs, fs))
    return false;
  if (tensorOps_) {
    // The reference reads a line at index terms of its own spelling
    // (from the flat index by div/mod): structural where the two sides
    // are the same term once reads at equal indices are one leaf.
    SymbolicLeaves lv = leavesOf(st, false);
    Expr cl = lv.apply(st.c).simplify(), fl = lv.apply(st.f).simplify();
    if (cl.same(fl) || sameUpToSymmetry(cl, fl))
      return false;
  }
  if (!s_.tolerance.bitExact()) {
    if (pastDeadline()) {
      outcome_.stopped = true;
      return true;
    }
    std::string why;
    if (rounding(st, why, res.queries)) {
      level("rounding");
      return false;
    }
    if (roundingNote_.empty())
      roundingNote_ = why;
  }
  open_.push_back(std::move(st));
  return false;
}

bool EquivalenceDischarger::endPath() {
  ObligationResult &res = res_;
  std::vector<EquivalenceObligation> open = std::move(open_);
  open_.clear();
  auto stop = [&] {
    outcome_.stopped = true;
    return true;
  };
  if (open.empty())
    return false;
  level("bit-exact");
  // The spec's comparison as a float-only formula where one implies it.
  auto differs = [&](const EquivalenceObligation &st, bool strong) {
    std::optional<Expr> fp;
    if (strong)
      fp = withinToleranceFP(s_, st.c, st.f);
    return st.notLater && !(fp ? *fp : withinTolerance(s_, st.c, st.f));
  };
  // Every store of the path at once first: usually none differs.
  bool approximate = false;
  std::vector<Expr> any;
  for (const EquivalenceObligation &st : open) {
    approximate = approximate || st.approximate();
    any.push_back(differs(st, true));
  }
  if (open.size() > 1 && !approximate && !pastDeadline()) {
    smt::QueryResult qr =
        ask({open.front().pc, Expr::orAll(any)}, "equivalence");
    ++res.queries;
    if (qr.status == smt::SatResult::Unsat)
      return false;
  }
  for (const EquivalenceObligation &st : open) {
    if (pastDeadline())
      return stop();
    bool exact = false;
    // Concrete hunting first where the solver's difference would need
    // confirming: it decides most wrong kernels without a bit-level query.
    if (opts_.solver.hunt && (st.approximate() || !s_.tolerance.bitExact()))
      if (auto cx = hunt(st, exact)) {
        res.level = exact ? "bit-exact" : "rounding";
        return refuted(std::move(*cx), st);
      }
    // A bit-level query over approximate operations (arbitrary values or
    // functions) proves the store where it is unsatisfiable (for every
    // value they may take); a model of it is only a difference once
    // confirmed concretely. Bounded: such queries rarely finish.
    if (st.candidateApproximate()) {
      std::vector<Expr> q{st.pc, differs(st, true)};
      q.push_back(domain(q));
      smt::QueryResult qa = solver_.check(
          {q, "equivalence (approximate) " + shapeLabel(run_.shape),
           opts_.budgets.approximateQueryMs});
      ++res.queries;
      if (qa.status == smt::SatResult::Unsat)
        continue;
      if (qa.status == smt::SatResult::Sat)
        if (auto cx = confirmAt(st, qa.model, exact)) {
          res.level = exact ? "bit-exact" : "rounding";
          return refuted(std::move(*cx), st);
        }
      unknown("a store to " + st.out +
                  " depends on approximate operations and was not proved "
                  "within the tolerance nor refuted on concrete inputs",
              UnknownKind::Approximation);
      break;
    }
    std::vector<bool> forms{true};
    if (withinToleranceFP(s_, st.c, st.f))
      forms.push_back(false); // then the exact comparison
    smt::QueryResult qr;
    std::vector<Expr> conds;
    bool decided = false;
    for (size_t k = 0; k < forms.size() && !decided; ++k) {
      conds = {st.pc, differs(st, forms[k])};
      if (k > 0 && pastDeadline())
        return stop();
      qr = ask(conds, "equivalence " + st.out);
      ++res.queries;
      if (qr.status == smt::SatResult::Unsat) {
        decided = true;
        break;
      }
      if (qr.status == smt::SatResult::Unknown)
        break;
      // A difference: confirmed concretely where approximations or the
      // reference's functions are involved.
      if (st.approximate() || k + 1 < forms.size()) {
        if (auto cx = confirmAt(st, qr.model, exact)) {
          res.level = exact ? "bit-exact" : "rounding";
          return refuted(std::move(*cx), st);
        }
        if (st.approximate())
          break;
        continue; // near the tolerance's edge: the exact comparison
      }
      break;
    }
    if (decided)
      continue;
    if (qr.status == smt::SatResult::Unknown) {
      unknown("equivalence query for a store to " + st.out +
                  " by an arbitrary work-item: " + qr.reason,
              UnknownKind::Timeout);
      break;
    }
    if (st.approximate()) {
      unknown("a store to " + st.out +
                  " may differ from the reference only through an "
                  "approximate operation or the reference's transcendental "
                  "functions (not confirmed on concrete inputs)",
              UnknownKind::Approximation);
      break;
    }
    if (auto cx = exactCounterexample(st, conds, qr.model))
      return refuted(std::move(*cx), st);
    res.status = "unknown";
    break;
  }
  return false;
}

Expr EquivalenceDischarger::unifyWithReference(const EquivalenceObligation &st,
                                               const std::vector<Fold> &ref) {
  inductionTimedOut_ = false;
  auto unsat = [&](const Expr &q) {
    ++sideQueries_;
    smt::QueryResult r =
        ask({q}, "loop summary by induction", opts_.budgets.foldQueryMs);
    // Whether the last query (the one that decided a mismatch, if the
    // folds do not match) timed out.
    inductionTimedOut_ = r.status == smt::SatResult::Unknown &&
                         r.reason.find("timeout") != std::string::npos;
    return r.status == smt::SatResult::Unsat;
  };
  unsigned matched = 0;
  foldMismatch_.clear();
  Expr c = unifyFolds(st.c, st.f, folds_, ref, st.pc, unsat, matched,
                      &foldMismatch_);
  for (const Fold *f : foldsIn(st.c, folds_))
    site_.approximations->insert(
        "loop summary: " + f->where +
        " run once at an arbitrary iteration k below its proved trip count; "
        "its result is used only where it equals a fold of the reference by "
        "induction (same trip count, initial state and update: exact)");
  return c;
}

std::optional<Counterexample>
EquivalenceDischarger::foldWitness(const EquivalenceObligation &st,
                                   const std::vector<Fold> &ref) {
  // Exact terms only, apart from the folds' own state variables.
  {
    std::set<unsigned> foldVars;
    std::vector<Expr> terms{st.c, st.pc && st.notLater};
    for (const std::vector<Fold> *fs :
         {static_cast<const std::vector<Fold> *>(&folds_), &ref})
      for (const Fold &f : *fs) {
        for (const std::vector<Expr> *xs : {&f.accs, &f.results})
          for (const Expr &x : *xs)
            for (const Expr &v : x.vars())
              foldVars.insert(v.id());
        foldVars.insert(f.k.id());
        terms.insert(terms.end(), f.steps.begin(), f.steps.end());
        terms.insert(terms.end(), f.inits.begin(), f.inits.end());
      }
    for (const Expr &t : terms) {
      if (hasFunctions(t))
        return std::nullopt;
      for (const Expr &v : t.vars())
        if (!foldVars.count(v.id()) &&
            var::isChoice(v.varName(), Choice::Approx))
          return std::nullopt;
    }
    if (hasFunctions(st.f))
      return std::nullopt;
  }
  std::vector<std::pair<Expr, Expr>> ids;
  std::optional<smt::Model> m = itemOnPath(st, "loop summary witness", ids);
  if (!m)
    return std::nullopt;
  std::vector<Fold> all = folds_;
  all.insert(all.end(), ref.begin(), ref.end());
  auto deadline =
      std::min(opts_.limits.deadline,
               std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(opts_.budgets.foldWitnessMs));
  // Inputs to try: uniform values, then one element hot (the first and the
  // last element each fold reads) on a background of the default value.
  struct Try {
    float v;
    std::string hotTensor;
    uint64_t hotIndex = 0;
  };
  std::vector<Try> tries;
  for (float v : {1.0f, 0.5f, -1.0f, 2.0f})
    tries.push_back({v, "", 0});
  if (st.isInt) // an index: a row of NaNs (the first NaN wins)
    tries.push_back({std::nanf(""), "", 0});
  {
    Expr need = st.c.eq(st.f);
    for (const Fold *f : foldsIn(need, all)) {
      std::optional<Expr> n =
          evalConcrete(f->trips, ids, [&](auto &, auto) { return 0u; });
      std::optional<uint64_t> trips = n ? n->asUInt() : std::nullopt;
      if (!trips || *trips == 0)
        continue;
      for (uint64_t kk : {uint64_t{0}, *trips - 1})
        for (const Expr &step : f->steps)
          for (const Expr &sel : step.selects()) {
            std::vector<Expr> a = sel.args();
            if (a.size() != 2 || !a[0].isConstVar() ||
                !var::inputArrayTensor(a[0].varName()))
              continue;
            std::vector<std::pair<Expr, Expr>> at = ids;
            at.emplace_back(f->k, Expr::bvVal(kk, 64));
            std::optional<Expr> i =
                evalConcrete(a[1], at, [&](auto &, auto) { return 0u; });
            if (i && i->asUInt())
              for (float v : {1.0f, -1.0f, std::nanf("")}) {
                // A NaN element only where the output is an index
                // (argmax/argmin: the first NaN wins); a NaN in a sum
                // makes both sides NaN.
                if (std::isnan(v) && !st.isInt)
                  continue;
                tries.push_back({v, a[0].varName().substr(3), *i->asUInt()});
              }
          }
    }
  }
  for (const Try &tr : tries) {
    if (tries.size() > 64 || std::chrono::steady_clock::now() > deadline)
      break;
    float v = tr.v;
    bool hot = !tr.hotTensor.empty();
    std::map<std::string, uint32_t> bits;
    std::vector<std::pair<Expr, Expr>> subst = ids;
    bool usable = true;
    for (const spec::TensorDecl &t : s_.inputs) {
      const spec::Domain &d = s_.domainOf(t.name);
      bool ok = std::isnan(v) ? d.kind == spec::Domain::Kind::All
                              : d.kind != spec::Domain::Kind::Range ||
                                    (d.lo <= v && v <= d.hi);
      if (hot && t.name == tr.hotTensor && !ok)
        usable = false;
      bits[t.name] = ok && !hot ? floatBits(v) : defaultBitsFor(d);
      const InputVars &iv = run_.inputs.at(t.name);
      if (iv.type.dims.empty())
        subst.emplace_back(iv.bits.at(0), Expr::bvVal(bits[t.name], 32));
    }
    if (!usable)
      continue;
    auto element = [&](const std::string &t, uint64_t i) -> uint32_t {
      if (hot && t == tr.hotTensor && i == tr.hotIndex)
        return floatBits(v);
      auto it = bits.find(t);
      return it == bits.end() ? 0u : it->second;
    };
    InputBits input = element;
    Expr need = st.pc && st.notLater && st.c.eq(st.f);
    if (!evalFolds(need, all, subst, input, uint64_t{1} << 26, deadline))
      return std::nullopt;
    std::optional<Expr> taken =
        evalConcrete(st.pc && st.notLater, subst, input);
    std::optional<Expr> idx = evalConcrete(st.index, subst, input);
    std::optional<Expr> cv = evalConcrete(st.c, subst, input);
    if (!taken || taken->asBool() != true || !idx || !cv || !idx->asUInt() ||
        !(st.isInt ? cv->asUInt().has_value() : cv->asFPBits().has_value()))
      continue;
    int64_t e = static_cast<int64_t>(*idx->asUInt());
    auto elementAt = [&](const std::string &t, int64_t i) {
      return element(t, static_cast<uint64_t>(i));
    };
    uint64_t got = 0, want = 0;
    if (st.isInt) {
      // An index (argmax/argmin): the interpreter's, compared exactly.
      std::optional<int64_t> ref = referenceIndex(st.out, e, elementAt);
      got = *cv->asUInt();
      if (!ref || got == static_cast<uint64_t>(*ref))
        continue;
      want = static_cast<uint64_t>(*ref);
    } else {
      want = site_.referenceAt(st.out, e, elementAt);
      got = *cv->asFPBits();
      if (sameUnderTolerance(s_, static_cast<uint32_t>(got),
                             static_cast<uint32_t>(want)))
        continue;
    }
    Counterexample cx;
    cx.obligation = "equivalence";
    cx.shape = run_.shape;
    cx.inputs = sparseInputs(
        [&](const std::string &t, const Expr &) { return bits.at(t); },
        [&](const std::string &t) { return bits.at(t); });
    if (hot)
      cx.inputs.at(tr.hotTensor).elements[static_cast<int64_t>(tr.hotIndex)] =
          floatBits(v);
    std::string name = st.out + "[" + std::to_string(e) + "]";
    cx.detail = name + " differs from the reference (written by work-item " +
                itemText(*m, g1_) +
                "; its loops evaluated iteration by iteration)";
    at(cx, st.out, e);
    cx.outputType = st.isInt ? spec::DType::Int64 : spec::DType::Float32;
    cx.candidateBits = got;
    cx.referenceBits = want;
    cx.confirmedByInterpreter = true;
    return cx;
  }
  return std::nullopt;
}

// A bit-exact difference without approximations: the solver's model,
// shrunk, confirmed by the reference interpreter.
std::optional<Counterexample>
EquivalenceDischarger::exactCounterexample(const EquivalenceObligation &st,
                                           const std::vector<Expr> &conds,
                                           smt::Model model) {
  model = shrink(conds, model);
  int64_t e = 0;
  Counterexample cx = storeDiffers(model, conds, st.out, st.index, e);
  cx.outputType = spec::DType::Float32;
  cx.candidateBits = model.fpBits(st.c);
  std::optional<uint32_t> modelRef = model.fpBits(st.f);
  uint32_t want = 0;
  bool indexingAgrees = referenceValue(cx, st.out, e, want);
  bool refIsExact = !hasFunctions(st.f);
  bool agrees =
      !refIsExact || (modelRef && sameUnderTolerance(s_, *modelRef, want));
  bool differs =
      cx.candidateBits &&
      !sameUnderTolerance(s_, static_cast<uint32_t>(*cx.candidateBits), want);
  cx.referenceBits = want;
  if (s_.tolerance.sumForm() && agrees && indexingAgrees && !differs) {
    // [redtol] The summation form's magnitudes are not computed at one
    // arbitrary work-item: not a ksynth bug, not a refutation.
    noteUnknown("summation form (sum_rtol): " + st.out + "[" +
                    std::to_string(e) +
                    "] is not proved, and this method cannot weigh a "
                    "difference against the terms' magnitudes",
                UnknownKind::Unsupported);
    return std::nullopt;
  }
  if (!agrees || !differs || !indexingAgrees) {
    noteUnknown("internal cross-check failed: the solver's counterexample "
                "for " +
                    st.out + "[" + std::to_string(e) +
                    "] is not confirmed by the reference interpreter "
                    "(please report this ksynth bug)",
                UnknownKind::Inconsistent);
    return std::nullopt;
  }
  cx.confirmedByInterpreter = true;
  return cx;
}

std::optional<Counterexample>
EquivalenceDischarger::intStore(const EquivalenceObligation &st,
                                ObligationResult &res, std::string &why,
                                UnknownKind &kind) {
  if (st.c.simplify().same(st.f.simplify()))
    return std::nullopt; // structural
  SymbolicLeaves lv = leavesOf(st, false);
  if (lv.apply(st.c).simplify().same(lv.apply(st.f).simplify()))
    return std::nullopt;
  if (mentionsFold(st.c, folds_) || !st.refFolds.empty()) {
    // argmax/argmin over long lines: the candidate's loop summary replaced
    // by the reference's fold where they are equal by induction (then the
    // index is one term on both sides), else concrete evaluation of both
    // folds on uniform and one-hot inputs (NaN among them).
    Expr c = st.c;
    inductionTimedOut_ = false;
    if (!folds_.empty() && !st.refFolds.empty())
      c = unifyWithReference(st, st.refFolds);
    if (!mentionsFold(c, folds_) &&
        foldsIn(st.f, st.refFolds).size() <= foldsIn(c, st.refFolds).size() &&
        c.simplify().same(st.f.simplify()))
      return std::nullopt;
    if (auto cx = foldWitness(st, st.refFolds)) {
      res.level = "bit-exact";
      return cx;
    }
    std::vector<const Fold *> mine = foldsIn(st.c, folds_);
    why = mine.empty()
              ? "a store to the int64 output " + st.out +
                    " is a reduction the reference summarises as a fold, "
                    "but the candidate computes it without a matching loop "
                    "summary, and no concrete difference was found"
              : "the candidate's " + mine[0]->where +
                    " (a store to the int64 output " + st.out +
                    ") is not the reference's fold (" +
                    (foldMismatch_.empty()
                         ? std::string("trip count, initial state or update "
                                       "not proved equal by induction")
                         : foldMismatch_) +
                    "), and no concrete difference was found" + inductionNote();
    kind =
        inductionTimedOut_ ? UnknownKind::Timeout : UnknownKind::Approximation;
    return std::nullopt;
  }
  if (res.level == "structural")
    res.level = "bit-exact";
  if (pastDeadline()) {
    why = "verification deadline reached";
    kind = UnknownKind::Timeout;
    return std::nullopt;
  }
  // First over the input leaves (reads shown equal on the path are one
  // variable, others independent: a proof for every value of the leaves
  // holds for the reads), a query without arrays or index arithmetic;
  // where it finds a difference, that is a counterexample once the leaves
  // are distinct elements (leafWitness).
  {
    SymbolicLeaves lv = leavesOf(st, true);
    Expr q = lv.apply(st.pc && st.notLater && st.c.ne(st.f));
    if (q.selects().empty()) {
      std::vector<Expr> conds{q};
      for (const SymbolicLeaf &l : lv.leaves)
        conds.push_back(
            fromDomain(s_.domainOf(l.tensor), Expr::fpFromBits(l.var)));
      smt::QueryResult qr = ask(conds, "equivalence (leaves) " + st.out);
      ++res.queries;
      if (qr.status == smt::SatResult::Unsat)
        return std::nullopt;
      if (qr.status == smt::SatResult::Sat && !st.approximate())
        if (auto cx = leafWitness(st, lv, conds, qr.model))
          return cx;
    }
  }
  std::vector<Expr> conds{st.pc, st.notLater && st.c.ne(st.f)};
  smt::QueryResult qr = ask(conds, "equivalence " + st.out);
  ++res.queries;
  if (qr.status == smt::SatResult::Unsat)
    return std::nullopt;
  if (qr.status == smt::SatResult::Unknown) {
    why = "equivalence query for a store to " + st.out +
          " by an arbitrary work-item: " + qr.reason;
    kind = UnknownKind::Timeout;
    return std::nullopt;
  }
  if (st.approximate()) {
    why = "a store to " + st.out +
          " may differ from the reference only through an approximate "
          "operation (not confirmed on concrete inputs)";
    kind = UnknownKind::Approximation;
    return std::nullopt;
  }
  // The model, shrunk, as sparse inputs; the candidate's index from the
  // model, the reference's from the interpreter (the element alone, and
  // the whole tensor where it is small enough: they must agree, and with
  // the model's reference term).
  smt::Model m = shrink(conds, qr.model);
  int64_t e = 0;
  Counterexample cx = storeDiffers(m, conds, st.out, st.index, e);
  cx.outputType = spec::DType::Int64;
  cx.candidateBits = m.bv(st.c);
  std::optional<uint64_t> modelRef = m.bv(st.f);
  std::optional<int64_t> ref =
      referenceIndex(st.out, e, [&](const std::string &t, int64_t k) {
        return static_cast<uint32_t>(cx.inputs.at(t).at(k));
      });
  uint64_t want = static_cast<uint64_t>(ref.value_or(0));
  if (!ref || modelRef != std::optional<uint64_t>(want) || !cx.candidateBits ||
      *cx.candidateBits == want) {
    why = "internal cross-check failed: the solver's counterexample for " +
          st.out + "[" + std::to_string(e) +
          "] is not confirmed by the reference interpreter (please report "
          "this ksynth bug)";
    kind = UnknownKind::Inconsistent;
    return std::nullopt;
  }
  cx.referenceBits = want;
  cx.confirmedByInterpreter = true;
  return cx;
}

std::optional<int64_t> EquivalenceDischarger::referenceIndex(
    const std::string &out, int64_t e,
    const std::function<uint32_t(const std::string &, int64_t)> &bits) {
  spec::Scalar alone = site_.referenceValueAt(out, e, bits);
  if (alone.type != spec::DType::Int64)
    return std::nullopt;
  int64_t total = 0;
  for (const spec::TensorDecl &t : s_.inputs)
    total += run_.inputs.at(t.name).type.numel();
  if (total <= (int64_t(1) << 22)) {
    std::map<std::string, spec::Tensor<spec::Scalar>> in;
    for (const spec::TensorDecl &t : s_.inputs) {
      spec::Tensor<spec::Scalar> tt;
      tt.type = run_.inputs.at(t.name).type;
      for (int64_t k = 0; k < tt.type.numel(); ++k)
        tt.data.push_back(
            spec::ConcreteDomain::f32(bitsFloat(bits(t.name, k))));
      in[t.name] = std::move(tt);
    }
    auto outT = spec::interpret(s_, run_.shape, in);
    if (outT.at(out).data.at(static_cast<size_t>(e)).i != alone.i)
      return std::nullopt;
  }
  return alone.i;
}

std::optional<Counterexample>
EquivalenceDischarger::leafWitness(const EquivalenceObligation &st,
                                   const SymbolicLeaves &lv,
                                   std::vector<Expr> conds, smt::Model m) {
  // Readable values first: each leaf moved to 0, 1, -1, 2, ... where the
  // difference remains (a few short queries).
  std::vector<Expr> leafVars;
  for (const SymbolicLeaf &l : lv.leaves)
    leafVars.push_back(l.var);
  m = shrinkModel(
      conds, std::move(m), leafVars,
      {16, opts_.budgets.symbolicShrinkMs, opts_.budgets.symbolicShrinkQueryMs},
      [&](const std::vector<Expr> &q, unsigned ms) {
        ++sideQueries_;
        return ask(q, "shrink", ms);
      });
  std::vector<std::pair<Expr, Expr>> subst;
  for (const Expr &g : g1_)
    subst.emplace_back(g, Expr::bvVal(m.bv(g).value_or(0), 64));
  std::map<std::string, uint64_t> scalars;
  for (const auto &[name, iv] : run_.inputs)
    if (iv.type.dims.empty()) {
      scalars[name] = m.bv(iv.bits.at(0)).value_or(0);
      subst.emplace_back(iv.bits.at(0), Expr::bvVal(scalars[name], 32));
    }
  std::map<std::string, std::map<int64_t, uint64_t>> elems;
  auto input = [&](const std::string &t, uint64_t i) -> uint32_t {
    auto it = elems.find(t);
    if (it != elems.end()) {
      auto e = it->second.find(static_cast<int64_t>(i));
      if (e != it->second.end())
        return static_cast<uint32_t>(e->second);
    }
    return defaultBitsFor(s_.domainOf(t));
  };
  for (const SymbolicLeaf &l : lv.leaves) {
    if (l.index.isNull())
      continue;
    std::optional<Expr> i = evalConcrete(l.index, subst, input);
    std::optional<uint64_t> b = m.bv(l.var);
    uint64_t pos = i && i->asUInt() ? *i->asUInt() : ~uint64_t{0};
    if (!b ||
        pos >= static_cast<uint64_t>(run_.inputs.at(l.tensor).type.numel()))
      return std::nullopt;
    auto [it, fresh] = elems[l.tensor].emplace(static_cast<int64_t>(pos), *b);
    if (!fresh && it->second != *b)
      return std::nullopt; // one element, two values: not a real input
  }
  std::optional<Expr> taken = evalConcrete(st.pc && st.notLater, subst, input);
  std::optional<Expr> idx = evalConcrete(st.index, subst, input);
  std::optional<Expr> cv = evalConcrete(st.c, subst, input);
  if (!taken || taken->asBool() != true || !idx || !idx->asUInt() || !cv ||
      !cv->asUInt())
    return std::nullopt;
  int64_t e = static_cast<int64_t>(*idx->asUInt());
  if (e < 0 || e >= run_.types.at(st.out).numel())
    return std::nullopt;
  std::optional<int64_t> want =
      referenceIndex(st.out, e, [&](const std::string &t, int64_t i) {
        return input(t, static_cast<uint64_t>(i));
      });
  if (!want || static_cast<uint64_t>(*want) == *cv->asUInt())
    return std::nullopt;
  Counterexample cx;
  cx.obligation = "equivalence";
  cx.shape = run_.shape;
  cx.inputs = sparseInputs(
      [&](const std::string &t, const Expr &) { return scalars.at(t); },
      [&](const std::string &t) { return defaultBitsFor(s_.domainOf(t)); });
  for (auto &[t, es] : elems)
    for (auto &[i, b] : es)
      cx.inputs.at(t).elements[i] = b;
  for (const Expr &v : Expr::andAll(conds).vars())
    if (var::isChoice(v.varName(), Choice::Nondet))
      cx.dependsOnImplementationChoice = true;
  cx.detail = differsText(st.out, e, m);
  at(cx, st.out, e);
  cx.outputType = spec::DType::Int64;
  cx.candidateBits = *cv->asUInt();
  cx.referenceBits = static_cast<uint64_t>(*want);
  cx.confirmedByInterpreter = true;
  return cx;
}

} // namespace ksynth::verify
