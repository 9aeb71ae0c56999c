// The built-in generator's tensor-op lowerings without the verifier: which
// families apply to the bench suite's problems (bench/synth/problems), the
// epilogue's broadcast indices, the shared __local tree sum, and why a spec
// is not lowered. (That every emitted kernel is proved:
// tests/cli/synth_generator_test.py.)
#include "synth/BuiltinGenerator.h"
#include "synth/Epilogue.h"
#include "synth/Stencil.h"
#include "synth/TensorOps.h"

#include "spec/Spec.h"

#include <gtest/gtest.h>

using namespace ksynth;
using namespace ksynth::synth;

namespace {

spec::Spec problem(const std::string &name) {
  return spec::parseSpecFile(std::string(KSYNTH_SOURCE_DIR) +
                             "/bench/synth/problems/" + name + ".json");
}

std::vector<Candidate> proposeAll(const spec::Spec &s, std::string &unsup) {
  BuiltinGenerator g;
  Problem p;
  p.spec = &s;
  std::vector<Candidate> r = g.propose(p, {}, 100);
  unsup = g.unsupported();
  return r;
}

TEST(Lowering, SuiteProblemsWithATensorOpPropose) {
  struct Want {
    const char *name, *firstKind;
    size_t count;
  };
  for (const Want &w :
       {Want{"l1_batched_matmul", "matmul-naive", 3},
        Want{"l1_conv2d_3x3", "conv2d-direct", 4},
        Want{"l1_avg_pool1d", "pool-per-output", 3},
        Want{"l1_max_pool2d", "pool-per-output", 3},
        Want{"l2_gemm_bias_gelu", "matmul-naive", 3},
        Want{"l2_conv_relu_bias", "conv2d-direct", 4},
        Want{"l2_matmul_softmax", "matmul-softmax-two-launches", 4}}) {
    spec::Spec s = problem(w.name);
    std::string unsup;
    std::vector<Candidate> c = proposeAll(s, unsup);
    ASSERT_EQ(c.size(), w.count) << w.name << ": " << unsup;
    EXPECT_EQ(c[0].kind, w.firstKind) << w.name;
    EXPECT_TRUE(c[0].baseline) << w.name;
    for (size_t i = 1; i < c.size(); ++i)
      EXPECT_FALSE(c[i].baseline) << w.name << " " << i;
    EXPECT_EQ(unsup, "") << w.name;
  }
}

TEST(Lowering, EpilogueReadsABiasAtItsBroadcastIndex) {
  spec::Spec s = problem("l2_conv_relu_bias"); // b: [O, 1, 1]
  std::string why;
  std::optional<Epilogue> e = planEpilogue(s, why);
  ASSERT_TRUE(e) << why;
  EXPECT_EQ(e->describe(), "relu, add");
  ASSERT_EQ(e->operands.size(), 1u);
  EXPECT_EQ(e->operands[0].name, "b");
  // Only the channel coordinate (output dim 1), stride 1 * 1.
  ASSERT_EQ(e->operands[0].terms.size(), 1u);
  EXPECT_EQ(e->operands[0].terms[0].first, 1u);
  EXPECT_EQ(e->params(), ", __global const float *p_v_b, const int s_v_b_1");
  std::string code = e->code({"n", "oc", "oy", "ox"});
  EXPECT_NE(code.find("p_v_b[oc * s_v_b_1]"), std::string::npos) << code;
  EXPECT_NE(code.find("acc = v_y;"), std::string::npos) << code;

  spec::Spec g = problem("l2_gemm_bias_gelu"); // b: [O] over [B, O]
  e = planEpilogue(g, why);
  ASSERT_TRUE(e) << why;
  EXPECT_EQ(e->args(), nlohmann::json({"b", "1"}));
  EXPECT_NE(e->code({"i", "j"}).find("p_v_b[j * s_v_b_1]"), std::string::npos);
  EXPECT_TRUE(e->needsDivide == false);
}

TEST(Lowering, EpilogueRefusesWhatItCannotFuse) {
  // softmax after a matmul is not elementwise: the matmul family says why
  // (the matmul + softmax family takes it).
  spec::Spec s = problem("l2_matmul_softmax");
  std::string why;
  EXPECT_TRUE(matmulCandidates(s, why).empty());
  EXPECT_NE(why.find("softmax"), std::string::npos) << why;
  EXPECT_EQ(matmulSoftmaxCandidates(s, why).size(), 4u);
}

TEST(Lowering, OneTreeSumServesEveryWorkGroupKernel) {
  std::string t = localTreeSum("r[j] * r[j]", "sq");
  EXPECT_NE(t.find("acc += r[j] * r[j];"), std::string::npos);
  EXPECT_NE(t.find("red[lid] += red[lid + t];"), std::string::npos);
  // The result, then a barrier so that `red` may be reused.
  EXPECT_NE(t.find("sq = red[0];\n  barrier(CLK_LOCAL_MEM_FENCE);\n"),
            std::string::npos);
  for (const char *name : {"l1_sum_dim", "l1_mean_dim", "l1_softmax",
                           "l1_layer_norm", "l1_rms_norm"}) {
    spec::Spec s = problem(name);
    std::string unsup;
    std::vector<Candidate> c = proposeAll(s, unsup);
    size_t trees = 0;
    for (const Candidate &k : c)
      if (k.source.find("red[lid] += red[lid + t];") != std::string::npos)
        ++trees;
    EXPECT_EQ(trees, c.size() - 1) << name; // all but the naive kernel
  }
}

TEST(Lowering, PoolingWithPaddingIsNotLoweredAndSaysWhy) {
  spec::Spec s = problem("l1_max_pool2d");
  s.ops[0].attrs["padding"] = 1;
  std::string why;
  EXPECT_TRUE(poolCandidates(s, why).empty());
  EXPECT_EQ(why, "pooling with padding is not lowered");
}

} // namespace
