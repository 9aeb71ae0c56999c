// The symbolic reference at one flat index
// (verify/methods/SymbolicReferenceAt.cpp) for the tensor ops with several
// operands, windows and scans (matmul, transpose, triu/tril, conv, pooling,
// cumsum, the norms, the losses, and the ops the symbolic methods do not
// take yet) against the reference interpreter: every element,
// concretely (concreteReferenceAt) and as a term (referenceElementAt) evaluated
// by the rewriter once the input arrays are constant arrays and the index a
// numeral, with special values (NaN, infinities, -0) among the inputs. The term
// is also built at an index that is a sum of variables (the affine guesses of
// the division by a dim), evaluated both where the guess is right and where it
// is not.
#include "verify/exec/Executor.h"
#include "verify/methods/SymbolicItem.h"

#include "solver/Solver.h"
#include "spec/Interpreter.h"
#include "spec/OpTable.h"
#include "support/Float.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace ksynth;
using json = nlohmann::json;
using smt::Expr;

namespace ksynth::verify {
// verify/methods/SymbolicReferenceAt.cpp: the path decider.
void pushReferenceDecider(
    std::function<std::optional<bool>(const smt::Expr &)> decide);
void popReferenceDecider();
} // namespace ksynth::verify

namespace {

bool sameValue(uint32_t a, uint32_t b) {
  bool na = std::isnan(bitsFloat(a)), nb = std::isnan(bitsFloat(b));
  return na || nb ? na && nb : a == b;
}

struct Case {
  std::string inputs; // JSON object
  std::string ops;    // JSON array; the output is "y"
  std::string shape;  // JSON object
  bool specials = true;
  bool symbolic = true; // false where the reference uses exp/log
  bool onPath = false;  // also with a path decider (slower: queries)
};

void expectAgrees(const Case &c) {
  SCOPED_TRACE(c.ops + " at " + c.shape);
  spec::Spec s = spec::parseSpec(json::parse(R"({ "inputs": )" + c.inputs +
                                             R"(, "ops": )" + c.ops +
                                             R"(, "outputs": ["y"],
                    "tolerance": { "atol": 1e-5, "rtol": 1e-5 },
                    "shapes": [ )" + c.shape +
                                             " ] }"),
                                 "spec.json");
  spec::ShapeBinding b = s.shapes.front();
  auto types = spec::inferTypes(s, b);
  std::mt19937 rng(1234);
  const float specials[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN};
  std::map<std::string, spec::Tensor<spec::Scalar>> in;
  std::map<std::string, std::vector<uint32_t>> bits;
  for (const spec::TensorDecl &t : s.inputs) {
    spec::Tensor<spec::Scalar> tt;
    tt.type = types.at(t.name);
    for (int64_t i = 0; i < tt.type.numel(); ++i) {
      float f = static_cast<float>(static_cast<int>(rng() % 17) - 8) / 4.0f;
      if (c.specials && rng() % 11 == 0)
        f = specials[rng() % 5];
      tt.data.push_back(spec::ConcreteDomain::f32(f));
      bits[t.name].push_back(floatBits(f));
    }
    in[t.name] = std::move(tt);
  }
  auto out = spec::interpret(s, b, in);
  const spec::Tensor<spec::Scalar> &y = out.at("y");
  // The inputs as constant arrays (and 0-d values) for substitution.
  std::vector<std::pair<Expr, Expr>> inputs;
  for (auto &[name, v] : bits) {
    if (types.at(name).dims.empty()) {
      inputs.push_back({Expr::bvVar(name, 32), Expr::bvVal(v[0], 32)});
      continue;
    }
    Expr a = verify::inputArray(name, 32);
    Expr arr = a;
    for (size_t i = 0; i < v.size(); ++i)
      arr = arr.store(Expr::bvVal(i, 64), Expr::bvVal(v[i], 32));
    inputs.push_back({a, arr});
  }
  auto evaluate = [&](const Expr &ref, std::vector<std::pair<Expr, Expr>> sub) {
    sub.insert(sub.end(), inputs.begin(), inputs.end());
    return ref.substitute(sub).simplify().asFPBits();
  };
  const std::vector<int64_t> &dims = types.at("y").dims;
  int64_t last = dims.empty() ? 1 : dims.back();
  Expr v = Expr::bvVar("flat", 64), hi = Expr::bvVar("hi", 64),
       lo = Expr::bvVar("lo", 64);
  Expr atVar, atSum, atPath;
  Expr sum = hi.mul(Expr::bvVal(static_cast<uint64_t>(last), 64)).add(lo);
  if (c.symbolic) {
    atVar = verify::referenceElementAt(s, b, "y", v);
    atSum = verify::referenceElementAt(s, b, "y", sum);
  }
  if (c.symbolic && c.onPath) {
    // With a decider for the path lo < last, hi < numel / last: the
    // guesses hold and windows and scans are decided there.
    smt::SolverConfig cfg;
    cfg.timeoutMs = 10000;
    cfg.fork = false; // small bit-vector questions
    auto solver = smt::makeZ3Solver(cfg);
    Expr path =
        lo.ult(Expr::bvVal(static_cast<uint64_t>(last), 64)) &&
        hi.ult(Expr::bvVal(static_cast<uint64_t>(y.type.numel() / last), 64));
    verify::pushReferenceDecider([&](const Expr &cond) -> std::optional<bool> {
      if (solver->check({{path, !cond}, "decide"}).status ==
          smt::SatResult::Unsat)
        return true;
      if (solver->check({{path, cond}, "decide"}).status ==
          smt::SatResult::Unsat)
        return false;
      return std::nullopt;
    });
    atPath = verify::referenceElementAt(s, b, "y", sum);
    verify::popReferenceDecider();
  }
  for (int64_t k = 0; k < y.type.numel(); ++k) {
    uint32_t want = floatBits(y.data[static_cast<size_t>(k)].f);
    uint32_t got = verify::concreteReferenceAt(
        s, b, "y", k, [&](const std::string &t, int64_t i) {
          return bits.at(t).at(static_cast<size_t>(i));
        });
    EXPECT_TRUE(sameValue(got, want))
        << "concrete element " << k << ": " << bitsFloat(got) << " vs "
        << bitsFloat(want);
    if (!c.symbolic)
      continue;
    auto num = [](int64_t x) {
      return Expr::bvVal(static_cast<uint64_t>(x), 64);
    };
    std::vector<std::vector<std::pair<Expr, Expr>>> points = {
        {{v, num(k)}},
        {{hi, num(k / last)}, {lo, num(k % last)}},  // the guess is right
        {{hi, num(0)}, {lo, num(k)}},                // it is not (k >= last)
        {{hi, num(k / last)}, {lo, num(k % last)}}}; // on the path
    for (size_t pt = 0; pt < (c.onPath ? 4u : 3u); ++pt) {
      std::optional<uint32_t> sym = evaluate(pt == 0   ? atVar
                                             : pt == 3 ? atPath
                                                       : atSum,
                                             points[pt]);
      ASSERT_TRUE(sym.has_value()) << "element " << k << " point " << pt;
      EXPECT_TRUE(sameValue(*sym, want))
          << "symbolic element " << k << " point " << pt << ": "
          << bitsFloat(*sym) << " vs " << bitsFloat(want);
    }
  }
}

const char *kX2 = R"({ "x": { "dtype": "float32", "shape": ["M", "K"] },
                       "w": { "dtype": "float32", "shape": ["K", "N"] } })";

