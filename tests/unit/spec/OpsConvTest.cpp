// conv1d, conv2d, conv_transpose2d and pooling on hand-checked examples,
// plus a cross-check of conv2d / conv_transpose2d against independent
// direct (scatter) formulations on integer data, where float sums are exact.
#include "OpTestUtil.h"

using namespace ksynth;
using namespace ksynth::spec;
using namespace ksynth::spec::test;

namespace {

Tensor<Scalar> seq(std::vector<int64_t> dims, float from = 1) {
  std::vector<float> v;
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  for (int64_t i = 0; i < n; ++i)
    v.push_back(from + static_cast<float>(i));
  return floats(std::move(dims), v);
}

} // namespace

TEST(Conv1d, StridePaddingDilationBias) {
  Tensor<Scalar> x = seq({1, 1, 5}), w = floats({1, 1, 3}, {1, 0, -1});
  Tensor<Scalar> y = runOp("conv1d", {{"x", x}, {"w", w}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 1, 3}));
  EXPECT_TRUE(sameBits(values(y), {-2, -2, -2}));
  y = runOp("conv1d", {{"x", x}, {"w", w}}, {{"padding", 1}});
  EXPECT_TRUE(sameBits(values(y), {-2, -2, -2, -2, 4}));
  y = runOp("conv1d", {{"x", x}, {"w", w}}, {{"stride", 2}});
  EXPECT_TRUE(sameBits(values(y), {-2, -2}));
  y = runOp("conv1d", {{"x", x}, {"w", w}}, {{"dilation", json::array({2})}});
  EXPECT_TRUE(sameBits(values(y), {-4}));
  y = runOp("conv1d", {{"x", x}, {"w", w}, {"b", floats({1}, {10})}});
  EXPECT_TRUE(sameBits(values(y), {8, 8, 8}));
  // Unbatched input [C, L].
  y = runOp("conv1d", {{"x", seq({1, 5})}, {"w", w}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 3}));
  EXPECT_TRUE(sameBits(values(y), {-2, -2, -2}));
}

TEST(Conv1d, PaddingIsAZeroThatIsMultiplied) {
  // With padding 1, output 0 reads x[-1] = +0 and multiplies it: 0 * inf is
  // NaN (as PyTorch, measured); output 1 has only real taps for the inf.
  Tensor<Scalar> y = runOp("conv1d",
                           {{"x", floats({1, 1, 2}, {1, 1})},
                            {"w", floats({1, 1, 3}, {kInf, 1, 1})}},
                           {{"padding", 1}});
  EXPECT_TRUE(sameBits(values(y), {kNaN, kInf}));
  // A padding product's zero sign is the weight's: -0 here, added to +0.
  y = runOp(
      "conv1d",
      {{"x", floats({1, 1, 1}, {0})}, {"w", floats({1, 1, 3}, {-1, -1, -1})}},
      {{"padding", 1}});
  EXPECT_TRUE(sameBits(values(y), {0.0f}));
  // Transposed convolution adds only the products of real inputs.
  y = runOp("conv_transpose2d",
            {{"x", floats({1, 1, 1, 1}, {1})},
             {"w", floats({1, 1, 1, 3}, {2, kInf, 3})}},
            {{"padding", {0, 1}}});
  EXPECT_TRUE(sameBits(values(y), {kInf}));
}

TEST(Conv1d, GroupsDepthwisePointwise) {
  Tensor<Scalar> x = seq({1, 2, 3}); // channels [1, 2, 3] and [4, 5, 6]
  Tensor<Scalar> y = runOp(
      "conv1d", {{"x", x}, {"w", floats({2, 1, 1}, {2, 3})}}, {{"groups", 2}});
  EXPECT_TRUE(sameBits(values(y), {2, 4, 6, 12, 15, 18})); // depthwise
  y = runOp("conv1d", {{"x", x}, {"w", floats({1, 2, 1}, {1, 1})}});
  EXPECT_TRUE(sameBits(values(y), {5, 7, 9})); // pointwise
  y = runOp("conv1d", {{"x", x}, {"w", floats({4, 1, 1}, {1, 2, 3, 4})}},
            {{"groups", 2}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 4, 3}));
  EXPECT_TRUE(sameBits(values(y), {1, 2, 3, 2, 4, 6, 12, 15, 18, 16, 20, 24}));
}

