// Turning violations and equivalence items into solver queries, and
// satisfying assignments into concrete, shrunk, interpreter-confirmed
// counterexamples.
#include "support/Float.h"
#include "verify/Executor.h"
#include "verify/Rounding.h"
#include "verify/ShapeRun.h"
#include "verify/Unknown.h"

#include "spec/Interpreter.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <random>
#include <set>

namespace ksynth::verify {

using smt::Expr;

namespace {

// "x[12]" -> "x"; "a" -> "a".
std::string baseName(const std::string &var) {
  size_t b = var.find('[');
  return b == std::string::npos ? var : var.substr(0, b);
}

bool mentions(const Expr &e, const char *prefix) {
  for (const Expr &v : e.vars())
    if (v.varName().rfind(prefix, 0) == 0)
      return true;
  return false;
}

// Whether a term applies an uninterpreted function.
bool hasFunctions(const Expr &e) {
  std::vector<Expr> stack{e}, keep;
  std::set<unsigned> seen;
  while (!stack.empty()) {
    Expr t = stack.back();
    stack.pop_back();
    if (!seen.insert(t.id()).second)
      continue;
    keep.push_back(t);
    if (t.op() == Expr::Op::UF)
      return true;
    for (const Expr &a : t.args())
      stack.push_back(a);
  }
  return false;
}

// Whether a term involves an operation OpenCL lets be inexact: an
// "approx#" value or a candidate builtin modelled as a function ("cl.exp").
bool dependsOnApproximation(const Expr &e) {
  if (mentions(e, kApproxPrefix))
    return true;
  std::vector<Expr> stack{e};
  std::set<unsigned> seen;
  std::vector<Expr> keep; // holds visited terms so their ids stay unique
  while (!stack.empty()) {
    Expr t = stack.back();
    stack.pop_back();
    if (!seen.insert(t.id()).second)
      continue;
    keep.push_back(t);
    if (t.op() == Expr::Op::UF && t.ufName().rfind("cl.", 0) == 0)
      return true;
    for (const Expr &a : t.args())
      stack.push_back(a);
  }
  return false;
}

float lowBound(double lo) {
  float f = static_cast<float>(lo);
  if (static_cast<double>(f) < lo)
    f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}
float highBound(double hi) {
  float f = static_cast<float>(hi);
  if (static_cast<double>(f) > hi)
    f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}

// Alive2's trick: readable values first.
const float kPreferred[] = {0.0f, 1.0f,  -1.0f, 2.0f,   -2.0f,  0.5f,   -0.5f,
                            3.0f, -3.0f, 10.0f, -10.0f, 100.0f, -100.0f};

// Candidate a matches reference b under the spec's comparison.
bool sameUnderTolerance(const spec::Spec &s, uint32_t a, uint32_t b) {
  // (a: candidate, b: reference)
  float fa = bitsFloat(a), fb = bitsFloat(b);
  if (std::isnan(fa) || std::isnan(fb))
    return std::isnan(fa) && std::isnan(fb);
  if (s.tolerance.ignoreZeroSign && fa == 0 && fb == 0)
    return true;
  if (a == b)
    return true;
  if (s.tolerance.bitExact() || std::isinf(fa) || std::isinf(fb))
    return false;
  double d = std::fabs(static_cast<double>(fa) - static_cast<double>(fb));
  return d <= s.tolerance.atol +
                  s.tolerance.rtol * std::fabs(static_cast<double>(fb));
}

// The spec's comparison as an SMT formula over fp32 terms: NaN matches NaN
// only, infinities match exactly, finite values within atol + rtol*|ref|
// (in exact real arithmetic).
Expr withinTolerance(const spec::Spec &s, const Expr &c, const Expr &f) {
  Expr same = c.eq(f);
  if (s.tolerance.ignoreZeroSign)
    same = same || (c.isZero() && f.isZero());
  if (s.tolerance.bitExact())
    return same;
  Expr finite = !c.isNaN() && !c.isInf() && !f.isNaN() && !f.isInf();
  Expr d = c.fpToReal().rsub(f.fpToReal());
  Expr absd = Expr::ite(d.rlt(Expr::realVal(0)), d.rneg(), d);
  Expr fr = f.fpToReal();
  Expr absf = Expr::ite(fr.rlt(Expr::realVal(0)), fr.rneg(), fr);
  Expr tol = Expr::realFromDouble(s.tolerance.atol)
                 .radd(Expr::realFromDouble(s.tolerance.rtol).rmul(absf));
  return same || (finite && absd.rle(tol));
}

} // namespace

Expr domainFor(const spec::Spec &s, const ShapeRun &run, const Expr &e) {
  std::vector<Expr> cs;
  for (const Expr &v : e.vars()) {
    auto it = run.inputs.find(baseName(v.varName()));
    if (it == run.inputs.end())
      continue;
    if (it->second.type.dtype == spec::DType::Bool) {
      cs.push_back(v.eq(Expr::bvVal(0, 8)) || v.eq(Expr::bvVal(1, 8)));
      continue;
    }
    spec::Domain d = s.domainOf(it->first);
    if (it->second.type.dtype == spec::DType::Int64) {
      if (d.kind == spec::Domain::Kind::Range)
        cs.push_back(
            Expr::bvVal(static_cast<uint64_t>(static_cast<int64_t>(d.lo)), 64)
                .sle(v) &&
            v.sle(Expr::bvVal(static_cast<uint64_t>(static_cast<int64_t>(d.hi)),
                              64)));
      continue;
    }
    Expr f = floatOf(v);
    if (d.kind == spec::Domain::Kind::Finite)
      cs.push_back(!f.isNaN() && !f.isInf());
    else if (d.kind == spec::Domain::Kind::Range)
      cs.push_back(f.foge(Expr::fpVal(lowBound(d.lo))) &&
                   f.fole(Expr::fpVal(highBound(d.hi))));
  }
  return Expr::andAll(cs);
}

bool Discharger::provedUpToRounding(ShapeRun &r, const Expr &c, const Expr &f,
                                    std::string &why, unsigned &queries) {
  Rounding ra([&](const std::string &var) -> std::optional<Box> {
    auto it = r.inputs.find(baseName(var));
    if (it == r.inputs.end() || it->second.type.dtype != spec::DType::Float32)
      return std::nullopt;
    spec::Domain d = spec.domainOf(it->first);
    if (d.kind != spec::Domain::Kind::Range || !std::isfinite(d.lo) ||
        !std::isfinite(d.hi))
      return std::nullopt;
    return Box{lowBound(d.lo), highBound(d.hi)};
  });
  ra.setProver([&](const Expr &real, double atLeast) {
    smt::QueryResult q =
        solver.check({{ra.realDomain(), ra.functionFacts(),
                       real.rlt(Expr::realFromDouble(atLeast))},
                      "divisor lower bound",
                      2000});
    ++queries;
    return q.status == smt::SatResult::Unsat;
  });
  std::optional<Expr> rc = ra.toReal(c), rf = ra.toReal(f);
  std::optional<ErrorBound> bc = ra.bound(c), bf = ra.bound(f);
  if (!rc || !rf || !bc || !bf) {
    why = "rounding level not applicable: " + ra.why();
    return false;
  }
  double budget = spec.tolerance.atol +
                  spec.tolerance.rtol * std::max(0.0, bf->minAbs() - bf->err);
  double slack = budget - (bc->err + bf->err);
  if (slack < 0) {
    why = "rounding level: error bound " + std::to_string(bc->err + bf->err) +
          " exceeds the tolerance budget " + std::to_string(budget);
    return false;
  }
  // The ideal values may differ by what the rounding errors leave of the
  // budget (0 when the two are the same real function): e.g. x * (1/3 as a
  // float) against x / 3.
  Expr d = rc->rsub(*rf);
  Expr absd = Expr::ite(d.rlt(Expr::realVal(0)), d.rneg(), d);
  smt::QueryResult qr = solver.check({{ra.realDomain(), ra.functionFacts(),
                                       Expr::realFromDouble(slack).rlt(absd)},
                                      "real equivalence"});
  ++queries;
  if (qr.status == smt::SatResult::Unsat)
    return true;
  why = qr.status == smt::SatResult::Sat
            ? "rounding level: the ideal values differ by more than the "
              "tolerance leaves after rounding errors"
            : "rounding level: real-arithmetic query " + qr.reason;
  return false;
}

std::optional<Counterexample>
Discharger::confirmDespiteApproximation(ShapeRun &r, const EquivItem &item,
                                        const smt::Model &model) {
  if (model.isNull())
    return std::nullopt;
  return confirmRobustly(r, item, [&](const Expr &v) -> uint64_t {
    return model.bv(v).value_or(0);
  });
}

std::optional<Counterexample> Discharger::huntRobustly(ShapeRun &r,
                                                       const EquivItem &item) {
  std::mt19937_64 rng(opts.solver.seed + static_cast<uint64_t>(item.flat));
  for (unsigned t = 0; t < 24; ++t) {
    std::map<unsigned, uint64_t> pick;
    auto valueOf = [&](const Expr &v) -> uint64_t {
      auto it = pick.find(v.id());
      if (it != pick.end())
        return it->second;
      auto in = r.inputs.find(baseName(v.varName()));
      uint64_t bits = 0;
      if (in != r.inputs.end() &&
          in->second.type.dtype == spec::DType::Float32) {
        spec::Domain d = spec.domainOf(in->first);
        double lo = -8, hi = 8;
        if (d.kind == spec::Domain::Kind::Range && std::isfinite(d.lo) &&
            std::isfinite(d.hi)) {
          lo = lowBound(d.lo);
          hi = highBound(d.hi);
        }
        float f =
            t % 2 ? static_cast<float>(std::round(
                        std::uniform_real_distribution<double>(lo, hi)(rng)))
                  : static_cast<float>(
                        std::uniform_real_distribution<double>(lo, hi)(rng));
        f = std::min(std::max(f, static_cast<float>(lo)),
                     static_cast<float>(hi));
        bits = floatBits(f);
      }
      pick[v.id()] = bits;
      return bits;
    };
    if (auto cx = confirmRobustly(r, item, valueOf))
      return cx;
  }
  return std::nullopt;
}

std::optional<Counterexample> Discharger::confirmRobustly(
    ShapeRun &r, const EquivItem &item,
    const std::function<uint64_t(const Expr &)> &valueOf) {
  if (!item.reference.isFP())
    return std::nullopt;
  // The solver's inputs, made concrete.
  std::map<std::string, float> value;
  std::map<std::string, spec::Tensor<spec::Scalar>> in;
  Counterexample cx;
  for (auto &[n, iv] : r.inputs) {
    TensorBits tb;
    tb.dtype = iv.type.dtype;
    tb.shape = iv.type.dims;
    spec::Tensor<spec::Scalar> t;
    t.type = iv.type;
    for (const Expr &b : iv.bits) {
      uint64_t bits = valueOf(b);
      tb.bits.push_back(bits);
      spec::Scalar sc;
      sc.type = iv.type.dtype;
      sc.f = bitsFloat(static_cast<uint32_t>(bits));
      sc.b = bits != 0;
      sc.i = static_cast<int64_t>(bits);
      t.data.push_back(sc);
      value[b.varName()] = sc.f;
    }
    cx.inputs[n] = std::move(tb);
    in[n] = std::move(t);
  }
  // Every result the candidate may compute on them, whatever its
  // approximate operations return within their ulp bounds.
  Rounding ra([&](const std::string &var) -> std::optional<Box> {
    auto it = value.find(var);
    if (it == value.end() || !std::isfinite(it->second))
      return std::nullopt;
    return Box{it->second, it->second};
  });
  std::optional<ErrorBound> b = ra.bound(item.candidate);
  if (!b)
    return std::nullopt;
  double lo = b->lo - b->err, hi = b->hi + b->err;
  // The reference is uncertain too where it uses transcendentals (2 ulp
  // assumed for PyTorch's): every reference value it may take counts.
  std::optional<ErrorBound> rb = ra.bound(item.reference);
  auto out = spec::interpret(spec, r.shape, in);
  float ref = out.at(item.output).data.at(static_cast<size_t>(item.flat)).f;
  if (!rb || !std::isfinite(ref))
    return std::nullopt;
  double rlo = rb->lo - rb->err, rhi = rb->hi + rb->err;
  double tolLo = spec.tolerance.atol + spec.tolerance.rtol * std::fabs(rlo);
  double tolHi = spec.tolerance.atol + spec.tolerance.rtol * std::fabs(rhi);
  double tol = std::max(tolLo, tolHi);
  if (lo <= rhi + tol && hi >= rlo - tol)
    return std::nullopt; // some allowed result would pass
  cx.obligation = "equivalence";
  cx.shape = r.shape;
  cx.output = item.output;
  cx.flatIndex = item.flat;
  const auto &dims = r.types.at(item.output).dims;
  cx.index.assign(dims.size(), 0);
  int64_t rest = item.flat;
  for (size_t d = dims.size(); d-- > 0;) {
    cx.index[d] = rest % dims[d];
    rest /= dims[d];
  }
  cx.referenceBits = floatBits(ref);
  cx.candidateBits = floatBits(static_cast<float>((lo + hi) / 2));
  cx.confirmedByInterpreter = true;
  char range[128];
  std::snprintf(range, sizeof range, "[%.9g, %.9g]", lo, hi);
  cx.detail = item.output + "[" + std::to_string(item.flat) +
              "]: whatever its approximate operations return within "
              "OpenCL's ulp bounds, the candidate computes a value in " +
              range +
              " (candidate shows the midpoint), outside the reference " +
              "± tolerance";
  return cx;
}

bool Discharger::pastDeadline() {
  if (std::chrono::steady_clock::now() <= opts.limits.deadline)
    return false;
  if (unknownReason.empty()) {
    unknownReason = "verification deadline of " +
                    std::to_string(static_cast<int>(opts.deadlineSeconds)) +
                    " s reached before every obligation was discharged";
    unknownKind = toString(UnknownKind::Timeout);
  }
  return true;
}

std::optional<Counterexample> Discharger::run(ShapeRun &r) {
  static const ObligationKind order[] = {
      ObligationKind::ProgramScopeState,  ObligationKind::MemorySafety,
      ObligationKind::UndefinedBehaviour, ObligationKind::InputModified,
      ObligationKind::WriteRace,          ObligationKind::DataRace,
      ObligationKind::UninitializedRead,  ObligationKind::Coverage};
  auto noteUnknown = [&](const std::string &why, UnknownKind k) {
    if (unknownReason.empty()) {
      unknownReason = why;
      unknownKind = toString(k);
    }
  };
  for (ObligationKind kind : order) {
    ObligationResult res{toString(kind), r.shape, "proved", "", 0, 0};
    auto t0 = std::chrono::steady_clock::now();
    for (const Violation &v : r.log.all()) {
      if (v.kind != kind || v.cond.isFalse())
        continue;
      if (pastDeadline())
        return std::nullopt;
      smt::Query q{{domainFor(spec, r, v.cond), v.cond},
                   std::string(toString(kind)) + " " + shapeLabel(r.shape)};
      smt::QueryResult qr = solver.check(q);
      ++res.queries;
      if (qr.status == smt::SatResult::Unsat)
        continue;
      if (qr.status == smt::SatResult::Unknown) {
        res.status = "unknown";
        noteUnknown(std::string(toString(kind)) + " query " + qr.reason + " (" +
                        v.detail + ")",
                    UnknownKind::Timeout);
        continue;
      }
      if (dependsOnApproximation(v.cond)) {
        res.status = "unknown";
        noteUnknown(v.detail + " only through an approximate operation",
                    UnknownKind::Approximation);
        continue;
      }
      auto cx = refute(r, toString(kind), v.cond, v.detail, v.tensor, v.index,
                       nullptr);
      if (cx) {
        res.status = "refuted";
        res.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
                .count();
        results.push_back(res);
        return cx;
      }
      res.status = "unknown";
    }
    res.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    results.push_back(res);
  }
  if (r.log.capped()) {
    noteUnknown("more potential violations than are checked (16384 per "
                "obligation); none of those checked holds",
                UnknownKind::Bound);
    return std::nullopt;
  }

  ObligationResult eq{"equivalence", r.shape, "proved", "structural", 0, 0};
  auto t0 = std::chrono::steady_clock::now();
  // Records the equivalence result as refuted and hands the witness back.
  auto refuted = [&](Counterexample cx) -> std::optional<Counterexample> {
    eq.status = "refuted";
    eq.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    results.push_back(eq);
    return cx;
  };
  for (const EquivItem &item : r.equiv) {
    if (pastDeadline())
      return std::nullopt;
    Expr same;
    if (item.reference.isBool()) {
      same = item.candidate.eq(
          Expr::ite(item.reference, Expr::bvVal(1, 8), Expr::bvVal(0, 8)));
      eq.level = "bit-exact";
    } else if (item.reference.isBV()) { // int64 (argmax, ...): exact
      same = item.candidate.eq(item.reference);
      eq.level = "bit-exact";
    } else {
      Expr c = item.candidate.simplify(), f = item.reference.simplify();
      if (c.same(f))
        continue; // structurally identical: no solver needed
      if (!spec.tolerance.bitExact()) {
        std::string why;
        // The rounding level reads the terms as built (Z3's rewriter turns
        // isNaN of an input into bit tests it could not decide).
        if (provedUpToRounding(r, item.candidate, item.reference, why,
                               eq.queries)) {
          if (eq.level != "bit-exact")
            eq.level = "rounding";
          continue;
        }
        if (roundingNote.empty())
          roundingNote = why;
      }
      same = withinTolerance(spec, c, f);
      eq.level = "bit-exact";
    }
    Expr cond = !same;
    if (dependsOnApproximation(cond)) {
      // Bit-level queries over approximate operations can only say
      // "depends on an approximation": look for inputs on which every
      // allowed result fails instead, and otherwise say unknown at once.
      if (auto cx = huntRobustly(r, item)) {
        eq.level = "rounding";
        return refuted(std::move(*cx));
      }
      eq.status = "unknown";
      noteUnknown(item.output + "[" + std::to_string(item.flat) +
                      "] depends on approximate operations and was not "
                      "proved within the tolerance" +
                      (roundingNote.empty() ? "" : "; " + roundingNote),
                  UnknownKind::Approximation);
      break;
    }
    if (pastDeadline())
      return std::nullopt;
    smt::Query q{{domainFor(spec, r, cond), cond},
                 "equivalence " + item.output + "[" +
                     std::to_string(item.flat) + "] " + shapeLabel(r.shape)};
    smt::QueryResult qr = solver.check(q);
    ++eq.queries;
    if (qr.status == smt::SatResult::Unsat)
      continue;
    if (qr.status == smt::SatResult::Unknown) {
      eq.status = "unknown";
      noteUnknown("equivalence query for " + item.output + "[" +
                      std::to_string(item.flat) + "] at " +
                      shapeLabel(r.shape) + ": " + qr.reason +
                      (roundingNote.empty() ? "" : "; " + roundingNote),
                  UnknownKind::Timeout);
      break; // the same question for the other elements would time out too
    }
    if (dependsOnApproximation(cond)) {
      if (auto cx = confirmDespiteApproximation(r, item, qr.model)) {
        return refuted(std::move(*cx));
      }
      eq.status = "unknown";
      noteUnknown(item.output + "[" + std::to_string(item.flat) +
                      "] may differ from the reference only through an "
                      "approximate operation" +
                      (roundingNote.empty() ? "" : "; " + roundingNote),
                  UnknownKind::Approximation);
      break;
    }
    auto cx = refute(r, "equivalence", cond,
                     item.output + "[" + std::to_string(item.flat) +
                         "] differs from the reference",
                     item.output, item.flat, &item);
    if (cx) {
      return refuted(std::move(*cx));
    }
    eq.status = "unknown";
    break;
  }
  eq.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  results.push_back(eq);
  return std::nullopt;
}

std::optional<Counterexample>
Discharger::refute(ShapeRun &r, const std::string &name, const Expr &cond,
                   const std::string &detail, const std::string &tensor,
                   int64_t index, const EquivItem *eq) {
  // Shrink toward readable values, one variable at a time.
  std::vector<Expr> fixed{domainFor(spec, r, cond), cond};
  smt::Model model;
  {
    smt::QueryResult qr = solver.check({fixed, "counterexample " + name});
    if (qr.status != smt::SatResult::Sat)
      return std::nullopt;
    model = qr.model;
  }
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(3000);
  unsigned shrunk = 0;
  for (const Expr &v : cond.vars()) {
    if (shrunk >= opts.shrinkVars ||
        std::chrono::steady_clock::now() > deadline)
      break;
    auto it = r.inputs.find(baseName(v.varName()));
    if (it == r.inputs.end())
      continue;
    ++shrunk;
    std::vector<Expr> candidates;
    if (it->second.type.dtype == spec::DType::Bool) {
      candidates = {v.eq(Expr::bvVal(0, 8)), v.eq(Expr::bvVal(1, 8))};
    } else {
      for (float f : kPreferred)
        candidates.push_back(v.eq(Expr::bvVal(floatBits(f), 32)));
      candidates.push_back(floatOf(v).isInf());
      candidates.push_back(floatOf(v).isNaN());
    }
    for (const Expr &c : candidates) {
      if (std::chrono::steady_clock::now() > deadline)
        break;
      std::vector<Expr> tryQ = fixed;
      tryQ.push_back(c);
      // Shrinking is optional: a value that is hard to rule out is skipped.
      smt::QueryResult qr = solver.check({tryQ, "shrink " + name, 300});
      if (qr.status == smt::SatResult::Sat) {
        fixed = tryQ;
        model = qr.model;
        break;
      }
    }
  }

  Counterexample cx;
  cx.obligation = name;
  cx.shape = r.shape;
  cx.detail = detail;
  cx.output = tensor;
  cx.flatIndex = index;
  cx.dependsOnImplementationChoice = false;
  for (const Expr &v : cond.vars())
    if (v.varName().rfind(kNondetPrefix, 0) == 0)
      cx.dependsOnImplementationChoice = true;
  std::map<std::string, spec::Tensor<spec::Scalar>> concreteIn;
  for (auto &[n, iv] : r.inputs) {
    TensorBits tb;
    tb.dtype = iv.type.dtype;
    tb.shape = iv.type.dims;
    spec::Tensor<spec::Scalar> t;
    t.type = iv.type;
    for (const Expr &b : iv.bits) {
      uint64_t bits = model.bv(b).value_or(0);
      tb.bits.push_back(bits);
      spec::Scalar sc;
      sc.type = iv.type.dtype;
      sc.f = bitsFloat(static_cast<uint32_t>(bits));
      sc.b = bits != 0;
      sc.i = static_cast<int64_t>(bits);
      t.data.push_back(sc);
    }
    cx.inputs[n] = std::move(tb);
    concreteIn[n] = std::move(t);
  }
  if (index >= 0 && r.types.count(tensor)) {
    int64_t rest = index;
    const auto &dims = r.types.at(tensor).dims;
    cx.index.assign(dims.size(), 0);
    for (size_t d = dims.size(); d-- > 0;) {
      cx.index[d] = rest % dims[d];
      rest /= dims[d];
    }
  }
  if (eq) {
    bool isBool = eq->reference.isBool();
    bool isInt = eq->reference.isBV();
    cx.outputType = isBool  ? spec::DType::Bool
                    : isInt ? spec::DType::Int64
                            : spec::DType::Float32;
    if (isBool) {
      cx.referenceBits = model.boolean(eq->reference).value_or(false) ? 1 : 0;
      cx.candidateBits = model.bv(eq->candidate).value_or(0);
    } else if (isInt) {
      cx.referenceBits = model.bv(eq->reference);
      cx.candidateBits = model.bv(eq->candidate);
    } else {
      cx.referenceBits = model.fpBits(eq->reference);
      cx.candidateBits = model.fpBits(eq->candidate);
    }
    // Confirm with the concrete reference interpreter: the counterexample
    // must be real before it is reported.
    auto out = spec::interpret(spec, r.shape, concreteIn);
    const spec::Scalar &want =
        out.at(eq->output).data.at(static_cast<size_t>(eq->flat));
    uint64_t wantBits = isBool  ? (want.b ? 1u : 0u)
                        : isInt ? static_cast<uint64_t>(want.i)
                                : floatBits(want.f);
    auto same = [&](uint64_t a, uint64_t b) {
      return isBool || isInt
                 ? a == b
                 : sameUnderTolerance(spec, static_cast<uint32_t>(a),
                                      static_cast<uint32_t>(b));
    };
    // Where the reference uses functions the solver leaves uninterpreted
    // (exp, tanh, ...), its model value is arbitrary: the interpreter's
    // value is the reference, and the candidate must differ from it.
    bool refIsExact = !hasFunctions(eq->reference);
    bool refAgrees =
        !refIsExact || (cx.referenceBits && same(*cx.referenceBits, wantBits));
    cx.referenceBits = wantBits;
    bool differs = cx.candidateBits && !same(*cx.candidateBits, wantBits);
    if (!refAgrees || !differs) {
      if (unknownReason.empty()) {
        unknownReason =
            "internal cross-check failed: the solver's counterexample for " +
            detail + " is not confirmed by the reference interpreter " +
            "(please report this ksynth bug)";
        unknownKind = toString(UnknownKind::Inconsistent);
      }
      return std::nullopt;
    }
    cx.confirmedByInterpreter = true;
  }
  return cx;
}

} // namespace ksynth::verify
