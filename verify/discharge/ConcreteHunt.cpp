#include "verify/discharge/ConcreteHunt.h"

#include "support/Float.h"
#include "verify/core/DischargeUtil.h"
#include "verify/numerics/IntervalEval.h"

#include "spec/Interpreter.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

namespace ksynth::verify {

using smt::Expr;

namespace {

using Bits = std::map<std::string, std::vector<uint64_t>>;
using Tensors = std::map<std::string, spec::Tensor<spec::Scalar>>;

constexpr unsigned kModes = 14;

// Input variable (by AST id) -> its tensor and element.
struct Slots {
  std::unordered_map<unsigned, std::pair<std::string, size_t>> at;
  std::vector<Expr> keep; // keeps the ids unique
  explicit Slots(const ShapeRun &r) {
    for (const auto &[n, iv] : r.inputs)
      for (size_t i = 0; i < iv.bits.size(); ++i) {
        at[iv.bits[i].id()] = {n, i};
        keep.push_back(iv.bits[i]);
      }
  }
  std::optional<uint64_t> value(const Bits &b, const Expr &v) const {
    auto it = at.find(v.id());
    if (it == at.end())
      return std::nullopt;
    return b.at(it->second.first).at(it->second.second);
  }
};

spec::Scalar scalarOf(spec::DType dt, uint64_t bits) {
  spec::Scalar sc;
  sc.type = dt;
  sc.f = bitsFloat(static_cast<uint32_t>(bits));
  sc.b = bits != 0;
  sc.i = static_cast<int64_t>(bits);
  return sc;
}

Tensors tensorsOf(const ShapeRun &r, const Bits &bits) {
  Tensors in;
  for (const auto &[n, iv] : r.inputs) {
    spec::Tensor<spec::Scalar> t;
    t.type = iv.type;
    for (uint64_t b : bits.at(n))
      t.data.push_back(scalarOf(iv.type.dtype, b));
    in[n] = std::move(t);
  }
  return in;
}

// The reference's outputs and, for the summation form, each output
// element's sum of term magnitudes (spec::interpretMagnitudes).
struct Evaluated {
  Tensors out;
  std::map<std::string, std::vector<double>> mags;
  double magAt(const EquivItem &item) const {
    auto m = mags.find(item.output);
    if (m == mags.end() || item.flat >= static_cast<int64_t>(m->second.size()))
      return std::numeric_limits<double>::quiet_NaN();
    return m->second[static_cast<size_t>(item.flat)];
  }
};

std::optional<Evaluated> interpret(const spec::Spec &s, const ShapeRun &r,
                                   const Bits &bits) {
  try {
    Tensors in = tensorsOf(r, bits);
    Evaluated e{spec::interpret(s, r.shape, in), {}};
    e.mags = spec::interpretMagnitudes(s, r.shape, in);
    return e;
  } catch (const std::exception &) {
    return std::nullopt; // inputs the interpreter rejects: not a witness
  }
}

// A member of a set to show as "the candidate's value".
float representative(const FloatSet &c) {
  if (!c.hasNum)
    return std::numeric_limits<float>::quiet_NaN();
  if (c.single())
    return c.lo;
  if (std::isfinite(c.lo) && std::isfinite(c.hi)) {
    float m = static_cast<float>((static_cast<double>(c.lo) + c.hi) / 2);
    if (c.contains(m))
      return m;
  }
  return std::isfinite(c.lo) ? c.lo : c.hi;
}

std::string elementName(const EquivItem &item) {
  return item.output + "[" + std::to_string(item.flat) + "]";
}

// Decides one item on evaluated inputs.
std::optional<HuntFinding> decide(const spec::Spec &s, const ShapeRun &r,
                                  const EquivItem &item, const Evaluated &ev0,
                                  IntervalEval &ev) {
  const Tensors &out = ev0.out;
  const double mag = ev0.magAt(item);
  auto o = out.find(item.output);
  if (o == out.end() ||
      item.flat >= static_cast<int64_t>(o->second.data.size()))
    return std::nullopt;
  const spec::Scalar &want = o->second.data[static_cast<size_t>(item.flat)];
  HuntFinding f;
  Counterexample &cx = f.cx;
  if (item.reference.isBool() || item.reference.isBV()) {
    IVal rv = ev.eval(item.reference), cv = ev.eval(item.candidate);
    if (!rv.known() || !cv.known() || cv.sort != IVal::Sort::BV)
      return std::nullopt;
    uint64_t ref, got = *cv.bits;
    if (item.reference.isBool()) {
      ref = rv.mayTrue ? 1 : 0;
      if ((ref != 0) != want.b)
        return std::nullopt; // the interpreter disagrees: no witness
      cx.outputType = spec::DType::Bool;
    } else {
      if (!rv.bits)
        return std::nullopt;
      ref = *rv.bits;
      if (ref != static_cast<uint64_t>(want.i))
        return std::nullopt;
      cx.outputType = spec::DType::Int64;
    }
    if (got == ref)
      return std::nullopt;
    cx.referenceBits = ref;
    cx.candidateBits = got;
    f.exact = true;
    cx.detail = elementName(item) + " differs from the reference";
  } else {
    if (!item.reference.isFP() || !item.candidate.isFP())
      return std::nullopt;
    FloatSet c = ev.evalFloat(item.candidate);
    FloatSet ref = ev.evalFloat(item.reference);
    // The interpreter's value must be one the reference term allows.
    if (!ref.contains(want.f))
      return std::nullopt;
    if (c.empty() || mayMatch(s.tolerance, c, ref, mag))
      return std::nullopt;
    float shown = representative(c);
    if (sameUnderTolerance(s, floatBits(shown), floatBits(want.f), mag))
      return std::nullopt; // (cannot happen; never report a match)
    cx.outputType = spec::DType::Float32;
    cx.referenceBits = floatBits(want.f);
    cx.candidateBits = floatBits(shown);
    f.exact = c.single() && ref.single() &&
              !dependsOnApproximation(item.candidate) &&
              !hasFunctions(item.reference);
    if (f.exact) {
      cx.detail = elementName(item) + " differs from the reference";
    } else {
      cx.detail =
          elementName(item) +
          ": whatever its approximate operations return within their "
          "accuracy bounds (OpenCL's ulp bounds), the candidate computes " +
          (c.single() ? c.str() : "a value in " + c.str()) +
          ", and the reference is " + ref.str() +
          (s.tolerance.bitExact() ? "" : " (outside its tolerance)") +
          " (interpreter: " + formatFloat(want.f) + ")";
    }
  }
  cx.obligation = "equivalence";
  cx.shape = r.shape;
  cx.output = item.output;
  cx.flatIndex = item.flat;
  if (r.types.count(item.output)) {
    const auto &dims = r.types.at(item.output).dims;
    cx.index.assign(dims.size(), 0);
    int64_t rest = item.flat;
    for (size_t d = dims.size(); d-- > 0;) {
      cx.index[d] = rest % dims[d];
      rest /= dims[d];
    }
  }
  cx.confirmedByInterpreter = true;
  return f;
}

void setInputs(const ShapeRun &r, const Bits &bits, Counterexample &cx) {
  for (const auto &[n, iv] : r.inputs) {
    TensorBits tb;
    tb.dtype = iv.type.dtype;
    tb.shape = iv.type.dims;
    tb.bits = bits.at(n);
    cx.inputs[n] = std::move(tb);
  }
}

std::optional<HuntFinding> refuteBits(const spec::Spec &s, const ShapeRun &r,
                                      const Slots &slots, const EquivItem &item,
                                      const Bits &bits) {
  auto out = interpret(s, r, bits);
  if (!out)
    return std::nullopt;
  IntervalEval ev([&](const Expr &v) { return slots.value(bits, v); });
  auto f = decide(s, r, item, *out, ev);
  if (f)
    setInputs(r, bits, f->cx);
  return f;
}

// ---- input generation ----

struct FloatRange {
  bool ranged = false, finiteOnly = false;
  float lo = -FLT_MAX, hi = FLT_MAX; // the domain's ends
  float slo = -8, shi = 8;           // where random values are drawn
  float clamp(float f) const {
    if (ranged) {
      if (std::isnan(f))
        return lo;
      return std::min(std::max(f, lo), hi);
    }
    if (finiteOnly && !std::isfinite(f))
      return 0;
    return f;
  }
};

FloatRange rangeOf(const spec::Domain &d) {
  FloatRange fr;
  fr.finiteOnly = d.kind != spec::Domain::Kind::All;
  if (d.kind == spec::Domain::Kind::Range) {
    fr.ranged = true;
    fr.lo = lowBound(d.lo);
    fr.hi = highBound(d.hi);
    fr.slo = std::max(fr.lo, -1e4f);
    fr.shi = std::min(fr.hi, 1e4f);
    if (fr.slo > fr.shi) {
      fr.slo = std::max(fr.lo, -FLT_MAX);
      fr.shi = std::min(fr.hi, FLT_MAX);
    }
  }
  return fr;
}

class Generator {
public:
  Generator(const spec::Spec &s, uint64_t seed) : spec_(s), rng_(seed) {}

