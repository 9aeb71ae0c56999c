// The executor's side of the build options (verify/core/BuildOptions.h) and of
// half values, around the instruction semantics of Instructions.cpp:
//  - -cl-mad-enable: an fadd/fsub fed by an fmul is an arbitrary value;
//  - -cl-denorms-are-zero: float operands and results may be flushed;
//  - relaxed math: calls of float builtins are approximations;
//  - half (cl_khr_fp16) values are 16-bit integers holding binary16 bits:
//    loads, stores, fpext/fptrunc and bitcasts are exact, half arithmetic
//    is rejected (unknown, unsupported) with its source line.
// Also the source locations and OpenCL signatures used in messages.
#include "verify/core/VarNames.h"
#include "verify/exec/ExecutorImpl.h"

#include "support/Float.h"

#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/DebugLoc.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/InstrTypes.h>
#include <llvm/IR/Instructions.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace ksynth::verify {

using smt::Expr;

namespace {

bool isHalfTy(const llvm::Type *t) { return t->getScalarType()->isHalfTy(); }

bool involvesHalf(const llvm::Instruction &inst) {
  if (isHalfTy(inst.getType()))
    return true;
  for (const llvm::Use &u : inst.operands())
    if (isHalfTy(u->getType()))
      return true;
  return false;
}

const llvm::Function *declaredCallee(const llvm::Instruction &inst) {
  auto *call = llvm::dyn_cast<llvm::CallInst>(&inst);
  if (!call)
    return nullptr;
  const llvm::Function *f = call->getCalledFunction();
  return f && f->isDeclaration() ? f : nullptr;
}

// Builtins that move float data without computing on it.
bool isDataMovement(const std::string &name) {
  return name.rfind("vload", 0) == 0 || name.rfind("vstore", 0) == 0 ||
         name == "select" || name == "shuffle" || name == "shuffle2" ||
         name.rfind("llvm.lifetime", 0) == 0 ||
         name.rfind("llvm.experimental", 0) == 0 ||
         name.rfind("llvm.dbg", 0) == 0;
}

bool hasFloat(const llvm::Instruction &inst) {
  if (inst.getType()->getScalarType()->isFloatTy())
    return true;
  for (const llvm::Use &u : inst.operands())
    if (u->getType()->getScalarType()->isFloatTy())
      return true;
  return false;
}

llvm::Type *halfAsInt(const llvm::Type *t) {
  llvm::Type *i16 = llvm::Type::getInt16Ty(t->getContext());
  if (auto *vt = llvm::dyn_cast<llvm::FixedVectorType>(t))
    return llvm::FixedVectorType::get(i16, vt->getNumElements());
  return i16;
}

template <class F> Val eachLane(const Val &v, F f) {
  if (!v.isVec())
    return v.isPoison() ? v : f(v);
  std::vector<Val> out;
  for (const Val &x : v.elems)
    out.push_back(x.isPoison() ? x : f(x));
  return Val::vec(std::move(out));
}

} // namespace

std::string Executor::Impl::sourceLoc(const llvm::Instruction &inst) {
  const llvm::DebugLoc &dl = inst.getDebugLoc();
  if (!dl)
    return "";
  const llvm::DILocation *loc = dl.get();
  std::string file = loc->getFilename().str();
  if (file.empty())
    return "";
  return std::filesystem::path(file).filename().string() + ":" +
         std::to_string(loc->getLine()) + ":" +
         std::to_string(loc->getColumn());
}

SourceLoc sourceLocOf(const llvm::Instruction *inst) {
  SourceLoc l;
  if (!inst || !inst->getDebugLoc())
    return l;
  const llvm::DILocation *loc = inst->getDebugLoc().get();
  l.file = loc->getFilename().str();
  l.line = loc->getLine();
  l.column = loc->getColumn();
  if (llvm::isa<llvm::StoreInst>(inst)) {
    l.what = "store";
  } else if (llvm::isa<llvm::LoadInst>(inst)) {
    l.what = "load";
  } else if (auto *call = llvm::dyn_cast<llvm::CallInst>(inst)) {
    const llvm::Function *f = call->getCalledFunction();
    std::string name = f ? demangled(f->getName().str()) : "";
    if (name.find("barrier") != std::string::npos)
      l.what = "barrier";
    else if (name.find("atom") != std::string::npos)
      l.what = "atomic";
    else
      l.what = name.empty() ? "call" : "call to " + name;
  } else {
    l.what = inst->getOpcodeName();
  }
  return l;
}

