// LLVM instruction semantics for the executor: one case per instruction
// kind, a semantic table (over 800 lines by design: one place per
// instruction; the builtins are BuiltinCall.h's table, the build options'
// forms BuildOptionsExec.cpp).
#include "verify/exec/ExecutorImpl.h"

#include "support/Error.h"
#include "support/Float.h"
#include "verify/core/PlantedBug.h"
#include "verify/core/VarNames.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GetElementPtrTypeIterator.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Operator.h>
#include <llvm/Support/raw_ostream.h>

namespace ksynth::verify {

using smt::Expr;

namespace {

std::string show(const llvm::Value &v) {
  std::string s;
  llvm::raw_string_ostream os(s);
  v.print(os);
  return s;
}

[[noreturn]] void unsupported(const std::string &what,
                              const llvm::Instruction &i) {
  throw CannotDecide(UnknownKind::Unsupported,
                     what + ": " + show(i) + " (in function " +
                         i.getFunction()->getName().str() + ")");
}

unsigned lanesOf(const llvm::Type *t) {
  if (auto *vt = llvm::dyn_cast<llvm::FixedVectorType>(t))
    return vt->getNumElements();
  return 1;
}

// Applies f lane-wise when operands are vectors.
template <class F> Val lanewise(const Val &a, const Val &b, F f) {
  if (!a.isVec())
    return f(a, b);
  std::vector<Val> out;
  for (size_t i = 0; i < a.elems.size(); ++i)
    out.push_back(f(a.elems[i], b.elems[i]));
  return Val::vec(std::move(out));
}
template <class F> Val lanewise1(const Val &a, F f) {
  if (!a.isVec())
    return f(a);
  std::vector<Val> out;
  for (const Val &x : a.elems)
    out.push_back(f(x));
  return Val::vec(std::move(out));
}

bool anyPoison(const Val &v) { return v.isPoison(); }

// When a symbolic nsw/nuw/exact operation or shift yields poison (the
// symbolic work-item mode reports it as possible undefined behaviour: unknown,
// not refuted, since the poison may be unused).
Expr poisonCond(ops::IntOp op, const Val &x, const Val &y, const Val &r,
                bool nsw, bool nuw, bool exact) {
  unsigned w = x.width;
  Expr a = x.expr(), b = y.expr(), c = r.expr();
  std::vector<Expr> cs;
  bool arith =
      op == ops::IntOp::Add || op == ops::IntOp::Sub || op == ops::IntOp::Mul;
  if (arith && nsw) {
    if (w < 64) {
      Expr wa = a.sext(64), wb = b.sext(64);
      Expr wide = op == ops::IntOp::Add   ? wa.add(wb)
                  : op == ops::IntOp::Sub ? wa.sub(wb)
                                          : wa.mul(wb);
      cs.push_back(wide.ne(c.sext(64)));
    } else if (op == ops::IntOp::Mul) {
      Expr z = Expr::bvVal(0, 64);
      cs.push_back(a.ne(z) && (c.sdiv(a).ne(b) ||
                               (a.eq(Expr::bvVal(~uint64_t(0), 64)) &&
                                b.eq(Expr::bvVal(uint64_t(1) << 63, 64)))));
    } else {
      // 64 bits: a+b overflows iff a and b have one sign and c the other;
      // a-b iff a and b differ in sign and c differs from a.
      Expr z = Expr::bvVal(0, 64);
      Expr sa = a.slt(z), sb = b.slt(z), sc = c.slt(z);
      cs.push_back((op == ops::IntOp::Add ? sa.eq(sb) : sa.ne(sb)) &&
                   sc.ne(sa));
    }
  }
  if (arith && nuw) {
    if (op == ops::IntOp::Add)
      cs.push_back(c.ult(a));
    else if (op == ops::IntOp::Sub)
      cs.push_back(a.ult(b));
    else if (w < 64)
      cs.push_back(a.zext(64).mul(b.zext(64)).ne(c.zext(64)));
    else
      cs.push_back(a.ne(Expr::bvVal(0, 64)) && c.udiv(a).ne(b));
  }
  bool shift =
      op == ops::IntOp::Shl || op == ops::IntOp::LShr || op == ops::IntOp::AShr;
  if (shift) {
    cs.push_back(Expr::bvVal(w - 1, w).ult(b));
    if (op == ops::IntOp::Shl && nsw)
      cs.push_back(c.ashr(b).ne(a));
    if (op == ops::IntOp::Shl && nuw)
      cs.push_back(c.lshr(b).ne(a));
  }
  if (exact && (op == ops::IntOp::UDiv || op == ops::IntOp::SDiv))
    cs.push_back(c.mul(b).ne(a));
  if (exact && (op == ops::IntOp::LShr || op == ops::IntOp::AShr))
    cs.push_back(c.shl(b).ne(a));
  return Expr::orAll(cs);
}

ops::ICmp icmpOf(llvm::CmpInst::Predicate p) {
  using P = llvm::CmpInst::Predicate;
  switch (p) {
  case P::ICMP_EQ:
    return ops::ICmp::Eq;
  case P::ICMP_NE:
    return ops::ICmp::Ne;
  case P::ICMP_UGT:
    return ops::ICmp::Ugt;
  case P::ICMP_UGE:
    return ops::ICmp::Uge;
  case P::ICMP_ULT:
    return ops::ICmp::Ult;
  case P::ICMP_ULE:
    return ops::ICmp::Ule;
  case P::ICMP_SGT:
    return ops::ICmp::Sgt;
  case P::ICMP_SGE:
    return ops::ICmp::Sge;
  case P::ICMP_SLT:
    return ops::ICmp::Slt;
  case P::ICMP_SLE:
    return ops::ICmp::Sle;
  default:
    KSYNTH_UNREACHABLE("icmp predicate");
  }
}

ops::FCmp fcmpOf(llvm::CmpInst::Predicate p) {
  using P = llvm::CmpInst::Predicate;
  switch (p) {
  case P::FCMP_FALSE:
    return ops::FCmp::False;
  case P::FCMP_OEQ:
    return ops::FCmp::Oeq;
  case P::FCMP_OGT:
    return ops::FCmp::Ogt;
  case P::FCMP_OGE:
    return ops::FCmp::Oge;
  case P::FCMP_OLT:
    return ops::FCmp::Olt;
  case P::FCMP_OLE:
    return ops::FCmp::Ole;
  case P::FCMP_ONE:
    return ops::FCmp::One;
  case P::FCMP_ORD:
    return ops::FCmp::Ord;
  case P::FCMP_UNO:
    return ops::FCmp::Uno;
  case P::FCMP_UEQ:
    return ops::FCmp::Ueq;
  case P::FCMP_UGT:
    return ops::FCmp::Ugt;
  case P::FCMP_UGE:
    return ops::FCmp::Uge;
  case P::FCMP_ULT:
    return ops::FCmp::Ult;
  case P::FCMP_ULE:
    return ops::FCmp::Ule;
  case P::FCMP_UNE:
    return ops::FCmp::Une;
  case P::FCMP_TRUE:
    return ops::FCmp::True;
  default:
    KSYNTH_UNREACHABLE("fcmp predicate");
  }
}

// Splits a scalar into `lanes` pieces of `w` bits (little-endian lanes)
// or joins them: the general bitcast between same-sized types.
Expr bitsOf(const Val &v, FloatBits &fb) {
  return v.isFloat() ? ops::floatToBits(v, fb).expr() : v.expr();
}

} // namespace

Val Executor::Impl::freshFloat(Choice c) {
  return Val::floatSym(
      Expr::fpFromBits(Expr::bvVar(var::choice(c, "", fresh++), 32)));
}

Val Executor::Impl::freshInt(Choice c, unsigned width) {
  return Val::intSym(Expr::bvVar(var::choice(c, "", fresh++), width));
}

Val Executor::Impl::freshOf(const llvm::Type *t, Choice prefix) {
  if (auto *vt = llvm::dyn_cast<llvm::FixedVectorType>(t)) {
    std::vector<Val> out;
    for (unsigned i = 0; i < vt->getNumElements(); ++i)
      out.push_back(freshOf(vt->getElementType(), prefix));
    return Val::vec(std::move(out));
  }
  if (t->isFloatTy())
    return freshFloat(prefix);
  if (t->isIntegerTy())
    return freshInt(prefix, t->getIntegerBitWidth());
  throw CannotDecide(UnknownKind::Unsupported,
                     "undefined value of a non-numeric type");
}

// Poison stored to memory or observed: any value of the type.
Val Executor::Impl::unpoison(const Val &v, const llvm::Type *t) {
  if (v.isPoison())
    return freshOf(t, Choice::Nondet);
  if (v.isVec()) {
    Val r = v;
    for (Val &e : r.elems)
      if (e.isPoison())
        e = freshOf(t->getScalarType(), Choice::Nondet);
    return r;
  }
  return v;
}

Val Executor::Impl::constant(const llvm::Constant *c) {
  if (llvm::isa<llvm::PoisonValue>(c) || llvm::isa<llvm::UndefValue>(c)) {
    if (auto *vt = llvm::dyn_cast<llvm::FixedVectorType>(c->getType()))
      return Val::vec(std::vector<Val>(vt->getNumElements(), Val::poison()));
    return Val::poison();
  }
  if (auto *ci = llvm::dyn_cast<llvm::ConstantInt>(c))
    return Val::intConst(ci->getZExtValue(), ci->getBitWidth());
  if (auto *cf = llvm::dyn_cast<llvm::ConstantFP>(c)) {
    if (!cf->getType()->isFloatTy())
      throw CannotDecide(UnknownKind::Unsupported,
                         "non-float32 floating-point constant");
    return Val::floatConst(static_cast<uint32_t>(
        cf->getValueAPF().bitcastToAPInt().getZExtValue()));
  }
  if (llvm::isa<llvm::ConstantPointerNull>(c))
    return Val::ptr(-1, Val::intConst(0, 64));
  if (auto *vt = llvm::dyn_cast<llvm::FixedVectorType>(c->getType())) {
    std::vector<Val> out;
    for (unsigned i = 0; i < vt->getNumElements(); ++i)
      out.push_back(constant(c->getAggregateElement(i)));
    return Val::vec(std::move(out));
  }
  if (auto *gv = llvm::dyn_cast<llvm::GlobalVariable>(c)) {
    const auto &table = gv->getAddressSpace() == 3 // this group's __local
                            ? localRegions
                            : constantRegions;
    auto it = table.find(gv);
    if (it == table.end())
      throw CannotDecide(UnknownKind::Unsupported,
                         "program-scope variable " + gv->getName().str());
    return Val::ptr(it->second, Val::intConst(0, 64));
  }
  if (auto *ce = llvm::dyn_cast<llvm::ConstantExpr>(c)) {
    // Evaluate the expression as an instruction in an empty path.
    llvm::Instruction *inst = ce->getAsInstruction();
    Path scratch;
    Frame f;
    scratch.frames.push_back(f);
    step(scratch, *inst);
    Val r = scratch.frames.back().regs[inst];
    inst->deleteValue();
    return r;
  }
  throw CannotDecide(UnknownKind::Unsupported, "constant " + show(*c));
}

Val Executor::Impl::get(Path &p, const llvm::Value *v) {
  if (auto *c = llvm::dyn_cast<llvm::Constant>(v))
    return constant(c);
  Frame &f = p.frames.back();
  auto it = f.regs.find(v);
  if (it == f.regs.end())
    KSYNTH_UNREACHABLE("use of a value before its definition");
  return it->second;
}

void Executor::Impl::stepInstruction(Path &p, const llvm::Instruction &inst) {
  Frame &f = p.frames.back();
  auto set = [&](Val v) { p.frames.back().regs[&inst] = std::move(v); };
  unsigned opc = inst.getOpcode();

  if (auto *bo = llvm::dyn_cast<llvm::BinaryOperator>(&inst)) {
    Val a = get(p, bo->getOperand(0)), b = get(p, bo->getOperand(1));
    if (inst.getType()->getScalarType()->isFloatTy()) {
      if (inst.getFastMathFlags().any())
        throw CannotDecide(UnknownKind::Approximation,
                           "fast-math flags (relaxed IEEE semantics) on " +
                               show(inst));
      ops::FOp op;
      switch (opc) {
      case llvm::Instruction::FAdd:
        op = ops::FOp::Add;
        break;
      case llvm::Instruction::FSub:
        op = ops::FOp::Sub;
        break;
      case llvm::Instruction::FMul:
        op = ops::FOp::Mul;
        break;
      case llvm::Instruction::FDiv:
        op = ops::FOp::Div;
        break;
      default:
        unsupported("floating-point operation", inst);
      }
      if (op == ops::FOp::Div &&
          inst.getMetadata(llvm::LLVMContext::MD_fpmath)) {
        // OpenCL C's float division is accurate to 2.5 ulp unless built with
        // -cl-fp32-correctly-rounded-divide-sqrt: a function of the operands
        // ("cl.div"), unconstrained bit for bit, 2.5 ulp for the rounding
        // level.
        approximations.insert(
            "float division: within 2.5 ulp, as OpenCL C allows (build with "
            "-cl-fp32-correctly-rounded-divide-sqrt for exact division)");
        set(lanewise(a, b, [&](const Val &x, const Val &y) {
          if (x.isPoison() || y.isPoison())
            return Val::poison();
          return Val::floatSym(Expr::uf("cl.div", {x.expr(), y.expr()}));
        }));
        return;
      }
      set(lanewise(a, b, [&](const Val &x, const Val &y) {
        if (anyPoison(x) || anyPoison(y))
          return Val::poison();
        return ops::fbin(op, x, y);
      }));
      return;
    }
    ops::IntOp op;
    switch (opc) {
    case llvm::Instruction::Add:
      op = ops::IntOp::Add;
      break;
    case llvm::Instruction::Sub:
      op = ops::IntOp::Sub;
      break;
    case llvm::Instruction::Mul:
      op = ops::IntOp::Mul;
      break;
    case llvm::Instruction::UDiv:
      op = ops::IntOp::UDiv;
      break;
    case llvm::Instruction::SDiv:
      op = ops::IntOp::SDiv;
      break;
    case llvm::Instruction::URem:
      op = ops::IntOp::URem;
      break;
    case llvm::Instruction::SRem:
      op = ops::IntOp::SRem;
      break;
    case llvm::Instruction::Shl:
      op = ops::IntOp::Shl;
      break;
    case llvm::Instruction::LShr:
      op = ops::IntOp::LShr;
      break;
    case llvm::Instruction::AShr:
      op = ops::IntOp::AShr;
      break;
    case llvm::Instruction::And:
      op = ops::IntOp::And;
      break;
    case llvm::Instruction::Or:
      op = ops::IntOp::Or;
      break;
    case llvm::Instruction::Xor:
      op = ops::IntOp::Xor;
      break;
    default:
      unsupported("integer operation", inst);
    }
    bool isDiv = op == ops::IntOp::UDiv || op == ops::IntOp::SDiv ||
                 op == ops::IntOp::URem || op == ops::IntOp::SRem;
    bool nsw =
        llvm::isa<llvm::OverflowingBinaryOperator>(bo) && bo->hasNoSignedWrap();
    bool nuw = llvm::isa<llvm::OverflowingBinaryOperator>(bo) &&
               bo->hasNoUnsignedWrap();
    bool exact = llvm::isa<llvm::PossiblyExactOperator>(bo) && bo->isExact();
    set(lanewise(a, b, [&](const Val &x, const Val &y) {
      if (anyPoison(x) || anyPoison(y))
        return Val::poison();
      if (isDiv) {
        if (y.isConst && y.c == 0) {
          kill(p, ObligationKind::UndefinedBehaviour,
               "integer division by zero in " + where());
          return Val::poison();
        }
        if (!y.isConst)
          note({ObligationKind::UndefinedBehaviour,
                p.pc && y.expr().eq(Expr::bvVal(0, y.width)),
                "integer division by zero in " + where(), "", -1});
      }
      Val r = ops::intBin(op, x, y);
      if (symbolic && !(x.isConst && y.isConst) && !r.isPoison()) {
        Expr ov = poisonCond(op, x, y, r, nsw, nuw, exact);
        if (!ov.simplify().isFalse())
          note({ObligationKind::UndefinedBehaviour, p.pc && ov,
                std::string("integer ") + inst.getOpcodeName() +
                    " whose nsw/nuw/exact flag or shift amount is "
                    "violated (LLVM poison) in " +
                    where(),
                "", -1, /*refutable=*/false});
      }
      if (x.isConst && y.isConst) {
        unsigned w = x.width;
        // nsw/nuw/exact: the result is poison when the flag is violated.
        if (nsw && (op == ops::IntOp::Add || op == ops::IntOp::Sub ||
                    op == ops::IntOp::Mul)) {
          __int128 sx = x.sval(), sy = y.sval(), t = 0;
          t = op == ops::IntOp::Add   ? sx + sy
              : op == ops::IntOp::Sub ? sx - sy
                                      : sx * sy;
          __int128 lo = -(static_cast<__int128>(1) << (w - 1)),
                   hi = (static_cast<__int128>(1) << (w - 1)) - 1;
          if (t < lo || t > hi)
            return Val::poison();
        }
        if (nuw && (op == ops::IntOp::Add || op == ops::IntOp::Sub ||
                    op == ops::IntOp::Mul)) {
          unsigned __int128 ux = x.c, uy = y.c;
          unsigned __int128 t = op == ops::IntOp::Add   ? ux + uy
                                : op == ops::IntOp::Mul ? ux * uy
                                                        : 0;
          if (op == ops::IntOp::Sub
                  ? uy > ux
                  : t > ((static_cast<unsigned __int128>(1) << w) - 1))
            return Val::poison();
        }
        if ((op == ops::IntOp::Shl || op == ops::IntOp::LShr ||
             op == ops::IntOp::AShr) &&
            y.c >= w)
          return Val::poison();
        if (exact && (op == ops::IntOp::UDiv || op == ops::IntOp::SDiv ||
                      op == ops::IntOp::LShr || op == ops::IntOp::AShr)) {
          // exact: no remainder / no bits shifted out.
          Val back = (op == ops::IntOp::UDiv || op == ops::IntOp::SDiv)
                         ? ops::intBin(ops::IntOp::Mul, r, y)
                         : ops::intBin(ops::IntOp::Shl, r, y);
          if (back.c != x.c)
            return Val::poison();
        }
      }
      return r;
    }));
    return;
  }

  switch (opc) {
  case llvm::Instruction::FNeg: {
    if (plantedBug("drop-fneg")) { // TEST-ONLY (verify/core/PlantedBug.h)
      set(get(p, inst.getOperand(0)));
      return;
    }
    set(lanewise1(get(p, inst.getOperand(0)), [](const Val &x) {
      return x.isPoison() ? x : ops::fneg(x);
    }));
    return;
  }
  case llvm::Instruction::ICmp: {
    auto pred = icmpOf(llvm::cast<llvm::ICmpInst>(inst).getPredicate());
    Val a = get(p, inst.getOperand(0)), b = get(p, inst.getOperand(1));
    set(lanewise(a, b, [&](const Val &x, const Val &y) {
      if (x.isPoison() || y.isPoison())
        return Val::poison();
      if (x.isPtr() || y.isPtr()) {
        if (x.region != y.region)
          throw CannotDecide(UnknownKind::Unsupported,
                             "comparison of pointers into different buffers");
        return ops::icmp(pred, x.offset(), y.offset());
      }
      return ops::icmp(pred, x, y);
    }));
    return;
  }
  case llvm::Instruction::FCmp: {
    if (inst.getFastMathFlags().any())
      throw CannotDecide(UnknownKind::Approximation,
                         "fast-math flags (relaxed IEEE semantics) on " +
                             show(inst));
    auto pred = fcmpOf(llvm::cast<llvm::FCmpInst>(inst).getPredicate());
    Val a = get(p, inst.getOperand(0)), b = get(p, inst.getOperand(1));
    set(lanewise(a, b, [&](const Val &x, const Val &y) {
      if (x.isPoison() || y.isPoison())
        return Val::poison();
      return ops::fcmp(pred, x, y);
    }));
    return;
  }
  case llvm::Instruction::Select: {
    if (inst.getType()->getScalarType()->isFloatTy() &&
        inst.getFastMathFlags().any())
      throw CannotDecide(UnknownKind::Approximation,
                         "fast-math flags (relaxed IEEE semantics) on " +
                             show(inst));
    Val c = get(p, inst.getOperand(0));
    Val a = get(p, inst.getOperand(1)), b = get(p, inst.getOperand(2));
    if (c.isPoison()) {
      set(Val::poison());
      return;
    }
    if (!c.isVec())
      c = decideIndexCondition(p, c);
    if (!c.isVec() && c.isConst) {
      set(c.c ? a : b);
      return;
    }
    if (!a.isVec()) {
      set(ops::select(c, a, b));
      return;
    }
    std::vector<Val> out;
    for (size_t i = 0; i < a.elems.size(); ++i) {
      const Val &ci = c.isVec() ? c.elems[i] : c;
      out.push_back(ci.isPoison() ? Val::poison()
                                  : ops::select(ci, a.elems[i], b.elems[i]));
    }
    set(Val::vec(std::move(out)));
    return;
  }
  case llvm::Instruction::Trunc:
  case llvm::Instruction::ZExt:
  case llvm::Instruction::SExt:
  case llvm::Instruction::FPToSI:
  case llvm::Instruction::FPToUI:
  case llvm::Instruction::SIToFP:
  case llvm::Instruction::UIToFP: {
    const llvm::Type *dt = inst.getType()->getScalarType();
    if ((opc == llvm::Instruction::SIToFP ||
         opc == llvm::Instruction::UIToFP) &&
        !dt->isFloatTy())
      unsupported("conversion to a non-float32 type", inst);
    if ((opc == llvm::Instruction::FPToSI ||
         opc == llvm::Instruction::FPToUI) &&
        !inst.getOperand(0)->getType()->getScalarType()->isFloatTy())
      unsupported("conversion from a non-float32 type", inst);
    unsigned w = dt->isIntegerTy() ? dt->getIntegerBitWidth() : 32;
    set(lanewise1(get(p, inst.getOperand(0)), [&](const Val &x) {
      if (x.isPoison())
        return x;
      switch (opc) {
      case llvm::Instruction::Trunc:
        return ops::trunc(x, w);
      case llvm::Instruction::ZExt:
        return ops::zext(x, w);
      case llvm::Instruction::SExt:
        return ops::sext(x, w);
      case llvm::Instruction::FPToSI:
        return ops::fpToSI(x, w);
      case llvm::Instruction::FPToUI:
        return ops::fpToUI(x, w);
      case llvm::Instruction::SIToFP:
        return ops::siToFP(x);
      default:
        return ops::uiToFP(x);
      }
    }));
    return;
  }
  case llvm::Instruction::BitCast: {
    const llvm::Type *st = inst.getOperand(0)->getType();
    const llvm::Type *dt = inst.getType();
    Val v = get(p, inst.getOperand(0));
    if (st->isPointerTy()) {
      set(v);
      return;
    }
    unsigned sl = lanesOf(st), dl_ = lanesOf(dt);
    const llvm::Type *se = st->getScalarType(), *de = dt->getScalarType();
    if (sl == dl_) { // lane-wise float <-> int reinterpretation
      set(lanewise1(v, [&](const Val &x) {
        if (x.isPoison())
          return x;
        if (de->isFloatTy())
          return x.isFloat() ? x : ops::bitsToFloat(x);
        return x.isFloat() ? ops::floatToBits(x, floatBits) : x;
      }));
      return;
    }
    // General: join all lanes (lane 0 lowest) then split.
    std::vector<Val> src = v.isVec() ? v.elems : std::vector<Val>{v};
    Expr all;
    for (Val &x : src) {
      if (x.isPoison())
        x = freshOf(se, Choice::Nondet);
      Expr b = bitsOf(x, floatBits);
      all = all.isNull() ? b : b.concat(all);
    }
    unsigned dw = static_cast<unsigned>(
        dl.getTypeSizeInBits(const_cast<llvm::Type *>(de)));
    std::vector<Val> out;
    for (unsigned i = 0; i < dl_; ++i) {
      Val piece = Val::intSym(all.extract((i + 1) * dw - 1, i * dw).simplify());
      out.push_back(de->isFloatTy() ? ops::bitsToFloat(piece) : piece);
    }
    set(dt->isVectorTy() ? Val::vec(std::move(out)) : out[0]);
    return;
  }
  case llvm::Instruction::AddrSpaceCast:
  case llvm::Instruction::Freeze: {
    Val v = get(p, inst.getOperand(0));
    if (opc == llvm::Instruction::Freeze)
      v = unpoison(v, inst.getType());
    set(v);
    return;
  }
  case llvm::Instruction::GetElementPtr: {
    auto &gep = llvm::cast<llvm::GetElementPtrInst>(inst);
    if (gep.getType()->isVectorTy())
      unsupported("vector of pointers", inst);
    Val base = get(p, gep.getPointerOperand());
    if (base.isPoison()) {
      set(base);
      return;
    }
    Val off = base.offset();
    for (auto gti = llvm::gep_type_begin(gep), e = llvm::gep_type_end(gep);
         gti != e; ++gti) {
      Val idx = get(p, gti.getOperand());
      if (idx.isPoison()) {
        set(Val::poison());
        return;
      }
      if (llvm::StructType *st = gti.getStructTypeOrNull()) {
        uint64_t field = idx.c;
        off =
            ops::intBin(ops::IntOp::Add, off,
                        Val::intConst(dl.getStructLayout(st)->getElementOffset(
                                          static_cast<unsigned>(field)),
                                      64));
        continue;
      }
      uint64_t size = dl.getTypeAllocSize(gti.getIndexedType());
      Val i64 = idx.width < 64 ? ops::sext(idx, 64) : idx;
      off = ops::intBin(
          ops::IntOp::Add, off,
          ops::intBin(ops::IntOp::Mul, i64, Val::intConst(size, 64)));
    }
    set(Val::ptr(base.region, off));
    return;
  }
  case llvm::Instruction::Load: {
    auto &ld = llvm::cast<llvm::LoadInst>(inst);
    if (ld.isVolatile() || ld.isAtomic())
      unsupported("volatile or atomic load", inst);
    set(load(p, get(p, ld.getPointerOperand()), ld.getType(),
             ld.getAlign().value()));
    return;
  }
  case llvm::Instruction::Store: {
    auto &st = llvm::cast<llvm::StoreInst>(inst);
    if (st.isVolatile() || st.isAtomic())
      unsupported("volatile or atomic store", inst);
    store(p, get(p, st.getPointerOperand()), get(p, st.getValueOperand()),
          st.getValueOperand()->getType(), st.getAlign().value());
    return;
  }
  case llvm::Instruction::Alloca: {
    auto &al = llvm::cast<llvm::AllocaInst>(inst);
    llvm::Type *t = al.getAllocatedType();
    uint64_t count = 1;
    while (auto *at = llvm::dyn_cast<llvm::ArrayType>(t)) {
      count *= at->getNumElements();
      t = at->getElementType();
    }
    if (auto *vt = llvm::dyn_cast<llvm::FixedVectorType>(t)) {
      count *= vt->getNumElements();
      t = vt->getElementType();
    }
    if (!t->isFloatTy() && !t->isIntegerTy())
      unsupported("private allocation of an aggregate type", inst);
    Val n = get(p, al.getArraySize());
    if (!n.isConst)
      unsupported("variable-sized private allocation", inst);
    Region r;
    r.name =
        "private:" + (al.hasName() ? al.getName().str() : std::string("tmp"));
    r.role = Role::Private;
    r.elemSize = static_cast<unsigned>(dl.getTypeStoreSize(t));
    r.isFloat = t->isFloatTy();
    r.numElems = static_cast<int64_t>(count * n.c);
    int id = mem.add(std::move(r));
    set(Val::ptr(id, Val::intConst(0, 64)));
    return;
  }
  case llvm::Instruction::PHI:
    KSYNTH_UNREACHABLE("phi executed outside block entry");
  case llvm::Instruction::Br: {
    auto &br = llvm::cast<llvm::BranchInst>(inst);
    if (br.isUnconditional()) {
      enterBlock(p, br.getSuccessor(0));
      return;
    }
    Val c = get(p, br.getCondition());
    if (c.isPoison()) {
      kill(p, ObligationKind::UndefinedBehaviour,
           "branch on a poison value in " + where());
      return;
    }
    if (c.isConst) {
      enterBlock(p, br.getSuccessor(c.c ? 0 : 1));
      return;
    }
    Expr t = ops::truthOf(c);
    // The arbitrary work-item: both sides merged where they rejoin
    // (PathMerge.cpp), instead of two paths from here on.
    if (symbolic && mergeBranch(p, br, t))
      return;
    Path other = p;
    other.pc = p.pc && !t;
    p.pc = p.pc && t;
    if (symbolic) { // the arbitrary work-item: drop infeasible sides
      prune(other);
      prune(p);
    }
    enterBlock(other, br.getSuccessor(1));
    enterBlock(p, br.getSuccessor(0));
    if (!other.pc.isFalse())
      pending.push_back(std::move(other));
    if (p.pc.isFalse())
      p.done = true;
    return;
  }
  case llvm::Instruction::Switch: {
    auto &sw = llvm::cast<llvm::SwitchInst>(inst);
    Val c = get(p, sw.getCondition());
    if (c.isPoison()) {
      kill(p, ObligationKind::UndefinedBehaviour,
           "switch on a poison value in " + where());
      return;
    }
    if (c.isConst) {
      for (auto cs : sw.cases())
        if (cs.getCaseValue()->getZExtValue() == c.c) {
          enterBlock(p, cs.getCaseSuccessor());
          return;
        }
      enterBlock(p, sw.getDefaultDest());
      return;
    }
    Expr notAny = Expr::boolVal(true);
    for (auto cs : sw.cases()) {
      Expr hit =
          c.e.eq(Expr::bvVal(cs.getCaseValue()->getZExtValue(), c.width));
      notAny = notAny && !hit;
      Path q = p;
      q.pc = p.pc && hit;
      if (symbolic) {
        prune(q);
        if (q.pc.isFalse())
          continue;
      }
      enterBlock(q, cs.getCaseSuccessor());
      pending.push_back(std::move(q));
    }
    p.pc = p.pc && notAny;
    if (symbolic) {
      prune(p);
      if (p.pc.isFalse()) {
        p.done = true;
        return;
      }
    }
    enterBlock(p, sw.getDefaultDest());
    return;
  }
  case llvm::Instruction::Ret: {
    Val r;
    if (auto *rv = llvm::cast<llvm::ReturnInst>(inst).getReturnValue())
      r = get(p, rv);
    const llvm::CallInst *call = f.call;
    p.frames.pop_back();
    if (p.frames.empty()) {
      p.done = true;
      return;
    }
    if (call && !call->getType()->isVoidTy())
      p.frames.back().regs[call] = r;
    return;
  }
  case llvm::Instruction::Unreachable:
    kill(p, ObligationKind::UndefinedBehaviour,
         "reached 'unreachable' (undefined behaviour) in " + where());
    p.done = true;
    return;
  case llvm::Instruction::ExtractElement: {
    Val v = get(p, inst.getOperand(0)), i = get(p, inst.getOperand(1));
    if (!i.isConst)
      unsupported("extractelement with a data-dependent index", inst);
    set(i.c < v.elems.size() ? v.elems[i.c] : Val::poison());
    return;
  }
  case llvm::Instruction::InsertElement: {
    Val v = get(p, inst.getOperand(0)), x = get(p, inst.getOperand(1)),
        i = get(p, inst.getOperand(2));
    if (!i.isConst)
      unsupported("insertelement with a data-dependent index", inst);
    if (i.c < v.elems.size())
      v.elems[i.c] = x;
    else
      v = Val::vec(std::vector<Val>(v.elems.size(), Val::poison()));
    set(v);
    return;
  }
  case llvm::Instruction::ShuffleVector: {
    auto &sv = llvm::cast<llvm::ShuffleVectorInst>(inst);
    Val a = get(p, sv.getOperand(0)), b = get(p, sv.getOperand(1));
    size_t n = a.elems.size();
    std::vector<Val> out;
    for (int m : sv.getShuffleMask()) {
      if (m < 0)
        out.push_back(Val::poison());
      else if (static_cast<size_t>(m) < n)
        out.push_back(a.elems[static_cast<size_t>(m)]);
      else
        out.push_back(b.elems[static_cast<size_t>(m) - n]);
    }
    set(Val::vec(std::move(out)));
    return;
  }
  case llvm::Instruction::Call: {
    auto &call = llvm::cast<llvm::CallInst>(inst);
    const llvm::Function *callee = call.getCalledFunction();
    if (!callee)
      unsupported("indirect call", inst);
    if (callee->isDeclaration()) {
      Val r;
      if (!builtin(p, call, callee->getName().str(), r))
        throw CannotDecide(UnknownKind::Unsupported,
                           "OpenCL builtin " +
                               openclSignature(callee->getName().str()) +
                               " is not modelled"); // step() adds the line
      if (!call.getType()->isVoidTy())
        set(r);
      return;
    }
    if (p.frames.size() > 64)
      throw CannotDecide(UnknownKind::Bound, "call depth over 64 (recursion?)");
    Frame nf;
    nf.fn = callee;
    nf.call = &call;
    unsigned i = 0;
    for (const llvm::Argument &a : callee->args())
      nf.regs[&a] = get(p, call.getArgOperand(i++));
    nf.bb = &callee->getEntryBlock();
    nf.ip = nf.bb->begin();
    p.frames.push_back(std::move(nf));
    return;
  }
  default:
    unsupported("instruction", inst);
  }
}

} // namespace ksynth::verify