  // One assignment of every input of the run for mode `mode`.
  Bits make(const ShapeRun &r, unsigned mode) {
    Bits b;
    for (const auto &[n, iv] : r.inputs) {
      spec::Domain d = spec_.domainOf(n);
      std::vector<uint64_t> &v = b[n];
      size_t count = iv.bits.size();
      if (iv.type.dtype == spec::DType::Bool) {
        for (size_t i = 0; i < count; ++i)
          v.push_back(mode == 2 ? 1 : mode == 3 ? 0 : rng_() & 1);
      } else if (iv.type.dtype == spec::DType::Int64) {
        int64_t lo = 0, hi = 3;
        if (d.kind == spec::Domain::Kind::Range) {
          lo = static_cast<int64_t>(std::ceil(d.lo));
          hi = static_cast<int64_t>(std::floor(d.hi));
          if (hi < lo)
            hi = lo;
        }
        for (size_t i = 0; i < count; ++i) {
          int64_t x =
              mode == 2 ? hi
              : mode == 3
                  ? lo
                  : lo + static_cast<int64_t>(
                             rng_() % static_cast<uint64_t>(hi - lo + 1));
          v.push_back(static_cast<uint64_t>(x));
        }
      } else {
        FloatRange fr = rangeOf(d);
        float base = pickBase(fr, mode);
        for (size_t i = 0; i < count; ++i)
          v.push_back(floatBits(fr.clamp(pick(fr, mode, base))));
      }
    }
    return b;
  }

private:
  float uniform(float lo, float hi) {
    if (hi < lo)
      std::swap(lo, hi);
    if (!std::isfinite(lo) || !std::isfinite(hi))
      return std::isfinite(lo) ? lo : std::isfinite(hi) ? hi : 0.0f;
    return static_cast<float>(
        std::uniform_real_distribution<double>(lo, hi)(rng_));
  }
  float endHi(const FloatRange &fr) { return fr.ranged ? fr.hi : FLT_MAX; }
  float endLo(const FloatRange &fr) { return fr.ranged ? fr.lo : -FLT_MAX; }

