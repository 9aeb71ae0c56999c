// The ops added for KernelBench coverage (issue 13 items 2 and 3):
// hardswish, sqrt, logsumexp, cumprod, group_norm, instance_norm, conv3d,
// conv_transpose1d, conv_transpose3d, max_pool3d, avg_pool3d, kl_div,
// triplet_margin_loss.
// Each expected value is PyTorch's own output (torch 2.15 CPU, printed by
// F.<op> on the same inputs); bit for bit where the op is exact or the
// value is exact in float32, otherwise within a relative error of 1e-6
// (these ops need a tolerance: spec/OpTable.cpp toleranceReason). The
// probe (spec/pytorch/probe_tensor_ops.py, checked by
// PyTorchTensorProbeTest) covers the special values; the signature and
// tolerance rules are at the end.
#include "OpTestUtil.h"

#include "spec/OpTable.h"

using namespace ksynth;
using namespace ksynth::spec;
using namespace ksynth::spec::test;

namespace {

::testing::AssertionResult closeTo(const std::vector<float> &got,
                                   const std::vector<float> &want,
                                   double rel = 1e-6) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure()
           << got.size() << " elements, expected " << want.size();
  for (size_t i = 0; i < got.size(); ++i) {
    bool ok = std::isnan(want[i])   ? std::isnan(got[i])
              : std::isinf(want[i]) ? got[i] == want[i]
                                    : std::fabs(got[i] - want[i]) <=
                                          rel * std::fabs(want[i]) + 1e-6;
    if (!ok)
      return ::testing::AssertionFailure()
             << "element " << i << ": " << got[i] << ", PyTorch " << want[i];
  }
  return ::testing::AssertionSuccess();
}

std::vector<std::pair<std::string, TensorType>>
f32s(std::vector<std::vector<int64_t>> shapes) {
  std::vector<std::pair<std::string, TensorType>> r;
  for (size_t i = 0; i < shapes.size(); ++i)
    r.push_back({"t" + std::to_string(i), f32Type(shapes[i])});
  return r;
}

OpNode node(const std::string &op, json attrs = json::object()) {
  OpNode n;
  n.op = op;
  n.attrs = std::move(attrs);
  n.inputs = {std::string("x"), std::string("y"), std::string("z")};
  return n;
}

} // namespace

TEST(KernelBenchOps, Hardswish) {
  Tensor<Scalar> x =
      floats({10}, {-4, -3, -1, -0.0f, 0.5f, 2, 3, 5, kInf, -kInf});
  // x * min(max(x + 3, 0), 6) / 6: -4 * 0 is -0; -inf * 0 is NaN.
  EXPECT_TRUE(
      sameBits(values(runOp("hardswish", {{"x", x}})),
               {-0.0f, -0.0f, -0.3333333432674408f, -0.0f, 0.2916666567325592f,
                1.6666666269302368f, 3, 5, kInf, kNaN}));
  EXPECT_TRUE(toleranceReason(node("hardswish")).empty());
}

// sqrt (issue 13 item 3: the hand-written RMS norm): IEEE, correctly
// rounded; torch.sqrt gives the same bits here, but its CPU loops are one
// ulp off for some inputs (PyTorchProbeTest), so sqrt needs a tolerance.
TEST(KernelBenchOps, Sqrt) {
  Tensor x = floats({6}, {2, -1, -0.0f, 1e-40f, kInf, 0.25f});
  EXPECT_TRUE(sameBits(
      values(runOp("sqrt", {{"x", x}})),
      {1.4142135381698608f, kNaN, -0.0f, 9.999973025467516e-21f, kInf, 0.5f}));
  EXPECT_NE(toleranceReason(node("sqrt")).find("sqrt"), std::string::npos);
}

TEST(KernelBenchOps, Logsumexp) {
  Tensor<Scalar> x = floats(
      {4, 3}, {1, 2, 3, -kInf, -kInf, -kInf, kInf, 0, 1, 1000, 1000, 1000});
  Tensor<Scalar> y = runOp("logsumexp", {{"x", x}}, {{"dim", 1}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{4}));
  // Row 2: the max is masked to 0 where infinite: log(0) + 0 = -inf, not
  // NaN; row 4: the shift keeps exp finite.
  EXPECT_TRUE(
      closeTo(values(y), {3.4076058864593506f, -kInf, kInf, 1001.0986328125f}));
  y = runOp("logsumexp", {{"x", x}}, {{"dim", json::array({0, 1})}});
  EXPECT_TRUE(y.type.dims.empty());
  y = runOp("logsumexp", {{"x", x}}, {{"dim", 0}, {"keepdim", true}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 3}));
  EXPECT_NE(opError("logsumexp", f32s({{2, 3}})).find("needs attr 'dim'"),
            std::string::npos)
      << opError("logsumexp", f32s({{2, 3}}));
  EXPECT_NE(toleranceReason(node("logsumexp", {{"dim", 1}})).find("exp"),
            std::string::npos);
}