TEST(SymbolicReferenceAt, Matmul) {
  expectAgrees({kX2,
                R"([{ "op": "matmul", "inputs": ["x", "w"], "output": "y" }])",
                R"({ "M": 5, "K": 3, "N": 7 })", true, true, true});
  // Batched with broadcasting, 1-D operands.
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": [2, 1, 3, 4] },
            "w": { "dtype": "float32", "shape": [3, 4, 5] } })",
                R"([{ "op": "matmul", "inputs": ["x", "w"], "output": "y" }])",
                "{}"});
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": [4] },
            "w": { "dtype": "float32", "shape": [2, 4, 3] } })",
                R"([{ "op": "matmul", "inputs": ["x", "w"], "output": "y" }])",
                "{}"});
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": [3, 6, 4] },
            "w": { "dtype": "float32", "shape": [4] } })",
                R"([{ "op": "matmul", "inputs": ["x", "w"], "output": "y" }])",
                "{}"});
  // transpose before, elementwise ops around.
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": ["K", "M"] },
            "w": { "dtype": "float32", "shape": ["N", "K"] },
            "b": { "dtype": "float32", "shape": ["N"] } })",
                R"([{ "op": "transpose", "inputs": ["x"], "output": "xt",
             "attrs": { "dim0": 0, "dim1": 1 } },
           { "op": "transpose", "inputs": ["w"], "output": "wt",
             "attrs": { "dim0": -1, "dim1": -2 } },
           { "op": "relu", "inputs": ["xt"], "output": "r" },
           { "op": "matmul", "inputs": ["r", "wt"], "output": "mm" },
           { "op": "add", "inputs": ["mm", "b"], "output": "y" }])",
                R"({ "M": 5, "K": 3, "N": 6 })"});
}

