// EquivalenceDischarger (SymbolicEquivalenceDischarge.h), one store: its
// input leaves, the rounding level on it, concrete confirmation and hunting
// for a differing input; shrinking a model and a counterexample's inputs.
#include "verify/discharge/SymbolicEquivalenceDischarge.h"

#include "spec/Interpreter.h"
#include "spec/OpTable.h"
#include "support/Float.h"
#include "verify/core/VarNames.h"
#include "verify/discharge/Discharge.h"
#include "verify/discharge/ModelShrink.h"
#include "verify/numerics/IntervalEval.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace ksynth::verify {

using smt::Expr;

smt::Model EquivalenceDischarger::shrink(const std::vector<Expr> &conds,
                                         smt::Model m) {
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
  std::vector<Expr> fixed = conds;
  return shrinkModel(fixed, std::move(m), elems,
                     {opts_.shrinkVars, opts_.budgets.symbolicShrinkMs,
                      opts_.budgets.symbolicShrinkQueryMs},
                     [&](const std::vector<Expr> &q, unsigned ms) {
                       std::vector<Expr> withDomain = q;
                       withDomain.push_back(domain(q));
                       return solver_.check({withDomain, "shrink", ms});
                     });
}

std::map<std::string, TensorBits> sparseInputBits(
    const spec::Spec &s, const ShapeRun &run,
    const std::function<uint64_t(const std::string &, const Expr &)> &scalar,
    const std::function<uint32_t(const std::string &)> &background) {
  std::map<std::string, TensorBits> out;
  for (const spec::TensorDecl &t : s.inputs) {
    const InputVars &iv = run.inputs.at(t.name);
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

std::map<std::string, TensorBits> EquivalenceDischarger::sparseInputs(
    const std::function<uint64_t(const std::string &, const Expr &)> &scalar,
    const std::function<uint32_t(const std::string &)> &background) const {
  return sparseInputBits(s_, run_, scalar, background);
}

std::map<std::string, TensorBits>
EquivalenceDischarger::sparseInputs(const smt::Model &m) const {
  return sparseInputs(
      [&](const std::string &, const Expr &v) { return m.bv(v).value_or(0); },
      [&](const std::string &t) { return defaultBitsFor(s_.domainOf(t)); });
}

Counterexample EquivalenceDischarger::storeDiffers(
    const smt::Model &m, const std::vector<Expr> &conds, const std::string &out,
    const Expr &index, int64_t &e) {
  e = static_cast<int64_t>(m.bv(index).value_or(0));
  Counterexample cx =
      site_.base.concrete(m, conds, "equivalence", differsText(out, e, m));
  at(cx, out, e);
  return cx;
}

SymbolicLeaves EquivalenceDischarger::leavesOf(const EquivalenceObligation &st,
                                               bool withPath) {
  std::set<std::string> arrays, scalars;
  for (const auto &[name, iv] : run_.inputs)
    if (iv.type.dtype == spec::DType::Float32)
      (iv.type.dims.empty() ? scalars : arrays).insert(name);
  std::vector<Expr> terms{st.c, st.f};
  if (withPath) {
    terms.push_back(st.pc);
    terms.push_back(st.notLater);
    terms.push_back(st.index);
  }
  // Reads at index terms that differ but are equal on this path (a vector
  // lane's load against the store's index) are one leaf.
  Expr pc = st.pc;
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
// replaced by its leaf variable (verify/discharge/SymbolicLeaves.h). Sound: the
// level proves |c - f| within the tolerance for every value of those variables
// in the domain box, and on this path every read is an in-bounds element of the
// input (memory safety was proved before), so its value is in the box.
namespace {
// The conjuncts of `pc` that compare float values (possibly negated).
void floatComparisons(const Expr &pc, std::vector<Expr> &out) {
  using Op = Expr::Op;
  if (pc.op() == Op::And) {
    for (const Expr &a : pc.args())
      floatComparisons(a, out);
    return;
  }
  bool negated = false;
  Expr e = pc;
  while (e.op() == Op::Not) {
    e = e.args()[0];
    negated = !negated;
  }
  // A branch on an i1: (= (ite c #b1 #b0) #b1) is c, (= (ite c #b1 #b0)
  // #b0) is not c.
  if (e.op() == Op::Eq) {
    std::vector<Expr> a = e.args();
    if (a[1].op() == Op::Ite)
      std::swap(a[0], a[1]);
    if (a[0].op() == Op::Ite && a[1].op() == Op::BVNum) {
      std::vector<Expr> t = a[0].args();
      if (t[1].op() == Op::BVNum && t[2].op() == Op::BVNum &&
          !t[1].same(t[2]) && (a[1].same(t[1]) || a[1].same(t[2]))) {
        if (a[1].same(t[2]))
          negated = !negated;
        e = t[0];
        while (e.op() == Op::Not) {
          e = e.args()[0];
          negated = !negated;
        }
      }
    }
  }
  if (e.op() == Op::FLt || e.op() == Op::FLe || e.op() == Op::FEq)
    out.push_back(negated ? !e : e);
}
} // namespace

bool EquivalenceDischarger::rounding(const EquivalenceObligation &st,
                                     std::string &why, unsigned &queries) {
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
  // A branch of the kernel on float values (an ELU's x < 0 compiled as two
  // paths) leaves the candidate's value on this path meaningful only where
  // the path's float comparisons hold: compare ite(g, c, f) with f, g the
  // conjunction of those comparisons. Sound: the path condition implies g,
  // so on every input of the path the compared value is c.
  if (!ok) {
    std::vector<Expr> g;
    floatComparisons(leaves.apply(st.pc), g);
    if (!g.empty()) {
      std::string why2;
      Expr cg = Expr::ite(Expr::andAll(g), c, f);
      if (cg.selects().empty() &&
          d.provedUpToRounding(run_, cg, f, why2, queries))
        ok = true;
      else
        why += "; under the path's float comparisons: " + why2;
    }
  }
  run_.foldRanges.clear();
  return ok;
}

// A counterexample at the model's work-item and input values, confirmed
// concretely: the path and the store are taken whatever the approximate
// operations return (verify/numerics/IntervalEval.h), every value the candidate
// may compute lies outside every value the reference may take (under the spec's
// comparison), and the reference interpreter's value is one of the latter.
// nullopt where any of that fails.
std::optional<Counterexample>
EquivalenceDischarger::confirmAt(const EquivalenceObligation &st,
                                 const smt::Model &m, bool &exact) {
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
  if (!definitely(st.pc) || !definitely(st.notLater))
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
bool EquivalenceDischarger::referenceValue(const Counterexample &cx,
                                           const std::string &out, int64_t e,
                                           uint32_t &want) {
  auto bitsOf = [&](const std::string &t, int64_t k) -> uint32_t {
    return static_cast<uint32_t>(cx.inputs.at(t).at(k));
  };
  int64_t total = 0;
  for (const spec::TensorDecl &t : s_.inputs)
    total += run_.inputs.at(t.name).type.numel();
  uint32_t alone = site_.referenceAt(out, e, bitsOf);
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
std::vector<uint32_t>
EquivalenceDischarger::huntValues(const std::string &tensor) const {
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
uint32_t EquivalenceDischarger::randomValue(const std::string &tensor,
                                            uint64_t bits, bool round) const {
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
std::optional<Counterexample>
EquivalenceDischarger::hunt(const EquivalenceObligation &st, bool &exact) {
  auto until = std::min(opts_.limits.deadline,
                        std::chrono::steady_clock::now() +
                            std::chrono::milliseconds(opts_.budgets.huntMs));
  SymbolicLeaves leaves = leavesOf(st, true);
  if (leaves.leaves.empty())
    return std::nullopt;
  Expr c = leaves.apply(st.c), f = leaves.apply(st.f);
  Expr pathAndLast = leaves.apply(st.pc && st.notLater);
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
    std::vector<Expr> conds{st.pc, st.notLater};
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

} // namespace ksynth::verify
