// The reductions written once at an output index (spec/ops/Reductions.h
// reduceAt over an index domain, spec/ops/Index.h): the fold order's
// position forms agree with ReduceParams' offsets, and the value at one
// index over a domain that prints its terms is the semantics table's fold.
#include "OpTestUtil.h"

#include "spec/ops/Index.h"
#include "spec/ops/Reductions.h"

using namespace ksynth;
using namespace ksynth::spec;
using json = nlohmann::json;

namespace {

OpNode reduction(const std::string &name, json attrs) {
  OpNode op;
  op.op = name;
  op.inputs.push_back(std::string("x"));
  op.output = "y";
  op.attrs = std::move(attrs);
  return op;
}

TEST(ReduceAt, FoldOrderAgreesWithTheParamsOffsets) {
  struct Case {
    std::vector<int64_t> dims;
    json attrs;
  };
  std::vector<Case> cases = {
      {{2, 3}, {{"dim", 1}}},
      {{2, 3}, {{"dim", 0}}},
      {{2, 3}, {{"dim", 0}, {"keepdim", true}}},
      {{2, 3, 4}, {{"dim", {0, 2}}}},
      {{2, 3, 4}, {{"dim", {2, 0}}, {"keepdim", true}}},
      {{3, 1, 5}, {{"dim", {1, 2}}}},
      {{1, 4, 1, 3}, {{"dim", {0, 3}}}},
      {{5, 1, 2, 3}, {{"dim", 1}}},
      {{4, 5}, json::object()},
      {{}, json::object()},
      {{7}, {{"dim", 0}}},
  };
  for (const Case &c : cases) {
    OpNode op = reduction("sum", c.attrs);
    ReduceParams p = reduceParams(op, {{DType::Float32, c.dims}});
    SCOPED_TRACE(op.attrs.dump());
    ASSERT_EQ(static_cast<int64_t>(p.outerOffsets.size()), product(p.outDims));
    for (size_t flat = 0; flat < p.outerOffsets.size(); ++flat)
      EXPECT_EQ(red::reduceLineAt<IntIndex>(p, static_cast<int64_t>(flat)),
                p.outerOffsets[flat])
          << flat;
    for (size_t k = 0; k < p.innerOffsets.size(); ++k)
      EXPECT_EQ(red::reducePositionAt<IntIndex>(p, static_cast<int64_t>(k)),
                p.innerOffsets[k])
          << k;
  }
}

// A domain whose values are the text of the terms built.
struct TextDomain {
  using Val = std::string;
  static Val f32(float x) { return x == 0 ? "+0" : formatFloat(x); }
  static Val num(double c) { return formatFloat(static_cast<float>(c)); }
  static Val i64(int64_t v) { return "#" + std::to_string(v); }
  static Val boolean(bool b) { return b ? "true" : "false"; }
  static Val bin(const char *o, const Val &a, const Val &b) {
    return "(" + a + " " + o + " " + b + ")";
  }
  static Val fn(const char *f, const Val &a) { return f + ("(" + a + ")"); }
  Val add(const Val &a, const Val &b) { return bin("+", a, b); }
  Val sub(const Val &a, const Val &b) { return bin("-", a, b); }
  Val mul(const Val &a, const Val &b) { return bin("*", a, b); }
  Val div(const Val &a, const Val &b) { return bin("/", a, b); }
  Val neg(const Val &a) { return fn("-", a); }
  Val abs(const Val &a) { return fn("abs", a); }
  Val sqrt(const Val &a) { return fn("sqrt", a); }
  Val exp(const Val &a) { return fn("exp", a); }
  Val log(const Val &a) { return fn("log", a); }
  Val lt(const Val &a, const Val &b) { return bin("<", a, b); }
  Val le(const Val &a, const Val &b) { return bin("<=", a, b); }
  Val gt(const Val &a, const Val &b) { return bin(">", a, b); }
  Val ge(const Val &a, const Val &b) { return bin(">=", a, b); }
  Val eq(const Val &a, const Val &b) { return bin("==", a, b); }
  Val isnan(const Val &a) { return fn("isnan", a); }
  Val signbit(const Val &a) { return fn("signbit", a); }
  Val land(const Val &a, const Val &b) { return bin("&&", a, b); }
  Val lor(const Val &a, const Val &b) { return bin("||", a, b); }
  Val lnot(const Val &a) { return fn("!", a); }
  Val select(const Val &c, const Val &a, const Val &b) {
    return c + " ? " + a + " : " + b;
  }
};

std::string textAt(const OpNode &op, std::vector<int64_t> dims, int64_t flat) {
  ReduceParams p = reduceParams(op, {{DType::Float32, dims}});
  TextDomain d;
  return red::reduceAt<TextDomain, IntIndex>(
      red::reduceKind(op), p, d, flat,
      [](int64_t i) { return "x" + std::to_string(i); });
}

TEST(ReduceAt, TheValueAtAnIndexIsTheTablesFold) {
  // [2, 3] along dim 0, output 1: x[0][1], x[1][1], a left fold from +0.
  EXPECT_EQ(textAt(reduction("sum", {{"dim", 0}}), {2, 3}, 1),
            "((+0 + x1) + x4)");
  EXPECT_EQ(textAt(reduction("mean", {{"dim", 1}}), {2, 3}, 1),
            "((((+0 + x3) + x4) + x5) / 3)");
  EXPECT_EQ(textAt(reduction("prod", {{"dim", 1}}), {2, 2}, 0),
            "((1 * x0) * x1)");
  EXPECT_EQ(textAt(reduction("norm", {{"dim", 1}}), {2, 2}, 1),
            "sqrt(((+0 + (x2 * x2)) + (x3 * x3)))");
  EXPECT_EQ(textAt(reduction("norm", {{"dim", 1}, {"p", 1}}), {1, 2}, 0),
            "((+0 + abs(x0)) + abs(x1))");
  // norm "inf" starts from the first element's term, not from a constant.
  std::string inf =
      textAt(reduction("norm", {{"dim", 0}, {"p", "inf"}}), {2}, 0);
  EXPECT_NE(inf.find("abs(x0)"), std::string::npos);
  EXPECT_EQ(inf.find("-inf"), std::string::npos);
  // argmax of one element: index 0.
  EXPECT_EQ(textAt(reduction("argmax", {{"dim", 0}}), {1}, 0), "#0");
}

} // namespace

TEST(ReduceAt, LogsumexpShiftsByTheMaskedMax) {
  // [2, 2] along dim 1, output 1: the max of x2, x3 (NaN propagating),
  // masked to 0 where infinite, then log of the left fold of exp(x - m),
  // plus m.
  std::string t = textAt(reduction("logsumexp", {{"dim", 1}}), {2, 2}, 1);
  EXPECT_EQ(t.rfind("(log(((+0 + exp((x2 - ", 0), 0u) << t;
  EXPECT_NE(t.find("(abs("), std::string::npos) << t;
  EXPECT_NE(t.find("== inf"), std::string::npos) << t;
}
