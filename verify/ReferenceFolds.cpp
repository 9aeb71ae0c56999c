// Long reductions of the reference as folds (verify/ReferenceFolds.h).
#include "verify/ReferenceFolds.h"

#include "spec/OpTable.h"
#include "spec/ops/Params.h"
#include "spec/ops/Reductions.h"
#include "verify/Executor.h"
#include "verify/SymbolicItem.h"
#include "verify/SymbolicReference.h"
#include "verify/VarNames.h"

#include <atomic>
#include <cmath>
#include <optional>

namespace ksynth::verify {

using smt::Expr;

namespace {

Expr c64(int64_t v) { return Expr::bvVal(static_cast<uint64_t>(v), 64); }

std::atomic<unsigned> foldCounter{0};

// The range of a computed left fold of n terms, each of magnitude at most
// t (non-negative terms when nonneg): every partial sum s_j has |s_j| <=
// j*t*(1+u)^j (induction: |s_{j+1}| <= (|s_j| + t)(1+u)).
std::pair<double, double> foldRange(int64_t n, double t, bool nonneg,
                                    bool nonpos) {
  const double u = std::ldexp(1.0, -24);
  double grow = std::pow(1 + u, static_cast<double>(n) + 1) * (1 + 1e-12);
  double b = static_cast<double>(n) * t * grow;
  return {nonneg ? 0.0 : -b, nonpos ? 0.0 : b};
}

// A finite range of input tensor `t`, if it is an input with one.
std::optional<std::pair<double, double>> inputRange(const spec::Spec &s,
                                                    const std::string &t) {
  for (const spec::TensorDecl &d : s.inputs)
    if (d.name == t) {
      spec::Domain dom = s.domainOf(t);
      if (dom.kind == spec::Domain::Kind::Range && std::isfinite(dom.lo) &&
          std::isfinite(dom.hi))
        return std::make_pair(dom.lo, dom.hi);
    }
  return std::nullopt;
}

// A single-state float fold of `trips` updates with fresh variables
// ("approx#rfold<n>.k/.a/.r"); the caller sets inits, steps and range.
Fold newFold(const std::string &where, int64_t trips) {
  std::string tag = var::choice(Choice::Approx, "rfold", foldCounter++);
  Fold f;
  f.where = where + " (reference)";
  f.k = Expr::bvVar(tag + ".k", 64);
  f.trips = c64(trips);
  f.accs = {Expr::fpFromBits(Expr::bvVar(tag + ".a", 32))};
  f.results = {Expr::fpFromBits(Expr::bvVar(tag + ".r", 32))};
  return f;
}

// The common prefix of a fold's variable names ("approx#rfold<n>").
std::string baseVarName(const Fold &f) {
  std::string k = f.k.varName();
  return k.substr(0, k.size() - 2); // drop ".k"
}

// The largest magnitude in a range.
double maxAbs(const std::pair<double, double> &r) {
  return std::max(std::fabs(r.first), std::fabs(r.second));
}

// matmul without batch dims: out[i, j] = sum_p a[i, p] * b[p, j], each
// product rounded, a left fold from +0 in order of p (spec/ops/Linear.h).
Expr matmulFolded(const spec::Spec &s, const spec::ShapeBinding &shape,
                  const spec::OpNode &op, const Expr &flat,
                  std::vector<Fold> &folds, uint64_t above) {
  const std::string &u = std::get<std::string>(op.inputs[0]);
  const std::string &v = std::get<std::string>(op.inputs[1]);
  auto types = spec::inferTypes(s, shape);
  spec::MatmulParams p = spec::matmulParams(op, {types.at(u), types.at(v)});
  int64_t batches = 1;
  for (int64_t b : p.outBatch)
    batches *= b;
  if (batches != 1 || p.k < static_cast<int64_t>(above))
    return referenceElementAt(s, shape, op.output, flat);
  Expr i = p.m == 1 ? flat : flat.udiv(c64(p.m));
  Expr j = p.m == 1 ? c64(0) : flat.urem(c64(p.m));
  if (p.n == 1)
    i = c64(0);
  Fold f = newFold("matmul over " + std::to_string(p.k) + " products", p.k);
  Expr a = referenceElementAt(s, shape, u, i.mul(c64(p.k)).add(f.k).simplify());
  Expr b = referenceElementAt(s, shape, v, f.k.mul(c64(p.m)).add(j).simplify());
  SymDomain d;
  f.inits = {d.f32(0.0f)};
  f.steps = {d.add(f.accs[0], d.mul(a, b))};
  auto ra = inputRange(s, u), rb = inputRange(s, v);
  if (ra && rb)
    f.range =
        foldRange(p.k, maxAbs(*ra) * maxAbs(*rb) * (1 + std::ldexp(1.0, -24)),
                  false, false);
  folds.push_back(f);
  return f.results[0];
}

} // namespace

Expr referenceElementFolded(const spec::Spec &s,
                            const spec::ShapeBinding &shape,
                            const std::string &tensor, const Expr &flat,
                            std::vector<Fold> &folds, uint64_t above) {
  const spec::OpNode *producer = nullptr;
  for (const spec::OpNode &op : s.ops)
    if (op.output == tensor)
      producer = &op;
  static const std::set<std::string> foldable{"sum",  "mean",   "prod",
                                              "norm", "argmax", "argmin"};
  if (above != 0 && producer && producer->op == "matmul" &&
      producer->inputs.size() == 2 &&
      std::holds_alternative<std::string>(producer->inputs[0]) &&
      std::holds_alternative<std::string>(producer->inputs[1]))
    return matmulFolded(s, shape, *producer, flat, folds, above);
  if (above == 0 || !producer || !foldable.count(producer->op) ||
      producer->inputs.size() != 1 ||
      !std::holds_alternative<std::string>(producer->inputs[0]))
    return referenceElementAt(s, shape, tensor, flat);
  const spec::OpNode &op = *producer;
  std::string p = op.op == "norm" ? spec::normOrder(op) : "";
  if (p == "inf")
    return referenceElementAt(s, shape, tensor, flat);
  const std::string &u = std::get<std::string>(op.inputs[0]);
  auto types = spec::inferTypes(s, shape);
  const spec::TensorType &inType = types.at(u);
  spec::ReduceParams rp = spec::reduceParams(op, {inType});
  int64_t n = static_cast<int64_t>(rp.innerOffsets.size());
  if (n < static_cast<int64_t>(above))
    return referenceElementAt(s, shape, tensor, flat);
  size_t rank = rp.inDims.size();
  std::vector<int64_t> strides = spec::stridesOf(inType.dims);
  // The output element's coordinates (the outermost dim above 1 takes the
  // whole quotient: the index is in range).
  const std::vector<int64_t> &od = rp.outDims;
  std::vector<Expr> oc(od.size(), c64(0));
  {
    Expr rest = flat;
    size_t first = od.size();
    for (size_t i = 0; i < od.size(); ++i)
      if (od[i] != 1) {
        first = i;
        break;
      }
    for (size_t i = od.size(); i-- > 0;) {
      if (od[i] == 1)
        continue;
      if (i == first) {
        oc[i] = rest;
        break;
      }
      oc[i] = rest.urem(c64(od[i]));
      rest = rest.udiv(c64(od[i]));
    }
  }
  // Offset of the line's first element: the kept dims' coordinates.
  bool keep = od.size() == rank;
  Expr base = c64(0);
  for (size_t i = 0, j = 0; i < rank; ++i) {
    if (!rp.reduced[i]) {
      if (rp.inDims[i] != 1)
        base = base.add(oc.at(keep ? i : j).mul(c64(strides[i])));
    }
    if (keep || !rp.reduced[i])
      ++j;
  }
  // The element at position `pos` of the line: row-major over the reduced
  // dims (the outermost one of extent above 1 takes the whole quotient).
  size_t outer = rank;
  for (size_t i = 0; i < rank && outer == rank; ++i)
    if (rp.reduced[i] && rp.inDims[i] != 1)
      outer = i;
  auto elementAtPos = [&](const Expr &pos) {
    Expr off = c64(0), rest = pos;
    for (size_t i = rank; i-- > 0;) {
      if (!rp.reduced[i] || rp.inDims[i] == 1)
        continue;
      Expr coord = i == outer ? rest : rest.urem(c64(rp.inDims[i]));
      if (i != outer)
        rest = rest.udiv(c64(rp.inDims[i]));
      off = off.add(coord.mul(c64(strides[i])));
    }
    return referenceElementAt(s, shape, u, base.add(off).simplify());
  };
  SymDomain d;
  if (op.op == "argmax" || op.op == "argmin") {
    // spec::red::extreme as a fold of two states (the best value and its
    // index): it starts at element 0 and index 0, and update k looks at
    // element k + 1 (n - 1 updates), exactly as the semantics table's loop
    // from 1: take it where best is not NaN and not (x <= best) (argmax;
    // x >= best for argmin), so the first NaN wins and ties keep the first
    // index (-0 and +0 compare equal). The result is the index (int64).
    Fold f = newFold(op.op + " over " + std::to_string(n) + " elements", n - 1);
    std::string tag = baseVarName(f);
    f.accs.push_back(Expr::bvVar(tag + ".i", 64));
    f.results.push_back(Expr::bvVar(tag + ".ri", 64));
    Expr pos = f.k.add(c64(1));
    Expr x = elementAtPos(pos);
    const Expr &best = f.accs[0], &idx = f.accs[1];
    Expr keep = op.op == "argmax" ? d.le(x, best) : d.ge(x, best);
    Expr take = d.land(d.lnot(d.isnan(best)), d.lnot(keep));
    f.inits = {elementAtPos(c64(0)), d.i64(0)};
    f.steps = {d.select(take, x, best), d.select(take, pos, idx)};
    folds.push_back(f);
    return f.results[1];
  }
  Fold f = newFold(op.op + " over " + std::to_string(n) + " elements", n);
  Expr x = elementAtPos(f.k);
  const Expr &acc = f.accs[0], &res = f.results[0];
  if (op.op == "prod") {
    f.inits = {d.f32(1.0f)};
    f.steps = {d.mul(acc, x)};
  } else {
    f.inits = {d.f32(0.0f)};
    if (op.op == "norm")
      f.steps = {d.add(acc, p == "1" ? d.abs(x) : d.mul(x, x))};
    else
      f.steps = {d.add(acc, x)};
  }
  // The computed fold's range when its operand is an input with a finite
  // range [lo, hi] (each term then in [lo, hi], |x| in [0, M] or x*x in
  // [0, M^2(1+u)], M = max(|lo|, |hi|)): every partial sum of j terms has
  // |s_j| <= j*T*(1+u)^j for T the largest |term| (induction: |s_{j+1}| <=
  // (|s_j| + T)(1+u)), and sums of non-negative terms stay non-negative.
  auto ru = inputRange(s, u);
  if (ru && op.op != "prod") {
    double m = maxAbs(*ru);
    bool nonneg = op.op == "norm" || ru->first >= 0;
    bool nonpos = op.op != "norm" && ru->second <= 0;
    double t =
        op.op == "norm" && p != "1" ? m * m * (1 + std::ldexp(1.0, -24)) : m;
    f.range = foldRange(n, t, nonneg, nonpos);
  }
  folds.push_back(f);
  if (op.op == "mean")
    return d.div(res, d.num(static_cast<double>(n)));
  if (op.op == "norm" && p != "1")
    return d.sqrt(res);
  return res;
}

} // namespace ksynth::verify