TEST(SymbolicReferenceAt, Conv) {
  const char *x4 = R"({ "x": { "dtype": "float32", "shape": [2, 4, 5, 6] },
                        "w": { "dtype": "float32", "shape": [6, 2, 3, 2] },
                        "b": { "dtype": "float32", "shape": [6] } })";
  expectAgrees({x4,
                R"([{ "op": "conv2d", "inputs": ["x", "w", "b"],
                      "output": "y", "attrs": { "groups": 2 } }])",
                "{}"});
  expectAgrees({x4,
                R"([{ "op": "conv2d", "inputs": ["x", "w", "b"],
                      "output": "y", "attrs": { "groups": 2,
                      "padding": [1, 2], "stride": [2, 1],
                      "dilation": [1, 2] } }])",
                "{}", true, true, true});
  expectAgrees({x4,
                R"([{ "op": "conv2d", "inputs": ["x", "w"],
                      "output": "y", "attrs": { "groups": 2,
                      "padding": 1, "stride": [1, 3] } }])",
                "{}"});
  // conv1d, unbatched, scalar bias literal.
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": [3, 11] },
            "w": { "dtype": "float32", "shape": [4, 3, 3] } })",
                R"([{ "op": "conv1d", "inputs": ["x", "w", 0.5], "output": "y",
             "attrs": { "padding": 2, "stride": 2, "dilation": 2 } }])",
                "{}", true, true, true});
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": [2, 2, 9] },
            "w": { "dtype": "float32", "shape": [2, 2, 3] } })",
                R"([{ "op": "conv1d", "inputs": ["x", "w"], "output": "c",
             "attrs": { "padding": 1 } },
           { "op": "relu", "inputs": ["c"], "output": "y" }])",
                "{}"});
  // conv_transpose2d: stride, padding, dilation, groups, output_padding.
  const char *t4 = R"({ "x": { "dtype": "float32", "shape": [2, 4, 3, 4] },
                        "w": { "dtype": "float32", "shape": [4, 3, 3, 2] },
                        "b": { "dtype": "float32", "shape": [6] } })";
  expectAgrees({t4,
                R"([{ "op": "conv_transpose2d", "inputs": ["x", "w", "b"],
                      "output": "y", "attrs": { "groups": 2 } }])",
                "{}"});
  expectAgrees({t4,
                R"([{ "op": "conv_transpose2d", "inputs": ["x", "w", "b"],
                      "output": "y", "attrs": { "groups": 2,
                      "stride": [2, 3], "padding": [1, 1],
                      "output_padding": [1, 2] } }])",
                "{}", true, true, true});
  expectAgrees({t4,
                R"([{ "op": "conv_transpose2d", "inputs": ["x", "w"],
                      "output": "y", "attrs": { "groups": 2,
                      "stride": 2, "dilation": [2, 1], "padding": [2, 0] } }])",
                "{}"});
}

