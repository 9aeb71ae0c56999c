// Validation of the tensor ops, transcendental activations, int64 and
// tolerances: shape inference at symbolic bindings, every error as one line,
// the ops that need a tolerance, and Tolerance::accepts.
#include "OpTestUtil.h"

#include "spec/OpTable.h"

using namespace ksynth;
using namespace ksynth::spec;
using namespace ksynth::spec::test;

namespace {

#define EXPECT_CONTAINS(haystack, needle)                                      \
  do {                                                                         \
    std::string h_ = (haystack);                                               \
    EXPECT_NE(h_.find(needle), std::string::npos)                              \
        << "message: '" << h_ << "'\nexpected to contain: '" << (needle)       \
        << "'";                                                                \
    EXPECT_EQ(h_.find('\n'), std::string::npos) << "one line: " << h_;         \
  } while (0)

std::vector<std::pair<std::string, TensorType>>
f32s(std::vector<std::vector<int64_t>> shapes) {
  std::vector<std::pair<std::string, TensorType>> out;
  for (size_t i = 0; i < shapes.size(); ++i)
    out.emplace_back(std::string(1, static_cast<char>('a' + i)),
                     f32Type(shapes[i]));
  return out;
}

std::string parseErr(const json &j) {
  try {
    parseSpec(j, "s.json");
  } catch (const UserError &e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST(TensorOps, ShapesAtSymbolicBindings) {
  json j = json::parse(R"({
    "inputs": { "x": { "dtype": "float32", "shape": ["N", 3, "H", "H"] },
                "w": { "dtype": "float32", "shape": [8, 3, 3, 3] } },
    "ops": [
      { "op": "conv2d", "inputs": ["x", "w"], "output": "c",
        "attrs": { "stride": 2, "padding": 1 } },
      { "op": "max_pool2d", "inputs": ["c"], "output": "p",
        "attrs": { "kernel_size": 2 } },
      { "op": "sum", "inputs": ["p"], "output": "s",
        "attrs": { "dim": [-1, -2] } },
      { "op": "argmax", "inputs": ["s"], "output": "i",
        "attrs": { "dim": 1, "keepdim": true } },
      { "op": "transpose", "inputs": ["p"], "output": "t",
        "attrs": { "dim0": -1, "dim1": 2 } },
      { "op": "matmul", "inputs": ["p", "t"], "output": "m" } ],
    "outputs": ["i", "m"],
    "shapes": [ { "N": 2, "H": 9 }, { "N": 1, "H": 16 } ],
    "tolerance": { "rtol": 1e-5 } })");
  Spec s = parseSpec(j, "s.json");
  auto t = inferTypes(s, {{"N", 2}, {"H", 9}});
  EXPECT_EQ(t.at("c").dims, (std::vector<int64_t>{2, 8, 5, 5}));
  EXPECT_EQ(t.at("p").dims, (std::vector<int64_t>{2, 8, 2, 2}));
  EXPECT_EQ(t.at("s").dims, (std::vector<int64_t>{2, 8}));
  EXPECT_EQ(t.at("i").dims, (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(t.at("i").dtype, DType::Int64);
  EXPECT_EQ(t.at("t").dims, (std::vector<int64_t>{2, 8, 2, 2}));
  EXPECT_EQ(t.at("m").dims, (std::vector<int64_t>{2, 8, 2, 2}));
  t = inferTypes(s, {{"N", 1}, {"H", 16}});
  EXPECT_EQ(t.at("c").dims, (std::vector<int64_t>{1, 8, 8, 8}));
  EXPECT_EQ(t.at("p").dims, (std::vector<int64_t>{1, 8, 4, 4}));
  // A shape error names the binding.
  j["shapes"] = {{{"N", 1}, {"H", 1}}};
  EXPECT_EQ(parseErr(j), "s.json: op 1 (max_pool2d): window extent 2 is "
                         "larger than the padded input 1 at H=1, N=1");
}

TEST(TensorOps, ReductionErrors) {
  auto x = f32s({{2, 3}});
  EXPECT_CONTAINS(opError("sum", x, {{"dim", 2}}),
                  "op.json: op 0 (sum): dim 2 is out of range for a 2-d "
                  "tensor (expected -2..1)");
  EXPECT_CONTAINS(opError("sum", x, {{"dim", {0, -2}}}),
                  "attr 'dim' names dim 0 twice");
  EXPECT_CONTAINS(opError("prod", x, {{"dim", {0, 1}}}),
                  "op 0 (prod): attr 'dim' must be an integer, got [0,1]");
  EXPECT_CONTAINS(opError("sum", x, {{"dim", "0"}}),
                  "attr 'dim' must be an integer or a non-empty list");
  EXPECT_CONTAINS(opError("sum", x, {{"keepdim", 1}}),
                  "attr 'keepdim' must be true or false, got 1");
  EXPECT_CONTAINS(opError("softmax", x), "op 0 (softmax): needs attr 'dim'");
  EXPECT_CONTAINS(opError("cumsum", x, {{"dim", 0}, {"inclusive", true}}),
                  "unknown attr 'inclusive' (known: dim, exclusive, reverse)");
  EXPECT_CONTAINS(opError("norm", x, {{"p", 3}}),
                  "attr 'p' must be 1, 2, \"fro\" or \"inf\", got 3");
  EXPECT_CONTAINS(opError("norm", x, {{"p", "nuc"}}),
                  "attr 'p' must be a number or \"fro\" or \"inf\"");
  EXPECT_CONTAINS(opError("max", f32s({{2}, {2}, {2}})),
                  "op 0 (max): expects 2 inputs (elementwise) or 1 (a "
                  "reduction along attr 'dim'), got 3");
  EXPECT_CONTAINS(opError("max", f32s({{2}, {2}}), {{"dim", 0}}),
                  "op 0 (max): takes no attrs, got 'dim'");
  EXPECT_CONTAINS(opError("cumsum", f32s({{2}, {2}}), {{"dim", 0}}),
                  "op 0 (cumsum): expects 1 input, got 2");
  std::vector<std::pair<std::string, TensorType>> b = {
      {"m", {DType::Bool, {2}}}};
  EXPECT_CONTAINS(opError("sum", b), "op 0 (sum): operand 1 is bool, "
                                     "expected float32");
}

TEST(TensorOps, LinearAndNormErrors) {
  EXPECT_CONTAINS(opError("matmul", f32s({{2, 3}, {4, 5}})),
                  "op 0 (matmul): inner dims differ: [2, 3] @ [4, 5] (3 vs 4)");
  EXPECT_CONTAINS(opError("matmul", f32s({{}, {4}})),
                  "both operands must be at least 1-d, got [] and [4]");
  EXPECT_CONTAINS(opError("matmul", f32s({{2, 1, 3}, {3, 3, 1}})),
                  "batch dims [2] and [3] do not broadcast");
  EXPECT_CONTAINS(opError("transpose", f32s({{2, 3}}), {{"dim0", 0}}),
                  "op 0 (transpose): needs attr 'dim1'");
  EXPECT_CONTAINS(
      opError("transpose", f32s({{2, 3}}), {{"dim0", 0}, {"dim1", -3}}),
      "dim -3 is out of range for a 2-d tensor");
  EXPECT_CONTAINS(
      opError("layer_norm", f32s({{2, 3}}), {{"normalized_ndim", 3}}),
      "normalized_ndim 3 must be between 1 and the input's rank 2");
  EXPECT_CONTAINS(opError("layer_norm", f32s({{2, 3}, {2}})),
                  "weight (operand 2) is [2], expected [3] or a scalar");
  EXPECT_CONTAINS(opError("layer_norm", f32s({{2, 3}, {3}, {3}, {3}})),
                  "expects 1 to 3 inputs, got 4");
  EXPECT_CONTAINS(opError("rms_norm", f32s({{2, 3}}), {{"eps", -1}}),
                  "attr 'eps' must be >= 0");
  EXPECT_CONTAINS(opError("batch_norm", f32s({{4}, {4}, {4}})),
                  "input must be at least 2-d [N, C, ...], got [4]");
  EXPECT_CONTAINS(opError("batch_norm", f32s({{2, 4}, {4}, {3}})),
                  "running_var (operand 3) is [3], expected [4] or a scalar");
  EXPECT_CONTAINS(opError("batch_norm", f32s({{2, 4}, {4}})),
                  "expects 3 to 5 inputs, got 2");
  EXPECT_CONTAINS(opError("batch_norm", f32s({{2, 4}, {4}, {4}}), {{"eps", 0}}),
                  "attr 'eps' must be > 0 (PyTorch's batch_norm rejects "
                  "others)");
}

TEST(TensorOps, ConvAndPoolErrors) {
  EXPECT_CONTAINS(opError("conv2d", f32s({{1, 3, 5, 5}, {4, 2, 3, 3}})),
                  "op 0 (conv2d): input has 3 channels but weight [4, 2, 3, "
                  "3] expects 2 (groups 1)");
  EXPECT_CONTAINS(
      opError("conv2d", f32s({{1, 4, 5, 5}, {3, 2, 3, 3}}), {{"groups", 2}}),
      "output channels 3 (weight dim 0) are not divisible by "
      "groups 2");
  EXPECT_CONTAINS(
      opError("conv2d", f32s({{1, 3, 5, 5}, {3, 1, 3, 3}}), {{"groups", 2}}),
      "input channels 3 are not divisible by groups 2");
  EXPECT_CONTAINS(opError("conv1d", f32s({{1, 1, 2}, {1, 1, 3}})),
                  "kernel extent 3 is larger than the padded input 2");
  EXPECT_CONTAINS(
      opError("conv1d", f32s({{1, 1, 5}, {1, 1, 2}}), {{"dilation", 5}}),
      "kernel extent 6 is larger than the padded input 5");
}

TEST(TensorOps, ConvAndPoolErrorsMore) {
  EXPECT_EQ(opError("conv1d", f32s({{1, 1, 5}, {1, 1, 2}}), {{"dilation", 4}}),
            "");
  EXPECT_CONTAINS(opError("conv2d", f32s({{3, 5, 5}, {1, 3, 3}})),
                  "weight must be [C_out, C_in/groups, kH, kW], got [1, 3, 3]");
  EXPECT_CONTAINS(opError("conv2d", f32s({{5, 5}, {1, 1, 3, 3}})),
                  "input must be [N, C, H, W] or [C, H, W], got [5, 5]");
  EXPECT_CONTAINS(
      opError("conv2d", f32s({{1, 1, 5, 5}, {1, 1, 3, 3}}), {{"stride", 0}}),
      "attr 'stride' must be between 1 and 2^31, got 0");
  EXPECT_CONTAINS(opError("conv2d", f32s({{1, 1, 5, 5}, {1, 1, 3, 3}}),
                          {{"padding", {1, 1, 1}}}),
                  "attr 'padding' has 3 values, expected 1 or 2");
  EXPECT_CONTAINS(opError("conv2d", f32s({{1, 1, 5, 5}, {2, 1, 3, 3}, {3}})),
                  "bias is [3], expected [2] or a scalar");
  EXPECT_CONTAINS(opError("conv_transpose2d",
                          f32s({{1, 2, 3, 3}, {2, 1, 2, 2}}),
                          {{"stride", 2}, {"output_padding", 2}}),
                  "attr 'output_padding' must be smaller than stride or "
                  "dilation");
  EXPECT_CONTAINS(
      opError("conv_transpose2d", f32s({{1, 2, 3, 3}, {3, 1, 2, 2}})),
      "input has 2 channels but weight [3, 1, 2, 2] expects 3");
  EXPECT_CONTAINS(opError("conv_transpose2d",
                          f32s({{1, 1, 1, 1}, {1, 1, 1, 1}}), {{"padding", 1}}),
                  "output size -1x-1 is empty (padding too large)");
  EXPECT_CONTAINS(opError("max_pool1d", f32s({{1, 4}})),
                  "op 0 (max_pool1d): needs attr 'kernel_size'");
  EXPECT_CONTAINS(opError("max_pool1d", f32s({{1, 4}}),
                          {{"kernel_size", 2}, {"ceil_mode", true}}),
                  "ceil_mode true is not supported");
  EXPECT_CONTAINS(opError("avg_pool1d", f32s({{1, 4}}),
                          {{"kernel_size", 2}, {"padding", 2}}),
                  "padding must be at most half the kernel size (kernel 2, "
                  "padding 2)");
  EXPECT_CONTAINS(opError("avg_pool1d", f32s({{1, 4}}),
                          {{"kernel_size", 2}, {"dilation", 2}}),
                  "unknown attr 'dilation'");
  EXPECT_CONTAINS(opError("max_pool2d", f32s({{4, 4}}), {{"kernel_size", 2}}),
                  "input must be [N, C, H, W] or [C, H, W], got [4, 4]");
}

TEST(TensorOps, LossErrors) {
  EXPECT_CONTAINS(opError("mse_loss", f32s({{3}, {1}})),
                  "op 0 (mse_loss): input [3] and target [1] differ in shape");
  EXPECT_CONTAINS(opError("mse_loss", f32s({{3}, {3}}), {{"reduction", "avg"}}),
                  "attr 'reduction' must be \"mean\", \"sum\" or \"none\", "
                  "got \"avg\"");
  EXPECT_CONTAINS(opError("huber_loss", f32s({{3}, {3}}), {{"delta", 0}}),
                  "attr 'delta' must be > 0");
  std::vector<std::pair<std::string, TensorType>> ce = {
      {"x", f32Type({2, 3})}, {"t", {DType::Int64, {3}}}};
  EXPECT_CONTAINS(opError("cross_entropy", ce),
                  "class-index target is [3], expected [2] for logits [2, 3]");
  ce[1].second = {DType::Bool, {2}};
  EXPECT_CONTAINS(opError("cross_entropy", ce),
                  "operand 2 is bool, expected int64 (class indices) or "
                  "float32 (probabilities)");
  ce[1].second = f32Type({2});
  EXPECT_CONTAINS(opError("cross_entropy", ce),
                  "probability target is [2], expected the logits' shape "
                  "[2, 3]");
  ce[1].second = f32Type({2, 3});
  EXPECT_CONTAINS(opError("cross_entropy", ce, {{"ignore_index", 0}}),
                  "attr 'ignore_index' applies to int64 class-index targets");
  ce[0].second = f32Type({1, 2, 3});
  EXPECT_CONTAINS(opError("cross_entropy", ce),
                  "logits must be [N, C] or [C], got [1, 2, 3]");
}

TEST(TensorOps, ActivationAttrs) {
  EXPECT_CONTAINS(opError("gelu", f32s({{2}}), {{"approximate", "fast"}}),
                  "op 0 (gelu): attr 'approximate' must be \"none\" or "
                  "\"tanh\", got \"fast\"");
  EXPECT_CONTAINS(opError("elu", f32s({{2}}), {{"alpha", "1"}}),
                  "attr 'alpha' must be a number");
  EXPECT_CONTAINS(opError("selu", f32s({{2}}), {{"alpha", 1}}),
                  "op 0 (selu): takes no attrs, got 'alpha'");
  EXPECT_EQ(opError("softplus", f32s({{2}}), {{"beta", 2}, {"threshold", 5}}),
            "");
}

TEST(TensorOps, UnknownOpListsEveryName) {
  std::string m = opError("frob", f32s({{2}}));
  for (const char *n : {"add",
                        "softsign",
                        "sum",
                        "argmax",
                        "cumsum",
                        "layer_norm",
                        "conv_transpose2d",
                        "avg_pool2d",
                        "logsumexp",
                        "group_norm",
                        "conv3d",
                        "max_pool3d",
                        "kl_div",
                        "triplet_margin_loss",
                        "hardswish",
                        "sqrt",
                        "cross_entropy",
                        "transpose",
                        "triu",
                        "tril",
                        "matmul"})
    EXPECT_TRUE(m.find(" " + std::string(n) + ",") != std::string::npos ||
                m.find(" " + std::string(n) + ")") != std::string::npos)
        << n << " in " << m;
  EXPECT_EQ(m.find("max, max"), std::string::npos);
}

TEST(Int64, DtypeAndDomain) {
  json j = json::parse(R"({
    "inputs": { "x": { "dtype": "float32", "shape": ["N", 4] },
                "t": { "dtype": "int64", "shape": ["N"] } },
    "ops": [ { "op": "argmax", "inputs": ["x"], "output": "i",
               "attrs": { "dim": 1 } },
             { "op": "eq", "inputs": ["i", "t"], "output": "hit" } ],
    "outputs": ["hit"],
    "domain": { "t": { "range": [0, 3] } },
    "shapes": [ { "N": 3 } ] })");
  Spec s = parseSpec(j, "s.json"); // argmax and eq are exact: no tolerance
  EXPECT_EQ(s.findInput("t")->dtype, DType::Int64);
  EXPECT_EQ(s.domainOf("t").kind, Domain::Kind::Range);
  auto out = interpret(
      s, {{"N", 3}},
      {{"x", floats({3, 4}, {0, 5, 5, 1, kNaN, 9, 0, 0, -1, -2, -0.5f, -1})},
       {"t", ints({3}, {1, 0, 3})}});
  std::vector<bool> hit;
  for (const Scalar &v : out.at("hit").data)
    hit.push_back(v.b);
  EXPECT_EQ(hit, (std::vector<bool>{true, true, false}));
  // Errors.
  json k = j;
  k["domain"]["t"] = "finite";
  EXPECT_CONTAINS(parseErr(k), "domain of 't': an int64 input's domain is "
                               "\"all\" or {\"range\": [lo, hi]} with integer "
                               "bounds");
  k["domain"]["t"] = {{"range", {0, 2.5}}};
  EXPECT_CONTAINS(parseErr(k), "an int64 range needs integer bounds");
  k = j;
  k["inputs"]["t"]["dtype"] = "int32";
  EXPECT_CONTAINS(parseErr(k), "unknown dtype 'int32' (expected float32, bool "
                               "or int64)");
  k = j;
  k["ops"][1] = {{"op", "add"}, {"inputs", {"i", 1}}, {"output", "hit"}};
  EXPECT_EQ(parseErr(k), "s.json: op 1 (add): operand 1 is int64, expected "
                         "float32");
  k["ops"][1] = {{"op", "eq"}, {"inputs", {"i", 1.0}}, {"output", "hit"}};
  EXPECT_CONTAINS(parseErr(k), "operand 1 is int64 but operand 2 is float32");
  k["ops"][1] = {{"op", "sum"}, {"inputs", {"i"}}, {"output", "hit"}};
  k["tolerance"] = {{"atol", 1}};
  EXPECT_CONTAINS(parseErr(k), "op 1 (sum): operand 1 is int64, expected "
                               "float32");
}

TEST(Tolerance, ParsedAndRequired) {
  json j = json::parse(R"({
    "inputs": { "x": { "dtype": "float32", "shape": [4] } },
    "ops": [ { "op": "softmax", "inputs": ["x"], "output": "y",
               "attrs": { "dim": 0 } } ],
    "outputs": ["y"],
    "shapes": [ {} ] })");
  EXPECT_EQ(parseErr(j),
            "s.json: op 0 (softmax): needs a non-zero tolerance "
            "(\"tolerance\": {\"atol\": ..., \"rtol\": ...}): it uses exp, "
            "which PyTorch does not round correctly");
  j["tolerance"] = {{"atol", 0}, {"rtol", 0}, {"ignore_zero_sign", true}};
  EXPECT_CONTAINS(parseErr(j), "needs a non-zero tolerance");
  j["tolerance"] = {{"atol", 1e-6}, {"rtol", 1e-5}};
  Spec s = parseSpec(j, "s.json");
  EXPECT_EQ(s.tolerance.atol, 1e-6);
  EXPECT_EQ(s.tolerance.rtol, 1e-5);
  EXPECT_FALSE(s.tolerance.bitExact());
  EXPECT_EQ(s.tolerance.describe(),
            "|candidate - reference| <= atol + rtol * |reference| with atol "
            "1e-06, rtol 1e-05 (NaN matches only NaN, an infinity only "
            "itself)");
  j["tolerance"] = {{"rtol", -1e-5}};
  EXPECT_CONTAINS(parseErr(j), "tolerance: 'rtol' must be >= 0");
  j["tolerance"] = {{"atol", "1e-5"}};
  EXPECT_CONTAINS(parseErr(j), "tolerance: 'atol' must be a number");
  // Why each op needs one (or not).
  auto reason = [](const std::string &op, json attrs = json::object(),
                   size_t arity = 1) {
    OpNode n;
    n.op = op;
    for (size_t k = 0; k < arity; ++k)
      n.inputs.emplace_back("t" + std::to_string(k));
    n.attrs = std::move(attrs);
    return toleranceReason(n);
  };
  EXPECT_EQ(reason("sum"), "it sums in an order PyTorch leaves unspecified");
  EXPECT_EQ(reason("gelu", {{"approximate", "tanh"}}),
            "it uses tanh, which PyTorch does not round correctly");
  EXPECT_EQ(reason("gelu"), "it uses erf, which PyTorch does not round "
                            "correctly");
  EXPECT_EQ(reason("matmul", {}, 2), "it sums in an order PyTorch leaves "
                                     "unspecified");
  EXPECT_NE(reason("avg_pool1d"), "");
  EXPECT_NE(reason("mse_loss", {}, 2), "");
  EXPECT_NE(reason("prod"), "");
  EXPECT_NE(reason("batch_norm", {}, 3), "");
  for (const char *exact :
       {"max", "argmin", "transpose", "max_pool2d", "softsign", "relu", "add"})
    EXPECT_EQ(reason(exact, {}, std::string(exact) == "add" ? 2 : 1), "")
        << exact;
  EXPECT_EQ(reason("norm", {{"p", "inf"}}), "");
  EXPECT_EQ(reason("mse_loss", {{"reduction", "none"}}, 2), "");
  EXPECT_EQ(reason("max", {}, 2), ""); // elementwise maximum
}

TEST(Tolerance, Accepts) {
  Tolerance bit;
  EXPECT_TRUE(bit.accepts(1.0f, 1.0f));
  EXPECT_FALSE(bit.accepts(1.0f, std::nextafter(1.0f, 2.0f)));
  EXPECT_FALSE(bit.accepts(0.0f, -0.0f));
  EXPECT_TRUE(bit.accepts(kNaN, -kNaN));
  bit.ignoreZeroSign = true;
  EXPECT_TRUE(bit.accepts(0.0f, -0.0f));
  Tolerance t;
  t.atol = 1e-3;
  t.rtol = 1e-2;
  // |c - r| <= atol + rtol * |r|: for r = 10 the bound is 0.101.
  EXPECT_TRUE(t.accepts(10.0f, 10.1f));
  EXPECT_FALSE(t.accepts(10.0f, 10.11f));
  EXPECT_TRUE(t.accepts(0.0f, 0.0009f));
  EXPECT_FALSE(t.accepts(0.0f, 0.0011f));
  EXPECT_TRUE(t.accepts(-0.0f, 0.0f));
  // NaN matches NaN only; an infinity only itself.
  EXPECT_FALSE(t.accepts(kNaN, 1.0f));
  EXPECT_FALSE(t.accepts(1.0f, kNaN));
  EXPECT_TRUE(t.accepts(kNaN, kNaN));
  EXPECT_TRUE(t.accepts(kInf, kInf));
  EXPECT_FALSE(t.accepts(kInf, -kInf));
  EXPECT_FALSE(t.accepts(kInf, 3e38f));
  EXPECT_FALSE(t.accepts(3e38f, kInf));
  // The reference's magnitude scales the bound, not the candidate's.
  Tolerance r;
  r.rtol = 0.5;
  EXPECT_TRUE(r.accepts(2.0f, 3.0f));
  EXPECT_FALSE(r.accepts(3.0f, 1.4f));
}