TEST(KernelBenchOps, Cumprod) {
  Tensor<Scalar> y =
      runOp("cumprod", {{"x", floats({1, 4}, {2, -3, 0.5f, 4})}}, {{"dim", 1}});
  EXPECT_TRUE(sameBits(values(y), {2, -6, -3, -12}));
  // A left fold from 1: 1 * -0 is -0, -0 * inf is NaN.
  y = runOp("cumprod", {{"x", floats({3}, {-0.0f, kInf, 1})}}, {{"dim", 0}});
  EXPECT_TRUE(sameBits(values(y), {-0.0f, kNaN, kNaN}));
  EXPECT_FALSE(toleranceReason(node("cumprod", {{"dim", 0}})).empty());
  EXPECT_FALSE(tensorOpAtIndex("cumprod"));
}

TEST(KernelBenchOps, GroupNormAndInstanceNorm) {
  std::vector<float> v;
  for (int i = 0; i < 12; ++i)
    v.push_back(static_cast<float>(i));
  Tensor<Scalar> x = floats({1, 4, 3}, v);
  Tensor<Scalar> y = runOp("group_norm", {{"x", x}}, {{"num_groups", 2}});
  EXPECT_TRUE(closeTo(values(y), {-1.4638476371765137f, -0.8783085346221924f,
                                  -0.29276952147483826f, 0.29276952147483826f,
                                  0.8783085346221924f, 1.4638476371765137f,
                                  -1.4638476371765137f, -0.8783085346221924f,
                                  -0.29276952147483826f, 0.29276952147483826f,
                                  0.8783085346221924f, 1.4638476371765137f}));
  Tensor<Scalar> w = floats({4}, {1, 2, -1, 0.5f}),
                 b = floats({4}, {0, 1, 0, -1});
  y = runOp("group_norm", {{"x", x}, {"w", w}, {"b", b}}, {{"num_groups", 2}});
  EXPECT_TRUE(closeTo(values(y), {-1.4638476371765137f, -0.8783085942268372f,
                                  -0.29276955127716064f, 1.5855389833450317f,
                                  2.7566170692443848f, 3.9276952743530273f,
                                  1.4638475179672241f, 0.8783084750175476f,
                                  0.2927694320678711f, -0.8536151647567749f,
                                  -0.560845673084259f, -0.2680761516094208f}));
  // PyTorch's middle values are -3.6e-7 and -2.4e-7 (its statistics round
  // differently), within the absolute slack of 1e-6.
  y = runOp("instance_norm", {{"x", x}});
  EXPECT_TRUE(
      closeTo(values(y), {-1.2247356176376343f, 0.0f, 1.2247356176376343f,
                          -1.2247356176376343f, 0.0f, 1.2247356176376343f,
                          -1.224735975265503f, -3.5762786865234375e-07f,
                          1.2247352600097656f, -1.2247358560562134f,
                          -2.384185791015625e-07f, 1.2247353792190552f}));
  EXPECT_NE(opError("group_norm", f32s({{1, 4, 3}}), {{"num_groups", 3}})
                .find("num_groups 3 does not divide the 4 channels"),
            std::string::npos);
  EXPECT_NE(opError("group_norm", f32s({{1, 4, 3}})).find("num_groups"),
            std::string::npos);
  EXPECT_NE(opError("instance_norm", f32s({{1, 4, 1}})).find("spatial"),
            std::string::npos);
  EXPECT_NE(opError("instance_norm", f32s({{1, 4, 3}, {3}})).find("weight"),
            std::string::npos);
  EXPECT_FALSE(toleranceReason(node("group_norm")).empty());
  EXPECT_FALSE(tensorOpAtIndex("group_norm"));
  EXPECT_FALSE(tensorOpAtIndex("instance_norm"));
}

TEST(KernelBenchOps, Conv3dAndTransposed) {
  std::vector<float> v;
  for (int i = 1; i <= 8; ++i)
    v.push_back(static_cast<float>(i));
  Tensor<Scalar> x = floats({1, 1, 2, 2, 2}, v);
  Tensor<Scalar> w = floats({1, 1, 2, 2, 2}, {1, 1, 1, 1, 1, 1, 1, 1});
  Tensor<Scalar> y = runOp("conv3d", {{"x", x}, {"w", w}},
                           {{"padding", json::array({0, 0, 1})}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 1, 1, 1, 3}));
  EXPECT_TRUE(sameBits(values(y), {16, 36, 20}));
  y = runOp(
      "conv_transpose1d",
      {{"x", floats({1, 1, 3}, {1, 2, 3})}, {"w", floats({1, 1, 2}, {1, 10})}},
      {{"stride", 2}});
  EXPECT_TRUE(sameBits(values(y), {1, 10, 2, 20, 3, 30}));
  y = runOp("conv_transpose3d", {{"x", floats({1, 1, 1, 1, 2}, {1, 1})},
                                 {"w", floats({1, 1, 2, 1, 2}, {1, 2, 3, 4})}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 1, 2, 1, 3}));
  EXPECT_TRUE(sameBits(values(y), {1, 3, 2, 3, 7, 4}));
  EXPECT_NE(opError("conv3d", f32s({{1, 2, 2}, {1, 1, 1, 1, 1}}))
                .find("[N, C, D, H, W] or [C, D, H, W]"),
            std::string::npos);
  EXPECT_NE(opError("conv_transpose1d", f32s({{1, 2, 3}, {2, 1}}))
                .find("[C_in, C_out/groups, K]"),
            std::string::npos);
  EXPECT_FALSE(tensorOpAtIndex("conv3d"));
  EXPECT_FALSE(tensorOpAtIndex("conv_transpose3d"));
  EXPECT_TRUE(tensorOpAtIndex("conv_transpose1d")); // as 2-D, height 1
}

