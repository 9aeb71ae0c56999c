// Cvc5Translator (Cvc5Translate.h): Z3 ASTs to cvc5 terms, and back for
// models.
#include "solver/Cvc5Translate.h"

#include "solver/Context.h"

#include <unordered_set>

namespace ksynth::smt::detail {

namespace {

using cvc5::Kind;

std::string declName(Z3_func_decl d) {
  return Z3_get_symbol_string(ctx(), Z3_get_decl_name(ctx(), d));
}

unsigned intParam(Z3_func_decl d, unsigned i) {
  return static_cast<unsigned>(Z3_get_decl_int_parameter(ctx(), d, i));
}

std::string numeralString(Z3_ast a) { return Z3_get_numeral_string(ctx(), a); }

} // namespace

bool needsExperimentalFP(const std::vector<Expr> &terms) {
  Z3_context c = ctx();
  std::vector<Z3_ast> stack;
  for (const Expr &t : terms)
    stack.push_back(t.raw());
  std::unordered_set<unsigned> seen;
  while (!stack.empty()) {
    Z3_ast t = stack.back();
    stack.pop_back();
    if (!seen.insert(Z3_get_ast_id(c, t)).second ||
        Z3_get_ast_kind(c, t) != Z3_APP_AST)
      continue;
    Z3_sort z = Z3_get_sort(c, t);
    if (Z3_get_sort_kind(c, z) == Z3_FLOATING_POINT_SORT) {
      unsigned eb = Z3_fpa_get_ebits(c, z), sb = Z3_fpa_get_sbits(c, z);
      if (!(eb == 8 && sb == 24) && !(eb == 11 && sb == 53))
        return true;
    }
    Z3_app app = Z3_to_app(c, t);
    for (unsigned i = 0; i < Z3_get_app_num_args(c, app); ++i)
      stack.push_back(Z3_get_app_arg(c, app, i));
  }
  return false;
}

cvc5::Sort Cvc5Translator::sort(Z3_sort z) {
  Z3_context c = ctx();
  switch (Z3_get_sort_kind(c, z)) {
  case Z3_BOOL_SORT:
    return s_.getBooleanSort();
  case Z3_BV_SORT:
    return s_.mkBitVectorSort(Z3_get_bv_sort_size(c, z));
  case Z3_FLOATING_POINT_SORT:
    return s_.mkFloatingPointSort(Z3_fpa_get_ebits(c, z),
                                  Z3_fpa_get_sbits(c, z));
  case Z3_ROUNDING_MODE_SORT:
    return s_.getRoundingModeSort();
  case Z3_REAL_SORT:
    return s_.getRealSort();
  case Z3_INT_SORT:
    return s_.getIntegerSort();
  case Z3_ARRAY_SORT:
    return s_.mkArraySort(sort(Z3_get_array_sort_domain(c, z)),
                          sort(Z3_get_array_sort_range(c, z)));
  default:
    throw Cvc5Unsupported("sort " + sortName(z));
  }
}

cvc5::Term Cvc5Translator::uninterpreted(Z3_func_decl d) {
  Z3_context c = ctx();
  unsigned id = Z3_get_func_decl_id(c, d);
  auto it = declTerms_.find(id);
  if (it != declTerms_.end())
    return it->second;
  unsigned arity = Z3_get_arity(c, d);
  cvc5::Sort range = sort(Z3_get_range(c, d));
  cvc5::Term t;
  if (arity == 0) {
    t = s_.mkConst(range, declName(d));
  } else {
    std::vector<cvc5::Sort> dom;
    for (unsigned i = 0; i < arity; ++i)
      dom.push_back(sort(Z3_get_domain(c, d, i)));
    t = s_.mkConst(s_.mkFunctionSort(dom, range), declName(d));
  }
  declTerms_.emplace(id, t);
  return t;
}

cvc5::Term Cvc5Translator::fpNumeral(Z3_ast a) {
  Z3_context c = ctx();
  Z3_sort z = Z3_get_sort(c, a);
  unsigned eb = Z3_fpa_get_ebits(c, z), sb = Z3_fpa_get_sbits(c, z);
  if (Z3_fpa_is_numeral_nan(c, a))
    return s_.mkFloatingPointNaN(eb, sb);
  if (Z3_fpa_is_numeral_inf(c, a))
    return Z3_fpa_is_numeral_positive(c, a) ? s_.mkFloatingPointPosInf(eb, sb)
                                            : s_.mkFloatingPointNegInf(eb, sb);
  if (Z3_fpa_is_numeral_zero(c, a))
    return Z3_fpa_is_numeral_positive(c, a) ? s_.mkFloatingPointPosZero(eb, sb)
                                            : s_.mkFloatingPointNegZero(eb, sb);
  Expr sign(Z3_fpa_get_numeral_sign_bv(c, a));
  Expr exp(Z3_fpa_get_numeral_exponent_bv(c, a, true));
  Expr sig(Z3_fpa_get_numeral_significand_bv(c, a));
  // sign ++ exponent ++ significand: the IEEE bits.
  Expr bits = sign.concat(exp).concat(sig).simplify();
  if (!Z3_is_numeral_ast(c, bits.raw()))
    throw Cvc5Unsupported("fp numeral " + Expr(a).str());
  return s_.mkFloatingPoint(
      eb, sb, s_.mkBitVector(eb + sb, numeralString(bits.raw()), 10));
}

cvc5::Term Cvc5Translator::app(Z3_ast a, const std::vector<cvc5::Term> &x) {
  Z3_context c = ctx();
  Z3_app ap = Z3_to_app(c, a);
  Z3_func_decl d = Z3_get_app_decl(c, ap);
  Z3_decl_kind k = Z3_get_decl_kind(c, d);
  auto mk = [&](Kind kind) { return s_.mkTerm(kind, x); };
  auto mkIdx = [&](Kind kind, std::vector<uint32_t> idx) {
    return s_.mkTerm(s_.mkOp(kind, idx), x);
  };
  auto fpSortOf = [&](std::vector<uint32_t> &out) {
    Z3_sort z = Z3_get_range(c, d);
    out = {Z3_fpa_get_ebits(c, z), Z3_fpa_get_sbits(c, z)};
  };
  switch (k) {
  // ---- Boolean and polymorphic ----
  case Z3_OP_TRUE:
    return s_.mkTrue();
  case Z3_OP_FALSE:
    return s_.mkFalse();
  case Z3_OP_EQ:
  case Z3_OP_IFF:
    return mk(Kind::EQUAL);
  case Z3_OP_DISTINCT:
    return mk(Kind::DISTINCT);
  case Z3_OP_ITE:
    return mk(Kind::ITE);
  case Z3_OP_AND:
    return x.size() == 1 ? x[0] : mk(Kind::AND);
  case Z3_OP_OR:
    return x.size() == 1 ? x[0] : mk(Kind::OR);
  case Z3_OP_NOT:
    return mk(Kind::NOT);
  case Z3_OP_XOR:
    return mk(Kind::XOR);
  case Z3_OP_IMPLIES:
    return mk(Kind::IMPLIES);
  case Z3_OP_UNINTERPRETED: {
    cvc5::Term f = uninterpreted(d);
    if (x.empty()) {
      constants_.emplace_back(Expr(a), f);
      return f;
    }
    std::vector<cvc5::Term> args{f};
    args.insert(args.end(), x.begin(), x.end());
    cvc5::Term t = s_.mkTerm(Kind::APPLY_UF, args);
    functions_.emplace_back(Expr(a), t);
    return t;
  }
  // ---- bit-vectors ----
  case Z3_OP_BNUM:
    return s_.mkBitVector(Z3_get_bv_sort_size(c, Z3_get_sort(c, a)),
                          numeralString(a), 10);
  case Z3_OP_BADD:
    return mk(Kind::BITVECTOR_ADD);
  case Z3_OP_BSUB:
    return mk(Kind::BITVECTOR_SUB);
  case Z3_OP_BMUL:
    return mk(Kind::BITVECTOR_MULT);
  case Z3_OP_BNEG:
    return mk(Kind::BITVECTOR_NEG);
  // The _I forms are Z3's "divisor is not zero" versions: the same
  // function wherever they differ from nothing.
  case Z3_OP_BUDIV:
  case Z3_OP_BUDIV_I:
    return mk(Kind::BITVECTOR_UDIV);
  case Z3_OP_BSDIV:
  case Z3_OP_BSDIV_I:
    return mk(Kind::BITVECTOR_SDIV);
  case Z3_OP_BUREM:
  case Z3_OP_BUREM_I:
    return mk(Kind::BITVECTOR_UREM);
  case Z3_OP_BSREM:
  case Z3_OP_BSREM_I:
    return mk(Kind::BITVECTOR_SREM);
  case Z3_OP_BSMOD:
  case Z3_OP_BSMOD_I:
    return mk(Kind::BITVECTOR_SMOD);
  case Z3_OP_BSHL:
    return mk(Kind::BITVECTOR_SHL);
  case Z3_OP_BLSHR:
    return mk(Kind::BITVECTOR_LSHR);
  case Z3_OP_BASHR:
    return mk(Kind::BITVECTOR_ASHR);
  case Z3_OP_BAND:
    return mk(Kind::BITVECTOR_AND);
  case Z3_OP_BOR:
    return mk(Kind::BITVECTOR_OR);
  case Z3_OP_BXOR:
    return mk(Kind::BITVECTOR_XOR);
  case Z3_OP_BNOT:
    return mk(Kind::BITVECTOR_NOT);
  case Z3_OP_BNAND:
    return mk(Kind::BITVECTOR_NAND);
  case Z3_OP_BNOR:
    return mk(Kind::BITVECTOR_NOR);
  case Z3_OP_BXNOR:
    return mk(Kind::BITVECTOR_XNOR);
  case Z3_OP_BCOMP:
    return mk(Kind::BITVECTOR_COMP);
  case Z3_OP_BREDOR:
    return mk(Kind::BITVECTOR_REDOR);
  case Z3_OP_BREDAND:
    return mk(Kind::BITVECTOR_REDAND);
  case Z3_OP_ULEQ:
    return mk(Kind::BITVECTOR_ULE);
  case Z3_OP_SLEQ:
    return mk(Kind::BITVECTOR_SLE);
  case Z3_OP_UGEQ:
    return mk(Kind::BITVECTOR_UGE);
  case Z3_OP_SGEQ:
    return mk(Kind::BITVECTOR_SGE);
  case Z3_OP_ULT:
    return mk(Kind::BITVECTOR_ULT);
  case Z3_OP_SLT:
    return mk(Kind::BITVECTOR_SLT);
  case Z3_OP_UGT:
    return mk(Kind::BITVECTOR_UGT);
  case Z3_OP_SGT:
    return mk(Kind::BITVECTOR_SGT);
  case Z3_OP_CONCAT:
    return x.size() == 1 ? x[0] : mk(Kind::BITVECTOR_CONCAT);
  case Z3_OP_EXTRACT:
    return mkIdx(Kind::BITVECTOR_EXTRACT, {intParam(d, 0), intParam(d, 1)});
  case Z3_OP_ZERO_EXT:
    return mkIdx(Kind::BITVECTOR_ZERO_EXTEND, {intParam(d, 0)});
  case Z3_OP_SIGN_EXT:
    return mkIdx(Kind::BITVECTOR_SIGN_EXTEND, {intParam(d, 0)});
  case Z3_OP_REPEAT:
    return mkIdx(Kind::BITVECTOR_REPEAT, {intParam(d, 0)});
  case Z3_OP_ROTATE_LEFT:
    return mkIdx(Kind::BITVECTOR_ROTATE_LEFT, {intParam(d, 0)});
  case Z3_OP_ROTATE_RIGHT:
    return mkIdx(Kind::BITVECTOR_ROTATE_RIGHT, {intParam(d, 0)});
  // ---- arithmetic ----
  case Z3_OP_ANUM: {
    std::string n = numeralString(a);
    return Z3_get_sort_kind(c, Z3_get_sort(c, a)) == Z3_INT_SORT
               ? s_.mkInteger(n)
               : s_.mkReal(n);
  }
  case Z3_OP_ADD:
    return x.size() == 1 ? x[0] : mk(Kind::ADD);
  case Z3_OP_SUB:
    return mk(Kind::SUB);
  case Z3_OP_MUL:
    return x.size() == 1 ? x[0] : mk(Kind::MULT);
  case Z3_OP_DIV:
    return mk(Kind::DIVISION);
  case Z3_OP_IDIV:
    return mk(Kind::INTS_DIVISION);
  case Z3_OP_MOD:
    return mk(Kind::INTS_MODULUS);
  case Z3_OP_UMINUS:
    return mk(Kind::NEG);
  case Z3_OP_LE:
    return mk(Kind::LEQ);
  case Z3_OP_LT:
    return mk(Kind::LT);
  case Z3_OP_GE:
    return mk(Kind::GEQ);
  case Z3_OP_GT:
    return mk(Kind::GT);
  case Z3_OP_TO_REAL:
    return mk(Kind::TO_REAL);
  case Z3_OP_TO_INT:
    return mk(Kind::TO_INTEGER);
  // ---- arrays ----
  case Z3_OP_SELECT:
    return mk(Kind::SELECT);
  case Z3_OP_STORE:
    return mk(Kind::STORE);
  case Z3_OP_CONST_ARRAY:
    // (cvc5 refuses a base that is not a value: reported as unknown.)
    return s_.mkConstArray(sort(Z3_get_sort(c, a)), x[0]);
  // ---- floating point ----
  case Z3_OP_FPA_RM_NEAREST_TIES_TO_EVEN:
    return s_.mkRoundingMode(cvc5::RoundingMode::ROUND_NEAREST_TIES_TO_EVEN);
  case Z3_OP_FPA_RM_NEAREST_TIES_TO_AWAY:
    return s_.mkRoundingMode(cvc5::RoundingMode::ROUND_NEAREST_TIES_TO_AWAY);
  case Z3_OP_FPA_RM_TOWARD_POSITIVE:
    return s_.mkRoundingMode(cvc5::RoundingMode::ROUND_TOWARD_POSITIVE);
  case Z3_OP_FPA_RM_TOWARD_NEGATIVE:
    return s_.mkRoundingMode(cvc5::RoundingMode::ROUND_TOWARD_NEGATIVE);
  case Z3_OP_FPA_RM_TOWARD_ZERO:
    return s_.mkRoundingMode(cvc5::RoundingMode::ROUND_TOWARD_ZERO);
  case Z3_OP_FPA_NUM:
  case Z3_OP_FPA_PLUS_INF:
  case Z3_OP_FPA_MINUS_INF:
  case Z3_OP_FPA_NAN:
  case Z3_OP_FPA_PLUS_ZERO:
  case Z3_OP_FPA_MINUS_ZERO:
    return fpNumeral(a);
  case Z3_OP_FPA_FP:
    return mk(Kind::FLOATINGPOINT_FP);
  case Z3_OP_FPA_ADD:
    return mk(Kind::FLOATINGPOINT_ADD);
  case Z3_OP_FPA_SUB:
    return mk(Kind::FLOATINGPOINT_SUB);
  case Z3_OP_FPA_MUL:
    return mk(Kind::FLOATINGPOINT_MULT);
  case Z3_OP_FPA_DIV:
    return mk(Kind::FLOATINGPOINT_DIV);
  case Z3_OP_FPA_FMA:
    return mk(Kind::FLOATINGPOINT_FMA);
  case Z3_OP_FPA_SQRT:
    return mk(Kind::FLOATINGPOINT_SQRT);
  case Z3_OP_FPA_REM:
    return mk(Kind::FLOATINGPOINT_REM);
  case Z3_OP_FPA_ROUND_TO_INTEGRAL:
    return mk(Kind::FLOATINGPOINT_RTI);
  case Z3_OP_FPA_NEG:
    return mk(Kind::FLOATINGPOINT_NEG);
  case Z3_OP_FPA_ABS:
    return mk(Kind::FLOATINGPOINT_ABS);
  case Z3_OP_FPA_MIN:
    return mk(Kind::FLOATINGPOINT_MIN);
  case Z3_OP_FPA_MAX:
    return mk(Kind::FLOATINGPOINT_MAX);
  case Z3_OP_FPA_EQ:
    return mk(Kind::FLOATINGPOINT_EQ);
  case Z3_OP_FPA_LT:
    return mk(Kind::FLOATINGPOINT_LT);
  case Z3_OP_FPA_GT:
    return mk(Kind::FLOATINGPOINT_GT);
  case Z3_OP_FPA_LE:
    return mk(Kind::FLOATINGPOINT_LEQ);
  case Z3_OP_FPA_GE:
    return mk(Kind::FLOATINGPOINT_GEQ);
  case Z3_OP_FPA_IS_NAN:
    return mk(Kind::FLOATINGPOINT_IS_NAN);
  case Z3_OP_FPA_IS_INF:
    return mk(Kind::FLOATINGPOINT_IS_INF);
  case Z3_OP_FPA_IS_ZERO:
    return mk(Kind::FLOATINGPOINT_IS_ZERO);
  case Z3_OP_FPA_IS_NORMAL:
    return mk(Kind::FLOATINGPOINT_IS_NORMAL);
  case Z3_OP_FPA_IS_SUBNORMAL:
    return mk(Kind::FLOATINGPOINT_IS_SUBNORMAL);
  case Z3_OP_FPA_IS_NEGATIVE:
    return mk(Kind::FLOATINGPOINT_IS_NEG);
  case Z3_OP_FPA_IS_POSITIVE:
    return mk(Kind::FLOATINGPOINT_IS_POS);
  case Z3_OP_FPA_TO_FP: {
    std::vector<uint32_t> es;
    fpSortOf(es);
    if (x.size() == 1)
      return mkIdx(Kind::FLOATINGPOINT_TO_FP_FROM_IEEE_BV, es);
    if (x.size() == 2) {
      cvc5::Sort from = x[1].getSort();
      if (from.isFloatingPoint())
        return mkIdx(Kind::FLOATINGPOINT_TO_FP_FROM_FP, es);
      if (from.isReal())
        return mkIdx(Kind::FLOATINGPOINT_TO_FP_FROM_REAL, es);
      if (from.isBitVector())
        return mkIdx(Kind::FLOATINGPOINT_TO_FP_FROM_SBV, es);
    }
    throw Cvc5Unsupported("to_fp with " + std::to_string(x.size()) + " args");
  }
  case Z3_OP_FPA_TO_FP_UNSIGNED: {
    std::vector<uint32_t> es;
    fpSortOf(es);
    return mkIdx(Kind::FLOATINGPOINT_TO_FP_FROM_UBV, es);
  }
  case Z3_OP_FPA_TO_UBV:
    return mkIdx(Kind::FLOATINGPOINT_TO_UBV, {intParam(d, 0)});
  case Z3_OP_FPA_TO_SBV:
    return mkIdx(Kind::FLOATINGPOINT_TO_SBV, {intParam(d, 0)});
  case Z3_OP_FPA_TO_REAL:
    return mk(Kind::FLOATINGPOINT_TO_REAL);
  case Z3_OP_FPA_TO_IEEE_BV: {
    // A fresh b with to_fp(b) = x (see Cvc5Translate.h).
    cvc5::Sort fs = x[0].getSort();
    uint32_t eb = fs.getFloatingPointExponentSize();
    uint32_t sb = fs.getFloatingPointSignificandSize();
    cvc5::Term b = s_.mkConst(s_.mkBitVectorSort(eb + sb),
                              "ksynth!ieee" + std::to_string(side_.size()));
    cvc5::Term back = s_.mkTerm(
        s_.mkOp(Kind::FLOATINGPOINT_TO_FP_FROM_IEEE_BV, {eb, sb}), {b});
    side_.push_back(s_.mkTerm(Kind::EQUAL, {back, x[0]}));
    return b;
  }
  default:
    throw Cvc5Unsupported("operator " + declName(d));
  }
}

cvc5::Term Cvc5Translator::term(const Expr &root) {
  Z3_context c = ctx();
  // Post-order without recursion (sums of thousands of terms are deep).
  std::vector<std::pair<Z3_ast, bool>> stack{{root.raw(), false}};
  while (!stack.empty()) {
    auto [a, expanded] = stack.back();
    stack.pop_back();
    unsigned id = Z3_get_ast_id(c, a);
    if (memo_.count(id))
      continue;
    Z3_ast_kind kind = Z3_get_ast_kind(c, a);
    if (kind == Z3_NUMERAL_AST || kind == Z3_APP_AST) {
      Z3_app ap = Z3_to_app(c, a);
      unsigned n = Z3_get_app_num_args(c, ap);
      if (!expanded) {
        stack.push_back({a, true});
        for (unsigned i = n; i-- > 0;)
          stack.push_back({Z3_get_app_arg(c, ap, i), false});
        continue;
      }
      std::vector<cvc5::Term> args;
      args.reserve(n);
      for (unsigned i = 0; i < n; ++i)
        args.push_back(memo_.at(Z3_get_ast_id(c, Z3_get_app_arg(c, ap, i))));
      memo_.emplace(id, app(a, args));
      continue;
    }
    throw Cvc5Unsupported(kind == Z3_QUANTIFIER_AST ? "quantifier"
                                                    : "bound variable");
  }
  return memo_.at(Z3_get_ast_id(c, root.raw()));
}

Expr Cvc5Translator::value(const cvc5::Term &v, Z3_sort z) {
  Z3_context c = ctx();
  switch (Z3_get_sort_kind(c, z)) {
  case Z3_BOOL_SORT:
    return Expr::boolVal(v.getBooleanValue());
  case Z3_BV_SORT:
    return Expr(Z3_mk_numeral(c, v.getBitVectorValue(10).c_str(), z));
  case Z3_FLOATING_POINT_SORT: {
    auto [eb, sb, bits] = v.getFloatingPointValue();
    Expr bv(Z3_mk_numeral(c, bits.getBitVectorValue(10).c_str(),
                          Z3_mk_bv_sort(c, eb + sb)));
    return Expr(Z3_mk_fpa_to_fp_bv(c, bv.raw(), z)).simplify();
  }
  case Z3_ROUNDING_MODE_SORT:
    switch (v.getRoundingModeValue()) {
    case cvc5::RoundingMode::ROUND_NEAREST_TIES_TO_EVEN:
      return Expr(Z3_mk_fpa_rne(c));
    case cvc5::RoundingMode::ROUND_NEAREST_TIES_TO_AWAY:
      return Expr(Z3_mk_fpa_rna(c));
    case cvc5::RoundingMode::ROUND_TOWARD_POSITIVE:
      return Expr(Z3_mk_fpa_rtp(c));
    case cvc5::RoundingMode::ROUND_TOWARD_NEGATIVE:
      return Expr(Z3_mk_fpa_rtn(c));
    default:
      return Expr(Z3_mk_fpa_rtz(c));
    }
  case Z3_REAL_SORT:
    return Expr(Z3_mk_numeral(c, v.getRealValue().c_str(), z));
  case Z3_INT_SORT:
    return Expr(Z3_mk_numeral(c, v.getIntegerValue().c_str(), z));
  case Z3_ARRAY_SORT: {
    // (store (store (const base) i0 v0) i1 v1)...: stores outermost first.
    Z3_sort dom = Z3_get_array_sort_domain(c, z);
    Z3_sort rng = Z3_get_array_sort_range(c, z);
    std::vector<cvc5::Term> stores;
    cvc5::Term t = v;
    while (t.getKind() == Kind::STORE) {
      stores.push_back(t);
      t = t[0];
    }
    if (t.getKind() != Kind::CONST_ARRAY)
      throw Cvc5Unsupported("array value " + t.toString());
    Expr r(Z3_mk_const_array(c, dom, value(t.getConstArrayBase(), rng).raw()));
    for (size_t i = stores.size(); i-- > 0;)
      r = r.store(value(stores[i][1], dom), value(stores[i][2], rng));
    return r;
  }
  default:
    throw Cvc5Unsupported("value of sort " + sortName(z));
  }
}

Z3_model Cvc5Translator::model() {
  Z3_context c = ctx();
  Z3_model m = Z3_mk_model(c);
  Z3_model_inc_ref(c, m);
  std::unordered_set<unsigned> done;
  for (auto &[e, t] : constants_) {
    Z3_func_decl d = Z3_get_app_decl(c, Z3_to_app(c, e.raw()));
    if (!done.insert(Z3_get_func_decl_id(c, d)).second)
      continue;
    Expr v = value(s_.getValue(t), Z3_get_range(c, d));
    Z3_add_const_interp(c, m, d, v.raw());
  }
  // Functions: one entry per application met, at its arguments' values.
  std::unordered_map<unsigned, Z3_func_interp> interps;
  std::unordered_set<std::string> entries;
  for (auto &[e, t] : functions_) {
    Z3_app ap = Z3_to_app(c, e.raw());
    Z3_func_decl d = Z3_get_app_decl(c, ap);
    unsigned fid = Z3_get_func_decl_id(c, d);
    Expr result = value(s_.getValue(t), Z3_get_range(c, d));
    auto it = interps.find(fid);
    if (it == interps.end()) {
      Z3_func_interp fi = Z3_add_func_interp(c, m, d, result.raw());
      Z3_func_interp_inc_ref(c, fi);
      it = interps.emplace(fid, fi).first;
    }
    std::vector<Expr> args;
    std::string key = std::to_string(fid);
    for (unsigned i = 0; i < Z3_get_app_num_args(c, ap); ++i) {
      args.push_back(value(s_.getValue(t[i + 1]),
                           Z3_get_sort(c, Z3_get_app_arg(c, ap, i))));
      key += " " + args.back().str();
    }
    if (!entries.insert(key).second)
      continue;
    Z3_ast_vector av = Z3_mk_ast_vector(c);
    Z3_ast_vector_inc_ref(c, av);
    for (const Expr &x : args)
      Z3_ast_vector_push(c, av, x.raw());
    Z3_func_interp_add_entry(c, it->second, av, result.raw());
    Z3_ast_vector_dec_ref(c, av);
  }
  for (auto &[id, fi] : interps)
    Z3_func_interp_dec_ref(c, fi);
  return m;
}

} // namespace ksynth::smt::detail