TEST(SymbolicReferenceAt, Pooling) {
  const char *x4 = R"({ "x": { "dtype": "float32", "shape": [2, 3, 7, 8] } })";
  for (const char *op : {"max_pool2d", "avg_pool2d"}) {
    std::string o = op;
    expectAgrees({x4,
                  R"([{ "op": ")" + o +
                      R"(", "inputs": ["x"], "output": "y",
                        "attrs": { "kernel_size": 3 } }])",
                  "{}"});
    expectAgrees({x4,
                  R"([{ "op": ")" + o +
                      R"(", "inputs": ["x"], "output": "y",
                        "attrs": { "kernel_size": [3, 2], "stride": [2, 1],
                                   "padding": 1 } }])",
                  "{}", true, true, true});
  }
  expectAgrees({x4,
                R"([{ "op": "max_pool2d", "inputs": ["x"], "output": "y",
                      "attrs": { "kernel_size": [3, 2], "stride": 1,
                                 "padding": [1, 1], "dilation": [2, 3] } }])",
                "{}"});
  expectAgrees({x4,
                R"([{ "op": "avg_pool2d", "inputs": ["x"], "output": "y",
                      "attrs": { "kernel_size": [3, 4], "stride": [2, 3],
                                 "padding": [1, 2],
                                 "count_include_pad": false } }])",
                "{}", true, true, true});
  const char *x3 = R"({ "x": { "dtype": "float32", "shape": [2, 3, 13] } })";
  expectAgrees({x3,
                R"([{ "op": "max_pool1d", "inputs": ["x"], "output": "y",
                      "attrs": { "kernel_size": 4, "stride": 3,
                                 "padding": 2 } }])",
                "{}", true, true, true});
  expectAgrees({x3,
                R"([{ "op": "avg_pool1d", "inputs": ["x"], "output": "y",
                      "attrs": { "kernel_size": 3, "stride": 1,
                                 "padding": 1,
                                 "count_include_pad": false } }])",
                "{}"});
}

TEST(SymbolicReferenceAt, Cumsum) {
  const char *x3 = R"({ "x": { "dtype": "float32", "shape": [3, 5, 4] } })";
  for (const char *attrs :
       {R"({ "dim": 1 })", R"({ "dim": 2, "exclusive": true })",
        R"({ "dim": 0, "reverse": true })",
        R"({ "dim": -1, "reverse": true, "exclusive": true })"})
    expectAgrees({x3,
                  R"([{ "op": "cumsum", "inputs": ["x"], "output": "y",
                        "attrs": )" +
                      std::string(attrs) + " }]",
                  "{}", true, true, true});
}

// At a flat index row * 8 + j (row a variable, j a constant) the scan
// position is j for every value of row (the low bits): the reference is
// the prefix fold itself, without a case per position, and still right.
TEST(SymbolicReferenceAt, ScanPositionFromLowBits) {
  spec::Spec s = spec::parseSpec(json::parse(R"({
    "inputs": { "x": { "dtype": "float32", "shape": [5, 8] } },
    "ops": [ { "op": "cumsum", "inputs": ["x"], "output": "y",
               "attrs": { "dim": 1 } } ],
    "outputs": ["y"], "tolerance": { "atol": 1e-5, "rtol": 1e-5 },
    "shapes": [ {} ] })"),
                                 "spec.json");
  spec::ShapeBinding b = s.shapes.front();
  Expr row = Expr::bvVar("row", 64);
  std::vector<uint32_t> bits;
  spec::Tensor<spec::Scalar> x;
  x.type = spec::inferTypes(s, b).at("x");
  for (int i = 0; i < 40; ++i) {
    float f = static_cast<float>(i % 7) * 0.75f - 2.0f;
    bits.push_back(floatBits(f));
    x.data.push_back(spec::ConcreteDomain::f32(f));
  }
  auto y = spec::interpret(s, b, {{"x", x}}).at("y");
  Expr arr = verify::inputArray("x", 32), filled = arr;
  for (size_t i = 0; i < bits.size(); ++i)
    filled = filled.store(Expr::bvVal(i, 64), Expr::bvVal(bits[i], 32));
  for (int64_t j = 0; j < 8; ++j) {
    Expr ref = verify::referenceElementAt(
        s, b, "y", row.mul(Expr::bvVal(8, 64)).add(Expr::bvVal(j, 64)));
    EXPECT_EQ(ref.selects().size(), static_cast<size_t>(j + 1))
        << "position " << j; // x[row, 0..j], not the whole row
    for (int64_t r = 0; r < 5; ++r) {
      std::optional<uint32_t> got =
          ref.substitute({{row, Expr::bvVal(static_cast<uint64_t>(r), 64)},
                          {arr, filled}})
              .simplify()
              .asFPBits();
      ASSERT_TRUE(got.has_value());
      EXPECT_EQ(*got, floatBits(y.data[static_cast<size_t>(r * 8 + j)].f))
          << "row " << r << " position " << j;
    }
  }
}

