// Sub-groups (cl_khr_subgroups, OpenCL C 2.x semantics), modelled only when
// the launch manifest declares their size S ("sub_group_size"): the size is
// the device's choice, so it is never guessed, and a proof holds for that
// S only. The work-items of a work-group, in linear local-id order, form
// sub-groups of S consecutive work-items (the last may be smaller).
//
// sub_group_barrier and the collectives (broadcast, any, all, reduce,
// scan) are meeting points of one sub-group: every work-item of the
// sub-group must reach the same one (else barrier divergence). The
// scheduler (WorkGroup.cpp) runs every work-item to its next meeting
// point; a sub-group whose work-items all wait at the same sub-group point
// passes it (values computed here), while a sub-group that waits at a
// work-group barrier, or has returned, is parked until every sub-group
// does. A sub_group_barrier orders only the accesses of its own sub-group
// (for the memory its flags fence): accesses carry epoch ids of
// (work-group barriers passed, sub-group, sub_group_barriers passed).
#include "verify/core/VarNames.h"
#include "verify/exec/ExecutorImpl.h"

#include "support/Float.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/Instructions.h>

#include <cmath>

namespace ksynth::verify {

using smt::Expr;

std::string demangled(const std::string &m, char *code) {
  if (code)
    *code = '?';
  if (m.rfind("_Z", 0) != 0)
    return m;
  size_t i = 2, n = 0;
  while (i < m.size() && std::isdigit(static_cast<unsigned char>(m[i])))
    n = n * 10 + static_cast<size_t>(m[i++] - '0');
  if (n == 0 || i + n > m.size())
    return m;
  if (code && i + n < m.size())
    *code = m[i + n];
  return m.substr(i, n);
}

namespace {

constexpr uint64_t kLocalFence = 1, kGlobalFence = 2;

std::string calleeName(const llvm::CallInst *call, char *code = nullptr) {
  const llvm::Function *f = call->getCalledFunction();
  return f ? demangled(f->getName().str(), code) : std::string();
}

enum class Coll { None, Broadcast, Any, All, Reduce, ScanIncl, ScanExcl };
enum class COp { Add, Min, Max };

Coll collectiveOf(const std::string &name, COp &op) {
  auto tail = [&](const std::string &prefix) -> bool {
    if (name.rfind(prefix, 0) != 0)
      return false;
    std::string t = name.substr(prefix.size());
    if (t == "add")
      op = COp::Add;
    else if (t == "min")
      op = COp::Min;
    else if (t == "max")
      op = COp::Max;
    else
      return false;
    return true;
  };
  if (name == "sub_group_broadcast")
    return Coll::Broadcast;
  if (name == "sub_group_any")
    return Coll::Any;
  if (name == "sub_group_all")
    return Coll::All;
  if (tail("sub_group_reduce_"))
    return Coll::Reduce;
  if (tail("sub_group_scan_inclusive_"))
    return Coll::ScanIncl;
  if (tail("sub_group_scan_exclusive_"))
    return Coll::ScanExcl;
  return Coll::None;
}

// Every use of the call's value compares it with 0 (`if (sub_group_any(p))`).
bool onlyTestedForZero(const llvm::CallInst *call) {
  for (const llvm::User *u : call->users()) {
    auto *cmp = llvm::dyn_cast<llvm::ICmpInst>(u);
    if (!cmp || !cmp->isEquality())
      return false;
    const llvm::Value *other =
        cmp->getOperand(0) == call ? cmp->getOperand(1) : cmp->getOperand(0);
    auto *c = llvm::dyn_cast<llvm::ConstantInt>(other);
    if (!c || !c->isZero())
      return false;
  }
  return true;
}

const char *fenceName(bool local) {
  return local ? "CLK_LOCAL_MEM_FENCE" : "CLK_GLOBAL_MEM_FENCE";
}

} // namespace

bool isSubGroupPoint(const llvm::CallInst *call) {
  std::string name = calleeName(call);
  COp op;
  return name == "sub_group_barrier" || collectiveOf(name, op) != Coll::None;
}

std::string Executor::Impl::pointName(const llvm::CallInst *call) const {
  std::string name = calleeName(call);
  if (name.find("sub_group") == std::string::npos)
    return barrierName(call);
  const llvm::Function *f = call->getFunction();
  unsigned n = 0;
  for (const llvm::BasicBlock &bb : *f)
    for (const llvm::Instruction &i : bb) {
      auto *c = llvm::dyn_cast<llvm::CallInst>(&i);
      if (c && calleeName(c) == name)
        ++n;
      if (&i == call)
        return name + " #" + std::to_string(n) + " in " + f->getName().str();
    }
  return name + " in " + f->getName().str();
}

uint32_t Executor::Impl::subGroupOf(const WorkItemIds &w) const {
  uint64_t linear =
      w.lid[0] + geom.local[0] * (w.lid[1] + geom.local[1] * w.lid[2]);
  return static_cast<uint32_t>(linear / geom.subGroupSize);
}

uint32_t Executor::Impl::epochId(uint32_t groupEpoch, uint32_t subGroup,
                                 uint32_t subEpoch) {
  std::array<uint32_t, 3> key{groupEpoch, subGroup, subEpoch};
  auto it = epochIds.find(key);
  if (it != epochIds.end())
    return it->second;
  uint32_t id = static_cast<uint32_t>(epochKeys.size());
  epochKeys.push_back(key);
  epochIds.emplace(key, id);
  return id;
}

void Executor::Impl::checkSubGroupRaces(std::vector<CellKey> &cells) {
  // As checkRaces, but within a work-group two accesses are ordered by a
  // work-group barrier between them, or, for work-items of one sub-group,
  // by a sub_group_barrier between them (fencing this memory).
  reportRaces(
      cells,
      [&](const Access &x, const Access &y,
          bool local) -> std::optional<std::string> {
        bool sameGroup = x.group == y.group;
        const std::array<uint32_t, 3> &kx = epochKeys.at(x.epoch),
                                      &ky = epochKeys.at(y.epoch);
        bool sameSub = kx[1] == ky[1];
        if (sameGroup && (kx[0] != ky[0] || (sameSub && kx[2] != ky[2])))
          return std::nullopt;
        if (!sameGroup)
          return " (work-groups " + std::to_string(x.group) + " and " +
                 std::to_string(y.group) + ": no barrier orders them)";
        if (sameSub)
          return " (same sub-group, no barrier or sub_group_barrier with " +
                 std::string(fenceName(local)) + " between the accesses)";
        return " (sub-groups " + std::to_string(kx[1]) + " and " +
               std::to_string(ky[1]) + " of one work-group, no barrier with " +
               fenceName(local) +
               " between the accesses; a sub_group_barrier orders only its own "
               "sub-group)";
      });
}

bool Executor::Impl::subGroupBuiltin(Path &p, const llvm::CallInst &call,
                                     const std::string &mangled,
                                     const std::string &name,
                                     const std::vector<Val> &a, Val &result) {
  if (!geom.subGroupSize)
    throw CannotDecide(
        UnknownKind::Unsupported,
        name + " in " + where() +
            ": sub-groups are used but the manifest does not declare their "
            "size; give \"sub_group_size\": S in " +
            label +
            " (the device chooses S, so the verifier does not guess it; "
            "the proof then holds for that S only)");
  if (symbolic && !symGroup)
    throw CannotDecide(UnknownKind::Unsupported,
                       name + " in " + where() +
                           ": the symbolic work-item method needs work-items "
                           "that do not synchronise (sub-group functions "
                           "involve the whole sub-group)");
  if (!geom.hasLocal)
    throw CannotDecide(UnknownKind::Unsupported,
                       name +
                           " used but the manifest leaves the work-group "
                           "size to the driver; give \"local\" in " +
                           label);
  uint64_t S = geom.subGroupSize;
  uint64_t wg = geom.local[0] * geom.local[1] * geom.local[2];
  uint64_t linear =
      ids.lid[0] + geom.local[0] * (ids.lid[1] + geom.local[1] * ids.lid[2]);
  uint64_t k = linear / S;
  approximations.insert(
      "sub-groups of " + std::to_string(S) + " work-items in " + label +
      " (the manifest's \"sub_group_size\"): consecutive in linear local-id "
      "order, the last of a work-group possibly smaller; proved for this "
      "size only");
  auto uintResult = [&](uint64_t v) {
    unsigned w = call.getType()->isIntegerTy()
                     ? call.getType()->getIntegerBitWidth()
                     : 32;
    result = Val::intConst(v, w);
    return true;
  };
  if (name == "get_sub_group_size")
    return uintResult(std::min(S, wg - k * S));
  if (name == "get_max_sub_group_size")
    return uintResult(S);
  if (name == "get_num_sub_groups" || name == "get_enqueued_num_sub_groups")
    return uintResult((wg + S - 1) / S); // work-groups are uniform here
  if (name == "get_sub_group_id")
    return uintResult(k);
  if (name == "get_sub_group_local_id")
    return uintResult(linear % S);
  if (name == "sub_group_barrier") {
    if (a.size() != 1)
      throw CannotDecide(UnknownKind::Unsupported,
                         name + " with a memory scope in " + where() +
                             " is not modelled");
    if (!a[0].isConst)
      throw CannotDecide(UnknownKind::Unsupported,
                         name + " with data-dependent flags in " + where());
    if (symGroup && (a[0].c & kGlobalFence))
      // Its global accesses are ordered by work-group barriers only
      // (SymbolicGroup.cpp's epochs).
      throw CannotDecide(UnknownKind::Unsupported,
                         name + "(CLK_GLOBAL_MEM_FENCE) in " + where() +
                             ": the one-arbitrary-work-group method does "
                             "not model global memory ordered by "
                             "sub-group barriers");
    p.barrier = &call;
    p.barrierFlags = a[0].c;
    return true;
  }
  COp op = COp::Add;
  Coll coll = collectiveOf(name, op);
  if (coll == Coll::None)
    throw CannotDecide(UnknownKind::Unsupported,
                       name + " in " + where() +
                           ": not modelled (the cl_khr_subgroups functions "
                           "are)");
  (void)mangled;
  const llvm::Type *t = call.getType();
  if (!(t->isIntegerTy(32) || t->isIntegerTy(64) || t->isFloatTy()))
    throw CannotDecide(UnknownKind::Unsupported,
                       name + " in " + where() +
                           ": only int, uint, long, ulong and float "
                           "sub-group collectives are modelled");
  // A meeting point: the value comes once the whole sub-group is here.
  p.barrier = &call;
  p.barrierFlags = 0;
  result = Val::poison();
  return true;
}

void Executor::Impl::resolveSubGroupPoint(std::vector<ItemState> &items,
                                          size_t b, size_t e,
                                          const llvm::CallInst *call,
                                          uint64_t flags) {
  char code = '?';
  std::string name = calleeName(call, &code);
  if (name == "sub_group_barrier") {
    for (size_t i = b; i < e; ++i) {
      items[i].sgLocalEpoch += (flags & kLocalFence) ? 1 : 0;
      items[i].sgGlobalEpoch += (flags & kGlobalFence) ? 1 : 0;
    }
    return;
  }
  COp op = COp::Add;
  Coll coll = collectiveOf(name, op);
  const llvm::Type *t = call->getType();
  const llvm::Type *argT = call->getArgOperand(0)->getType();
  size_t n = e - b;
  // The arguments; a work-item whose paths all died (undefined behaviour,
  // reported) contributes any value.
  std::vector<Val> v(n);
  std::vector<size_t> members;
  for (size_t j = 0; j < n; ++j) {
    ItemState &it = items[b + j];
    if (it.live && !it.path.frames.empty()) {
      v[j] = unpoison(get(it.path, call->getArgOperand(0)), argT);
      members.push_back(b + j);
    } else {
      v[j] = freshOf(argT, Choice::Nondet);
    }
  }
  if (members.empty())
    return;
  auto setResult = [&](size_t i, Val r) {
    items[i].path.frames.back().regs[call] = std::move(r);
  };

  if (coll == Coll::Broadcast) {
    // The id must be the same for the whole sub-group and below its size;
    // otherwise the result is undefined (undefined behaviour).
    Val id0 = unpoison(get(items[members[0]].path, call->getArgOperand(1)),
                       call->getArgOperand(1)->getType());
    std::vector<Expr> bad, pcs;
    for (size_t i : members) {
      Val id = get(items[i].path, call->getArgOperand(1));
      pcs.push_back(items[i].path.pc);
      if (id.isPoison())
        bad.push_back(Expr::boolVal(true));
      else
        bad.push_back(ops::truthOf(ops::icmp(ops::ICmp::Ne, id, id0)));
    }
    bad.push_back(ops::truthOf(
        ops::icmp(ops::ICmp::Uge, id0, Val::intConst(n, id0.width))));
    Expr cond = (Expr::andAll(pcs) && Expr::orAll(bad)).simplify();
    if (!cond.isFalse()) {
      ids = items[members[0]].ids;
      note({ObligationKind::UndefinedBehaviour, cond,
            name + " in " + where() +
                ": the sub-group local id is not the same for the "
                "whole sub-group or not below its size " +
                std::to_string(n),
            "", -1});
    }
    Val r = freshOf(t, Choice::Nondet);
    for (size_t j = n; j-- > 0;)
      r = ops::select(
          ops::icmp(ops::ICmp::Eq, id0, Val::intConst(j, id0.width)), v[j], r);
    for (size_t i : members)
      setResult(i, r);
    return;
  }

  if (coll == Coll::Any || coll == Coll::All) {
    // A non-zero value (which one is the implementation's) or 0.
    std::vector<Expr> c;
    for (const Val &x : v)
      c.push_back(
          ops::truthOf(ops::icmp(ops::ICmp::Ne, x, Val::intConst(0, x.width))));
    Expr holds = coll == Coll::Any ? Expr::orAll(c) : Expr::andAll(c);
    unsigned w = t->getIntegerBitWidth();
    if (onlyTestedForZero(call)) { // which non-zero value does not matter
      Val r = ops::select(ops::fromTruth(holds.simplify()), Val::intConst(1, w),
                          Val::intConst(0, w));
      for (size_t i : members)
        setResult(i, r);
      return;
    }
    for (size_t i : members) {
      Val nz = freshInt(Choice::Nondet, w);
      Val nonZero =
          ops::select(ops::icmp(ops::ICmp::Eq, nz, Val::intConst(0, w)),
                      Val::intConst(1, w), nz);
      setResult(
          i, ops::select(ops::fromTruth(holds), nonZero, Val::intConst(0, w)));
    }
    return;
  }

  // reduce / scan: op over v[0..m) for each work-item.
  bool isFloat = t->isFloatTy();
  bool isUnsigned = code == 'j' || code == 'm' || code == 'h' || code == 't';
  unsigned w = isFloat ? 32 : t->getIntegerBitWidth();
  Val identity;
  if (op == COp::Add)
    identity = isFloat ? Val::floatConstF(0.0f) : Val::intConst(0, w);
  else if (isFloat)
    identity = Val::floatConstF(op == COp::Min ? INFINITY : -INFINITY);
  else if (isUnsigned)
    identity = Val::intConst(op == COp::Min ? ~uint64_t(0) : 0, w);
  else
    identity = Val::intConst(op == COp::Min ? (~uint64_t(0) >> (65 - w))
                                            : (uint64_t(1) << (w - 1)),
                             w);
  auto combine = [&](const Val &x, const Val &y) -> Val {
    if (isFloat) {
      if (op == COp::Add)
        return ops::fbin(ops::FOp::Add, x, y);
      return minMaxNum(x, y, op == COp::Max);
    }
    if (op == COp::Add)
      return ops::intBin(ops::IntOp::Add, x, y);
    ops::ICmp pr = op == COp::Max
                       ? (isUnsigned ? ops::ICmp::Ugt : ops::ICmp::Sgt)
                       : (isUnsigned ? ops::ICmp::Ult : ops::ICmp::Slt);
    return ops::select(ops::icmp(pr, x, y), x, y);
  };
  // prefix[m]: the value over the first m arguments, for m = 0..n (one
  // pass). Integer operations (and float min/max, as fmin/fmax) do not
  // depend on the order; whether the implementation starts from the
  // identity changes only a float result of all NaNs (min/max: NaN or the
  // identity) or of -0s (add: -0 or +0), so that is left open. A float sum
  // of more than two terms depends on the order of its additions, which
  // is implementation-defined: an arbitrary value (an approximation).
  std::vector<Val> prefix{identity};
  Val raw;
  std::vector<Expr> nan;
  for (size_t m = 1; m <= n; ++m) {
    raw = m == 1 ? v[0] : combine(raw, v[m - 1]);
    if (!isFloat) {
      prefix.push_back(raw);
      continue;
    }
    if (op == COp::Add && m > 2) {
      approximations.insert(
          name + " (float) over more than 2 work-items: an arbitrary value "
                 "(the order of its additions is implementation-defined; "
                 "no bound is used)");
      prefix.push_back(freshFloat(Choice::Approx));
      continue;
    }
    Expr re = raw.expr();
    Expr either = Expr::boolVar(var::choice(Choice::Nondet, "", fresh++));
    nan.push_back(v[m - 1].expr().isNaN());
    Expr open =
        op == COp::Add ? re.isZero() && re.isNegative() : Expr::andAll(nan);
    open = open.simplify();
    prefix.push_back(
        open.isFalse()
            ? raw
            : Val::floatSym(Expr::ite(open && either, identity.expr(), re)));
  }
  for (size_t i : members) {
    size_t j = i - b;
    size_t m = coll == Coll::Reduce ? n : coll == Coll::ScanIncl ? j + 1 : j;
    setResult(i, prefix[m]);
  }
}

} // namespace ksynth::verify
