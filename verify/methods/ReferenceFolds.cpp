// Long reductions of the reference as folds (verify/methods/ReferenceFolds.h).
#include "verify/methods/ReferenceFolds.h"

#include "spec/OpTable.h"
#include "spec/ops/Index.h"
#include "spec/ops/Linear.h"
#include "spec/ops/Params.h"
#include "spec/ops/Reductions.h"
#include "verify/core/VarNames.h"
#include "verify/exec/Executor.h"
#include "verify/methods/SymbolicItem.h"
#include "verify/numerics/SymbolicReference.h"

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

// Index terms as plain bit-vector arithmetic (no path guesses): a fold's
// line and position in the semantics table's fold order
// (spec::red::reduceLineAt, reducePositionAt; spec/ops/Index.h).
struct PlainIndex {
  using I = Expr;
  static I c(int64_t v) { return c64(v); }
  static I add(const I &a, const I &b) { return a.add(b); }
  static I mul(const I &a, int64_t k) { return a.mul(c64(k)); }
  static I div(const I &a, int64_t k) { return a.udiv(c64(k)); }
  static I mod(const I &a, int64_t k) { return a.urem(c64(k)); }
  static bool zero(const I &a) {
    return a.asUInt() == std::optional<uint64_t>(0);
  }
};

// matmul without batch dims: out[i, j] = sum_p a[i, p] * b[p, j], each
// product rounded, a left fold from +0 in order of p: spec::lin::matmulAt's
// fold (matmulLinesAt, matmulStep) over a symbolic position.
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
  auto [a0, b0] = spec::lin::matmulLinesAt<PlainIndex>(p, flat);
  Fold f = newFold("matmul over " + std::to_string(p.k) + " products", p.k);
  Expr a = referenceElementAt(s, shape, u, a0.add(f.k).simplify());
  Expr b =
      referenceElementAt(s, shape, v, f.k.mul(c64(p.m)).add(b0).simplify());
  SymDomain d;
  f.inits = {d.f32(0.0f)};
  f.steps = {spec::lin::matmulStep(d, f.accs[0], a, b)};
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
  if (above != 0 && producer && producer->op == "matmul" &&
      producer->inputs.size() == 2 &&
      std::holds_alternative<std::string>(producer->inputs[0]) &&
      std::holds_alternative<std::string>(producer->inputs[1]))
    return matmulFolded(s, shape, *producer, flat, folds, above);
  using spec::red::ReduceKind;
  // The reductions built as folds: the accumulations with a constant start
  // (sum, mean, prod, norm 1 and 2) and argmax / argmin; max, min and norm
  // "inf" are unrolled.
  SymDomain d;
  std::optional<ReduceKind> kind;
  if (producer && spec::isTensorOp(*producer) &&
      spec::tensorOpFamily(producer->op) == spec::TensorOpFamily::Reduce)
    kind = spec::red::reduceKind(*producer);
  bool extreme =
      kind && (*kind == ReduceKind::ArgMax || *kind == ReduceKind::ArgMin);
  bool foldable = kind && (extreme || (!spec::red::isExtreme(*kind) &&
                                       spec::red::accStart(*kind, d)));
  if (above == 0 || !foldable || producer->inputs.size() != 1 ||
      !std::holds_alternative<std::string>(producer->inputs[0]))
    return referenceElementAt(s, shape, tensor, flat);
  const spec::OpNode &op = *producer;
  const std::string &u = std::get<std::string>(op.inputs[0]);
  auto types = spec::inferTypes(s, shape);
  spec::ReduceParams rp = spec::reduceParams(op, {types.at(u)});
  int64_t n = static_cast<int64_t>(rp.innerOffsets.size());
  if (n < static_cast<int64_t>(above))
    return referenceElementAt(s, shape, tensor, flat);
  // The element at position `pos` of the output element's line, in the
  // fold order of spec/ops/Reductions.h.
  Expr base = spec::red::reduceLineAt<PlainIndex>(rp, flat);
  auto elementAtPos = [&](const Expr &pos) {
    Expr off = spec::red::reducePositionAt<PlainIndex>(rp, pos);
    return referenceElementAt(s, shape, u, base.add(off).simplify());
  };
  if (extreme) {
    // spec::red::extreme as a fold of two states (the best value and its
    // index): it starts at element 0 and index 0, and update k looks at
    // element k + 1 (n - 1 updates), exactly as the semantics table's loop
    // from 1 (spec::red::extremeStep). The result is the index (int64).
    Fold f = newFold(op.op + " over " + std::to_string(n) + " elements", n - 1);
    std::string tag = baseVarName(f);
    f.accs.push_back(Expr::bvVar(tag + ".i", 64));
    f.results.push_back(Expr::bvVar(tag + ".ri", 64));
    Expr pos = f.k.add(c64(1));
    Expr x = elementAtPos(pos);
    auto [best, idx] = spec::red::extremeStep(d, *kind == ReduceKind::ArgMax,
                                              f.accs[0], f.accs[1], x, pos);
    f.inits = {elementAtPos(c64(0)), d.i64(0)};
    f.steps = {best, idx};
    folds.push_back(f);
    return f.results[1];
  }
  // The accumulation (spec::red::accStart, accTerm, accStep, accFinish).
  Fold f = newFold(op.op + " over " + std::to_string(n) + " elements", n);
  Expr x = elementAtPos(f.k);
  const Expr &acc = f.accs[0], &res = f.results[0];
  f.inits = {*spec::red::accStart(*kind, d)};
  f.steps = {
      spec::red::accStep(*kind, d, acc, spec::red::accTerm(*kind, d, x))};
  // The computed fold's range when its operand is an input with a finite
  // range [lo, hi] (each term then in [lo, hi], |x| in [0, M] or x*x in
  // [0, M^2(1+u)], M = max(|lo|, |hi|)): every partial sum of j terms has
  // |s_j| <= j*T*(1+u)^j for T the largest |term| (induction: |s_{j+1}| <=
  // (|s_j| + T)(1+u)), and sums of non-negative terms stay non-negative.
  bool isNorm = *kind == ReduceKind::Norm1 || *kind == ReduceKind::Norm2;
  auto ru = inputRange(s, u);
  if (ru && *kind != ReduceKind::Prod) {
    double m = maxAbs(*ru);
    bool nonneg = isNorm || ru->first >= 0;
    bool nonpos = !isNorm && ru->second <= 0;
    double t =
        *kind == ReduceKind::Norm2 ? m * m * (1 + std::ldexp(1.0, -24)) : m;
    f.range = foldRange(n, t, nonneg, nonpos);
  }
  folds.push_back(f);
  return spec::red::accFinish(*kind, d, res, n);
}

} // namespace ksynth::verify