TEST(Conv2d, Basic) {
  Tensor<Scalar> x = seq({1, 1, 3, 3}), w = floats({1, 1, 2, 2}, {1, 0, 0, 1});
  Tensor<Scalar> y = runOp("conv2d", {{"x", x}, {"w", w}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 1, 2, 2}));
  EXPECT_TRUE(sameBits(values(y), {6, 8, 12, 14}));
  y = runOp("conv2d", {{"x", x}, {"w", w}}, {{"stride", {1, 2}}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 1, 2, 1}));
  EXPECT_TRUE(sameBits(values(y), {6, 12}));
  y = runOp("conv2d", {{"x", x}, {"w", w}}, {{"padding", {1, 0}}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 1, 4, 2}));
  EXPECT_TRUE(sameBits(values(y), {2, 3, 6, 8, 12, 14, 7, 8}));
  y = runOp("conv2d", {{"x", seq({1, 3, 3})}, {"w", w}}); // unbatched
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 2, 2}));
}

namespace {

// Direct convolution (and transposed convolution as a scatter) in double on
// integer data: an independent formulation to cross-check against.
std::vector<float> directConv(const Tensor<Scalar> &x, const Tensor<Scalar> &w,
                              int s, int p, int dl, int g, bool transposed,
                              int op, std::vector<int64_t> &dims) {
  int64_t n = x.type.dims[0], cin = x.type.dims[1], h = x.type.dims[2],
          wd = x.type.dims[3];
  int64_t kh = w.type.dims[2], kw = w.type.dims[3];
  int64_t cout = transposed ? w.type.dims[1] * g : w.type.dims[0];
  int64_t oh, ow;
  if (!transposed) {
    oh = (h + 2 * p - dl * (kh - 1) - 1) / s + 1;
    ow = (wd + 2 * p - dl * (kw - 1) - 1) / s + 1;
  } else {
    oh = (h - 1) * s - 2 * p + dl * (kh - 1) + op + 1;
    ow = (wd - 1) * s - 2 * p + dl * (kw - 1) + op + 1;
  }
  dims = {n, cout, oh, ow};
  std::vector<double> out(n * cout * oh * ow, 0.0);
  int64_t cinG = cin / g, coutG = cout / g;
  auto X = [&](int64_t a, int64_t c, int64_t i, int64_t j) {
    return static_cast<double>(x.data[((a * cin + c) * h + i) * wd + j].f);
  };
  for (int64_t a = 0; a < n; ++a)
    for (int64_t ic = 0; ic < cin; ++ic)
      for (int64_t ocg = 0; ocg < coutG; ++ocg)
        for (int64_t ky = 0; ky < kh; ++ky)
          for (int64_t kx = 0; kx < kw; ++kx) {
            int64_t grp = ic / cinG, oc = grp * coutG + ocg;
            if (!transposed) {
              double wv =
                  w.data[((oc * cinG + ic % cinG) * kh + ky) * kw + kx].f;
              for (int64_t oy = 0; oy < oh; ++oy)
                for (int64_t ox = 0; ox < ow; ++ox) {
                  int64_t iy = oy * s - p + ky * dl, ix = ox * s - p + kx * dl;
                  if (iy >= 0 && iy < h && ix >= 0 && ix < wd)
                    out[((a * cout + oc) * oh + oy) * ow + ox] +=
                        X(a, ic, iy, ix) * wv;
                }
            } else { // scatter each input element
              double wv = w.data[((ic * coutG + ocg) * kh + ky) * kw + kx].f;
              for (int64_t iy = 0; iy < h; ++iy)
                for (int64_t ix = 0; ix < wd; ++ix) {
                  int64_t oy = iy * s - p + ky * dl, ox = ix * s - p + kx * dl;
                  if (oy >= 0 && oy < oh && ox >= 0 && ox < ow)
                    out[((a * cout + oc) * oh + oy) * ow + ox] +=
                        X(a, ic, iy, ix) * wv;
                }
            }
          }
  return std::vector<float>(out.begin(), out.end());
}

} // namespace

