// Discharger::refute (verify/discharge/Discharge.cpp): a difference the solver
// finds against a reference with transcendental functions is reported only if
// it holds for every value the reference may take within its assumed ulp bounds
// (PyTorch's exp within 2 ulp), not just for the interpreter's correctly
// rounded one.
#include "verify/core/DischargeUtil.h"
#include "verify/core/Unknown.h"
#include "verify/discharge/Discharge.h"

#include "solver/Solver.h"
#include "spec/Spec.h"
#include "support/Float.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

using ksynth::floatBits;
using ksynth::smt::Expr;
using namespace ksynth;
using namespace ksynth::verify;

namespace {

// Z3 4.8.12 answers "incomplete" on the tolerance query (fp.to_real of an
// uninterpreted function); this solver stands in for one that decides it:
// the tolerance comparison `hard` is replaced by the float disequality
// `easy` (whose models are models of `hard` here: they differ by 2 ulp,
// far above atol, whenever they differ).
class StandIn : public smt::QuerySolver {
public:
  StandIn(Expr hard, Expr easy)
      : z3_(smt::makeZ3Solver(smt::SolverConfig{})), hard_(std::move(hard)),
        easy_(std::move(easy)) {}
  smt::QueryResult check(const smt::Query &q) override {
    smt::Query r = q;
    for (Expr &a : r.assertions)
      a = a.substitute({{hard_, easy_}});
    return z3_->check(r);
  }
  const smt::SolverStats &stats() const override { return z3_->stats(); }

private:
  std::unique_ptr<smt::QuerySolver> z3_;
  Expr hard_, easy_;
};

spec::Spec expSpec() {
  nlohmann::json j = nlohmann::json::parse(R"({
    "name": "exp at 1",
    "inputs": {"x": {"dtype": "float32", "shape": ["N"]}},
    "ops": [{"op": "exp", "inputs": ["x"], "output": "y"}],
    "outputs": ["y"],
    "domain": {"x": {"range": [1.0, 1.0]}},
    "shapes": [{"N": 1}],
    "tolerance": {"atol": 1e-35, "rtol": 0}
  })");
  return spec::parseSpec(j, "<test>");
}

} // namespace

TEST(DischargeRefute, TwoUlpOffReferenceIsNotACounterexample) {
  spec::Spec s = expSpec();
  ShapeRun r;
  r.shape = {{"N", 1}};
  r.types["x"] = spec::TensorType{spec::DType::Float32, {1}};
  r.types["y"] = spec::TensorType{spec::DType::Float32, {1}};
  Expr x0 = Expr::bvVar("x[0]", 32);
  r.inputs["x"] = InputVars{r.types["x"], {x0}};
  // The candidate returns fl(e) + 2 ulp: 2 ulp from the correctly rounded
  // exp(1) (far outside atol), but exactly a value PyTorch's exp(1) may
  // return within its assumed 2 ulp.
  float e = static_cast<float>(std::exp(1.0));
  float off = std::nextafter(std::nextafter(e, 4.0f), 4.0f);
  Expr c = Expr::fpVal(off);
  Expr f = Expr::uf("exp", {floatOf(x0)});
  r.equiv.push_back(EquivItem{"y", 0, c, f});

  StandIn solver(!withinTolerance(s, c.simplify(), f.simplify()), !c.eq(f));
  VerifyOptions opts;
  opts.solver.hunt = false; // the solver path, not the concrete hunt
  std::vector<ObligationResult> results;
  Discharger d(s, opts, solver, results);
  std::optional<Counterexample> cx = d.run(r);
  EXPECT_FALSE(cx.has_value())
      << "refuted with candidate bits "
      << (cx && cx->candidateBits ? *cx->candidateBits : 0);
  EXPECT_EQ(d.unknownKind, toString(UnknownKind::Approximation))
      << d.unknownReason;

  // A candidate 3 ulp beyond what the reference may return is still
  // refuted on this path (the check is two-sided, not a refusal).
  float far = off;
  for (int i = 0; i < 6; ++i)
    far = std::nextafter(far, 4.0f);
  Expr c2 = Expr::fpVal(far);
  ShapeRun r2 = r;
  r2.equiv = {EquivItem{"y", 0, c2, f}};
  StandIn solver2(!withinTolerance(s, c2.simplify(), f.simplify()), !c2.eq(f));
  std::vector<ObligationResult> results2;
  Discharger d2(s, opts, solver2, results2);
  std::optional<Counterexample> cx2 = d2.run(r2);
  ASSERT_TRUE(cx2.has_value()) << d2.unknownReason;
  ASSERT_TRUE(cx2->candidateBits.has_value());
  EXPECT_EQ(*cx2->candidateBits, floatBits(far));
  EXPECT_TRUE(cx2->confirmedByInterpreter);
}
