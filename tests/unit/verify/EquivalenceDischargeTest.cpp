// The discharge of the symbolic methods' equivalence obligations
// (verify/discharge/SymbolicEquivalenceDischarge.h), reached directly: a
// method only produces one obligation per store (candidate and reference
// terms, path condition, output element); the discharger decides it (the
// levels, the solver queries, shrinking, the counterexample replayed
// through the reference interpreter), with a site standing in for the
// method here. Spec: y = x + x on a 0-d input x (finite).
#include "verify/discharge/SymbolicEquivalenceDischarge.h"

#include "solver/Solver.h"
#include "spec/Interpreter.h"
#include "support/Float.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>

using ksynth::floatBits;
using ksynth::smt::Expr;
using namespace ksynth;
using namespace ksynth::verify;

namespace {

spec::Spec twiceSpec() {
  nlohmann::json j = nlohmann::json::parse(R"({
    "name": "twice",
    "inputs": {"x": {"dtype": "float32", "shape": []}},
    "ops": [{"op": "add", "inputs": ["x", "x"], "output": "y"}],
    "outputs": ["y"],
    "domain": {"x": "finite"},
    "shapes": [{}]
  })");
  return spec::parseSpec(j, "<test>");
}

Expr xBits() { return Expr::bvVar("x", 32); }
Expr xf() { return Expr::fpFromBits(xBits()); }

struct FakeMethod {
  spec::Spec spec = twiceSpec();
  ShapeRun run;
  VerifyOptions opts;
  std::unique_ptr<smt::QuerySolver> z3 = smt::makeZ3Solver(smt::SolverConfig{});
  std::vector<std::pair<std::string, UnknownKind>> unknowns;
  std::set<std::string> approximations;
  bool timeOut = false; // every ask answers unknown (a timeout)

  FakeMethod() {
    run.shape = spec.shapes.at(0);
    spec::TensorType t;
    t.dtype = spec::DType::Float32;
    run.types["x"] = t;
    run.types["y"] = t;
    run.inputs["x"] = InputVars{t, {xBits()}};
  }

  EquivalenceSite site() {
    EquivalenceSite es;
    SymbolicSite &s = es.base;
    s.ask = [this](const std::vector<Expr> &c, const std::string &what,
                   unsigned ms) {
      if (timeOut) {
        smt::QueryResult r;
        r.status = smt::SatResult::Unknown;
        r.reason = "timeout";
        return r;
      }
      std::vector<Expr> q = c;
      q.push_back(!xf().isNaN() && !xf().isInf());
      return z3->check({q, what, ms});
    };
    s.check = [this](const std::vector<Expr> &c, const std::string &what) {
      return z3->check({c, what});
    };
    s.concrete = [](const smt::Model &m, const std::vector<Expr> &,
                    const std::string &obligation, const std::string &detail) {
      Counterexample cx;
      cx.obligation = obligation;
      cx.detail = detail;
      TensorBits x;
      x.bits = {m.bv(xBits()).value_or(0)};
      cx.inputs["x"] = x;
      return cx;
    };
    s.at = [](Counterexample &cx, const std::string &t, int64_t flat) {
      cx.output = t;
      cx.flatIndex = flat;
    };
    s.pastDeadline = [] { return false; };
    s.noteUnknown = [this](const std::string &why, UnknownKind k) {
      unknowns.push_back({why, k});
    };
    es.domain = [](const std::vector<Expr> &) {
      return !xf().isNaN() && !xf().isInf();
    };
    es.itemText = [](const smt::Model &) { return std::string("0"); };
    es.referenceValueAt = [](const std::string &, int64_t,
                             const EquivalenceSite::Bits &bits) {
      return spec::ConcreteDomain::f32(bitsFloat(bits("x", 0)) +
                                       bitsFloat(bits("x", 0)));
    };
    es.referenceAt = [](const std::string &, int64_t,
                        const EquivalenceSite::Bits &bits) {
      return floatBits(bitsFloat(bits("x", 0)) + bitsFloat(bits("x", 0)));
    };
    es.approximations = &approximations;
    return es;
  }

  // One store of y[0] = c on the path `pc`, against y = x + x.
  EquivalenceObligation store(const Expr &c,
                              const Expr &pc = Expr::boolVal(true)) {
    EquivalenceObligation o;
    o.pc = pc;
    o.out = "y";
    o.index = Expr::bvVal(0, 64);
    o.c = c;
    o.f = xf().fadd(xf());
    o.notLater = Expr::boolVal(true);
    return o;
  }

