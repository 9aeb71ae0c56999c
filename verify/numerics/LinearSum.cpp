// Linear sums read in one pass over their DAG (verify/numerics/LinearSum.h).
#include "verify/numerics/LinearSum.h"

#include "verify/numerics/RoundingArith.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace ksynth::verify {

using smt::Expr;
using Op = Expr::Op;

namespace {

double at(const std::vector<double> &v, size_t j) {
  return j < v.size() ? v[j] : 0;
}

constexpr double kU = 0x1p-24;          // unit roundoff of float32
constexpr double kUnderflow = 0x1p-150; // half the subnormal spacing
constexpr double kSafe = 0x1p127;       // below it, rounding cannot overflow
constexpr double kCoef = 0x1p-52;       // a double coefficient's rounding

// An upper bound of a non-negative double result (one rounding or more).
double up(double x) { return x == 0 ? 0 : x * (1 + 0x1p-50) + 0x1p-1060; }

struct Node {
  enum Kind { Leaf, Const, Add, Neg, Scale } kind = Const;
  size_t leaf = 0;      // Leaf
  double k = 0;         // Const: the value; Scale: the factor
  bool inexact = false; // Scale: k = 1/m rounded (a quotient)
  double sign = 1;      // Add: the second operand's sign (FSub: -1)
  size_t a = 0, b = 0;  // children (node indices)
};

} // namespace

std::optional<LinearSum>
analyseLinearSum(const Expr &root,
                 const std::function<std::optional<size_t>(const Expr &)> &leaf,
                 const std::function<double(size_t)> &maxAbs,
                 std::string &why) {
  // Post-order over the DAG, iteratively: children before parents.
  std::vector<Node> nodes;
  std::unordered_map<unsigned, size_t> at; // AST id -> node
  struct Frame {
    Expr e;
    bool expanded = false;
    Node n;
    std::vector<Expr> kids;
  };
  std::vector<Frame> stack;
  stack.push_back({root, false, {}, {}});
  while (!stack.empty()) {
    Frame &fr = stack.back();
    if (at.count(fr.e.id())) {
      stack.pop_back();
      continue;
    }
    if (!fr.expanded) {
      fr.expanded = true;
      const Expr e = fr.e;
      Op op = e.op();
      std::vector<Expr> a = e.args();
      Node n;
      std::vector<Expr> kids;
      if (std::optional<float> k = rounding::anyConstantOf(e)) {
        if (!std::isfinite(*k)) {
          why = "a NaN or infinite constant";
          return std::nullopt;
        }
        n.kind = Node::Const;
        n.k = *k;
      } else if (std::optional<size_t> l = leaf(e)) {
        n.kind = Node::Leaf;
        n.leaf = *l;
      } else if ((op == Op::FAdd || op == Op::FSub) && a.size() == 2) {
        n.kind = Node::Add;
        n.sign = op == Op::FAdd ? 1 : -1;
        kids = {a[0], a[1]};
      } else if (op == Op::FNeg && a.size() == 1) {
        n.kind = Node::Neg;
        kids = {a[0]};
      } else if ((op == Op::FMul || op == Op::FDiv) && a.size() == 2) {
        std::optional<float> ka = rounding::anyConstantOf(a[0]),
                             kb = rounding::anyConstantOf(a[1]);
        n.kind = Node::Scale;
        if (op == Op::FMul && kb && std::isfinite(*kb)) {
          n.k = *kb;
          kids = {a[0]};
        } else if (op == Op::FMul && ka && std::isfinite(*ka)) {
          n.k = *ka;
          kids = {a[1]};
        } else if (op == Op::FDiv && kb && std::isfinite(*kb) && *kb != 0) {
          n.k = 1.0 / static_cast<double>(*kb);
          n.inexact = true;
          kids = {a[0]};
        } else {
          why = std::string(op == Op::FMul ? "a product" : "a quotient") +
                " that is not by a finite non-zero constant (only sums of "
                "input elements, scaled by constants, are read)";
          return std::nullopt;
        }
      } else {
        why = "an operation other than +, -, negation and * or / by a "
              "constant on input elements";
        return std::nullopt;
      }
      fr.n = n;
      fr.kids = kids;
      // (fr may move as frames are pushed: copy first.)
      std::vector<Expr> push = kids;
      for (const Expr &k : push)
        if (!at.count(k.id()))
          stack.push_back({k, false, {}, {}});
      continue;
    }
    Node n = fr.n;
    if (!fr.kids.empty())
      n.a = at.at(fr.kids[0].id());
    if (fr.kids.size() > 1)
      n.b = at.at(fr.kids[1].id());
    at.emplace(fr.e.id(), nodes.size());
    nodes.push_back(n);
    stack.pop_back();
  }
  LinearSum r;
  size_t leaves = 0;
  for (const Node &n : nodes)
    if (n.kind == Node::Leaf)
      leaves = std::max(leaves, n.leaf + 1);
  r.ideal.assign(leaves, 0);
  r.err.assign(leaves, 0);
  r.coefErr.assign(leaves, 0);
  r.weight.assign(leaves, 0);
  // Bottom-up: |computed value| <= U; below 2^127 nothing overflows.
  std::vector<double> U(nodes.size(), 0);
  for (size_t i = 0; i < nodes.size() && r.bounded; ++i) {
    const Node &n = nodes[i];
    switch (n.kind) {
    case Node::Leaf:
      U[i] = maxAbs(n.leaf);
      break;
    case Node::Const:
      U[i] = std::fabs(n.k);
      break;
    case Node::Add:
      U[i] = up(up(U[n.a] + U[n.b]) * (1 + kU));
      break;
    case Node::Neg:
      U[i] = U[n.a];
      break;
    case Node::Scale:
      U[i] = up(up(up(std::fabs(n.k) * (1 + kCoef)) * U[n.a]) * (1 + kU)) +
             kUnderflow;
      break;
    }
    if (!(U[i] < kSafe)) {
      r.bounded = false;
      r.why = n.kind == Node::Leaf
                  ? "an input element may be NaN, infinite or unbounded"
                  : "an intermediate result may overflow float32 over the "
                    "input box";
    }
  }
  // Top-down: parents (larger indices) before children.
  std::vector<double> C(nodes.size(), 0), W(nodes.size(), 0),
      B(nodes.size(), 0), D(nodes.size(), 0);
  if (!nodes.empty())
    C.back() = W.back() = 1;
  auto give = [&](size_t ch, double c, double w, double b, double d) {
    C[ch] += c;
    W[ch] = up(W[ch] + w);
    B[ch] = up(B[ch] + b);
    D[ch] = up(D[ch] + d + std::fabs(C[ch]) * kCoef);
  };
  for (size_t i = nodes.size(); i-- > 0;) {
    const Node &n = nodes[i];
    double c = C[i], w = W[i], b = B[i], d = D[i];
    if (w == 0)
      continue; // (not reached from the root: cannot happen)
    double rounded = up(up(b * (1 + kU)) + up(w * kU)); // one more rounding
    switch (n.kind) {
    case Node::Leaf:
      r.ideal[n.leaf] += c;
      r.weight[n.leaf] = up(r.weight[n.leaf] + w);
      r.err[n.leaf] = up(r.err[n.leaf] + b);
      r.coefErr[n.leaf] =
          up(r.coefErr[n.leaf] + d + std::fabs(r.ideal[n.leaf]) * kCoef);
      break;
    case Node::Const:
      r.ideal0 += c * n.k;
      r.weight0 = up(r.weight0 + up(w * std::fabs(n.k)));
      r.err0 = up(r.err0 + up((b + d) * std::fabs(n.k)) +
                  std::fabs(c * n.k) * kCoef);
      break;
    case Node::Add:
      give(n.a, c, w, rounded, d);
      give(n.b, n.sign * c, w, rounded, d);
      break;
    case Node::Neg:
      give(n.a, -c, w, b, d);
      break;
    case Node::Scale: {
      double ak = std::fabs(n.k) * (n.inexact ? 1 + kCoef : 1);
      give(n.a, c * n.k, up(ak * w), up(ak * rounded),
           up(ak * d) + std::fabs(c * n.k) * kCoef);
      // The absolute error of the product (underflow), weighted by every
      // path above it.
      r.err0 = up(r.err0 + up(up(w + b) * kUnderflow));
      break;
    }
    }
  }
  return r;
}