SourceLoc kernelLocOf(const llvm::Function &kernel) {
  SourceLoc l;
  if (const llvm::DISubprogram *sp = kernel.getSubprogram()) {
    l.file = sp->getFilename().str();
    l.line = sp->getLine();
    l.what = "kernel";
  }
  return l;
}

SourceLoc accessLocOf(const llvm::Instruction *inst, bool write) {
  SourceLoc l = sourceLocOf(inst);
  if (l.valid() && !llvm::isa<llvm::StoreInst>(inst) &&
      !llvm::isa<llvm::LoadInst>(inst) && !llvm::isa<llvm::CallInst>(inst))
    l.what = std::string(write ? "store" : "load") +
             " (merged by the compiler from several source lines; here the " +
             (write ? "stored value is computed)" : "loaded value is used)");
  return l;
}

const llvm::Instruction *
Executor::Impl::placeOf(const Path &p, const llvm::Instruction *inst) {
  if (!inst || (inst->getDebugLoc() && inst->getDebugLoc().getLine() != 0))
    return inst;
  // A store the compiler sank out of the branches of an `if` (its line
  // merged to 0): the instruction computing the value on this path, or
  // the last located instruction of the block the path came from.
  auto located = [](const llvm::Instruction *i) {
    return i && i->getDebugLoc() && i->getDebugLoc().getLine() != 0;
  };
  const llvm::BasicBlock *prev =
      p.frames.empty() ? nullptr : p.frames.back().prev;
  const llvm::Value *v = nullptr;
  if (auto *st = llvm::dyn_cast<llvm::StoreInst>(inst))
    v = st->getValueOperand();
  if (auto *phi = llvm::dyn_cast_or_null<llvm::PHINode>(v))
    v = prev && phi->getBasicBlockIndex(prev) >= 0
            ? phi->getIncomingValueForBlock(prev)
            : nullptr;
  if (auto *vi = llvm::dyn_cast_or_null<llvm::Instruction>(v))
    if (located(vi))
      return vi;
  if (prev && prev != inst->getParent())
    for (auto it = prev->rbegin(); it != prev->rend(); ++it)
      if (located(&*it))
        return &*it;
  return inst;
}

void Executor::Impl::note(Violation v) {
  if (impossible && impossible(v.cond))
    return;
  if (!v.loc.valid())
    v.loc = sourceLocOf(current);
  log.add(std::move(v));
}