  // A per-assignment constant: the large value of "constant plus jitter"
  // (mode 7), the common value of "all equal" (mode 11).
  float pickBase(const FloatRange &fr, unsigned mode) {
    if (mode == 7) {
      static const float big[] = {1e3f, 1e4f, 3e4f, 1e5f};
      float c = big[rng_() % 4];
      if (fr.ranged)
        c = std::min(c, 0.9f * fr.hi > fr.lo ? 0.9f * fr.hi : fr.hi);
      if (rng_() % 4 == 0)
        c = -c;
      return fr.clamp(c);
    }
    if (mode == 11)
      return rng_() % 3 == 0 ? fr.clamp(0.0f) : uniform(fr.slo, fr.shi);
    if (mode == 13) {
      float ends[] = {endHi(fr), endLo(fr), 0.9f * endHi(fr), 0.9f * endLo(fr),
                      0.0f};
      return fr.clamp(ends[rng_() % 5]);
    }
    return 0;
  }

  float pick(const FloatRange &fr, unsigned mode, float base) {
    switch (mode) {
    case 0: { // small integers
      double lo = std::ceil(std::max(fr.slo, -3.0f)),
             hi = std::floor(std::min(fr.shi, 3.0f));
      if (lo > hi)
        return uniform(fr.slo, fr.shi);
      return static_cast<float>(
          lo +
          static_cast<double>(rng_() % static_cast<uint64_t>(hi - lo + 1)));
    }
    case 1:
      return uniform(fr.slo, fr.shi);
    case 2:
      return endHi(fr);
    case 3:
      return endLo(fr);
    case 4:
      return rng_() & 1 ? endHi(fr) : endLo(fr);
    case 5:
      return rng_() % 4 == 0 ? endHi(fr) : uniform(fr.slo, fr.shi);
    case 6: { // large magnitudes
      static const float mags[] = {1e2f, 1e4f, 1e8f, 1e16f, 1e30f, FLT_MAX};
      float m = mags[rng_() % 6];
      return rng_() & 1 ? m : -m;
    }
    case 7: { // a large constant plus small jitter (cancellation)
      float j = std::max(std::fabs(base) * 1e-3f, 1e-3f);
      return base + uniform(-j, j);
    }
    case 8: { // special values
      static const float sp[] = {
          0.0f,    -0.0f,    1.0f, -1.0f, FLT_MIN,  -FLT_MIN,  1e-45f, -1e-45f,
          FLT_MAX, -FLT_MAX, 0.5f, 2.0f,  INFINITY, -INFINITY, NAN};
      size_t n = sizeof sp / sizeof sp[0];
      float f = sp[rng_() % n];
      if (fr.ranged && (f < fr.lo || f > fr.hi || std::isnan(f)))
        return rng_() & 1 ? fr.lo : fr.hi;
      return f;
    }
    case 9: // readable decimals
      return static_cast<float>(static_cast<int>(rng_() % 2001) - 1000) /
             static_cast<float>(1 + rng_() % 100);
    case 10:
      return uniform(std::max(fr.slo, -1.0f), std::min(fr.shi, 1.0f));
    case 11: // all equal
      return base;
    case 13: { // a constant plus a few ulps (a near-constant row)
      float f = base;
      int k = static_cast<int>(rng_() % 9) - 4;
      for (int i = 0; i < std::abs(k); ++i)
        f = std::nextafter(f, k > 0 ? INFINITY : -INFINITY);
      return f;
    }
    default: { // few distinct values, signed zeros (tie rules)
      static const float few[] = {0.0f, -0.0f, 1.0f};
      return few[rng_() % 3];
    }
    }
  }

