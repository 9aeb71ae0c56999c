// The symbolic work-item method (verify/SymbolicItem.h).
#include "verify/SymbolicItem.h"
#include "verify/ReferenceFolds.h"
#include "verify/SymbolicGroup.h"

#include "spec/Interpreter.h"
#include "spec/OpTable.h"
#include "spec/ops/Normalization.h"
#include "spec/ops/Reductions.h"
#include "support/Float.h"
#include "verify/CoverageEnum.h"
#include "verify/Discharge.h"
#include "verify/DischargeUtil.h"
#include "verify/IntervalEval.h"
#include "verify/SymbolicLeaves.h"
#include "verify/SymbolicReference.h"
#include "verify/Unknown.h"
#include "verify/ValueOps.h"
#include "verify/VarNames.h"

#include <llvm/IR/Function.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <set>

namespace ksynth::verify {

using smt::Expr;

namespace {

Expr fromDomain(const spec::Domain &d, const Expr &f) {
  if (d.kind == spec::Domain::Kind::Finite)
    return !f.isNaN() && !f.isInf();
  if (d.kind == spec::Domain::Kind::Range)
    return f.foge(Expr::fpVal(lowBound(d.lo))) &&
           f.fole(Expr::fpVal(highBound(d.hi)));
  return Expr::boolVal(true);
}

// An element value every element not named in a counterexample takes: 0.0
// when the domain allows it, else the range's nearest float to 0.
uint32_t defaultBitsFor(const spec::Domain &d) {
  if (d.kind != spec::Domain::Kind::Range || (d.lo <= 0 && 0 <= d.hi))
    return 0;
  return floatBits(d.lo > 0 ? lowBound(d.lo) : highBound(d.hi));
}

std::string u64(uint64_t v) { return std::to_string(v); }

// Budgets (hunting, shrinking, side queries): opts_.budgets (verify/Budgets.h).
// Coverage by running the store terms over every id (CoverageEnum.h):
// before the solver up to this many (store, id) pairs, after an undecided
// solver query up to the second bound (about 10 ns a term).
constexpr uint64_t kCoverageEnumFirst = uint64_t(1) << 22;
constexpr uint64_t kCoverageEnumMax = uint64_t(1) << 27;

class SymbolicRun {
public:
  SymbolicRun(const spec::Spec &s, ShapeRun &run, const VerifyOptions &o,
              smt::QuerySolver &solver, std::vector<ObligationResult> &res,
              SymbolicOutcome &out)
      : s_(s), run_(run), opts_(o), solver_(solver), results_(res), out_(out) {}

  void go(Executor &ex, const llvm::Function &kernel,
          const std::vector<Val> &args, const Geometry &geom,
          const std::string &label);
  // The symbolic work-group method (verify/SymbolicGroup.h).
  void goGroup(Executor &ex, const llvm::Function &kernel,
               const std::vector<Val> &args, const Geometry &geom,
               const std::vector<LocalArg> &localArgs,
               const std::string &label);

private:
  const spec::Spec &s_;
  ShapeRun &run_;
  const VerifyOptions &opts_;
  smt::QuerySolver &solver_;
  std::vector<ObligationResult> &results_;
  SymbolicOutcome &out_;
  Geometry geom_;
  std::string label_;
  std::vector<SymbolicPath> one_, two_;
  std::vector<Expr> g1_, g2_;
  std::vector<SymbolicNote> notes_;
  // The work-group method: g1_/g2_ are the two runs' group ids, one_ the
  // first run's store paths (groupStorePaths).
  bool group_ = false;
  SymbolicGroupRun ga_, gb_;
  // Per NDRange dim, the range of g1_: global size, or number of groups.
  std::vector<uint64_t> idRange_;
  // The work-group method: the group ids' ranges, which the executor's
  // violations leave out (ask() adds them).
  Expr ranges_;
  unsigned sideQueries_ = 0; // equivalence: hunting and same-index queries
  std::vector<Fold> folds_;  // the candidate's loop summaries
  size_t logEnd_ = 0;

