// Turning violations and equivalence items into solver queries, and
// satisfying assignments into concrete, shrunk, interpreter-confirmed
// counterexamples.
#include "verify/discharge/Discharge.h"
#include "support/Float.h"
#include "verify/core/DischargeUtil.h"
#include "verify/core/Unknown.h"
#include "verify/core/VarNames.h"
#include "verify/discharge/ConcreteHunt.h"
#include "verify/discharge/LoggedViolations.h"
#include "verify/discharge/ModelShrink.h"
#include "verify/exec/Executor.h"
#include "verify/numerics/Canonical.h"
#include "verify/numerics/IntervalEval.h"
#include "verify/numerics/Rounding.h"
#include "verify/numerics/SumForm.h"

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

Expr domainFor(const spec::Spec &s, const ShapeRun &run, const Expr &e) {
  std::vector<Expr> cs;
  for (const Expr &v : e.vars()) {
    auto it = run.inputs.find(var::baseName(v.varName()));
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

namespace {
// Obligations over logged violations, in the order they are checked (the
// work-group ones, local memory limit and barrier divergence, are
// WorkGroupObligations.cpp's, before these).
std::vector<ObligationKind> loggedOrder() {
  std::vector<ObligationKind> o =
      obligationsFrom(ObligationKind::MemorySafety, ObligationKind::Coverage);
  o.insert(o.begin(), ObligationKind::ProgramScopeState);
  return o;
}
} // namespace

std::optional<Counterexample> Discharger::runCertain(ShapeRun &r) {
  std::vector<ObligationKind> kinds;
  for (ObligationKind k : loggedOrder())
    if (k != ObligationKind::Coverage)
      kinds.push_back(k);
  std::string reason = unknownReason, kind = unknownKind;
  auto cx = dischargeLogged(r, kinds, true);
  if (!cx) { // the caller's reason for stopping stands
    unknownReason = reason;
    unknownKind = kind;
  }
  return cx;
}

std::optional<Counterexample> Discharger::dischargeLogged(
    ShapeRun &r, const std::vector<ObligationKind> &order, bool partial) {
  ViolationSite site;
  site.ask = [&](const Expr &cond, const std::string &what) {
    return solver.check(
        {{domainFor(spec, r, cond), cond}, what + " " + shapeLabel(r.shape)});
  };
  site.refute = [&](size_t, const Violation &v, const smt::Model &) {
    return refute(r, toString(v.kind), v.cond, v.detail, v.tensor, v.index,
                  nullptr);
  };
  site.pastDeadline = [&]() { return pastDeadline(); };
  site.noteUnknown = [&](const std::string &why, UnknownKind k) {
    if (unknownReason.empty()) {
      unknownReason = why;
      unknownKind = toString(k);
    }
  };
  for (ObligationKind kind : order) {
    LoggedOutcome o =
        dischargeLoggedKind(kind, r.log, r.log.all().size(), r.shape, site);
    if (o.stopped)
      return std::nullopt;
    if (o.refuted) {
      results.push_back(o.result);
      return o.refuted;
    }
    if (!partial)
      results.push_back(o.result);
  }
  return std::nullopt;
}

std::optional<Counterexample> Discharger::run(ShapeRun &r) {
  auto noteUnknown = [&](const std::string &why, UnknownKind k) {
    if (unknownReason.empty()) {
      unknownReason = why;
      unknownKind = toString(k);
    }
  };
  if (auto cx = dischargeLogged(r, loggedOrder(), false))
    return cx;
  if (pastDeadline())
    return std::nullopt;
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
  // Concrete hunting first: inputs evaluated in milliseconds (interval
  // evaluation through approximate operations) decide most wrong kernels
  // before any solver query.
  if (opts.solver.hunt && !r.equiv.empty() && !pastDeadline()) {
    auto until = std::min(opts.limits.deadline,
                          std::chrono::steady_clock::now() +
                              std::chrono::milliseconds(opts.budgets.huntMs));
    if (auto f = huntConcretely(spec, r, opts.solver.seed, until,
                                opts.budgets.huntShrinkMs)) {
      eq.level = f->exact ? "bit-exact" : "rounding";
      return refuted(std::move(f->cx));
    }
  }
  for (const EquivItem &item : r.equiv) {
    if (pastDeadline())
      return std::nullopt;
    Expr same;
    std::optional<Expr> strong; // float-only, implies `same`
    if (item.reference.isBool()) {
      same = item.candidate.eq(
          Expr::ite(item.reference, Expr::bvVal(1, 8), Expr::bvVal(0, 8)));
      eq.level = "bit-exact";
    } else if (item.reference.isBV()) { // int64 (argmax, ...): exact
      same = item.candidate.eq(item.reference);
      eq.level = "bit-exact";
    } else {
      Expr c = item.candidate.simplify(), f = item.reference.simplify();
      if (c.same(f) || sameUpToSymmetry(c, f))
        continue; // structurally identical (up to commuted operands)
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
      same = withinTolerance(spec, c, f,
                             spec.tolerance.sumForm()
                                 ? sumMagnitude(item.reference)
                                 : std::nullopt);
      strong = withinToleranceFP(spec, c, f);
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
    if (strong) {
      // The float-only comparison first: no violation of it proves the
      // element; a violation is checked on its inputs, else the exact
      // (real-arithmetic) comparison decides.
      Expr weak = !*strong;
      smt::QueryResult sr = solver.check(
          {{domainFor(spec, r, weak), weak},
           "equivalence (float tolerance) " + item.output + "[" +
               std::to_string(item.flat) + "] " + shapeLabel(r.shape)});
      ++eq.queries;
      if (sr.status == smt::SatResult::Unsat)
        continue;
      if (sr.status == smt::SatResult::Unknown) {
        eq.status = "unknown";
        noteUnknown("equivalence query for " + item.output + "[" +
                        std::to_string(item.flat) + "] at " +
                        shapeLabel(r.shape) + ": " + sr.reason +
                        (roundingNote.empty() ? "" : "; " + roundingNote),
                    UnknownKind::Timeout);
        break;
      }
      if (auto f = refuteAt(spec, r, item,
                            [&](const Expr &v) -> std::optional<uint64_t> {
                              return sr.model.bv(v);
                            })) {
        eq.level = f->exact ? "bit-exact" : "rounding";
        return refuted(std::move(f->cx));
      }
      if (hasFunctions(item.reference)) {
        // The solver's exp/tanh/... are arbitrary functions: a difference
        // that is not one on concrete inputs says nothing.
        eq.status = "unknown";
        noteUnknown(item.output + "[" + std::to_string(item.flat) +
                        "] may differ from the reference only through the "
                        "reference's transcendental functions (not "
                        "confirmed on concrete inputs)" +
                        (roundingNote.empty() ? "" : "; " + roundingNote),
                    UnknownKind::Approximation);
        break;
      }
      // Near the tolerance's edge: the exact comparison decides.
    }
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
  // Concretely first: the condition evaluated at the model's inputs with
  // one input replaced (verify/numerics/IntervalEval.h: approximations and
  // implementation choices range over every allowed value), milliseconds
  // per try.
  std::map<unsigned, uint64_t> over; // input var id -> shrunk bits
  std::vector<Expr> keepVars;        // keeps those ids unique
  auto inputBits = [&](const Expr &v) -> std::optional<uint64_t> {
    auto o = over.find(v.id());
    if (o != over.end())
      return o->second;
    if (!r.inputs.count(var::baseName(v.varName())))
      return std::nullopt;
    return model.bv(v).value_or(0);
  };
  Expr dom = fixed[0];
  // Whether the inputs (model, with the replacements) still witness the
  // violation: for equivalence, robustly (every allowed candidate value
  // outside every reference value, the interpreter agreeing).
  auto holds = [&]() {
    IntervalEval ev(inputBits);
    IVal d = ev.eval(dom);
    if (!d.mayTrue || d.mayFalse)
      return false;
    if (eq)
      return refuteAt(spec, r, *eq, inputBits).has_value();
    IVal b = ev.eval(cond);
    return b.mayTrue && !b.mayFalse;
  };
  bool concrete = holds();
  // The inputs among the condition's variables, in order.
  std::vector<Expr> inputVars;
  for (const Expr &v : cond.vars())
    if (r.inputs.count(var::baseName(v.varName())))
      inputVars.push_back(v);
  auto dtypeOf = [&](const Expr &v) {
    return r.inputs.at(var::baseName(v.varName())).type.dtype;
  };
  if (concrete) {
    shrinkConcretely(
        inputVars, opts.budgets.concreteShrinkMs,
        [&](const Expr &v) {
          std::vector<uint64_t> alts;
          if (dtypeOf(v) == spec::DType::Bool) {
            alts = {0, 1};
          } else if (dtypeOf(v) == spec::DType::Float32) {
            for (float f : kPreferred)
              alts.push_back(floatBits(f));
            alts.push_back(0x7f800000u);
            alts.push_back(0xff800000u);
            alts.push_back(0x7fc00000u);
          } else {
            alts = {0, 1};
          }
          return alts;
        },
        [&](const Expr &v) { return *inputBits(v); },
        [&](const Expr &v, uint64_t a) {
          over[v.id()] = a;
          keepVars.push_back(v);
        },
        holds);
  } else {
    // The solver, within a small budget: a value that is hard to rule out
    // is skipped.
    model = shrinkModel(
        fixed, std::move(model), inputVars,
        {opts.shrinkVars, opts.budgets.enumShrinkMs,
         opts.budgets.enumShrinkQueryMs},
        [&](const std::vector<Expr> &q, unsigned ms) {
          return solver.check({q, "shrink " + name, ms});
        },
        [&](const Expr &v) {
          std::vector<Expr> candidates;
          if (dtypeOf(v) == spec::DType::Bool) {
            candidates = {v.eq(Expr::bvVal(0, 8)), v.eq(Expr::bvVal(1, 8))};
          } else {
            for (float f : kPreferred)
              candidates.push_back(v.eq(Expr::bvVal(floatBits(f), 32)));
            candidates.push_back(floatOf(v).isInf());
            candidates.push_back(floatOf(v).isNaN());
          }
          return candidates;
        });
  }
  // Values of terms at the (shrunk) inputs: the model's where nothing was
  // replaced, else the concrete evaluation (single values, checked above).
  auto valueBits = [&](const Expr &t) -> std::optional<uint64_t> {
    if (over.empty()) {
      if (t.isBool())
        return model.boolean(t).value_or(false) ? 1 : 0;
      if (t.isFP())
        return model.fpBits(t);
      return model.bv(t);
    }
    IntervalEval ev(inputBits);
    IVal x = ev.eval(t);
    if (!x.known())
      return std::nullopt;
    if (x.sort == IVal::Sort::Bool)
      return x.mayTrue ? 1 : 0;
    if (x.sort == IVal::Sort::FP)
      return x.f.nan ? 0x7fc00000u : floatBits(x.f.lo);
    return x.bits;
  };

  if (eq && concrete) {
    // Confirmed at the shrunk inputs by the interpreter (refuteAt).
    if (auto f = refuteAt(spec, r, *eq, inputBits)) {
      f->cx.detail = f->exact ? detail : f->cx.detail;
      return std::move(f->cx);
    }
  }
  if (eq &&
      (hasFunctions(eq->reference) || dependsOnApproximation(eq->candidate))) {
    // The reference's exp/log/tanh/... are PyTorch's, assumed within their
    // ulp bounds (Rounding::ulps), not correctly rounded: the interpreter's
    // value is only one of the values the reference may take, and an
    // approximate candidate operation is only one of its allowed results.
    // A refutation must hold for all of them (the concrete hunt's
    // two-sided check, verify/numerics/IntervalEval.h), at the solver's
    // (shrunk) inputs; otherwise the difference is not established.
    if (auto f = refuteAt(spec, r, *eq, inputBits)) {
      f->cx.detail = f->exact ? detail : f->cx.detail;
      return std::move(f->cx);
    }
    if (unknownReason.empty()) {
      unknownReason =
          detail +
          " at the solver's inputs, but not for every value the reference's "
          "transcendental functions (within their assumed ulp bounds) and "
          "the candidate's approximate operations may take";
      unknownKind = toString(UnknownKind::Approximation);
    }
    return std::nullopt;
  }
  Counterexample cx;
  cx.obligation = name;
  cx.shape = r.shape;
  cx.detail = detail;
  cx.output = tensor;
  cx.flatIndex = index;
  cx.dependsOnImplementationChoice = false;
  for (const Expr &v : cond.vars())
    if (var::isChoice(v.varName(), Choice::Nondet))
      cx.dependsOnImplementationChoice = true;
  std::map<std::string, spec::Tensor<spec::Scalar>> concreteIn;
  for (auto &[n, iv] : r.inputs) {
    TensorBits tb;
    tb.dtype = iv.type.dtype;
    tb.shape = iv.type.dims;
    spec::Tensor<spec::Scalar> t;
    t.type = iv.type;
    for (const Expr &b : iv.bits) {
      uint64_t bits = inputBits(b).value_or(0);
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
    cx.referenceBits = valueBits(eq->reference);
    cx.candidateBits = valueBits(eq->candidate);
    if (isBool && !cx.candidateBits)
      cx.candidateBits = 0;
    // Confirm with the concrete reference interpreter: the counterexample
    // must be real before it is reported.
    auto out = spec::interpret(spec, r.shape, concreteIn);
    const spec::Scalar &want =
        out.at(eq->output).data.at(static_cast<size_t>(eq->flat));
    // The summation form's magnitude of this element (NaN: unknown).
    double mag = std::numeric_limits<double>::quiet_NaN();
    if (spec.tolerance.sumForm()) {
      auto mags = spec::interpretMagnitudes(spec, r.shape, concreteIn);
      auto m = mags.find(eq->output);
      if (m != mags.end() && eq->flat < static_cast<int64_t>(m->second.size()))
        mag = m->second[static_cast<size_t>(eq->flat)];
    }
    uint64_t wantBits = isBool  ? (want.b ? 1u : 0u)
                        : isInt ? static_cast<uint64_t>(want.i)
                                : floatBits(want.f);
    auto same = [&](uint64_t a, uint64_t b) {
      return isBool || isInt
                 ? a == b
                 : sameUnderTolerance(spec, static_cast<uint32_t>(a),
                                      static_cast<uint32_t>(b), mag);
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