  // Discharges the stores as one path.
  LoggedOutcome discharge(std::vector<EquivalenceObligation> stores) {
    EquivalenceDischarger d(spec, run, opts, *z3, site());
    for (EquivalenceObligation &o : stores)
      if (d.store(std::move(o)))
        return d.outcome();
    if (d.endPath())
      return d.outcome();
    return d.finish();
  }
};

TEST(EquivalenceDischarge, TheSameTermIsProvedStructurally) {
  FakeMethod m;
  LoggedOutcome o = m.discharge({m.store(xf().fadd(xf()))});
  EXPECT_FALSE(o.stopped);
  EXPECT_FALSE(o.refuted);
  EXPECT_EQ(o.result.status, "proved");
  EXPECT_EQ(o.result.level, "structural");
  EXPECT_EQ(o.result.queries, 0u);
}

TEST(EquivalenceDischarge, AnEqualValueIsProvedBitExact) {
  // 2x is x + x exactly: not the same term, one bit-level query.
  FakeMethod m;
  LoggedOutcome o = m.discharge({m.store(xf().fmul(Expr::fpVal(2.0f)))});
  EXPECT_FALSE(o.refuted);
  EXPECT_EQ(o.result.status, "proved");
  EXPECT_EQ(o.result.level, "bit-exact");
  EXPECT_GE(o.result.queries, 1u);
  EXPECT_TRUE(m.unknowns.empty());
}

TEST(EquivalenceDischarge, ADifferenceIsRefutedWithAShrunkReplayedModel) {
  // 3x differs from x + x wherever x is not 0: the model shrinks to x = 1
  // (0 is readable but no difference), replayed by the interpreter.
  FakeMethod m;
  LoggedOutcome o = m.discharge({m.store(xf().fmul(Expr::fpVal(3.0f)))});
  ASSERT_TRUE(o.refuted);
  EXPECT_EQ(o.result.status, "refuted");
  EXPECT_EQ(o.result.level, "bit-exact");
  const Counterexample &cx = *o.refuted;
  EXPECT_EQ(cx.obligation, "equivalence");
  EXPECT_EQ(cx.output, "y");
  EXPECT_EQ(cx.flatIndex, 0);
  EXPECT_EQ(cx.inputs.at("x").bits.at(0), floatBits(1.0f));
  EXPECT_EQ(cx.candidateBits, std::optional<uint64_t>(floatBits(3.0f)));
  EXPECT_EQ(cx.referenceBits, std::optional<uint64_t>(floatBits(2.0f)));
  EXPECT_TRUE(cx.confirmedByInterpreter);
}

TEST(EquivalenceDischarge, AnUndecidedQueryIsATimeoutUnknown) {
  FakeMethod m;
  m.timeOut = true;
  LoggedOutcome o = m.discharge({m.store(xf().fmul(Expr::fpVal(3.0f)))});
  EXPECT_FALSE(o.refuted);
  EXPECT_EQ(o.result.status, "unknown");
  ASSERT_EQ(m.unknowns.size(), 1u);
  EXPECT_EQ(m.unknowns[0].second, UnknownKind::Timeout);
  EXPECT_NE(m.unknowns[0].first.find("equivalence query for a store to y"),
            std::string::npos);
}

TEST(EquivalenceDischarge, AStoreTheMethodCannotStateIsUnsupported) {
  FakeMethod m;
  EquivalenceDischarger d(m.spec, m.run, m.opts, *m.z3, m.site());
  d.unsupported("a store to the int64 output y that is not a 64-bit integer",
                UnknownKind::Unsupported);
  LoggedOutcome o = d.finish();
  EXPECT_EQ(o.result.status, "unknown");
  ASSERT_EQ(m.unknowns.size(), 1u);
  EXPECT_EQ(m.unknowns[0].second, UnknownKind::Unsupported);
}

TEST(EquivalenceDischarge, StoresOfOnePathAreAskedAtOnceFirst) {
  // Two equal stores: one query for both proves the path.
  FakeMethod m;
  LoggedOutcome o = m.discharge({m.store(xf().fmul(Expr::fpVal(2.0f))),
                                 m.store(Expr::fpVal(2.0f).fmul(xf()))});
  EXPECT_EQ(o.result.status, "proved");
  EXPECT_EQ(o.result.queries, 1u);
}

} // namespace