  const spec::Spec &spec_;
  std::mt19937_64 rng_;
};

// Readable replacements for one input element, in order of preference.
std::vector<uint64_t> simpler(spec::DType dt, const spec::Domain &d) {
  if (dt != spec::DType::Float32)
    return {0, 1};
  std::vector<uint64_t> out;
  for (float f : {0.0f, 1.0f, -1.0f, 2.0f}) {
    if (d.kind == spec::Domain::Kind::Range &&
        (f < lowBound(d.lo) || f > highBound(d.hi)))
      continue;
    out.push_back(floatBits(f));
  }
  return out;
}

// Shrinks a finding's inputs toward readable values while it stays a
// refutation of the same item (bounded in time).
void shrink(const spec::Spec &s, const ShapeRun &r, const Slots &slots,
            const EquivItem &item, Bits &bits, HuntFinding &best,
            std::chrono::steady_clock::time_point deadline) {
  // Elements the item does not read: zero (or the nearest domain value).
  std::set<unsigned> support;
  std::vector<Expr> keep;
  for (const Expr &e : {item.candidate, item.reference})
    for (const Expr &v : e.vars()) {
      support.insert(v.id());
      keep.push_back(v);
    }
  Bits trial = bits;
  for (const auto &[id, slot] : slots.at)
    if (!support.count(id)) {
      const InputVars &iv = r.inputs.at(slot.first);
      auto alt = simpler(iv.type.dtype, s.domainOf(slot.first));
      if (!alt.empty())
        trial[slot.first][slot.second] = alt[0];
    }
  if (trial != bits)
    if (auto f = refuteBits(s, r, slots, item, trial)) {
      bits = trial;
      best = std::move(*f);
    }
  for (const Expr &v : keep) {
    if (std::chrono::steady_clock::now() > deadline)
      return;
    auto it = slots.at.find(v.id());
    if (it == slots.at.end())
      continue;
    const auto &[name, idx] = it->second;
    const InputVars &iv = r.inputs.at(name);
    for (uint64_t alt : simpler(iv.type.dtype, s.domainOf(name))) {
      if (bits[name][idx] == alt)
        break;
      Bits t = bits;
      t[name][idx] = alt;
      if (auto f = refuteBits(s, r, slots, item, t)) {
        bits = std::move(t);
        best = std::move(*f);
        break;
      }
      if (std::chrono::steady_clock::now() > deadline)
        return;
    }
  }
}

} // namespace

std::optional<HuntFinding> refuteAt(const spec::Spec &s, const ShapeRun &r,
                                    const EquivItem &item,
                                    const InputValues &value) {
  Bits bits;
  for (const auto &[n, iv] : r.inputs)
    for (const Expr &b : iv.bits)
      bits[n].push_back(value(b).value_or(0));
  Slots slots(r);
  return refuteBits(s, r, slots, item, bits);
}

unsigned huntModes() { return kModes; }

std::optional<HuntFinding>
huntConcretely(const spec::Spec &s, const ShapeRun &r, uint64_t seed,
               std::chrono::steady_clock::time_point deadline,
               unsigned shrinkMs) {
  if (r.equiv.empty())
    return std::nullopt;
  Slots slots(r);
  Generator gen(s, seed);
  for (unsigned t = 0; t < 3 * kModes + 200; ++t) {
    if (std::chrono::steady_clock::now() > deadline)
      return std::nullopt;
    Bits bits = gen.make(r, t < 3 * kModes ? t % kModes : 13);
    auto out = interpret(s, r, bits);
    if (!out)
      continue;
    IntervalEval ev([&](const Expr &v) { return slots.value(bits, v); });
    for (const EquivItem &item : r.equiv) {
      if (std::chrono::steady_clock::now() > deadline)
        return std::nullopt;
      auto f = decide(s, r, item, *out, ev);
      if (!f)
        continue;
      setInputs(r, bits, f->cx);
      shrink(s, r, slots, item, bits, *f,
             std::chrono::steady_clock::now() +
                 std::chrono::milliseconds(shrinkMs));
      return f;
    }
  }
  return std::nullopt;
}

} // namespace ksynth::verify