TEST(Conv2d, CrossCheckAgainstDirectFormulas) {
  struct Case {
    bool transposed;
    int cin, coutPerG, g, k0, k1, s, p, dl, op;
  };
  for (const Case &c : {Case{false, 2, 3, 1, 3, 2, 1, 1, 1, 0},
                        Case{false, 4, 1, 2, 2, 3, 2, 0, 1, 0},
                        Case{false, 2, 2, 2, 2, 2, 1, 1, 2, 0},
                        Case{true, 2, 3, 1, 3, 2, 1, 0, 1, 0},
                        Case{true, 2, 2, 1, 2, 2, 2, 1, 1, 1},
                        Case{true, 4, 1, 2, 3, 3, 2, 1, 2, 1},
                        Case{true, 2, 2, 2, 2, 3, 3, 0, 1, 2}}) {
    Tensor<Scalar> x = seq({2, c.cin, 4, 5}, -20);
    std::vector<int64_t> wdims =
        c.transposed
            ? std::vector<int64_t>{c.cin, c.coutPerG, c.k0, c.k1}
            : std::vector<int64_t>{c.coutPerG * c.g, c.cin / c.g, c.k0, c.k1};
    Tensor<Scalar> w = seq(wdims, -7);
    json attrs = {
        {"stride", c.s}, {"padding", c.p}, {"dilation", c.dl}, {"groups", c.g}};
    if (c.transposed)
      attrs["output_padding"] = c.op;
    Tensor<Scalar> y = runOp(c.transposed ? "conv_transpose2d" : "conv2d",
                             {{"x", x}, {"w", w}}, attrs);
    std::vector<int64_t> dims;
    std::vector<float> want =
        directConv(x, w, c.s, c.p, c.dl, c.g, c.transposed, c.op, dims);
    EXPECT_EQ(y.type.dims, dims) << attrs.dump();
    EXPECT_TRUE(sameBits(values(y), want)) << attrs.dump();
  }
}