bool fitsSumForm(const LinearSum &c, const LinearSum &f, double atol,
                 double sumRtol, const std::function<double(size_t)> &maxAbs,
                 const std::function<std::string(size_t)> &name,
                 std::string &why) {
  if (!c.bounded || !f.bounded) {
    why = "summation form not applicable: " + (c.bounded ? f.why : c.why);
    return false;
  }
  double charge = up(c.err0 + f.err0 + std::fabs(c.ideal0 - f.ideal0) +
                     (std::fabs(c.ideal0) + std::fabs(f.ideal0)) * kCoef);
  double need = 0;
  size_t worst = 0;
  bool any = false;
  size_t n = std::max(c.ideal.size(), f.ideal.size());
  for (size_t j = 0; j < n; ++j) {
    double p = up(at(c.err, j) + at(f.err, j) +
                  std::fabs(at(c.ideal, j) - at(f.ideal, j)) +
                  at(c.coefErr, j) + at(f.coefErr, j));
    if (p == 0)
      continue;
    // The reference's true coefficient is at least |f.ideal| - coefErr.
    double w = std::max(0.0, std::fabs(at(f.ideal, j)) - at(f.coefErr, j));
    double allowed = sumRtol * w * (1 - 0x1p-50);
    if (w > 0 && p / w > need) {
      need = p / w;
      worst = j;
      any = true;
    } else if (w == 0 && !any) {
      need = HUGE_VAL;
      worst = j;
      any = true;
    }
    if (p <= allowed)
      continue;
    charge = up(charge + up(up(p - allowed) * maxAbs(j)));
  }
  if (charge <= atol * (1 - 0x1p-50))
    return true;
  char text[400];
  std::snprintf(text, sizeof text,
                "summation form: the error bounds need sum_rtol >= %.3g (at "
                "term %s) and atol >= %.3g beyond it (have sum_rtol %.3g, "
                "atol %.3g); a term the candidate drops, repeats or weights "
                "differently needs sum_rtol >= 1",
                need, any ? name(worst).c_str() : "1", charge, sumRtol, atol);
  why = text;
  return false;
}

std::vector<size_t> misweightedLeaves(const LinearSum &c, const LinearSum &f,
                                      double sumRtol, size_t most) {
  std::vector<std::pair<double, size_t>> bad;
  size_t n = std::max(c.ideal.size(), f.ideal.size());
  for (size_t j = 0; j < n; ++j) {
    double d = std::fabs(at(c.ideal, j) - at(f.ideal, j));
    double slack = sumRtol * std::fabs(at(f.ideal, j)) + at(c.err, j) +
                   at(f.err, j) + at(c.coefErr, j) + at(f.coefErr, j);
    if (d > slack)
      bad.push_back({-d / std::max(std::fabs(at(f.ideal, j)), 1e-300), j});
  }
  std::stable_sort(bad.begin(), bad.end());
  std::vector<size_t> out;
  for (size_t k = 0; k < bad.size() && out.size() < most; ++k)
    out.push_back(bad[k].second);
  return out;
}

} // namespace ksynth::verify