TEST(SymbolicReferenceAt, Norms) {
  expectAgrees(
      {R"({ "x": { "dtype": "float32", "shape": [3, 2, 5] },
            "g": { "dtype": "float32", "shape": [2, 5] },
            "b": { "dtype": "float32", "shape": [2, 5] } })",
       R"([{ "op": "layer_norm", "inputs": ["x", "g", "b"], "output": "y",
             "attrs": { "normalized_ndim": 2 } }])",
       "{}"});
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": [4, 6] } })",
                R"([{ "op": "layer_norm", "inputs": ["x"], "output": "y",
                      "attrs": { "eps": 0.5 } }])",
                "{}"});
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": [4, 6] },
                     "g": { "dtype": "float32", "shape": [6] } })",
                R"([{ "op": "layer_norm", "inputs": ["x", "g", 0.25],
                      "output": "y" }])",
                "{}"});
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": [4, 6] },
                     "g": { "dtype": "float32", "shape": [6] } })",
                R"([{ "op": "rms_norm", "inputs": ["x", "g"],
                      "output": "y" }])",
                "{}"});
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": [2, 3, 4, 2] },
            "m": { "dtype": "float32", "shape": [3] },
            "v": { "dtype": "float32", "shape": [3] },
            "g": { "dtype": "float32", "shape": [3] },
            "b": { "dtype": "float32", "shape": [] } })",
                R"([{ "op": "batch_norm", "inputs": ["x", "m", "v", "g", "b"],
             "output": "y" }])",
                "{}"});
  expectAgrees(
      {R"({ "x": { "dtype": "float32", "shape": [5, 3] },
            "m": { "dtype": "float32", "shape": [3] },
            "v": { "dtype": "float32", "shape": [3] } })",
       R"([{ "op": "batch_norm", "inputs": ["x", "m", "v"], "output": "y",
             "attrs": { "eps": 0.125 } }])",
       "{}"});
}

TEST(SymbolicReferenceAt, Losses) {
  const char *xy = R"({ "x": { "dtype": "float32", "shape": [3, 5] },
                        "t": { "dtype": "float32", "shape": [3, 5] } })";
  for (const char *op : {"mse_loss", "huber_loss", "hinge_loss"})
    for (const char *r : {"none", "sum", "mean"})
      expectAgrees({xy,
                    R"([{ "op": ")" + std::string(op) +
                        R"(", "inputs": ["x", "t"], "output": "y",
                          "attrs": { "reduction": ")" +
                        r + R"(" } }])",
                    "{}"});
  expectAgrees({xy,
                R"([{ "op": "huber_loss", "inputs": ["x", "t"], "output": "y",
                      "attrs": { "reduction": "none", "delta": 0.5 } }])",
                "{}"});
  for (const char *r : {"none", "sum", "mean"})
    expectAgrees({xy,
                  R"([{ "op": "cross_entropy", "inputs": ["x", "t"],
                        "output": "y", "attrs": { "reduction": ")" +
                      std::string(r) + R"(" } }])",
                  "{}", true, false});
}

