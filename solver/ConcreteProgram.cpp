// Compiled concrete evaluation (solver/ConcreteProgram.h).
#include "solver/ConcreteProgram.h"

#include "solver/Context.h"
#include "solver/ExprCheck.h"

#include <cmath>
#include <cstring>
#include <unordered_map>

namespace ksynth::smt {

namespace {

enum class K {
  Const,
  Var,
  Select,
  Not,
  And,
  Or,
  Ite,
  Eq,
  Add,
  Sub,
  Mul,
  UDiv,
  URem,
  SDiv,
  SRem,
  Shl,
  LShr,
  AShr,
  BAnd,
  BOr,
  BXor,
  BNot,
  BNeg,
  Ult,
  Ule,
  Ugt,
  Uge,
  Slt,
  Sle,
  Sgt,
  Sge,
  Extract,
  Concat,
  ZExt,
  SExt,
  FAdd,
  FSub,
  FMul,
  FDiv,
  FFma,
  FSqrt,
  FNeg,
  FAbs,
  FLt,
  FLe,
  FGt,
  FGe,
  FEq,
  FIsNaN,
  FIsInf,
  FIsZero,
  FIsNeg,
  FIsPos,
  FIsSub,
  FromBits,
  ToBits,
};

float asF(uint64_t b) {
  uint32_t u = static_cast<uint32_t>(b);
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
uint64_t fromF(float f) {
  if (std::isnan(f))
    return 0x7fc00000u;
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
uint64_t mask(uint64_t v, unsigned w) {
  return w >= 64 ? v : v & ((uint64_t{1} << w) - 1);
}
int64_t sx(uint64_t v, unsigned w) {
  if (w >= 64)
    return static_cast<int64_t>(v);
  uint64_t m = uint64_t{1} << (w - 1);
  return static_cast<int64_t>((mask(v, w) ^ m) - m);
}

} // namespace

struct ConcreteProgram::Node {
  K k = K::Const;
  unsigned width = 0; // bit-vector width of the result (or operand for cmp)
  uint64_t value = 0; // Const; Var: variable position
  unsigned hi = 0, lo = 0;
  std::string array;            // Select
  std::vector<size_t> args;     // positions in nodes_
  std::vector<unsigned> widths; // Concat: operand widths, high part first
};

std::optional<ConcreteProgram>
ConcreteProgram::compile(const Expr &t, const std::vector<Expr> &vars) {
  ConcreteProgram prog;
  std::unordered_map<unsigned, size_t> at; // AST id -> node
  std::vector<Expr> keep;
  Z3_context c = detail::ctx();
  std::function<std::optional<size_t>(const Expr &)> go =
      [&](const Expr &e) -> std::optional<size_t> {
    if (auto it = at.find(e.id()); it != at.end())
      return it->second;
    auto n = std::make_shared<Node>();
    if (e.isBV()) {
      if (e.bvWidth() > 64)
        return std::nullopt;
      n->width = e.bvWidth();
    }
    auto finish = [&]() {
      prog.nodes_.push_back(n);
      keep.push_back(e);
      at[e.id()] = prog.nodes_.size() - 1;
      return prog.nodes_.size() - 1;
    };
    if (e.isConstVar()) {
      for (size_t i = 0; i < vars.size(); ++i)
        if (vars[i].id() == e.id()) {
          n->k = K::Var;
          n->value = i;
          return finish();
        }
      return std::nullopt;
    }
    if (auto b = e.asBool()) {
      n->value = *b;
      return finish();
    }
    if (e.isBV()) {
      if (auto v = e.asUInt()) {
        n->value = *v;
        return finish();
      }
    }
    if (e.isFP()) {
      if (auto v = e.asFPBits()) {
        n->value = *v;
        return finish();
      }
    }
    if (Z3_get_ast_kind(c, e.raw()) != Z3_APP_AST)
      return std::nullopt;
    Z3_decl_kind dk = detail::declKind(e.raw());
    Z3_app app = Z3_to_app(c, e.raw());
    unsigned na = Z3_get_app_num_args(c, app);
    std::vector<Expr> raw;
    for (unsigned i = 0; i < na; ++i)
      raw.emplace_back(Z3_get_app_arg(c, app, i));
    // Floating-point operations take a rounding mode first: RNE only.
    auto rne = [&](size_t i) {
      return i < raw.size() && detail::declKind(raw[i].raw()) ==
                                   Z3_OP_FPA_RM_NEAREST_TIES_TO_EVEN;
    };
    size_t first = 0;
    switch (dk) {
    case Z3_OP_FPA_ADD:
    case Z3_OP_FPA_SUB:
    case Z3_OP_FPA_MUL:
    case Z3_OP_FPA_DIV:
    case Z3_OP_FPA_FMA:
    case Z3_OP_FPA_SQRT:
      if (!rne(0))
        return std::nullopt;
      first = 1;
      break;
    default:
      break;
    }
    if (dk == Z3_OP_SELECT) {
      if (raw.size() != 2 || !raw[0].isConstVar())
        return std::nullopt;
      n->k = K::Select;
      n->array = raw[0].varName();
      auto i = go(raw[1]);
      if (!i)
        return std::nullopt;
      n->args.push_back(*i);
      return finish();
    }
    for (size_t i = first; i < raw.size(); ++i) {
      auto a = go(raw[i]);
      if (!a)
        return std::nullopt;
      n->args.push_back(*a);
    }
    auto opw = [&](size_t i) { return raw[i].isBV() ? raw[i].bvWidth() : 0; };
    switch (dk) {
    case Z3_OP_NOT:
      n->k = K::Not;
      break;
    case Z3_OP_AND:
      n->k = K::And;
      break;
    case Z3_OP_OR:
      n->k = K::Or;
      break;
    case Z3_OP_ITE:
      n->k = K::Ite;
      break;
    case Z3_OP_EQ:
      n->k = K::Eq;
      break;
    case Z3_OP_BADD:
      n->k = K::Add;
      break;
    case Z3_OP_BSUB:
      n->k = K::Sub;
      break;
    case Z3_OP_BMUL:
      n->k = K::Mul;
      break;
    case Z3_OP_BUDIV:
    case Z3_OP_BUDIV_I:
      n->k = K::UDiv;
      break;
    case Z3_OP_BUREM:
    case Z3_OP_BUREM_I:
      n->k = K::URem;
      break;
    case Z3_OP_BSDIV:
    case Z3_OP_BSDIV_I:
      n->k = K::SDiv;
      break;
    case Z3_OP_BSREM:
    case Z3_OP_BSREM_I:
      n->k = K::SRem;
      break;
    case Z3_OP_BSHL:
      n->k = K::Shl;
      break;
    case Z3_OP_BLSHR:
      n->k = K::LShr;
      break;
    case Z3_OP_BASHR:
      n->k = K::AShr;
      break;
    case Z3_OP_BAND:
      n->k = K::BAnd;
      break;
    case Z3_OP_BOR:
      n->k = K::BOr;
      break;
    case Z3_OP_BXOR:
      n->k = K::BXor;
      break;
    case Z3_OP_BNOT:
      n->k = K::BNot;
      break;
    case Z3_OP_BNEG:
      n->k = K::BNeg;
      break;
    case Z3_OP_ULT:
      n->k = K::Ult;
      n->width = opw(0);
      break;
    case Z3_OP_ULEQ:
      n->k = K::Ule;
      n->width = opw(0);
      break;
    case Z3_OP_UGT:
      n->k = K::Ugt;
      n->width = opw(0);
      break;
    case Z3_OP_UGEQ:
      n->k = K::Uge;
      n->width = opw(0);
      break;
    case Z3_OP_SLT:
      n->k = K::Slt;
      n->width = opw(0);
      break;
    case Z3_OP_SLEQ:
      n->k = K::Sle;
      n->width = opw(0);
      break;
    case Z3_OP_SGT:
      n->k = K::Sgt;
      n->width = opw(0);
      break;
    case Z3_OP_SGEQ:
      n->k = K::Sge;
      n->width = opw(0);
      break;
    case Z3_OP_EXTRACT: {
      Z3_func_decl d = Z3_get_app_decl(c, app);
      n->k = K::Extract;
      n->hi = static_cast<unsigned>(Z3_get_decl_int_parameter(c, d, 0));
      n->lo = static_cast<unsigned>(Z3_get_decl_int_parameter(c, d, 1));
      break;
    }
    case Z3_OP_CONCAT:
      n->k = K::Concat;
      for (size_t i = 0; i < raw.size(); ++i)
        n->widths.push_back(opw(i));
      break;
    case Z3_OP_ZERO_EXT:
      n->k = K::ZExt;
      n->lo = opw(0);
      break;
    case Z3_OP_SIGN_EXT:
      n->k = K::SExt;
      n->lo = opw(0);
      break;
    case Z3_OP_FPA_ADD:
      n->k = K::FAdd;
      break;
    case Z3_OP_FPA_SUB:
      n->k = K::FSub;
      break;
    case Z3_OP_FPA_MUL:
      n->k = K::FMul;
      break;
    case Z3_OP_FPA_DIV:
      n->k = K::FDiv;
      break;
    case Z3_OP_FPA_FMA:
      n->k = K::FFma;
      break;
    case Z3_OP_FPA_SQRT:
      n->k = K::FSqrt;
      break;
    case Z3_OP_FPA_NEG:
      n->k = K::FNeg;
      break;
    case Z3_OP_FPA_ABS:
      n->k = K::FAbs;
      break;
    case Z3_OP_FPA_LT:
      n->k = K::FLt;
      break;
    case Z3_OP_FPA_LE:
      n->k = K::FLe;
      break;
    case Z3_OP_FPA_GT:
      n->k = K::FGt;
      break;
    case Z3_OP_FPA_GE:
      n->k = K::FGe;
      break;
    case Z3_OP_FPA_EQ:
      n->k = K::FEq;
      break;
    case Z3_OP_FPA_IS_NAN:
      n->k = K::FIsNaN;
      break;
    case Z3_OP_FPA_IS_INF:
      n->k = K::FIsInf;
      break;
    case Z3_OP_FPA_IS_ZERO:
      n->k = K::FIsZero;
      break;
    case Z3_OP_FPA_IS_NEGATIVE:
      n->k = K::FIsNeg;
      break;
    case Z3_OP_FPA_IS_POSITIVE:
      n->k = K::FIsPos;
      break;
    case Z3_OP_FPA_IS_SUBNORMAL:
      n->k = K::FIsSub;
      break;
    case Z3_OP_FPA_TO_FP:
      if (raw.size() != 1 || !raw[0].isBV() || raw[0].bvWidth() != 32 ||
          !e.isFP())
        return std::nullopt;
      n->k = K::FromBits;
      break;
    case Z3_OP_FPA_TO_IEEE_BV:
      n->k = K::ToBits;
      break;
    default:
      return std::nullopt;
    }
    // Variadic bit-vector and Boolean operations of more than two operands
    // are folded left to right by run().
    return finish();
  };
  if (!go(t))
    return std::nullopt;
  return prog;
}

uint64_t ConcreteProgram::run(const std::vector<uint64_t> &vals,
                              const ReadFn &read) const {
  std::vector<uint64_t> v(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node &n = *nodes_[i];
    auto a = [&](size_t j) { return v[n.args[j]]; };
    unsigned w = n.width;
    auto fold = [&](auto f) {
      uint64_t r = a(0);
      for (size_t j = 1; j < n.args.size(); ++j)
        r = f(r, a(j));
      return r;
    };
    uint64_t r = 0;
    switch (n.k) {
    case K::Const:
      r = n.value;
      break;
    case K::Var:
      r = vals.at(n.value);
      break;
    case K::Select:
      r = read(n.array, a(0));
      break;
    case K::Not:
      r = !a(0);
      break;
    case K::And:
      r = fold([](uint64_t x, uint64_t y) { return x & y; });
      break;
    case K::Or:
      r = fold([](uint64_t x, uint64_t y) { return x | y; });
      break;
    case K::Ite:
      r = a(0) ? a(1) : a(2);
      break;
    case K::Eq:
      r = a(0) == a(1);
      break;
    case K::Add:
      r = mask(fold([](uint64_t x, uint64_t y) { return x + y; }), w);
      break;
    case K::Sub:
      r = mask(a(0) - a(1), w);
      break;
    case K::Mul:
      r = mask(fold([](uint64_t x, uint64_t y) { return x * y; }), w);
      break;
    case K::UDiv:
      r = a(1) ? a(0) / a(1) : mask(~uint64_t{0}, w);
      break;
    case K::URem:
      r = a(1) ? a(0) % a(1) : a(0);
      break;
    case K::SDiv: {
      int64_t x = sx(a(0), w), y = sx(a(1), w);
      if (y == 0)
        r = mask(x < 0 ? 1 : ~uint64_t{0}, w);
      else if (y == -1)
        r = mask(static_cast<uint64_t>(0) - static_cast<uint64_t>(x), w);
      else
        r = mask(static_cast<uint64_t>(x / y), w);
      break;
    }
    case K::SRem: {
      int64_t x = sx(a(0), w), y = sx(a(1), w);
      r = y == 0 ? a(0) : y == -1 ? 0 : mask(static_cast<uint64_t>(x % y), w);
      break;
    }
    case K::Shl:
      r = a(1) >= w ? 0 : mask(a(0) << a(1), w);
      break;
    case K::LShr:
      r = a(1) >= w ? 0 : a(0) >> a(1);
      break;
    case K::AShr: {
      int64_t x = sx(a(0), w);
      r = mask(static_cast<uint64_t>(a(1) >= w ? (x < 0 ? -1 : 0) : x >> a(1)),
               w);
      break;
    }
    case K::BAnd:
      r = fold([](uint64_t x, uint64_t y) { return x & y; });
      break;
    case K::BOr:
      r = fold([](uint64_t x, uint64_t y) { return x | y; });
      break;
    case K::BXor:
      r = fold([](uint64_t x, uint64_t y) { return x ^ y; });
      break;
    case K::BNot:
      r = mask(~a(0), w);
      break;
    case K::BNeg:
      r = mask(0 - a(0), w);
      break;
    case K::Ult:
      r = a(0) < a(1);
      break;
    case K::Ule:
      r = a(0) <= a(1);
      break;
    case K::Ugt:
      r = a(0) > a(1);
      break;
    case K::Uge:
      r = a(0) >= a(1);
      break;
    case K::Slt:
      r = sx(a(0), w) < sx(a(1), w);
      break;
    case K::Sle:
      r = sx(a(0), w) <= sx(a(1), w);
      break;
    case K::Sgt:
      r = sx(a(0), w) > sx(a(1), w);
      break;
    case K::Sge:
      r = sx(a(0), w) >= sx(a(1), w);
      break;
    case K::Extract:
      r = mask(a(0) >> n.lo, n.hi - n.lo + 1);
      break;
    case K::Concat:
      for (size_t j = 0; j < n.args.size(); ++j)
        r = (n.widths[j] >= 64 ? 0 : r << n.widths[j]) | a(j);
      r = mask(r, w);
      break;
    case K::ZExt:
      r = a(0);
      break;
    case K::SExt:
      r = mask(static_cast<uint64_t>(sx(a(0), n.lo)), w);
      break;
    case K::FAdd:
      r = fromF(asF(a(0)) + asF(a(1)));
      break;
    case K::FSub:
      r = fromF(asF(a(0)) - asF(a(1)));
      break;
    case K::FMul:
      r = fromF(asF(a(0)) * asF(a(1)));
      break;
    case K::FDiv:
      r = fromF(asF(a(0)) / asF(a(1)));
      break;
    case K::FFma:
      r = fromF(std::fmaf(asF(a(0)), asF(a(1)), asF(a(2))));
      break;
    case K::FSqrt:
      r = fromF(std::sqrt(asF(a(0))));
      break;
    case K::FNeg:
      r = std::isnan(asF(a(0))) ? a(0) : a(0) ^ 0x80000000u;
      break;
    case K::FAbs:
      r = std::isnan(asF(a(0))) ? a(0) : a(0) & 0x7fffffffu;
      break;
    case K::FLt:
      r = asF(a(0)) < asF(a(1));
      break;
    case K::FLe:
      r = asF(a(0)) <= asF(a(1));
      break;
    case K::FGt:
      r = asF(a(0)) > asF(a(1));
      break;
    case K::FGe:
      r = asF(a(0)) >= asF(a(1));
      break;
    case K::FEq:
      r = asF(a(0)) == asF(a(1));
      break;
    case K::FIsNaN:
      r = std::isnan(asF(a(0)));
      break;
    case K::FIsInf:
      r = std::isinf(asF(a(0)));
      break;
    case K::FIsZero:
      r = asF(a(0)) == 0.0f;
      break;
    case K::FIsNeg:
      r = !std::isnan(asF(a(0))) && std::signbit(asF(a(0)));
      break;
    case K::FIsPos:
      r = !std::isnan(asF(a(0))) && !std::signbit(asF(a(0)));
      break;
    case K::FIsSub:
      r = std::fpclassify(asF(a(0))) == FP_SUBNORMAL;
      break;
    case K::FromBits:
      r = fromF(asF(a(0)));
      break;
    case K::ToBits:
      r = a(0);
      break;
    }
    v[i] = r;
  }
  return v.back();
}

} // namespace ksynth::smt
