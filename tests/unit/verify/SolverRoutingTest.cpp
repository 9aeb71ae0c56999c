// Every solver query of the verifier goes through the configured solver
// stack (solver/Solver.h), within the budgets of verify/core/Budgets.h: the
// symbolic reference's index identities
// (verify/methods/SymbolicReferenceAt.cpp) are asked of the stack pushed with
// the path decider, so --dump-smt writes them and the statistics count them;
// without a stack none is asked (no private solver).
#include "verify/core/Budgets.h"
#include "verify/exec/Executor.h"
#include "verify/methods/SymbolicItem.h"

#include "solver/Solver.h"
#include "spec/Interpreter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace ksynth;
using json = nlohmann::json;
using smt::Expr;

namespace {

TEST(Budgets, PerQueryBudgetsOnlyShortenTheConfiguredTimeout) {
  // A per-query budget of 0 would mean the configured --timeout (the
  // stack's convention): every side query has a budget of its own, below
  // the default --timeout, so the stack's min(budget, --timeout) applies.
  verify::Budgets b;
  smt::SolverConfig cfg;
  for (unsigned ms :
       {b.enumShrinkQueryMs, b.symbolicShrinkQueryMs, b.feasiblePathMs,
        b.sameIndexMs, b.referenceBranchMs, b.referenceIdentityMs,
        b.huntQueryMs, b.foldQueryMs, b.approximateQueryMs, b.divisorBoundMs}) {
    EXPECT_GT(ms, 0u);
    EXPECT_LT(ms, cfg.timeoutMs);
  }
  // A shrink's whole budget holds at least one of its queries.
  EXPECT_GE(b.enumShrinkMs, b.enumShrinkQueryMs);
  EXPECT_GE(b.symbolicShrinkMs, b.symbolicShrinkQueryMs);
  // The values tuned on the corpus (changing one is a deliberate act).
  EXPECT_EQ(b.huntMs, 600u);
  EXPECT_EQ(b.referenceIdentityMs, 500u);
}

// y = x + b with b broadcast over the rows: the element of y at a flat
// index reads b at the index's remainder by 8.
spec::Spec broadcastSpec() {
  return spec::parseSpec(json::parse(R"({
      "inputs": { "x": { "dtype": "float32", "shape": ["M", 8] },
                  "b": { "dtype": "float32", "shape": [8] } },
      "ops": [{ "op": "add", "inputs": ["x", "b"], "output": "y" }],
      "outputs": ["y"],
      "tolerance": { "atol": 1e-5, "rtol": 1e-5 },
      "shapes": [{ "M": 1000 }] })"),
                         "spec.json");
}

// A flat index that looks affine (i * 8 + 3 at the points the guess
// evaluates: the product of four consecutive integers vanishes there) and
// whose remainder by 8 is 3 for every i and j (four consecutive integers
// have a multiple of 8 as product), which the rewriter does not see; the
// path decider is not asked (it answers nothing), so the reference asks
// whether the remainder is 3 for every value.
Expr flatIndex() {
  Expr i = Expr::bvVar("i", 64), j = Expr::bvVar("j", 64);
  auto c = [](uint64_t v) { return Expr::bvVal(v, 64); };
  Expr p = j.mul(j.sub(c(1))).mul(j.sub(c(2))).mul(j.sub(c(3)));
  return i.mul(c(8)).add(c(3)).add(p);
}

std::vector<std::string> dumpedLabels(const std::filesystem::path &dir) {
  std::vector<std::string> labels;
  for (const auto &f : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(f.path());
    std::string line;
    while (std::getline(in, line))
      if (line.find("reference index identity") != std::string::npos)
        labels.push_back(line);
  }
  return labels;
}

TEST(SolverRouting, ReferenceIndexIdentityGoesThroughTheStack) {
  spec::Spec s = broadcastSpec();
  spec::ShapeBinding b = s.shapes.front();
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("ksynth-routing-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  smt::SolverConfig cfg;
  cfg.fork = false;
  cfg.dumpDir = dir.string();
  std::unique_ptr<smt::QuerySolver> stack = smt::makeSolverStack(cfg);

  verify::pushReferenceDecider(
      [](const Expr &) -> std::optional<bool> { return std::nullopt; },
      stack.get(), verify::Budgets().referenceIdentityMs);
  Expr ref = verify::referenceElementAt(s, b, "y", flatIndex());
  verify::popReferenceDecider();

  // Asked of the stack: counted and dumped.
  EXPECT_GE(stack->stats().queries, 1u);
  EXPECT_FALSE(dumpedLabels(dir).empty());
  // And answered: the identity holds, so b is read at 3 (the element's
  // term does not depend on a remainder any more).
  EXPECT_EQ(ref.str().find("bvurem"), std::string::npos) << ref.str();
  std::filesystem::remove_all(dir);
}

TEST(SolverRouting, NoStackNoQuery) {
  // Without a stack the identity is not shown (no private solver): the
  // element keeps the general remainder term, and is still right.
  spec::Spec s = broadcastSpec();
  spec::ShapeBinding b = s.shapes.front();
  verify::pushReferenceDecider(
      [](const Expr &) -> std::optional<bool> { return std::nullopt; });
  Expr ref = verify::referenceElementAt(s, b, "y", flatIndex());
  verify::popReferenceDecider();
  EXPECT_NE(ref.str().find("bvurem"), std::string::npos) << ref.str();
}

} // namespace