// argmax / argmin (int64 elements, 64-bit bit-vector terms) along each
// dim, with keepdim and over the flattened tensor, against the
// interpreter: inputs drawn from few values so that rows have ties,
// signed zeros (-0 == +0: the first wins) and NaNs (the first wins).
TEST(SymbolicReferenceAt, ArgmaxArgmin) {
  const float pool[] = {1.0f,     1.0f,      -2.0f, 0.0f, -0.0f,
                        INFINITY, -INFINITY, NAN,   3.0f, 3.0f};
  for (const char *op : {"argmax", "argmin"})
    for (const char *attrs :
         {R"({ "dim": 1 })", R"({ "dim": 0 })", R"({ "dim": -1 })",
          R"({ "dim": 1, "keepdim": true })", "{}"})
      for (unsigned seed = 0; seed < 4; ++seed) {
        SCOPED_TRACE(std::string(op) + " " + attrs + " seed " +
                     std::to_string(seed));
        spec::Spec s = spec::parseSpec(
            json::parse(R"({ "inputs": { "x": { "dtype": "float32",
                                                "shape": [4, 6, 3] } },
                             "ops": [ { "op": ")" +
                        std::string(op) +
                        R"(", "inputs": ["x"], "output": "y",
                                        "attrs": )" +
                        attrs + R"( } ],
                             "outputs": ["y"], "shapes": [ {} ] })"),
            "spec.json");
        spec::ShapeBinding b = s.shapes.front();
        std::mt19937 rng(seed);
        spec::Tensor<spec::Scalar> x;
        x.type = spec::inferTypes(s, b).at("x");
        std::vector<uint32_t> bits;
        // Seed 0: no NaN (ties and zeros decide); others: some NaNs.
        for (int64_t i = 0; i < x.type.numel(); ++i) {
          float f = pool[rng() % (seed == 0 ? 7 : 10)];
          if (seed == 0 && std::isnan(f))
            f = 1.0f;
          bits.push_back(floatBits(f));
          x.data.push_back(spec::ConcreteDomain::f32(f));
        }
        auto y = spec::interpret(s, b, {{"x", x}}).at("y");
        ASSERT_EQ(y.type.dtype, spec::DType::Int64);
        Expr arr = verify::inputArray("x", 32), filled = arr;
        for (size_t i = 0; i < bits.size(); ++i)
          filled = filled.store(Expr::bvVal(i, 64), Expr::bvVal(bits[i], 32));
        Expr flat = Expr::bvVar("flat", 64);
        Expr ref = verify::referenceElementAt(s, b, "y", flat);
        ASSERT_TRUE(ref.isBV());
        ASSERT_EQ(ref.bvWidth(), 64u);
        for (int64_t k = 0; k < y.type.numel(); ++k) {
          int64_t want = y.data[static_cast<size_t>(k)].i;
          spec::Scalar got = verify::concreteReferenceValueAt(
              s, b, "y", k, [&](const std::string &, int64_t i) {
                return bits.at(static_cast<size_t>(i));
              });
          EXPECT_EQ(got.type, spec::DType::Int64);
          EXPECT_EQ(got.i, want) << "concrete element " << k;
          std::optional<uint64_t> sym =
              ref.substitute({{flat, Expr::bvVal(static_cast<uint64_t>(k), 64)},
                              {arr, filled}})
                  .simplify()
                  .asUInt();
          ASSERT_TRUE(sym.has_value()) << "element " << k;
          EXPECT_EQ(static_cast<int64_t>(*sym), want)
              << "symbolic element " << k;
        }
      }
}

TEST(SymbolicReferenceAt, TriuTril) {
  // The condition j - i >= diagonal (triu) or <= diagonal (tril) on two
  // index coordinates (X::less), every diagonal sign, batched.
  const char *x3 = R"({ "x": { "dtype": "float32", "shape": [2, "R", 6] } })";
  for (const char *op : {"triu", "tril"})
    for (int diag : {0, 2, -1, -3, 9, -9}) {
      std::string ops = std::string(R"([{ "op": ")") + op +
                        R"(", "inputs": ["x"], "output": "y",
                        "attrs": { "diagonal": )" +
                        std::to_string(diag) + " } }]";
      expectAgrees({x3, ops, R"({ "R": 5 })", true, true, diag == 2});
    }
  // Inside an expression: triu of a matmul, relu after.
  expectAgrees({kX2,
                R"([{ "op": "matmul", "inputs": ["x", "w"], "output": "mm" },
                    { "op": "tril", "inputs": ["mm"], "output": "t",
                      "attrs": { "diagonal": 1 } },
                    { "op": "relu", "inputs": ["t"], "output": "y" }])",
                R"({ "M": 4, "K": 3, "N": 5 })", true, true, true});
}