TEST(ConvTranspose2d, HandChecked) {
  Tensor<Scalar> x = floats({1, 1, 2, 2}, {1, 2, 3, 4});
  Tensor<Scalar> ones = floats({1, 1, 2, 2}, {1, 1, 1, 1});
  Tensor<Scalar> y = runOp("conv_transpose2d", {{"x", x}, {"w", ones}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 1, 3, 3}));
  EXPECT_TRUE(sameBits(values(y), {1, 3, 2, 4, 10, 6, 3, 7, 4}));
  y = runOp("conv_transpose2d", {{"x", x}, {"w", ones}}, {{"stride", 2}});
  EXPECT_TRUE(
      sameBits(values(y), {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
  y = runOp("conv_transpose2d", {{"x", x}, {"w", ones}},
            {{"stride", 2}, {"padding", 1}});
  EXPECT_TRUE(sameBits(values(y), {1, 2, 3, 4}));
  // output_padding adds a last row and column with no terms: +0, then bias.
  y = runOp("conv_transpose2d",
            {{"x", x}, {"w", ones}, {"b", floats({1}, {0.5f})}},
            {{"stride", 2}, {"output_padding", 1}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 1, 5, 5}));
  EXPECT_TRUE(sameBits({values(y)[4], values(y)[24]}, {0.5f, 0.5f}));
  y = runOp("conv_transpose2d",
            {{"x", floats({1, 2, 1, 1}, {1, 2})},
             {"w", floats({2, 1, 1, 1}, {3, 4})}},
            {{"groups", 2}});
  EXPECT_TRUE(sameBits(values(y), {3, 8}));
  y = runOp("conv_transpose2d", {{"x", floats({1, 2, 1, 1}, {1, 2})},
                                 {"w", floats({2, 2, 1, 1}, {1, 2, 3, 4})}});
  EXPECT_TRUE(sameBits(values(y), {7, 10}));
}

TEST(Pool, MaxPool1d) {
  Tensor<Scalar> x = floats({1, 1, 5}, {1, 3, 2, 5, 4});
  EXPECT_TRUE(sameBits(
      values(runOp("max_pool1d", {{"x", x}}, {{"kernel_size", 2}})), {3, 5}));
  EXPECT_TRUE(sameBits(values(runOp("max_pool1d", {{"x", x}},
                                    {{"kernel_size", 3}, {"stride", 1}})),
                       {3, 5, 5}));
  EXPECT_TRUE(sameBits(values(runOp("max_pool1d", {{"x", x}},
                                    {{"kernel_size", 2}, {"padding", 1}})),
                       {1, 3, 5}));
  EXPECT_TRUE(sameBits(
      values(runOp("max_pool1d", {{"x", x}},
                   {{"kernel_size", 2}, {"stride", 1}, {"dilation", 2}})),
      {2, 5, 4}));
}

TEST(Pool, MaxPoolNaNAndZeros) {
  // First maximal tap: -0 before +0 stays -0; a NaN anywhere wins.
  Tensor<Scalar> x =
      floats({1, 8}, {-0.0f, 0.0f, 0.0f, -0.0f, 1, kNaN, kNaN, 1});
  Tensor<Scalar> y = runOp("max_pool1d", {{"x", x}}, {{"kernel_size", 2}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 4}));
  EXPECT_TRUE(sameBits(values(y), {-0.0f, 0.0f, kNaN, kNaN}));
  y = runOp("max_pool1d", {{"x", floats({1, 2}, {-kInf, -kInf})}},
            {{"kernel_size", 2}});
  EXPECT_TRUE(sameBits(values(y), {-kInf}));
}

TEST(Pool, MaxPool2d) {
  Tensor<Scalar> x = seq({1, 1, 3, 3});
  Tensor<Scalar> y =
      runOp("max_pool2d", {{"x", x}}, {{"kernel_size", 2}, {"stride", 1}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{1, 1, 2, 2}));
  EXPECT_TRUE(sameBits(values(y), {5, 6, 8, 9}));
  y = runOp("max_pool2d", {{"x", seq({2, 3, 3})}},
            {{"kernel_size", {3, 1}}, {"stride", {1, 2}}});
  EXPECT_EQ(y.type.dims, (std::vector<int64_t>{2, 1, 2}));
  EXPECT_TRUE(sameBits(values(y), {7, 9, 16, 18}));
}

TEST(Pool, AvgPool) {
  Tensor<Scalar> x = floats({1, 1, 4}, {1, 2, 3, 4});
  EXPECT_TRUE(
      sameBits(values(runOp("avg_pool1d", {{"x", x}}, {{"kernel_size", 2}})),
               {1.5f, 3.5f}));
  // count_include_pad (default true): padding counts in the divisor.
  EXPECT_TRUE(sameBits(
      values(runOp("avg_pool1d", {{"x", x}},
                   {{"kernel_size", 2}, {"stride", 1}, {"padding", 1}})),
      {0.5f, 1.5f, 2.5f, 3.5f, 2}));
  EXPECT_TRUE(sameBits(values(runOp("avg_pool1d", {{"x", x}},
                                    {{"kernel_size", 2},
                                     {"stride", 1},
                                     {"padding", 1},
                                     {"count_include_pad", false}})),
                       {1, 1.5f, 2.5f, 3.5f, 4}));
  EXPECT_TRUE(sameBits(values(runOp("avg_pool2d", {{"x", seq({1, 1, 3, 3})}},
                                    {{"kernel_size", 2}, {"stride", 1}})),
                       {3, 4, 6, 7}));
  EXPECT_TRUE(
      sameBits(values(runOp("avg_pool1d", {{"x", floats({1, 2}, {kInf, 1})}},
                            {{"kernel_size", 2}})),
               {kInf}));
}