std::string Executor::Impl::openclSignature(const std::string &m) {
  std::string name = demangled(m);
  if (name == m)
    return m; // not an Itanium-mangled OpenCL builtin
  size_t i = 2;
  while (i < m.size() && std::isdigit(static_cast<unsigned char>(m[i])))
    ++i;
  i += name.size();
  auto scalar = [](char c) -> const char * {
    switch (c) {
    case 'c':
    case 'a':
      return "char";
    case 'h':
      return "uchar";
    case 's':
      return "short";
    case 't':
      return "ushort";
    case 'i':
      return "int";
    case 'j':
      return "uint";
    case 'l':
      return "long";
    case 'm':
      return "ulong";
    case 'f':
      return "float";
    case 'd':
      return "double";
    case 'b':
      return "bool";
    case 'v':
      return "void";
    default:
      return nullptr;
    }
  };
  std::vector<std::string> params;
  while (i < m.size()) {
    std::string prefix, type;
    if (m[i] == 'P') { // pointer, with address-space and const qualifiers
      ++i;
      while (i < m.size() && (m[i] == 'U' || m[i] == 'K' || m[i] == 'V')) {
        if (m[i] == 'K') {
          prefix += "const ";
          ++i;
        } else if (m[i] == 'V') {
          ++i;
        } else { // U3AS1
          size_t j = i + 1, n = 0;
          while (j < m.size() && std::isdigit(static_cast<unsigned char>(m[j])))
            n = n * 10 + static_cast<size_t>(m[j++] - '0');
          i = j + n;
        }
      }
      type = "*";
    }
    std::string base;
    if (i + 1 < m.size() && m[i] == 'D' && m[i + 1] == 'h') {
      base = "half";
      i += 2;
    } else if (i + 1 < m.size() && m[i] == 'D' && m[i + 1] == 'v') {
      size_t u = m.find('_', i);
      if (u == std::string::npos || u + 1 >= m.size())
        break;
      std::string n = m.substr(i + 2, u - i - 2);
      const char *s =
          u + 2 <= m.size() && m[u + 1] == 'D' ? "half" : scalar(m[u + 1]);
      if (!s)
        break;
      base = std::string(s) + n;
      i = u + (std::string(s) == "half" ? 3 : 2);
    } else if (const char *s = scalar(m[i])) {
      base = s;
      ++i;
    } else {
      params.push_back("...");
      break;
    }
    params.push_back(prefix + base + type);
  }
  std::string out = name + "(";
  for (size_t k = 0; k < params.size(); ++k)
    out += (k ? ", " : "") + (params[k] == "void" ? "" : params[k]);
  return out + ")";
}

namespace {
// "file.cl:12:3: ..." already names a place.
bool startsWithLocation(const std::string &msg) {
  size_t sp = msg.find(' ');
  std::string head = msg.substr(0, sp);
  size_t c1 = head.find(':');
  return sp != std::string::npos && c1 != std::string::npos && c1 > 0 &&
         c1 + 1 < head.size() &&
         std::isdigit(static_cast<unsigned char>(head[c1 + 1])) &&
         head.back() == ':';
}
} // namespace

void Executor::Impl::step(Path &p, const llvm::Instruction &inst) {
  // The instruction whose violations note() locates; restored on the way
  // out (optionStep may step another instruction inside this one).
  struct Current {
    const llvm::Instruction *&slot, *saved;
    ~Current() { slot = saved; }
  } restore{current, current};
  current = &inst;
  try {
    if (!inOptionStep && optionStep(p, inst))
      return;
    stepInstruction(p, inst);
  } catch (const CannotDecide &e) {
    std::string loc;
    if (e.kind == UnknownKind::Unsupported && !startsWithLocation(e.what()))
      loc = sourceLoc(inst);
    if (loc.empty())
      throw;
    throw CannotDecide(e.kind, loc + ": " + e.what());
  }
}

Val Executor::Impl::maybeFlush(const Val &v) {
  return eachLane(v, [&](const Val &x) {
    if (!x.isFloat())
      return x;
    if (x.isConst &&
        std::fpclassify(bitsFloat(static_cast<uint32_t>(x.c))) != FP_SUBNORMAL)
      return x;
    Expr e = x.expr();
    Expr nd = Expr::boolVar(var::choice(Choice::Nondet, "daz", fresh++));
    Expr zero =
        Expr::ite(e.isNegative(), Expr::fpVal(-0.0f), Expr::fpVal(0.0f));
    return Val::floatSym(Expr::ite(e.isSubnormal() && nd, zero, e));
  });
}