// The ops the symbolic methods do not take yet (atIndex false) have their
// value at an index written too: it agrees with the interpreter (whose
// line families, cumprod and the group norms, are tabulated line by line).
TEST(SymbolicReferenceAt, EnumerationOnlyOpsAtIndex) {
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": [3, 4] } })",
                R"([{ "op": "cumprod", "inputs": ["x"], "output": "y",
                      "attrs": { "dim": 1 } }])",
                "{}", true, true, true});
  const char *x4 = R"({ "x": { "dtype": "float32", "shape": [2, 4, 3] },
                        "w": { "dtype": "float32", "shape": [4] },
                        "b": { "dtype": "float32", "shape": [4] } })";
  expectAgrees({x4,
                R"([{ "op": "group_norm", "inputs": ["x", "w", "b"],
                      "output": "y", "attrs": { "num_groups": 2 } }])",
                "{}"});
  expectAgrees(
      {x4, R"([{ "op": "instance_norm", "inputs": ["x"], "output": "y" }])",
       "{}"});
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": [1, 2, 3, 3, 4] },
                     "w": { "dtype": "float32", "shape": [2, 2, 2, 2, 2] } })",
                R"([{ "op": "conv3d", "inputs": ["x", "w"], "output": "y",
                      "attrs": { "padding": [1, 0, 1] } }])",
                "{}"});
  expectAgrees({R"({ "x": { "dtype": "float32", "shape": [1, 2, 2, 2, 3] },
                     "w": { "dtype": "float32", "shape": [2, 1, 2, 2, 2] } })",
                R"([{ "op": "conv_transpose3d", "inputs": ["x", "w"],
                      "output": "y", "attrs": { "stride": [2, 1, 2] } }])",
                "{}"});
  for (const char *op : {"max_pool3d", "avg_pool3d"})
    expectAgrees(
        {R"({ "x": { "dtype": "float32", "shape": [1, 2, 4, 3, 4] } })",
         std::string(R"([{ "op": ")") + op +
             R"(", "inputs": ["x"], "output": "y",
                        "attrs": { "kernel_size": [2, 2, 3],
                                   "padding": [1, 1, 1] } }])",
         "{}"});
  expectAgrees({R"({ "a": { "dtype": "float32", "shape": [3, 4] },
                     "p": { "dtype": "float32", "shape": [3, 4] },
                     "n": { "dtype": "float32", "shape": [3, 4] } })",
                R"([{ "op": "triplet_margin_loss", "inputs": ["a", "p", "n"],
                      "output": "y", "attrs": { "reduction": "none" } }])",
                "{}"});
}

TEST(SymbolicReferenceAt, CoveredOps) {
  auto op = [](const std::string &name, size_t inputs) {
    spec::OpNode o;
    o.op = name;
    for (size_t k = 0; k < inputs; ++k)
      o.inputs.push_back(std::string("x"));
    return o;
  };
  for (const char *o : {"matmul", "conv2d", "conv1d", "conv_transpose2d",
                        "mse_loss", "huber_loss", "hinge_loss"})
    EXPECT_TRUE(verify::symbolicTensorOpCovered(op(o, 2))) << o;
  for (const char *o :
       {"cumsum", "layer_norm", "rms_norm", "transpose", "max_pool1d",
        "max_pool2d", "avg_pool1d", "avg_pool2d", "softmax", "sum"})
    EXPECT_TRUE(verify::symbolicTensorOpCovered(op(o, 1))) << o;
  EXPECT_TRUE(verify::symbolicTensorOpCovered(op("batch_norm", 3)));
  for (const char *o : {"argmax", "argmin"})
    EXPECT_TRUE(verify::symbolicTensorOpCovered(op(o, 1))) << o;
  spec::OpNode lit;
  lit.op = "sum";
  lit.inputs.push_back(2.0);
  EXPECT_FALSE(verify::symbolicTensorOpCovered(lit));
}

} // namespace