  void noteUnknown(const std::string &why, UnknownKind k) {
    if (out_.unknownReason.empty()) {
      out_.unknownReason = why + " at " + shapeLabel(run_.shape);
      out_.unknownKind = toString(k);
    }
  }
  bool pastDeadline() {
    if (std::chrono::steady_clock::now() <= opts_.limits.deadline)
      return false;
    noteUnknown("verification deadline reached before every obligation was "
                "discharged",
                UnknownKind::Timeout);
    return true;
  }
  Expr domain(const std::vector<Expr> &conds) const;
  smt::QueryResult ask(const std::vector<Expr> &conds, const std::string &what,
                       unsigned timeoutMs = 0);
  std::string itemText(const smt::Model &m, const std::vector<Expr> &g) const;
  std::string idsText(const smt::Model &m, const std::vector<Expr> &g) const;
  // A model of `conds` (and the domain) with input elements moved toward
  // readable values (0, 1, -1, 2, ...), one element at a time.
  smt::Model shrink(const std::vector<Expr> &conds, smt::Model m);
  // A counterexample's inputs: each 0-d input's bits from `scalar(name,
  // variable)`, every tensor sparse with `background(name)` for the
  // elements not listed.
  std::map<std::string, TensorBits> sparseInputs(
      const std::function<uint64_t(const std::string &, const Expr &)> &scalar,
      const std::function<uint32_t(const std::string &)> &background) const;
  // ... with the model's 0-d inputs and the domains' default values.
  std::map<std::string, TensorBits> sparseInputs(const smt::Model &m) const {
    return sparseInputs(
        [&](const std::string &, const Expr &v) { return m.bv(v).value_or(0); },
        [&](const std::string &t) { return defaultBitsFor(s_.domainOf(t)); });
  }
  Counterexample concrete(const smt::Model &m, const std::vector<Expr> &conds,
                          const std::string &obligation,
                          const std::string &detail);
  // An equivalence counterexample at the store's element (from the model):
  // inputs, output and index set; values left to the caller.
  Counterexample storeDiffers(const smt::Model &m,
                              const std::vector<Expr> &conds,
                              const std::string &out, const Expr &index,
                              int64_t &e) {
    e = static_cast<int64_t>(m.bv(index).value_or(0));
    Counterexample cx =
        concrete(m, conds, "equivalence", differsText(out, e, m));
    at(cx, out, e);
    return cx;
  }
  std::string differsText(const std::string &out, int64_t e,
                          const smt::Model &m) const {
    return out + "[" + std::to_string(e) +
           "] differs from the reference (written by work-item " +
           itemText(m, g1_) + ")";
  }
  void finish(ObligationResult &r, std::chrono::steady_clock::time_point t0) {
    r.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    results_.push_back(r);
  }
  const Region *regionOf(int id) const { return &run_.mem.at(id); }
  // Names output element `flat` of `tensor` in the counterexample.
  void at(Counterexample &cx, const std::string &tensor, int64_t flat) const {
    cx.output = tensor;
    cx.flatIndex = flat;
    const std::vector<int64_t> &dims = run_.types.at(tensor).dims;
    cx.index.assign(dims.size(), 0);
    for (size_t d = dims.size(); d-- > 0;) {
      cx.index[d] = flat % dims[d];
      flat /= dims[d];
    }
  }
  bool logged(ObligationKind k);
  bool certainAfterStop();
  void afterRaces();
  bool races(bool writeWrite);
  bool groupRaces(bool writeWrite);
  bool coverage();
  bool equivalence();
  // Equivalence of one store (defined below).
  struct StoreCheck;
  SymbolicLeaves leavesOf(const StoreCheck &st, bool withPath);
  bool rounding(const StoreCheck &st, std::string &why, unsigned &queries);
  // The candidate's value with every loop summary that equals a fold of the
  // reference (by induction) replaced by that fold's results.
  Expr unifyWithReference(const StoreCheck &st, const std::vector<Fold> &ref);
  // A counterexample through loop summaries: the store evaluated
  // concretely (folds update by update) at one work-item of its path on
  // uniform inputs, against the reference interpreter.
  std::optional<Counterexample> foldWitness(const StoreCheck &st,
                                            const std::vector<Fold> &ref);
  std::optional<Counterexample> confirmAt(const StoreCheck &st,
                                          const smt::Model &m, bool &exact);
  bool referenceValue(const Counterexample &cx, const std::string &out,
                      int64_t e, uint32_t &want);
  std::vector<uint32_t> huntValues(const std::string &tensor) const;
  uint32_t randomValue(const std::string &tensor, uint64_t bits,
                       bool round) const;
  std::optional<Counterexample> hunt(const StoreCheck &st, bool &exact);
  std::optional<Counterexample>
  exactCounterexample(const StoreCheck &st, const std::vector<Expr> &conds,
                      smt::Model model);
  // Equivalence of one store to an int64 output (argmax / argmin): a
  // bit-vector equality; a counterexample, or `why` where undecided.
  std::optional<Counterexample> intStore(const StoreCheck &st,
                                         ObligationResult &res,
                                         std::string &why, UnknownKind &kind);
  // A counterexample from a model of the leaf query of an int64 store:
  // the work-item and leaf values of the model, shrunk, as sparse inputs
  // (nullopt where two leaves are one element with different values), the
  // candidate's term evaluated on them and the reference interpreter's
  // index, which must differ.
  std::optional<Counterexample> leafWitness(const StoreCheck &st,
                                            const SymbolicLeaves &lv,
                                            std::vector<Expr> conds,
                                            smt::Model m);
  // The reference interpreter's int64 element `e` of `out` on `bits` (the
  // element alone, and the whole tensor where small enough: nullopt if
  // they disagree).
  std::optional<int64_t> referenceIndex(
      const std::string &out, int64_t e,
      const std::function<uint32_t(const std::string &, int64_t)> &bits);
  Expr distinct() const {
    std::vector<Expr> ne;
    for (size_t d = 0; d < g1_.size(); ++d)
      ne.push_back(g1_[d].ne(g2_[d]));
    return Expr::orAll(ne);
  }
};

Expr SymbolicRun::domain(const std::vector<Expr> &conds) const {
  std::vector<Expr> cs;
  Expr all = Expr::andAll(conds);
  for (const Expr &sel : all.selects()) {
    std::vector<Expr> a = sel.args();
    if (a.empty() || !a[0].isConstVar())
      continue;
    std::optional<std::string> in = var::inputArrayTensor(a[0].varName());
    if (!in)
      continue;
    const std::string &t = *in;
    if (!run_.inputs.count(t) || !sel.isBV() || sel.bvWidth() != 32)
      continue;
    cs.push_back(fromDomain(s_.domainOf(t), Expr::fpFromBits(sel)));
  }
  for (const Expr &v : all.vars()) {
    if (!v.isBV())
      continue;
    auto it = run_.inputs.find(v.varName());
    if (it != run_.inputs.end() && it->second.type.dims.empty())
      cs.push_back(fromDomain(s_.domainOf(it->first), Expr::fpFromBits(v)));
  }
  return Expr::andAll(cs);
}

smt::QueryResult SymbolicRun::ask(const std::vector<Expr> &conds,
                                  const std::string &what, unsigned timeoutMs) {
  std::vector<Expr> q = conds;
  q.push_back(domain(conds));
  if (!ranges_.isNull())
    q.push_back(ranges_);
  return solver_.check({q, what + " " + shapeLabel(run_.shape), timeoutMs});
}

smt::Model SymbolicRun::shrink(const std::vector<Expr> &conds, smt::Model m) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(opts_.budgets.symbolicShrinkMs);
  std::vector<Expr> fixed = conds;
  std::vector<Expr> elems;
  for (const Expr &sel : Expr::andAll(conds).selects()) {
    std::vector<Expr> a = sel.args();
    if (a.size() == 2 && a[0].isConstVar() &&
        var::inputArrayTensor(a[0].varName()) && sel.isBV() &&
        sel.bvWidth() == 32)
      elems.push_back(sel);
  }
  for (const Expr &v : Expr::andAll(conds).vars()) {
    auto it = run_.inputs.find(v.isBV() ? v.varName() : std::string());
    if (it != run_.inputs.end() && it->second.type.dims.empty())
      elems.push_back(v);
  }
  unsigned tried = 0;
  for (const Expr &e : elems) {
    if (tried++ >= opts_.shrinkVars ||
        std::chrono::steady_clock::now() > deadline)
      break;
    std::optional<uint64_t> now = m.bv(e);
    for (float f : kPreferred) {
      if (std::chrono::steady_clock::now() > deadline)
        break;
      if (now && *now == floatBits(f))
        break; // already readable
      std::vector<Expr> q = fixed;
      q.push_back(e.eq(Expr::bvVal(floatBits(f), 32)));
      q.push_back(domain(q));
      smt::QueryResult qr =
          solver_.check({q, "shrink", opts_.budgets.symbolicShrinkQueryMs});
      if (qr.status == smt::SatResult::Sat) {
        fixed = q;
        fixed.pop_back(); // the domain term: rebuilt with the next element
        m = qr.model;
        break;
      }
    }
  }
  return m;
}

std::string SymbolicRun::idsText(const smt::Model &m,
                                 const std::vector<Expr> &g) const {
  if (g.size() == 1)
    return u64(m.bv(g[0]).value_or(0));
  std::string t = "(";
  for (size_t d = 0; d < g.size(); ++d)
    t += (d ? "," : "") + u64(m.bv(g[d]).value_or(0));
  return t + ")";
}

std::string SymbolicRun::itemText(const smt::Model &m,
                                  const std::vector<Expr> &g) const {
  // The work-group method: g are group ids ("work-item in work-group 7").
  return group_ ? "in work-group " + idsText(m, g) : idsText(m, g);
}

std::map<std::string, TensorBits> SymbolicRun::sparseInputs(
    const std::function<uint64_t(const std::string &, const Expr &)> &scalar,
    const std::function<uint32_t(const std::string &)> &background) const {
  std::map<std::string, TensorBits> out;
  for (const spec::TensorDecl &t : s_.inputs) {
    const InputVars &iv = run_.inputs.at(t.name);
    TensorBits tb;
    tb.dtype = t.dtype;
    tb.shape = iv.type.dims;
    if (iv.type.dims.empty()) {
      tb.bits.push_back(scalar(t.name, iv.bits.at(0)));
    } else {
      tb.sparse = true;
      tb.defaultBits = background(t.name);
    }
    out[t.name] = std::move(tb);
  }
  return out;
}

Counterexample SymbolicRun::concrete(const smt::Model &m,
                                     const std::vector<Expr> &conds,
                                     const std::string &obligation,
                                     const std::string &detail) {
  Counterexample cx;
  cx.obligation = obligation;
  cx.shape = run_.shape;
  cx.detail = detail;
  Expr all = Expr::andAll(conds);
  // dependsOnImplementationChoice, inputs: below; output and index: at().
  cx.inputs = sparseInputs(m);
  for (const Expr &sel : all.selects()) {
    std::vector<Expr> a = sel.args();
    if (a.size() != 2 || !a[0].isConstVar() ||
        !var::inputArrayTensor(a[0].varName()))
      continue;
    auto it = cx.inputs.find(a[0].varName().substr(3));
    if (it == cx.inputs.end() || !it->second.sparse)
      continue;
    std::optional<uint64_t> idx = m.bv(a[1]), val = m.bv(sel);
    int64_t n = run_.inputs.at(it->first).type.numel();
    if (idx && val && *idx < static_cast<uint64_t>(n))
      it->second.elements[static_cast<int64_t>(*idx)] = *val;
  }
  for (const Expr &v : all.vars())
    if (var::isChoice(v.varName(), Choice::Nondet))
      cx.dependsOnImplementationChoice = true;
  return cx;
}

// Violations the executor logged for the first copy, of one kind.
bool SymbolicRun::logged(ObligationKind k) {
  ObligationResult res{toString(k), run_.shape, "proved", "", 0, 0};
  auto t0 = std::chrono::steady_clock::now();
  const auto &all = run_.log.all();
  // All of them at once first: usually none holds, and one query says so.
  std::vector<Expr> any;
  for (size_t i = 0; i < logEnd_ && i < all.size(); ++i)
    if (all[i].kind == k && !all[i].cond.simplify().isFalse())
      any.push_back(all[i].cond);
  if (any.size() > 1 && !pastDeadline()) {
    smt::QueryResult qr = ask({Expr::orAll(any)}, toString(k));
    ++res.queries;
    if (qr.status == smt::SatResult::Unsat)
      any.clear();
  }
  for (size_t i = 0; i < logEnd_ && i < all.size() && !any.empty(); ++i) {
    const Violation &v = all[i];
    if (v.kind != k || v.cond.simplify().isFalse())
      continue;
    if (pastDeadline())
      return true;
    smt::QueryResult qr = ask({v.cond}, toString(k));
    ++res.queries;
    if (qr.status == smt::SatResult::Unsat)
      continue;
    if (qr.status == smt::SatResult::Unknown ||
        dependsOnApproximation(v.cond)) {
      res.status = "unknown";
      noteUnknown(std::string(toString(k)) + ": " + v.detail +
                      (qr.status == smt::SatResult::Unknown
                           ? " (query " + qr.reason + ")"
                           : " only through an approximate operation"),
                  qr.status == smt::SatResult::Unknown
                      ? UnknownKind::Timeout
                      : UnknownKind::Approximation);
      continue;
    }
    if (!v.refutable) {
      res.status = "unknown";
      noteUnknown(std::string(toString(k)) + ": " + v.detail +
                      " for some work-item; whether the poison is used is "
                      "not tracked",
                  UnknownKind::Unsupported);
      continue;
    }
    std::string detail = v.detail +
                         (group_ ? "; e.g. work-group " : "; e.g. work-item ") +
                         idsText(qr.model, g1_);
    Counterexample cx;
    for (const SymbolicNote &n : notes_)
      if (n.violation == i) {
        std::optional<uint64_t> e = qr.model.bv(n.element);
        if (e)
          detail += ", element " + std::to_string(static_cast<int64_t>(*e)) +
                    " of " + regionOf(n.region)->name;
      }
    cx = concrete(qr.model, {v.cond}, toString(k), detail);
    cx.output = v.tensor;
    res.status = "refuted";
    finish(res, t0);
    out_.counterexample = std::move(cx);
    return true;
  }
  finish(res, t0);
  return false;
}

// Two arbitrary distinct work-items: a write of the first and an access
// (a write for write-write races, a read otherwise) of the second to one
// element.
bool SymbolicRun::races(bool ww) {
  ObligationKind k = ww ? ObligationKind::WriteRace : ObligationKind::DataRace;
  ObligationResult res{toString(k), run_.shape, "proved", "", 0, 0};
  auto t0 = std::chrono::steady_clock::now();
  for (const SymbolicPath &a : one_)
    for (const SymbolicPath &b : two_) {
      std::vector<std::pair<const SymAccess *, const SymAccess *>> pairs;
      std::vector<Expr> hits;
      for (const SymAccess &x : a.accesses) {
        if (!x.write)
          continue;
        for (const SymAccess &y : b.accesses)
          if (y.region == x.region && y.write == ww) {
            pairs.push_back({&x, &y});
            hits.push_back(x.index.eq(y.index));
          }
      }
      if (hits.empty())
        continue;
      if (pastDeadline())
        return true;
      std::vector<Expr> conds{distinct(), a.pc, b.pc, Expr::orAll(hits)};
      smt::QueryResult qr = ask(conds, toString(k));
      ++res.queries;
      if (qr.status == smt::SatResult::Unsat)
        continue;
      if (qr.status == smt::SatResult::Unknown) {
        res.status = "unknown";
        noteUnknown(std::string(toString(k)) +
                        " query between two "
                        "arbitrary work-items: " +
                        qr.reason,
                    UnknownKind::Timeout);
        continue;
      }
      if (dependsOnApproximation(Expr::andAll(conds))) {
        res.status = "unknown";
        noteUnknown(std::string(toString(k)) +
                        " only through an approximate operation",
                    UnknownKind::Approximation);
        continue;
      }
      size_t which = 0;
      for (size_t i = 0; i < hits.size(); ++i)
        if (qr.model.boolean(hits[i]).value_or(false)) {
          which = i;
          break;
        }
      const SymAccess &x = *pairs[which].first;
      const Region &r = *regionOf(x.region);
      int64_t elem = static_cast<int64_t>(qr.model.bv(x.index).value_or(0));
      std::string detail = r.name + "[" + std::to_string(elem) + "] " +
                           (ww ? "written" : "written and read") +
                           " by work-items " + itemText(qr.model, g1_) +
                           " and " + itemText(qr.model, g2_) + " of " + label_ +
                           " (two arbitrary work-items)";
      Counterexample cx = concrete(qr.model, conds, toString(k), detail);
      if (r.role == Role::Output)
        at(cx, r.name, elem);
      res.status = "refuted";
      finish(res, t0);
      out_.counterexample = std::move(cx);
      return true;
    }
  finish(res, t0);
  return false;
}

// Every output element written by some work-item. A store at the affine
// address b + sum_d a_d*g_d (checked by the solver) covers element i iff
// the work-item g found by inverting the address (1-D: g = (i - b) / a;
// several dimensions: mixed radix, largest stride first) is in the NDRange,
// takes the path of the store and stores at i; the query asks for an
// element no store covers. The inversion finds every work-item that could
// store at i when the strides are positive and each exceeds the largest
// address the dimensions below it reach (checked here); otherwise an
// uncovered element is only "unknown". The work-group method: g are the
// group ids (each store is one of a work-item whose local id is concrete,
// so its address is b + sum_d a_d*group_d), ranging over the groups.
bool SymbolicRun::coverage() {
  ObligationResult res{"coverage", run_.shape, "proved", "", 0, 0};
  auto t0 = std::chrono::steady_clock::now();
  const unsigned dims = geom_.dims;
  const Expr zero = Expr::bvVal(0, 64);
  for (const std::string &o : s_.outputs) {
    int region = -1;
    for (size_t i = 0; i < run_.mem.size(); ++i)
      if (run_.mem.at(static_cast<int>(i)).name == o &&
          run_.mem.at(static_cast<int>(i)).role == Role::Output)
        region = static_cast<int>(i);
    if (region < 0)
      continue;
    int64_t n = run_.mem.at(region).numElems;
    Expr i = Expr::bvVar(var::coverage(o), 64);
    std::vector<Expr> uncovered{
        i.ult(Expr::bvVal(static_cast<uint64_t>(n), 64))};
    bool complete = true;
    std::string why;
    unsigned divVars = 0;
    std::vector<Expr> notAffine; // where a store is not at its affine address
    for (const SymbolicPath &p : one_)
      for (const SymAccess &w : p.accesses) {
        if (!w.write || w.region != region)
          continue;
        auto at = [&](unsigned dim, uint64_t v) {
          std::vector<std::pair<Expr, Expr>> sub;
          for (unsigned d = 0; d < dims; ++d)
            sub.push_back({g1_[d], Expr::bvVal(d == dim ? v : 0, 64)});
          return w.index.substitute(sub).simplify().asUInt();
        };
        std::optional<uint64_t> f0 = at(0, 0);
        std::vector<uint64_t> a(dims, 0);
        bool affine = f0.has_value();
        for (unsigned d = 0; d < dims && affine; ++d) {
          std::optional<uint64_t> f1 = at(d, 1);
          affine = f1.has_value();
          if (f1)
            a[d] = *f1 - *f0;
        }
        if (!affine) {
          complete = false;
          why = "a store address that is not an affine function of the "
                "work-item id";
          continue;
        }
        Expr B = Expr::bvVal(*f0, 64), lin = B;
        for (unsigned d = 0; d < dims; ++d)
          lin = lin.add(Expr::bvVal(a[d], 64).mul(g1_[d]));
        notAffine.push_back(p.pc && w.index.ne(lin));
        // The work-item that would store at i, as terms of i.
        std::vector<Expr> gi(dims, zero);
        Expr inRange = Expr::boolVal(true);
        if (dims == 1) {
          if (a[0] == 0) {
            complete = false;
            why = "a store address that does not depend on the work-item id";
            continue;
          }
          Expr A = Expr::bvVal(a[0], 64), d = i.sub(B);
          gi[0] = d.sdiv(A);
          inRange = d.srem(A).eq(zero) && zero.sle(gi[0]) &&
                    gi[0].slt(Expr::bvVal(idRange_[0], 64));
        } else {
          std::vector<unsigned> order;
          for (unsigned d = 0; d < dims; ++d)
            if (a[d] != 0 && static_cast<int64_t>(a[d]) > 0)
              order.push_back(d);
            else if (idRange_[d] > 1) {
              complete = false;
              why = "a store address whose stride in some NDRange dimension "
                    "is not positive";
            }
          std::sort(order.begin(), order.end(),
                    [&](unsigned x, unsigned y) { return a[x] < a[y]; });
          uint64_t reach = 0; // largest address the lower dimensions reach
          for (unsigned d : order) {
            if (a[d] <= reach) {
              complete = false;
              why = "store addresses of different work-items that may "
                    "overlap in the inversion";
            }
            reach += a[d] * (idRange_[d] - 1);
          }
          // Quotient and remainder as variables pinned by
          // rest = q*A + r, r < A, q <= restMax/A (so q*A + r cannot wrap)
          // wherever B <= i: then each has exactly one value for every i
          // (rest <= restMax), so asserting them beside the negation below
          // is the same as the division terms, which Z3 bit-blasts into
          // 64-bit dividers (a tiled matmul's coverage at 2050 x 2046 timed
          // out on 16 of those). Where B > i, inRange is false anyway.
          Expr rest = i.sub(B);
          inRange = B.ule(i);
          uint64_t restMax = static_cast<uint64_t>(n) - 1; // i < n
          for (size_t k = order.size(); k-- > 0;) {
            uint64_t av = a[order[k]];
            Expr A = Expr::bvVal(av, 64);
            std::string tag = var::coverageAux(o, divVars++);
            Expr q = Expr::bvVar(tag + "q", 64), r = Expr::bvVar(tag + "r", 64);
            uncovered.push_back(i.ult(B) ||
                                (rest.eq(q.mul(A).add(r)) && r.ult(A) &&
                                 q.ule(Expr::bvVal(restMax / av, 64))));
            gi[order[k]] = q;
            rest = r;
            restMax = av - 1;
            inRange = inRange &&
                      gi[order[k]].ult(Expr::bvVal(idRange_[order[k]], 64));
          }
        }
        std::vector<std::pair<Expr, Expr>> sub;
        for (unsigned d = 0; d < dims; ++d)
          sub.push_back({g1_[d], gi[d]});
        // (gi are terms of i, not variables: a free variable here would be
        // existential inside the negation below.)
        Expr covers =
            inRange && p.pc.substitute(sub) && w.index.substitute(sub).eq(i);
        uncovered.push_back(!covers);
      }
    if (pastDeadline())
      return true;
    if (!notAffine.empty()) {
      // The inversion is complete only where every address is affine.
      smt::QueryResult aff =
          solver_.check({{Expr::orAll(notAffine)},
                         "coverage affine " + shapeLabel(run_.shape)});
      ++res.queries;
      if (aff.status != smt::SatResult::Unsat) {
        complete = false;
        why = "a store address that is not an affine function of the "
              "work-item id";
      }
    }
    // Stores whose condition and address are functions of the ids alone:
    // run over every id where that is cheap (exact at this shape), else
    // only when the solver's inversion query is undecided.
    std::vector<StoreTerms> stores;
    for (const SymbolicPath &p : one_)
      for (const SymAccess &w : p.accesses)
        if (w.write && w.region == region)
          stores.push_back({p.pc, w.index});
    auto enumerate = [&](uint64_t maxWork) {
      return firstUnwritten(stores, g1_, idRange_, n, maxWork,
                            opts_.limits.deadline);
    };
    std::optional<int64_t> miss = enumerate(kCoverageEnumFirst);
    if (miss && *miss < 0)
      continue; // every element written
    smt::QueryResult qr;
    if (miss) {
      complete = true; // the enumeration is exact: some store misses *miss
      uncovered.push_back(i.eq(Expr::bvVal(static_cast<uint64_t>(*miss), 64)));
      qr = ask(uncovered, "coverage");
    } else {
      qr = ask(uncovered, "coverage");
      if (qr.status == smt::SatResult::Unknown || !complete) {
        miss = enumerate(kCoverageEnumMax);
        if (miss && *miss < 0)
          continue;
        if (miss) {
          complete = true;
          uncovered.push_back(
              i.eq(Expr::bvVal(static_cast<uint64_t>(*miss), 64)));
          qr = ask(uncovered, "coverage");
        }
      }
    }
    ++res.queries;
    if (qr.status == smt::SatResult::Unsat && miss) {
      res.status = "unknown"; // the two methods disagree: a ksynth bug
      noteUnknown("coverage of " + o + ": element " + std::to_string(*miss) +
                      " unwritten by enumeration but covered by the solver",
                  UnknownKind::Inconsistent);
      continue;
    }
    if (qr.status == smt::SatResult::Unsat)
      continue;
    if (qr.status == smt::SatResult::Unknown || !complete ||
        dependsOnApproximation(Expr::andAll(uncovered))) {
      res.status = "unknown";
      noteUnknown(
          "coverage of " + o + ": " +
              (qr.status == smt::SatResult::Unknown ? "query " + qr.reason
               : !complete                          ? why
                           : "depends on an approximate operation"),
          qr.status == smt::SatResult::Unknown ? UnknownKind::Timeout
                                               : UnknownKind::Unsupported);
      continue;
    }
    int64_t e = static_cast<int64_t>(qr.model.bv(i).value_or(0));
    bool dataDependent = !Expr::andAll(uncovered).selects().empty();
    Counterexample cx =
        concrete(qr.model, uncovered, "coverage",
                 o + "[" + std::to_string(e) + "] is never written" +
                     (dataDependent ? " for these inputs" : ""));
    at(cx, o, e);
    res.status = "refuted";
    finish(res, t0);
    out_.counterexample = std::move(cx);
    return true;
  }
  finish(res, t0);
  return false;
}

// The terms of one store to an output element on a path.
struct SymbolicRun::StoreCheck {
  const SymbolicPath *path = nullptr;
  std::string out; // the output tensor
  Expr index;      // the element's flat index
  Expr c, f;       // candidate and reference values (fp32; int64 outputs: bv64)
  bool isInt = false;         // an int64 output (argmax / argmin)
  Expr notLater;              // no later store of the path to that element
  std::vector<Fold> refFolds; // the reference's folds (verify/ReferenceFolds.h)
  // The candidate or the path uses an operation OpenCL lets be inexact, or
  // the reference a transcendental function: a difference the solver finds
  // must be confirmed on concrete inputs.
  bool approximate() const { return candidateApproximate() || hasFunctions(f); }
  // The candidate's side alone (native_*, cl.exp, default division, ...).
  bool candidateApproximate() const {
    return dependsOnApproximation(path->pc && notLater) ||
           dependsOnApproximation(c);
  }
};

SymbolicLeaves SymbolicRun::leavesOf(const StoreCheck &st, bool withPath) {
  std::set<std::string> arrays, scalars;
  for (const auto &[name, iv] : run_.inputs)
    if (iv.type.dtype == spec::DType::Float32)
      (iv.type.dims.empty() ? scalars : arrays).insert(name);
  std::vector<Expr> terms{st.c, st.f};
  if (withPath) {
    terms.push_back(st.path->pc);
    terms.push_back(st.notLater);
    terms.push_back(st.index);
  }
  // Reads at index terms that differ but are equal on this path (a vector
  // lane's load against the store's index) are one leaf.
  Expr pc = st.path->pc;
  // With a tensor op, a store's reference reads a whole line: most pairs of
  // its reads differ at a glance.
  bool filter = false;
  for (const spec::OpNode &op : s_.ops)
    filter = filter || spec::isTensorOp(op);
  // (differAtSomePoint memoised per index term where both terms have the
  // same variables in the same order, which then take the same values at
  // its points: a line of 1024 reads is half a million pairs.)
  struct Print {
    std::vector<unsigned> vars;
    std::vector<std::optional<uint64_t>> at;
  };
  std::map<unsigned, Print> prints;
  auto print = [&](const Expr &i) -> const Print & {
    auto it = prints.find(i.id());
    if (it != prints.end())
      return it->second;
    Print p;
    std::vector<Expr> vars = i.vars();
    bool bv = std::all_of(vars.begin(), vars.end(),
                          [](const Expr &x) { return x.isBV(); });
    for (const Expr &x : vars)
      p.vars.push_back(x.id());
    for (uint64_t k : {1, 6, 37}) {
      std::vector<std::pair<Expr, Expr>> at;
      for (const Expr &x : vars)
        if (bv)
          at.emplace_back(x, Expr::bvVal(k + at.size(), x.bvWidth()));
      p.at.push_back(bv ? i.substitute(at).simplify().asUInt() : std::nullopt);
    }
    return prints.emplace(i.id(), std::move(p)).first->second;
  };
  auto differ = [&](const Expr &i, const Expr &j) {
    const Print &a = print(i), &b = print(j);
    if (a.vars != b.vars)
      return differAtSomePoint(i, j);
    for (size_t k = 0; k < a.at.size(); ++k)
      if (a.at[k] && b.at[k] && *a.at[k] != *b.at[k])
        return true;
    return false;
  };
  auto sameIndex = [&](const Expr &i, const Expr &j) {
    if (filter && differ(i, j))
      return false;
    ++sideQueries_;
    smt::QueryResult q = solver_.check({{pc, i.ne(j)},
                                        "same index " + shapeLabel(run_.shape),
                                        opts_.budgets.sameIndexMs});
    return q.status == smt::SatResult::Unsat;
  };
  return symbolicLeaves(terms, arrays, scalars, sameIndex);
}

// Level "rounding" for one store: the rounding level of the enumeration
// (Discharger::provedUpToRounding) on the terms with every input read
// replaced by its leaf variable (verify/SymbolicLeaves.h). Sound: the level
// proves |c - f| within the tolerance for every value of those variables in
// the domain box, and on this path every read is an in-bounds element of
// the input (memory safety was proved before), so its value is in the box.
bool SymbolicRun::rounding(const StoreCheck &st, std::string &why,
                           unsigned &queries) {
  SymbolicLeaves leaves = leavesOf(st, false);
  Expr c = leaves.apply(st.c), f = leaves.apply(st.f);
  if (!c.selects().empty() || !f.selects().empty()) {
    why = "rounding level not applicable: a read that is not an input "
          "element";
    return false;
  }
  std::vector<ObligationResult> none;
  Discharger d(s_, opts_, solver_, none);
  // The reference's folds that the candidate matched are one value on both
  // sides: an exact input in the range of that computed value.
  run_.foldRanges.clear();
  for (const Fold &fold : st.refFolds)
    if (fold.range && fold.results.size() == 1) {
      std::vector<Expr> v = fold.results[0].vars();
      if (v.size() == 1)
        run_.foldRanges[v[0].varName()] = *fold.range;
    }
  bool ok = d.provedUpToRounding(run_, c, f, why, queries);
  run_.foldRanges.clear();
  return ok;
}

// A counterexample at the model's work-item and input values, confirmed
// concretely: the path and the store are taken whatever the approximate
// operations return (verify/IntervalEval.h), every value the candidate may
// compute lies outside every value the reference may take (under the
// spec's comparison), and the reference interpreter's value is one of the
// latter. nullopt where any of that fails.
std::optional<Counterexample>
SymbolicRun::confirmAt(const StoreCheck &st, const smt::Model &m, bool &exact) {
  SymbolicLeaves leaves = leavesOf(st, true);
  std::map<unsigned, uint64_t> leafBits; // leaf variable id -> bits
  for (const SymbolicLeaf &l : leaves.leaves) {
    std::optional<uint64_t> b = m.bv(l.read);
    if (!b)
      return std::nullopt;
    leafBits[l.var.id()] = *b;
  }
  auto value = [&](const Expr &v) -> std::optional<uint64_t> {
    if (!v.isBV())
      return std::nullopt;
    auto it = leafBits.find(v.id());
    if (it != leafBits.end())
      return it->second;
    for (const Expr &g : g1_)
      if (g.id() == v.id())
        return m.bv(g);
    return std::nullopt; // approximations, implementation choices: any
  };
  IntervalEval ev(value);
  auto definitely = [&](const Expr &b) {
    IVal x = ev.eval(leaves.apply(b));
    return x.sort == IVal::Sort::Bool && x.mayTrue && !x.mayFalse;
  };
  auto known = [&](const Expr &i) -> std::optional<uint64_t> {
    IVal x = ev.eval(leaves.apply(i));
    if (x.sort != IVal::Sort::BV || !x.known())
      return std::nullopt;
    return x.bits;
  };
  if (!definitely(st.path->pc) || !definitely(st.notLater))
    return std::nullopt;
  std::optional<uint64_t> elem = known(st.index);
  int64_t n = run_.types.at(st.out).numel();
  if (!elem || *elem >= static_cast<uint64_t>(n))
    return std::nullopt;
  Counterexample cx;
  cx.obligation = "equivalence";
  cx.shape = run_.shape;
  cx.inputs = sparseInputs(m);
  // Every read (each spelling of its index) at a concrete element; two
  // reads of one element must agree.
  for (const auto &[read, var] : leaves.renames) {
    const SymbolicLeaf *l = leaves.leafOfVar(var);
    if (!l || l->index.isNull())
      continue;
    std::optional<uint64_t> at = known(read.args()[1]);
    TensorBits &tb = cx.inputs.at(l->tensor);
    if (!at ||
        *at >= static_cast<uint64_t>(run_.inputs.at(l->tensor).type.numel()))
      return std::nullopt;
    uint64_t b = leafBits.at(var.id());
    auto [it, fresh] = tb.elements.emplace(static_cast<int64_t>(*at), b);
    if (!fresh && it->second != b)
      return std::nullopt;
  }
  for (const SymbolicLeaf &l : leaves.leaves)
    if (l.index.isNull())
      cx.inputs.at(l.tensor).bits = {leafBits.at(l.var.id())};
  FloatSet cs = ev.evalFloat(leaves.apply(st.c));
  FloatSet rs = ev.evalFloat(leaves.apply(st.f));
  int64_t e = static_cast<int64_t>(*elem);
  if (cs.empty() || mayMatch(s_.tolerance, cs, rs))
    return std::nullopt;
  // (After the sets: interpreting a whole 2^24-element input takes seconds.)
  uint32_t want = 0;
  if (!referenceValue(cx, st.out, e, want) || !rs.contains(bitsFloat(want)))
    return std::nullopt;
  float shown = cs.lo;
  if (!cs.hasNum)
    shown = std::numeric_limits<float>::quiet_NaN();
  else if (!cs.single() && std::isfinite(cs.lo) && std::isfinite(cs.hi)) {
    float mid = static_cast<float>((static_cast<double>(cs.lo) + cs.hi) / 2);
    if (cs.contains(mid))
      shown = mid;
  } else if (!std::isfinite(cs.lo))
    shown = cs.hi;
  if (sameUnderTolerance(s_, floatBits(shown), want))
    return std::nullopt; // (cannot happen; never report a match)
  exact = cs.single() && rs.single() && !dependsOnApproximation(st.c) &&
          !hasFunctions(st.f);
  std::string name = st.out + "[" + std::to_string(e) + "]";
  std::string by = " (written by work-item " + itemText(m, g1_) + ")";
  cx.detail =
      exact ? name + " differs from the reference" + by
            : name + by +
                  ": whatever its approximate operations return "
                  "within their accuracy bounds (OpenCL's ulp "
                  "bounds), the candidate computes " +
                  (cs.single() ? cs.str() : "a value in " + cs.str()) +
                  ", and the reference is " + rs.str() +
                  (s_.tolerance.bitExact() ? "" : " (outside its tolerance)") +
                  " (interpreter: " + formatFloat(bitsFloat(want)) + ")";
  at(cx, st.out, e);
  cx.outputType = spec::DType::Float32;
  cx.candidateBits = floatBits(shown);
  cx.referenceBits = want;
  cx.confirmedByInterpreter = true;
  return cx;
}

// The reference element `e` of `out` on the counterexample's inputs, by the
// reference interpreter (the whole tensor where it is small enough, and the
// element alone, whose index arithmetic must agree). False if they do not.
bool SymbolicRun::referenceValue(const Counterexample &cx,
                                 const std::string &out, int64_t e,
                                 uint32_t &want) {
  auto bitsOf = [&](const std::string &t, int64_t k) -> uint32_t {
    return static_cast<uint32_t>(cx.inputs.at(t).at(k));
  };
  int64_t total = 0;
  for (const spec::TensorDecl &t : s_.inputs)
    total += run_.inputs.at(t.name).type.numel();
  uint32_t alone = concreteReferenceAt(s_, run_.shape, out, e, bitsOf);
  want = alone;
  if (total <= (int64_t(1) << 25)) {
    std::map<std::string, spec::Tensor<spec::Scalar>> in;
    for (const spec::TensorDecl &t : s_.inputs) {
      spec::Tensor<spec::Scalar> tt;
      tt.type = run_.inputs.at(t.name).type;
      int64_t n = tt.type.numel();
      tt.data.resize(static_cast<size_t>(n));
      for (int64_t k = 0; k < n; ++k) {
        tt.data[static_cast<size_t>(k)].type = spec::DType::Float32;
        tt.data[static_cast<size_t>(k)].f = bitsFloat(bitsOf(t.name, k));
      }
      in[t.name] = std::move(tt);
    }
    auto outT = spec::interpret(s_, run_.shape, in);
    want = floatBits(outT.at(out).data.at(static_cast<size_t>(e)).f);
  }
  return alone == want;
}

// Input values to try per leaf: readable ones first, then the domain's
// ends, large magnitudes and special values the domain allows.
std::vector<uint32_t> SymbolicRun::huntValues(const std::string &tensor) const {
  spec::Domain d = s_.domainOf(tensor);
  std::vector<float> fs(std::begin(kPreferred), std::end(kPreferred));
  for (float f : {1e4f, -1e4f, 1e30f, -1e30f, 0.25f, -0.25f, 5.0f, -5.0f, 20.0f,
                  -20.0f, 88.0f, -88.0f, 89.0f, -89.0f})
    fs.push_back(f);
  std::vector<uint32_t> out;
  if (d.kind == spec::Domain::Kind::Range) {
    float lo = lowBound(d.lo), hi = highBound(d.hi);
    fs.push_back(lo);
    fs.push_back(hi);
    fs.push_back(static_cast<float>((static_cast<double>(lo) + hi) / 2));
    for (float f : fs)
      if (f >= lo && f <= hi)
        out.push_back(floatBits(f));
    return out;
  }
  fs.push_back(std::numeric_limits<float>::max());
  fs.push_back(-std::numeric_limits<float>::max());
  fs.push_back(1e-40f);
  for (float f : fs)
    out.push_back(floatBits(f));
  if (d.kind != spec::Domain::Kind::Finite) {
    out.push_back(0x7f800000u);
    out.push_back(0xff800000u);
    out.push_back(0x7fc00000u);
  }
  return out;
}

// A random value of the tensor's domain from 64 random bits: uniform in a
// range (rounded to a quarter where `round`), else sign * 2^e * m with e
// in [-8, 40).
uint32_t SymbolicRun::randomValue(const std::string &tensor, uint64_t bits,
                                  bool round) const {
  spec::Domain d = s_.domainOf(tensor);
  double u = static_cast<double>(bits >> 11) * 0x1.0p-53; // [0, 1)
  double v;
  if (d.kind == spec::Domain::Kind::Range) {
    double lo = lowBound(d.lo), hi = highBound(d.hi);
    v = lo + (hi - lo) * u;
    if (round && std::isfinite(v))
      v = std::round(v * 4) / 4;
    v = std::min(hi, std::max(lo, v));
  } else {
    int e = static_cast<int>(bits & 63) % 48 - 8;
    v = std::ldexp(1 + u, e) * ((bits >> 6) & 1 ? -1 : 1);
    if (round)
      v = std::round(v * 4) / 4;
  }
  return floatBits(static_cast<float>(v));
}

// Concrete hunting for one store: input values for every leaf (all the
// same readable value, then random mixes), the candidate's and the
// reference's value sets by interval evaluation; where they cannot match,
// the solver finds a work-item on this path that reads those values
// (work-item 0 first), and confirmAt checks it concretely.
std::optional<Counterexample> SymbolicRun::hunt(const StoreCheck &st,
                                                bool &exact) {
  auto until = std::min(opts_.limits.deadline,
                        std::chrono::steady_clock::now() +
                            std::chrono::milliseconds(opts_.budgets.huntMs));
  SymbolicLeaves leaves = leavesOf(st, true);
  if (leaves.leaves.empty())
    return std::nullopt;
  Expr c = leaves.apply(st.c), f = leaves.apply(st.f);
  Expr pathAndLast = leaves.apply(st.path->pc && st.notLater);
  std::vector<std::vector<uint32_t>> values;
  for (const SymbolicLeaf &l : leaves.leaves)
    values.push_back(huntValues(l.tensor));
  std::mt19937_64 rng(opts_.solver.seed + 0x5eed);
  size_t common = values.front().size();
  unsigned solverTries = 0;
  // Modes: every leaf the same listed value; mixes of listed values; then
  // random values of the domain (quarter steps, then any float), one for
  // every leaf (reads that may be one element) or one per leaf.
  const size_t mixes = common + 16, total = mixes + 96;
  for (size_t mode = 0; mode < total; ++mode) {
    if (std::chrono::steady_clock::now() > until || solverTries >= 4)
      break;
    std::vector<uint32_t> pick;
    bool sameRandom = mode % 2 == 0;
    uint64_t draw = rng();
    for (size_t k = 0; k < leaves.leaves.size(); ++k) {
      const std::vector<uint32_t> &v = values[k];
      if (v.empty())
        return std::nullopt;
      if (mode < common)
        pick.push_back(v[std::min(mode, v.size() - 1)]);
      else if (mode < mixes)
        pick.push_back(v[rng() % v.size()]);
      else
        pick.push_back(randomValue(leaves.leaves[k].tensor,
                                   sameRandom ? draw : rng(),
                                   mode < mixes + 48));
    }
    auto value = [&](const Expr &x) -> std::optional<uint64_t> {
      for (size_t k = 0; k < leaves.leaves.size(); ++k)
        if (leaves.leaves[k].var.id() == x.id())
          return pick[k];
      return std::nullopt;
    };
    IntervalEval ev(value);
    // Values this path cannot read (its branch conditions say so) first.
    IVal taken = ev.eval(pathAndLast);
    if (taken.sort == IVal::Sort::Bool && !taken.mayTrue)
      continue;
    FloatSet cs = ev.evalFloat(c), rs = ev.evalFloat(f);
    if (cs.empty() || mayMatch(s_.tolerance, cs, rs))
      continue;
    std::vector<Expr> conds{st.path->pc, st.notLater};
    for (size_t k = 0; k < leaves.leaves.size(); ++k)
      conds.push_back(leaves.leaves[k].read.eq(Expr::bvVal(pick[k], 32)));
    ++solverTries;
    for (int first = 0; first < 2; ++first) {
      std::vector<Expr> q = conds;
      if (first == 0)
        for (const Expr &g : g1_)
          q.push_back(g.eq(Expr::bvVal(0, 64)));
      q.push_back(domain(q));
      ++sideQueries_;
      smt::QueryResult qr =
          solver_.check({q, "hunt " + st.out + " " + shapeLabel(run_.shape),
                         opts_.budgets.huntQueryMs});
      if (qr.status != smt::SatResult::Sat)
        continue;
      if (auto cx = confirmAt(st, qr.model, exact))
        return cx;
      break;
    }
  }
  return std::nullopt;
}

bool SymbolicRun::equivalence() {
  ObligationResult res{"equivalence", run_.shape, "proved", "structural", 0, 0};
  auto t0 = std::chrono::steady_clock::now();
  std::string roundingNote;
  auto level = [&](const std::string &l) {
    if (l == "bit-exact" || res.level == "structural")
      res.level = l;
  };
  auto refuted = [&](Counterexample cx) {
    res.status = "refuted";
    res.queries += sideQueries_;
    finish(res, t0);
    out_.counterexample = std::move(cx);
    return true;
  };
  auto unknown = [&](const std::string &why, UnknownKind k) {
    res.status = "unknown";
    noteUnknown(why + (roundingNote.empty() ? "" : "; " + roundingNote), k);
  };
  bool tensorOps = false;
  for (const spec::OpNode &op : s_.ops)
    tensorOps = tensorOps || spec::isTensorOp(op);
  for (const SymbolicPath &p : one_) {
    // Structural, then (with a tolerance) rounding, per store.
    std::vector<StoreCheck> open;
    for (size_t wi = 0; wi < p.accesses.size(); ++wi) {
      const SymAccess &w = p.accesses[wi];
      if (!w.write || regionOf(w.region)->role != Role::Output)
        continue;
      StoreCheck st;
      st.path = &p;
      st.out = regionOf(w.region)->name;
      st.index = w.index;
      std::vector<Expr> later;
      for (size_t j = wi + 1; j < p.accesses.size(); ++j)
        if (p.accesses[j].write && p.accesses[j].region == w.region)
          later.push_back(p.accesses[j].index.eq(w.index));
      st.notLater = !Expr::orAll(later);
      st.isInt = !regionOf(w.region)->isFloat;
      if (st.isInt) {
        if (!w.value.isInt() || w.value.width != 64) {
          unknown("a store to the int64 output " + st.out +
                      " that is not a 64-bit integer",
                  UnknownKind::Unsupported);
          continue;
        }
        st.c = w.value.expr();
      } else {
        Val cv = w.value.isFloat() ? w.value : ops::bitsToFloat(w.value);
        st.c = cv.expr();
      }
      std::vector<Fold> &refFolds = st.refFolds;
      {
        // The reference's branches on index terms (division guesses, window
        // taps, scan positions) decided on this path.
        const Expr pc = p.pc;
        pushReferenceDecider(
            [&, pc](const Expr &cond) -> std::optional<bool> {
              for (bool want : {true, false}) {
                ++sideQueries_;
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
        st.f = referenceElementFolded(s_, run_.shape, st.out, w.index, refFolds,
                                      opts_.limits.summarizeAbove);
      }
      if (st.isInt) {
        // argmax / argmin: one bit-vector equality per store.
        std::string why;
        UnknownKind kind = UnknownKind::Unsupported;
        if (auto cx = intStore(st, res, why, kind))
          return refuted(std::move(*cx));
        if (!why.empty())
          unknown(why, kind);
        continue;
      }
      if (!folds_.empty() && !refFolds.empty())
        st.c = unifyWithReference(st, refFolds);
      if (mentionsFold(st.c, folds_) ||
          foldsIn(st.f, refFolds).size() > foldsIn(st.c, refFolds).size()) {
        // A loop summary that is not the reference's fold: only concrete
        // evaluation can tell a difference.
        if (auto cx = foldWitness(st, refFolds)) {
          res.level = "bit-exact";
          return refuted(std::move(*cx));
        }
        std::vector<const Fold *> mine = foldsIn(st.c, folds_);
        unknown(mine.empty()
                    ? "a reduction of the reference is summarised as a fold "
                      "but the candidate computes it without a matching loop "
                      "summary, and no concrete difference was found"
                    : "the candidate's " + mine[0]->where +
                          " is not the reference's fold (trip count, initial "
                          "state or update not proved equal by induction), "
                          "and no concrete difference was found",
                UnknownKind::Approximation);
        continue;
      }
      if (st.c.simplify().same(st.f.simplify()))
        continue;
      if (tensorOps) {
        // The reference reads a line at index terms of its own spelling
        // (from the flat index by div/mod): structural where the two sides
        // are the same term once reads at equal indices are one leaf.
        SymbolicLeaves lv = leavesOf(st, false);
        if (lv.apply(st.c).simplify().same(lv.apply(st.f).simplify()))
          continue;
      }
      if (!s_.tolerance.bitExact()) {
        if (pastDeadline())
          return true;
        std::string why;
        if (rounding(st, why, res.queries)) {
          level("rounding");
          continue;
        }
        if (roundingNote.empty())
          roundingNote = why;
      }
      open.push_back(std::move(st));
    }
    if (open.empty())
      continue;
    level("bit-exact");
    // The spec's comparison as a float-only formula where one implies it.
    auto differs = [&](const StoreCheck &st, bool strong) {
      std::optional<Expr> fp;
      if (strong)
        fp = withinToleranceFP(s_, st.c, st.f);
      return st.notLater && !(fp ? *fp : withinTolerance(s_, st.c, st.f));
    };
    // Every store of the path at once first: usually none differs.
    bool approximate = false;
    std::vector<Expr> any;
    for (const StoreCheck &st : open) {
      approximate = approximate || st.approximate();
      any.push_back(differs(st, true));
    }
    if (open.size() > 1 && !approximate && !pastDeadline()) {
      smt::QueryResult qr = ask({p.pc, Expr::orAll(any)}, "equivalence");
      ++res.queries;
      if (qr.status == smt::SatResult::Unsat)
        continue;
    }
    for (const StoreCheck &st : open) {
      if (pastDeadline())
        return true;
      bool exact = false;
      // Concrete hunting first where the solver's difference would need
      // confirming: it decides most wrong kernels without a bit-level query.
      if (opts_.solver.hunt && (st.approximate() || !s_.tolerance.bitExact()))
        if (auto cx = hunt(st, exact)) {
          res.level = exact ? "bit-exact" : "rounding";
          return refuted(std::move(*cx));
        }
      // A bit-level query over approximate operations (arbitrary values or
      // functions) proves the store where it is unsatisfiable (for every
      // value they may take); a model of it is only a difference once
      // confirmed concretely. Bounded: such queries rarely finish.
      if (st.candidateApproximate()) {
        std::vector<Expr> q{st.path->pc, differs(st, true)};
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
            return refuted(std::move(*cx));
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
        conds = {st.path->pc, differs(st, forms[k])};
        if (k > 0 && pastDeadline())
          return true;
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
            return refuted(std::move(*cx));
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
        return refuted(std::move(*cx));
      res.status = "unknown";
      break;
    }
  }
  res.queries += sideQueries_;
  finish(res, t0);
  return false;
}

Expr SymbolicRun::unifyWithReference(const StoreCheck &st,
                                     const std::vector<Fold> &ref) {
  auto unsat = [&](const Expr &q) {
    ++sideQueries_;
    return ask({q}, "loop summary by induction", opts_.budgets.foldQueryMs)
               .status == smt::SatResult::Unsat;
  };
  unsigned matched = 0;
  Expr c = unifyFolds(st.c, st.f, folds_, ref, st.path->pc, unsat, matched);
  for (const Fold *f : foldsIn(st.c, folds_))
    out_.approximations.insert(
        "loop summary: " + f->where +
        " run once at an arbitrary iteration k below its proved trip count; "
        "its result is used only where it equals a fold of the reference by "
        "induction (same trip count, initial state and update: exact)");
  return c;
}

std::optional<Counterexample>
SymbolicRun::foldWitness(const StoreCheck &st, const std::vector<Fold> &ref) {
  // Exact terms only, apart from the folds' own state variables.
  {
    std::set<unsigned> foldVars;
    std::vector<Expr> terms{st.c, st.path->pc && st.notLater};
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
  // A work-item that takes the path: work-item 0 first.
  std::vector<Expr> zero;
  for (const Expr &g : g1_)
    zero.push_back(g.eq(Expr::bvVal(0, 64)));
  std::optional<smt::Model> m;
  for (bool first : {true, false}) {
    std::vector<Expr> q{st.path->pc && st.notLater};
    if (first)
      q.push_back(Expr::andAll(zero));
    smt::QueryResult r = ask(q, "loop summary witness");
    ++sideQueries_;
    if (r.status == smt::SatResult::Sat) {
      m = r.model;
      break;
    }
  }
  if (!m)
    return std::nullopt;
  std::vector<std::pair<Expr, Expr>> ids;
  for (const Expr &g : g1_)
    ids.emplace_back(g, Expr::bvVal(m->bv(g).value_or(0), 64));
  std::vector<Fold> all = folds_;
  all.insert(all.end(), ref.begin(), ref.end());
  auto deadline =
      std::min(opts_.limits.deadline,
               std::chrono::steady_clock::now() + std::chrono::seconds(30));
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
    Expr need = st.path->pc && st.notLater && st.c.eq(st.f);
    if (!evalFolds(need, all, subst, input, uint64_t{1} << 26, deadline))
      return std::nullopt;
    std::optional<Expr> taken =
        evalConcrete(st.path->pc && st.notLater, subst, input);
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
      want = concreteReferenceAt(s_, run_.shape, st.out, e, elementAt);
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
std::optional<Counterexample> SymbolicRun::exactCounterexample(
    const StoreCheck &st, const std::vector<Expr> &conds, smt::Model model) {
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

std::optional<Counterexample> SymbolicRun::intStore(const StoreCheck &st,
                                                    ObligationResult &res,
                                                    std::string &why,
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
                    ") is not the reference's fold (trip count, initial "
                    "state or update not proved equal by induction), and "
                    "no concrete difference was found";
    kind = UnknownKind::Approximation;
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
    Expr q = lv.apply(st.path->pc && st.notLater && st.c.ne(st.f));
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
  std::vector<Expr> conds{st.path->pc, st.notLater && st.c.ne(st.f)};
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

std::optional<int64_t> SymbolicRun::referenceIndex(
    const std::string &out, int64_t e,
    const std::function<uint32_t(const std::string &, int64_t)> &bits) {
  spec::Scalar alone = concreteReferenceValueAt(s_, run_.shape, out, e, bits);
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

std::optional<Counterexample> SymbolicRun::leafWitness(const StoreCheck &st,
                                                       const SymbolicLeaves &lv,
                                                       std::vector<Expr> conds,
                                                       smt::Model m) {
  // Readable values first: each leaf moved to 0, 1, -1, 2, ... where the
  // difference remains (a few short queries).
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(opts_.budgets.symbolicShrinkMs);
  for (size_t k = 0; k < lv.leaves.size() && k < 16; ++k) {
    const Expr &v = lv.leaves[k].var;
    for (float f : kPreferred) {
      if (std::chrono::steady_clock::now() > deadline ||
          m.bv(v) == std::optional<uint64_t>(floatBits(f)))
        break;
      std::vector<Expr> q = conds;
      q.push_back(v.eq(Expr::bvVal(floatBits(f), 32)));
      ++sideQueries_;
      smt::QueryResult r =
          ask(q, "shrink", opts_.budgets.symbolicShrinkQueryMs);
      if (r.status == smt::SatResult::Sat) {
        conds = std::move(q);
        m = r.model;
        break;
      }
    }
  }
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
  std::optional<Expr> taken =
      evalConcrete(st.path->pc && st.notLater, subst, input);
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

void SymbolicRun::go(Executor &ex, const llvm::Function &kernel,
                     const std::vector<Val> &args, const Geometry &geom,
                     const std::string &label) {
  geom_ = geom;
  label_ = label;
  idRange_.assign(geom.global, geom.global + geom.dims);
  // Path feasibility through the solver stack: the second copy's questions
  // are the first's renamed, answered by the cache.
  auto feasible = [&](const Expr &pc) {
    smt::QueryResult r =
        solver_.check({{pc},
                       "feasible path " + shapeLabel(run_.shape),
                       opts_.budgets.feasiblePathMs});
    return r.status != smt::SatResult::Unsat;
  };
  ex.setCertainViolationCheck([&](const Expr &c) {
    return ask({c}, "certain violation", 5000).status == smt::SatResult::Sat;
  });
  try {
    one_ = ex.runSymbolicItem(kernel, args, geom, label, "", feasible, g1_);
  } catch (const CannotDecide &) {
    ex.setCertainViolationCheck(nullptr);
    if (certainAfterStop())
      return;
    throw;
  }
  ex.setCertainViolationCheck(nullptr);
  logEnd_ = run_.log.all().size();
  notes_ = ex.symbolicNotes();
  two_ = ex.runSymbolicItem(kernel, args, geom, label, "'", feasible, g2_);
  out_.steps = ex.totalSteps();
  out_.approximations = ex.approximations();
  folds_ = ex.folds();
  for (const Fold &f : folds_)
    if (std::optional<uint64_t> t = f.trips.simplify().asUInt()) {
      uint64_t cost = *t * std::max<uint64_t>(1, f.iterationSteps);
      if (out_.shortestSummarisedLoop == 0 ||
          cost < out_.shortestSummarisedLoop)
        out_.shortestSummarisedLoop = cost;
    }

  for (ObligationKind k :
       {ObligationKind::MemorySafety, ObligationKind::UndefinedBehaviour,
        ObligationKind::InputModified})
    if (logged(k))
      return;
  if (races(true) || races(false))
    return;
  afterRaces();
}

// After the run stopped early: a violation logged on the paths executed so
// far is certain whatever those paths would do later (a runaway loop's
// out-of-bounds access); nothing is recorded as proved.
bool SymbolicRun::certainAfterStop() {
  logEnd_ = run_.log.all().size();
  size_t before = results_.size();
  for (ObligationKind k :
       {ObligationKind::MemorySafety, ObligationKind::UndefinedBehaviour,
        ObligationKind::InputModified})
    if (logged(k) && out_.counterexample) {
      ObligationResult refuted = results_.back();
      results_.resize(before);
      results_.push_back(refuted);
      return true;
    }
  results_.resize(before);
  return false;
}

// The obligations after the races, shared by both methods: uninitialised
// reads, coverage, equivalence (each stops at a violation).
void SymbolicRun::afterRaces() {
  if (logged(ObligationKind::UninitializedRead))
    return;
  if (run_.log.capped()) {
    noteUnknown("more potential violations than are checked",
                UnknownKind::Bound);
    return;
  }
  if (coverage())
    return;
  equivalence();
}

// The work-group method: the group run twice (group ids g1, g2), then the
// obligations in the enumeration's order; races on __local memory come
// from the executor's cell logs, races on global memory from the recorded
// accesses (groupRaces).
void SymbolicRun::goGroup(Executor &ex, const llvm::Function &kernel,
                          const std::vector<Val> &args, const Geometry &geom,
                          const std::vector<LocalArg> &localArgs,
                          const std::string &label) {
  geom_ = geom;
  label_ = label;
  group_ = true;
  auto feasible = [&](const Expr &pc) {
    smt::QueryResult r =
        solver_.check({{pc},
                       "feasible path " + shapeLabel(run_.shape),
                       opts_.budgets.feasiblePathMs});
    return r.status != smt::SatResult::Unsat;
  };
  ga_ = ex.runSymbolicGroup(kernel, args, geom, label, "", feasible, localArgs);
  logEnd_ = run_.log.all().size();
  notes_ = ex.symbolicNotes();
  g1_ = ga_.groupIds;
  idRange_ = ga_.groups;
  ranges_ = ga_.inRange;
  out_.steps = ex.totalSteps();
  out_.approximations = ex.approximations();
  if (logged(ObligationKind::BarrierDivergence))
    return;
  if (!ga_.abandoned.empty()) {
    // Not refuted: a barrier under a condition the same for the whole
    // group (e.g. on the group id), or undecided.
    noteUnknown(ga_.abandoned, UnknownKind::Unsupported);
    return;
  }
  gb_ =
      ex.runSymbolicGroup(kernel, args, geom, label, "'", feasible, localArgs);
  g2_ = gb_.groupIds;
  ranges_ = ga_.inRange && gb_.inRange;
  out_.steps = ex.totalSteps();
  out_.approximations = ex.approximations();
  one_ = groupStorePaths(ga_, feasible);

  // The group's paths are not restricted to in-bounds accesses (the
  // executor's symResolve): nothing past memory safety is discharged
  // unless it is proved.
  if (logged(ObligationKind::MemorySafety) ||
      results_.back().status != "proved")
    return;
  for (ObligationKind k :
       {ObligationKind::UndefinedBehaviour, ObligationKind::InputModified})
    if (logged(k))
      return;
  if (groupRaces(true) || groupRaces(false))
    return;
  afterRaces();
}

// Races in the work-group method: on __local memory, from the executor's
// cell logs; on global memory, two work-items of the group in one barrier
// interval (global-fence epoch), then two arbitrary distinct work-groups
// (any two accesses), each as one query over the disjunction of the
// candidate pairs.
bool SymbolicRun::groupRaces(bool ww) {
  constexpr size_t kMaxPairs = size_t(1) << 16;
  ObligationKind k = ww ? ObligationKind::WriteRace : ObligationKind::DataRace;
  auto t0 = std::chrono::steady_clock::now();
  size_t mark = results_.size();
  if (logged(k))
    return true;
  ObligationResult res = results_.at(mark); // one result for both
  results_.resize(mark);
  bool refuted = false;
  for (int inter = 0; inter < 2 && !refuted; ++inter) {
    std::vector<GroupRacePair> pairs =
        groupRacePairs(ga_, inter ? &gb_ : nullptr, ww);
    if (pairs.empty())
      continue;
    std::string between = inter ? " between two arbitrary work-groups"
                                : " within the arbitrary work-group";
    if (pairs.size() > kMaxPairs) {
      res.status = "unknown";
      noteUnknown(std::string(toString(k)) + between + ": " +
                      std::to_string(pairs.size()) +
                      " pairs of accesses, more than are checked",
                  UnknownKind::Bound);
      continue;
    }
    if (pastDeadline())
      return true;
    std::vector<Expr> hits;
    for (const GroupRacePair &p : pairs)
      hits.push_back(p.cond);
    std::vector<Expr> conds{Expr::orAll(hits)};
    if (inter)
      conds.push_back(distinct());
    smt::QueryResult qr = ask(conds, toString(k) + between);
    ++res.queries;
    if (qr.status == smt::SatResult::Unsat)
      continue;
    if (qr.status == smt::SatResult::Unknown) {
      res.status = "unknown";
      noteUnknown(std::string(toString(k)) + " query" + between + ": " +
                      qr.reason,
                  UnknownKind::Timeout);
      continue;
    }
    if (dependsOnApproximation(Expr::andAll(conds))) {
      res.status = "unknown";
      noteUnknown(std::string(toString(k)) + between +
                      " only through an approximate operation",
                  UnknownKind::Approximation);
      continue;
    }
    const GroupRacePair *w = &pairs.front();
    for (const GroupRacePair &p : pairs)
      if (qr.model.boolean(p.cond).value_or(false)) {
        w = &p;
        break;
      }
    const Region &r = *regionOf(w->x->access.region);
    int64_t elem =
        static_cast<int64_t>(qr.model.bv(w->x->access.index).value_or(0));
    std::string who =
        inter
            ? "work-item " + localItemText(geom_, w->x->item) +
                  " of work-group " + idsText(qr.model, g1_) +
                  " and work-item " + localItemText(geom_, w->y->item) +
                  " of work-group " + idsText(qr.model, g2_) + " of " + label_ +
                  " (two arbitrary work-groups: no barrier orders "
                  "them)"
            : "work-items " + localItemText(geom_, w->x->item) + " and " +
                  localItemText(geom_, w->y->item) + " of work-group " +
                  idsText(qr.model, g1_) + " of " + label_ +
                  " (same work-group, no barrier with "
                  "CLK_GLOBAL_MEM_FENCE between the accesses)";
    std::string detail = r.name + "[" + std::to_string(elem) + "] " +
                         (ww ? "written" : "written and read") + " by " + who;
    Counterexample cx = concrete(qr.model, conds, toString(k), detail);
    if (r.role == Role::Output)
      at(cx, r.name, elem);
    res.status = "refuted";
    out_.counterexample = std::move(cx);
    refuted = true;
  }
  finish(res, t0);
  return refuted;
}

// Whether int64 tensor `t` is a spec output computed by argmax / argmin
// and used by no op (the symbolic reference builds such an element as a
// 64-bit bit-vector; no op of the method reads an int64 operand), and not
// also an input.
bool int64Output(const spec::Spec &s, const std::string &t) {
  bool made = false;
  for (const spec::OpNode &op : s.ops) {
    if (op.output == t)
      made = op.op == "argmax" || op.op == "argmin";
    for (const spec::Operand &x : op.inputs)
      if (const auto *name = std::get_if<std::string>(&x); name && *name == t)
        return false;
  }
  for (const spec::TensorDecl &d : s.inputs)
    if (d.name == t)
      return false;
  return made;
}

} // namespace

bool symbolicQualifies(const spec::Spec &s, const spec::Manifest &m,
                       std::string &why) {
  for (const spec::OpNode &op : s.ops)
    if (spec::isTensorOp(op) && !symbolicTensorOpCovered(op)) {
      why = spec::tensorOpAtIndex(op.op)
                ? "op '" + op.op +
                      "' has a literal first operand, which the symbolic "
                      "reference does not cover"
                : "op '" + op.op +
                      "' is not covered by the symbolic reference (covered: " +
                      symbolicCoveredOpsText() + ")";
      return false;
    }
  for (const spec::TensorDecl &t : s.inputs)
    if (t.dtype != spec::DType::Float32) {
      why = "input '" + t.name + "' is not float32";
      return false;
    }
  auto types = spec::inferTypes(s, s.shapes.front());
  for (const std::string &o : s.outputs) {
    if (types.at(o).dtype == spec::DType::Int64 && int64Output(s, o))
      continue; // argmax / argmin: compared as 64-bit bit-vectors
    if (types.at(o).dtype != spec::DType::Float32) {
      why = "output '" + o + "' is not float32";
      return false;
    }
    for (const spec::TensorDecl &t : s.inputs)
      if (t.name == o) {
        why = "output '" + o + "' is also an input";
        return false;
      }
  }
  if (m.launches.size() != 1 || !m.temporaries.empty()) {
    why = "the manifest has " + std::to_string(m.launches.size()) +
          " launches" +
          (m.temporaries.empty() ? std::string() : " and temporaries");
    return false;
  }
  // __local arguments: the symbolic work-group method, which needs the
  // work-group size.
  for (const spec::ArgBinding &a : m.launches[0].args)
    if (a.kind == spec::ArgBinding::Kind::Local && !m.launches[0].local) {
      why = "the launch has __local arguments but no local size";
      return false;
    }
  return true;
}

SymbolicOutcome verifySymbolicShape(
    const spec::Spec &s, Executor &ex, const llvm::Function &kernel,
    const std::vector<Val> &args, const Geometry &geom,
    const std::string &label, ShapeRun &run, const VerifyOptions &opts,
    smt::QuerySolver &solver, std::vector<ObligationResult> &results) {
  SymbolicOutcome out;
  if (!staticLocals(kernel).empty())
    throw CannotDecide(UnknownKind::Unsupported,
                       "kernel " + kernel.getName().str() +
                           " uses __local memory: the symbolic work-item "
                           "method needs work-items that do not communicate");
  SymbolicRun r(s, run, opts, solver, results, out);
  r.go(ex, kernel, args, geom, label);
  return out;
}

SymbolicOutcome verifySymbolicGroupShape(
    const spec::Spec &s, Executor &ex, const llvm::Function &kernel,
    const std::vector<Val> &args, const Geometry &geom,
    const std::vector<LocalArg> &localArgs, const std::string &label,
    ShapeRun &run, const VerifyOptions &opts, smt::QuerySolver &solver,
    std::vector<ObligationResult> &results) {
  SymbolicOutcome out;
  SymbolicRun r(s, run, opts, solver, results, out);
  r.goGroup(ex, kernel, args, geom, localArgs, label);
  return out;
}

} // namespace ksynth::verify