bool Executor::Impl::optionStep(Path &p, const llvm::Instruction &inst) {
  auto set = [&](Val v) { p.frames.back().regs[&inst] = std::move(v); };
  // A half operand as its 16 bits (constants included).
  auto halfBits = [&](const llvm::Value *v) -> Val {
    auto one = [](const llvm::Constant *c) -> Val {
      if (auto *cf = llvm::dyn_cast<llvm::ConstantFP>(c))
        return Val::intConst(cf->getValueAPF().bitcastToAPInt().getZExtValue(),
                             16);
      if (llvm::isa<llvm::UndefValue>(c))
        return Val::poison();
      throw CannotDecide(UnknownKind::Unsupported, "half constant expression");
    };
    auto *c = llvm::dyn_cast<llvm::Constant>(v);
    if (!c || !v->getType()->getScalarType()->isHalfTy())
      return get(p, v);
    if (auto *vt = llvm::dyn_cast<llvm::FixedVectorType>(v->getType())) {
      std::vector<Val> out;
      for (unsigned i = 0; i < vt->getNumElements(); ++i)
        out.push_back(one(c->getAggregateElement(i)));
      return Val::vec(std::move(out));
    }
    return one(c);
  };
  auto asFloat = [&](const llvm::Value *v) {
    return eachLane(halfBits(v), [](const Val &h) {
      return Val::floatSym(Expr::halfBitsToFP(h.expr()));
    });
  };
  const llvm::Function *callee = declaredCallee(inst);
  std::string callName = callee ? demangled(callee->getName().str()) : "";

  // ---- half values (cl_khr_fp16) as their 16 bits ----
  if (involvesHalf(inst)) {
    unsigned opc = inst.getOpcode();
    if (auto *ld = llvm::dyn_cast<llvm::LoadInst>(&inst)) {
      if (ld->isVolatile() || ld->isAtomic())
        return false; // rejected by Instructions.cpp
      set(load(p, get(p, ld->getPointerOperand()), halfAsInt(ld->getType()),
               ld->getAlign().value()));
      return true;
    }
    if (auto *st = llvm::dyn_cast<llvm::StoreInst>(&inst)) {
      if (st->isVolatile() || st->isAtomic())
        return false;
      store(p, get(p, st->getPointerOperand()), halfBits(st->getValueOperand()),
            halfAsInt(st->getValueOperand()->getType()),
            st->getAlign().value());
      return true;
    }
    if (opc == llvm::Instruction::FPExt &&
        inst.getType()->getScalarType()->isFloatTy()) {
      set(asFloat(inst.getOperand(0)));
      return true;
    }
    if (auto *fc = llvm::dyn_cast<llvm::FCmpInst>(&inst)) {
      // Exact: both halves widened to float, then compared.
      Val a = asFloat(fc->getOperand(0)), b = asFloat(fc->getOperand(1));
      auto cmp = [&](const Val &x, const Val &y) -> Val {
        if (x.isPoison() || y.isPoison())
          return Val::poison();
        Expr ex = x.expr(), ey = y.expr();
        Expr uno = ex.isNaN() || ey.isNaN();
        Expr r;
        switch (fc->getPredicate()) {
        case llvm::CmpInst::FCMP_FALSE:
          r = Expr::boolVal(false);
          break;
        case llvm::CmpInst::FCMP_TRUE:
          r = Expr::boolVal(true);
          break;
        case llvm::CmpInst::FCMP_OEQ:
          r = ex.foeq(ey);
          break;
        case llvm::CmpInst::FCMP_OGT:
          r = ex.fogt(ey);
          break;
        case llvm::CmpInst::FCMP_OGE:
          r = ex.foge(ey);
          break;
        case llvm::CmpInst::FCMP_OLT:
          r = ex.folt(ey);
          break;
        case llvm::CmpInst::FCMP_OLE:
          r = ex.fole(ey);
          break;
        case llvm::CmpInst::FCMP_ONE:
          r = !uno && !ex.foeq(ey);
          break;
        case llvm::CmpInst::FCMP_ORD:
          r = !uno;
          break;
        case llvm::CmpInst::FCMP_UNO:
          r = uno;
          break;
        case llvm::CmpInst::FCMP_UEQ:
          r = uno || ex.foeq(ey);
          break;
        case llvm::CmpInst::FCMP_UGT:
          r = uno || ex.fogt(ey);
          break;
        case llvm::CmpInst::FCMP_UGE:
          r = uno || ex.foge(ey);
          break;
        case llvm::CmpInst::FCMP_ULT:
          r = uno || ex.folt(ey);
          break;
        case llvm::CmpInst::FCMP_ULE:
          r = uno || ex.fole(ey);
          break;
        default: // FCMP_UNE
          r = !ex.foeq(ey);
          break;
        }
        return ops::fromTruth(r.simplify());
      };
      if (a.isVec()) {
        std::vector<Val> out;
        for (size_t i = 0; i < a.elems.size(); ++i)
          out.push_back(cmp(a.elems[i], b.elems[i]));
        set(Val::vec(std::move(out)));
      } else {
        set(cmp(a, b));
      }
      return true;
    }
    if (opc == llvm::Instruction::FPTrunc &&
        inst.getOperand(0)->getType()->getScalarType()->isFloatTy()) {
      set(eachLane(get(p, inst.getOperand(0)), [&](const Val &f) {
        Expr x = f.expr();
        // A NaN becomes some quiet half NaN (sign and payload open).
        Expr any = freshInt(Choice::Nondet, 16).expr();
        Expr nan =
            any.band(Expr::bvVal(0x81ff, 16)).bor(Expr::bvVal(0x7e00, 16));
        Expr bits = x.fpToHalfBits(Expr::RoundMode::NearestEven);
        return Val::intSym(Expr::ite(x.isNaN(), nan, bits).simplify());
      }));
      return true;
    }
    if (opc == llvm::Instruction::BitCast || opc == llvm::Instruction::Select ||
        opc == llvm::Instruction::PHI ||
        opc == llvm::Instruction::ExtractElement ||
        opc == llvm::Instruction::InsertElement ||
        opc == llvm::Instruction::ShuffleVector) {
      if (opc == llvm::Instruction::BitCast) {
        // half <-> i16 (and vectors of the same lanes): the same bits.
        const llvm::Type *from = inst.getOperand(0)->getType();
        const llvm::Type *to = inst.getType();
        unsigned lf =
            from->isVectorTy()
                ? llvm::cast<llvm::FixedVectorType>(from)->getNumElements()
                : 1;
        unsigned lt =
            to->isVectorTy()
                ? llvm::cast<llvm::FixedVectorType>(to)->getNumElements()
                : 1;
        if (lf == lt && from->getScalarSizeInBits() == 16 &&
            to->getScalarSizeInBits() == 16) {
          set(halfBits(inst.getOperand(0)));
          return true;
        }
      } else {
        return false; // lane moves: the generic code is right for bits
      }
    }
    if (callee && (callName.rfind("convert_", 0) == 0 ||
                   callName.find("_half") != std::string::npos))
      return false; // BuiltinsExtra.cpp
    std::string loc = sourceLoc(inst);
    throw CannotDecide(
        UnknownKind::Unsupported,
        (loc.empty() ? "" : loc + ": ") +
            (callee ? "half builtin " + openclSignature(callee->getName().str())
                    : std::string("half arithmetic")) +
            " (cl_khr_fp16) is not modelled; only half loads, "
            "stores and conversions to and from float are");
  }

  // ---- relaxed math: float builtins may be computed differently ----
  if (!build.relaxed.empty() && callee && hasFloat(inst) &&
      !isDataMovement(callee->getName().str()) && !isDataMovement(callName)) {
    std::string loc = sourceLoc(inst);
    throw CannotDecide(UnknownKind::Approximation,
                       (loc.empty() ? "" : loc + ": ") +
                           openclSignature(callee->getName().str()) +
                           " under " + build.relaxed +
                           ": relaxed math lets the device compute it "
                           "differently");
  }

  // ---- -cl-mad-enable: a*b+c may be a mad ----
  if (build.madEnable) {
    auto *bo = llvm::dyn_cast<llvm::BinaryOperator>(&inst);
    auto isMul = [](const llvm::Value *v) {
      auto *m = llvm::dyn_cast<llvm::BinaryOperator>(v);
      return m && m->getOpcode() == llvm::Instruction::FMul;
    };
    if (bo && bo->getType()->getScalarType()->isFloatTy() &&
        (bo->getOpcode() == llvm::Instruction::FAdd ||
         bo->getOpcode() == llvm::Instruction::FSub) &&
        (isMul(bo->getOperand(0)) || isMul(bo->getOperand(1)))) {
      Val a = get(p, bo->getOperand(0)), b = get(p, bo->getOperand(1));
      std::string loc = sourceLoc(inst);
      approximations.insert("a*b+c under -cl-mad-enable" +
                            (loc.empty() ? "" : " at " + loc) +
                            ": an arbitrary value (mad may compute with "
                            "reduced accuracy; no bound is used)");
      if (a.isVec()) {
        std::vector<Val> out;
        for (size_t i = 0; i < a.elems.size(); ++i)
          out.push_back(a.elems[i].isPoison() || b.elems[i].isPoison()
                            ? Val::poison()
                            : freshFloat(Choice::Approx));
        set(Val::vec(std::move(out)));
      } else {
        set(a.isPoison() || b.isPoison() ? Val::poison()
                                         : freshFloat(Choice::Approx));
      }
      return true;
    }
  }

  // ---- -cl-denorms-are-zero: operands and results may be flushed ----
  if (build.denormsAreZero && hasFloat(inst)) {
    bool arith = false;
    if (auto *bo = llvm::dyn_cast<llvm::BinaryOperator>(&inst))
      arith = bo->getType()->getScalarType()->isFloatTy();
    if (llvm::isa<llvm::FCmpInst>(inst))
      arith = true;
    // A float select is a float operation too: code generators turn
    // select(fcmp) into min/max instructions that flush a subnormal
    // operand (PoCL's maxss under DAZ returns 0 for 0x007fffff).
    if (llvm::isa<llvm::SelectInst>(inst) &&
        inst.getType()->getScalarType()->isFloatTy())
      arith = true;
    if (callee && !isDataMovement(callee->getName().str()) &&
        !isDataMovement(callName) &&
        callName.find("sub_group") == std::string::npos &&
        callName.find("work_group") == std::string::npos)
      arith = true;
    if (!arith)
      return false;
    Frame &f = p.frames.back();
    std::vector<std::pair<const llvm::Value *, Val>> saved;
    unsigned n = callee ? llvm::cast<llvm::CallInst>(inst).arg_size()
                        : inst.getNumOperands();
    for (unsigned i = 0; i < n; ++i) {
      const llvm::Value *op = inst.getOperand(i);
      if (!op->getType()->getScalarType()->isFloatTy())
        continue;
      if (auto *c = llvm::dyn_cast<llvm::Constant>(op)) {
        Val cv = constant(c);
        bool sub = false;
        for (const Val &x : cv.isVec() ? cv.elems : std::vector<Val>{cv})
          sub =
              sub || (x.isFloat() && x.isConst &&
                      std::fpclassify(bitsFloat(static_cast<uint32_t>(x.c))) ==
                          FP_SUBNORMAL);
        if (sub) {
          std::string loc = sourceLoc(inst);
          throw CannotDecide(UnknownKind::Unsupported,
                             (loc.empty() ? "" : loc + ": ") +
                                 "a subnormal float literal under "
                                 "-cl-denorms-are-zero is not modelled");
        }
        continue;
      }
      auto it = f.regs.find(op);
      if (it == f.regs.end() ||
          std::any_of(saved.begin(), saved.end(),
                      [&](const auto &s) { return s.first == op; }))
        continue;
      saved.push_back({op, it->second});
      it->second = maybeFlush(it->second);
    }
    auto restore = [&]() {
      inOptionStep = false;
      for (auto &[op, v] : saved)
        f.regs[op] = v;
    };
    inOptionStep = true;
    try {
      stepInstruction(p, inst);
    } catch (...) {
      restore();
      throw;
    }
    restore();
    if (inst.getType()->getScalarType()->isFloatTy()) {
      auto it = p.frames.back().regs.find(&inst);
      if (it != p.frames.back().regs.end())
        it->second = maybeFlush(it->second);
    }
    return true;
  }
  return false;
}

} // namespace ksynth::verify