TEST(KernelBenchOps, Pool3d) {
  Tensor<Scalar> x =
      floats({1, 1, 2, 2, 2}, {1, 5, -0.0f, 0.0f, 3, kNaN, 2, -1});
  Tensor<Scalar> y = runOp("max_pool3d", {{"x", x}},
                           {{"kernel_size", json::array({2, 2, 1})}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 1, 1, 1, 2}));
  EXPECT_TRUE(sameBits(values(y), {3, kNaN}));
  std::vector<float> v;
  for (int i = 0; i < 8; ++i)
    v.push_back(static_cast<float>(i));
  y = runOp("avg_pool3d", {{"x", floats({1, 1, 2, 2, 2}, v)}},
            {{"kernel_size", 2},
             {"stride", 1},
             {"padding", 1},
             {"count_include_pad", false}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 1, 3, 3, 3}));
  std::vector<float> all = values(y);
  std::vector<float> first(all.begin(), all.begin() + 9);
  EXPECT_TRUE(sameBits(first, {0, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3}));
  EXPECT_NE(opError("max_pool3d", f32s({{1, 1, 4, 4, 4}}),
                    {{"kernel_size", 2}, {"padding", json::array({2, 0, 0})}})
                .find("padding must be at most half the kernel size (kernel "
                      "2x2x2, padding 2x0x0)"),
            std::string::npos);
  EXPECT_TRUE(toleranceReason(node("max_pool3d")).empty());
  EXPECT_FALSE(toleranceReason(node("avg_pool3d")).empty());
}

TEST(KernelBenchOps, KlDiv) {
  Tensor<Scalar> i = floats({2, 2}, {-1, -2, -0.5f, -3});
  Tensor<Scalar> t = floats({2, 2}, {0.5f, 0, 0.25f, 0.75f});
  auto kl = [&](const char *red) {
    return values(runOp("kl_div", {{"i", i}, {"t", t}}, {{"reduction", red}}));
  };
  // xlogy(0, 0) is 0, not NaN.
  EXPECT_TRUE(closeTo(kl("none"), {0.1534264087677002f, 0.0f,
                                   -0.2215735912322998f, 2.034238338470459f}));
  EXPECT_TRUE(closeTo(kl("sum"), {1.9660911560058594f}));
  EXPECT_TRUE(closeTo(kl("mean"), {0.49152278900146484f}));
  EXPECT_TRUE(closeTo(kl("batchmean"), {0.9830455780029297f}));
  EXPECT_TRUE(closeTo(
      values(runOp("kl_div", {{"i", i}, {"t", floats({2, 2}, {0, -1, -2, 1})}},
                   {{"reduction", "none"}, {"log_target", true}})),
      {1.0f, 0.3678794503211975f, -0.2030029296875f, 10.873126983642578f}));
  EXPECT_NE(opError("kl_div", f32s({{2}, {2}}), {{"reduction", "avg"}})
                .find("batchmean"),
            std::string::npos);
  EXPECT_NE(
      toleranceReason(node("kl_div", {{"reduction", "none"}})).find("log"),
      std::string::npos);
}

TEST(KernelBenchOps, TripletMarginLoss) {
  Tensor<Scalar> a = floats({2, 2}, {0, 0, 1, 1});
  Tensor<Scalar> p = floats({2, 2}, {3, 4, 1, 1});
  Tensor<Scalar> n = floats({2, 2}, {0, 1, 4, 5});
  auto run = [&](json attrs) {
    attrs["eps"] = 0.0;
    return values(
        runOp("triplet_margin_loss", {{"a", a}, {"p", p}, {"n", n}}, attrs));
  };
  EXPECT_TRUE(sameBits(run({{"reduction", "none"}}), {5, 0}));
  EXPECT_TRUE(sameBits(run(json::object()), {2.5f}));
  EXPECT_TRUE(
      sameBits(run({{"p", 1}, {"swap", true}, {"reduction", "none"}}), {7, 0}));
  EXPECT_NE(
      opError("triplet_margin_loss", f32s({{2, 2}, {2, 2}, {2, 2}}), {{"p", 3}})
          .find("attr 'p' must be 1 or 2"),
      std::string::npos);
  EXPECT_NE(opError("triplet_margin_loss", f32s({{2, 2}, {2, 2}, {2, 3}}))
                .find("differ in shape"),
            std::string::npos);
  // Its distances are sums, even with reduction "none".
  EXPECT_FALSE(
      toleranceReason(node("triplet_margin_loss", {{"reduction", "none"}}))
          .empty());
}
