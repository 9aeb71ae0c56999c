// OpenCL C builtins (Itanium-mangled calls in clang's output) and LLVM
// intrinsics: the dispatch through the handler table (BuiltinCall.h) and
// the work-item and synchronisation handlers. Semantics follow the OpenCL C
// 1.2 specification; where it leaves a result undefined or
// implementation-defined, the result is an arbitrary value (Choice::Nondet),
// and where it allows inaccuracy, an arbitrary value marked as an
// approximation (Choice::Approx).
#include "verify/core/VarNames.h"
#include "verify/exec/BuiltinCall.h"
#include "verify/exec/ExecutorImpl.h"

#include "support/Float.h"

#include <llvm/IR/Function.h>
#include <llvm/IR/Instructions.h>

#include <cmath>

namespace ksynth::verify {

using smt::Expr;

namespace {

// Mangled parameter code of the first argument ('f' float, 'i' int, 'j'
// uint, 'l' long, 'm' ulong, 's'/'t' short, 'c'/'h' char, or 'D' vector).
char firstParamCode(const std::string &m, const std::string &base) {
  size_t pos = m.find(base);
  if (pos == std::string::npos)
    return '?';
  pos += base.size();
  if (pos < m.size() && m[pos] == 'D') { // Dv4_f
    size_t u = m.find('_', pos);
    return u + 1 < m.size() ? m[u + 1] : '?';
  }
  return pos < m.size() ? m[pos] : '?';
}

// ---- work-item functions ----

int dimArg(const BuiltinCall &c) {
  if (!c.a[0].isConst)
    throw CannotDecide(UnknownKind::Unsupported,
                       "work-item query with a data-dependent dimension");
  return c.a[0].c < 3 ? static_cast<int>(c.a[0].c) : -1;
}

void needLocal(const BuiltinCall &c) {
  if (!c.ex.geom.hasLocal)
    throw CannotDecide(UnknownKind::Unsupported,
                       c.name +
                           " used but the manifest leaves the work-group "
                           "size to the driver; give \"local\" in " +
                           c.ex.label);
}

// The one-arbitrary-work-group method's ids (SymbolicGroup.cpp).
bool symbolicGroupId(BuiltinCall &c) {
  if (!c.ex.symGroup)
    return false;
  if (c.name != "get_global_id")
    needLocal(c);
  return c.ex.groupIdBuiltin(c.name, dimArg(c), c.result);
}

bool getGlobalId(BuiltinCall &c) {
  if (symbolicGroupId(c))
    return true;
  Executor::Impl &ex = c.ex;
  int d = dimArg(c);
  if (ex.symbolic && d >= 0 && !ex.symGid[d].asUInt())
    c.result = Val::intSym(ex.symGid[d]);
  else
    c.result = Val::intConst(d < 0 || ex.symbolic ? 0 : ex.ids.gid[d], 64);
  return true;
}

bool getGlobalSize(BuiltinCall &c) {
  int d = dimArg(c);
  c.result = Val::intConst(d < 0 ? 1 : c.ex.geom.global[d], 64);
  return true;
}

// get_local_id, get_group_id, get_local_size, get_num_groups,
// get_enqueued_local_size.
bool groupQuery(BuiltinCall &c) {
  if ((c.name == "get_local_id" || c.name == "get_group_id") &&
      symbolicGroupId(c))
    return true;
  Executor::Impl &ex = c.ex;
  const std::string &name = c.name;
  needLocal(c);
  int d = dimArg(c);
  uint64_t v = 0;
  if (ex.symbolic && d >= 0 && !ex.symGid[d].asUInt() &&
      (name == "get_local_id" || name == "get_group_id")) {
    // Derived from the arbitrary work-item's global id.
    Expr ls = Expr::bvVal(ex.geom.local[d], 64);
    c.result = Val::intSym(name == "get_local_id" ? ex.symGid[d].urem(ls)
                                                  : ex.symGid[d].udiv(ls));
    return true;
  }
  if (name == "get_local_id")
    v = d < 0 ? 0 : ex.ids.lid[d];
  else if (name == "get_group_id")
    v = d < 0 ? 0 : ex.ids.grp[d];
  else if (name == "get_num_groups")
    v = d < 0 ? 1 : ex.geom.global[d] / ex.geom.local[d];
  else
    v = d < 0 ? 1 : ex.geom.local[d];
  c.result = Val::intConst(v, 64);
  return true;
}

bool getGlobalOffset(BuiltinCall &c) {
  c.result = Val::intConst(0, 64);
  return true;
}

bool getWorkDim(BuiltinCall &c) {
  c.result = Val::intConst(c.ex.geom.dims, 32);
  return true;
}

// ---- synchronisation ----

bool barrier(BuiltinCall &c) {
  Executor::Impl &ex = c.ex;
  if (ex.symbolic && !ex.symGroup)
    throw CannotDecide(UnknownKind::Unsupported,
                       c.name + " in " + ex.where() +
                           ": the symbolic work-item method needs "
                           "work-items that do not synchronise");
  // The work-group scheduler (WorkGroup.cpp) resumes the path once every
  // work-item of the group has stopped.
  needLocal(c);
  if (c.a.empty() || !c.a[0].isConst)
    throw CannotDecide(UnknownKind::Unsupported,
                       c.name + " with data-dependent flags in " + ex.where());
  c.p.barrier = &c.call;
  c.p.barrierFlags = c.a[0].c;
  return true;
}

// Orders one work-item's own accesses: it runs in order.
bool memFence(BuiltinCall &) { return true; }

bool subGroup(BuiltinCall &c) { // SubGroup.cpp
  return c.ex.subGroupBuiltin(c.p, c.call, c.mangled, c.name, c.a, c.result);
}

bool collective(BuiltinCall &c) {
  throw CannotDecide(UnknownKind::Unsupported,
                     c.name + ": work-group collectives and async copies are "
                              "not modelled");
}

bool atomic(BuiltinCall &c) {
  throw CannotDecide(UnknownKind::Unsupported,
                     c.name + ": atomics are not modelled");
}

BuiltinTable makeTable() {
  BuiltinTable t;
  t.exact = {{"get_global_id", getGlobalId},
             {"get_global_size", getGlobalSize},
             {"get_local_id", groupQuery},
             {"get_group_id", groupQuery},
             {"get_local_size", groupQuery},
             {"get_num_groups", groupQuery},
             {"get_enqueued_local_size", groupQuery},
             {"get_global_offset", getGlobalOffset},
             {"get_work_dim", getWorkDim},
             {"barrier", barrier},
             {"work_group_barrier", barrier},
             {"mem_fence", memFence},
             {"read_mem_fence", memFence},
             {"write_mem_fence", memFence},
             {"wait_group_events", collective}};
  t.containing = {{"sub_group", subGroup},
                  {"work_group_", collective},
                  {"async_work_group", collective},
                  {"atomic", atomic}};
  t.prefixed = {{"atom", atomic}};
  addMathBuiltins(t);
  return t;
}

} // namespace

// IEEE minNum/maxNum (OpenCL fmin/fmax): a NaN operand yields the other;
// which of +0/-0 comes back when they tie is implementation-defined.
Val Executor::Impl::minMaxNum(const Val &x, const Val &y, bool isMax) {
  if (x.isPoison() || y.isPoison())
    return Val::poison();
  if (x.isConst && y.isConst) {
    float fx = bitsFloat(static_cast<uint32_t>(x.c)),
          fy = bitsFloat(static_cast<uint32_t>(y.c));
    if (std::isnan(fx))
      return y;
    if (std::isnan(fy))
      return x;
    if (fx != fy)
      return (isMax ? fx > fy : fx < fy) ? x : y;
    if (x.c == y.c)
      return x;
  }
  Expr ex = x.expr(), ey = y.expr();
  Expr nd = Expr::boolVar(var::choice(Choice::Nondet, "", fresh++));
  Expr better = isMax ? ex.fogt(ey) : ex.folt(ey);
  Expr worse = isMax ? ex.folt(ey) : ex.fogt(ey);
  Expr r = Expr::ite(
      ex.isNaN(), ey,
      Expr::ite(
          ey.isNaN(), ex,
          Expr::ite(better, ex, Expr::ite(worse, ey, Expr::ite(nd, ex, ey)))));
  return Val::floatSym(r);
}

bool Executor::Impl::builtin(Path &p, const llvm::CallInst &call,
                             const std::string &mangled, Val &result) {
  static const BuiltinTable table = makeTable();
  std::string name = demangled(mangled);
  std::vector<Val> a;
  for (unsigned i = 0; i < call.arg_size(); ++i)
    a.push_back(get(p, call.getArgOperand(i)));
  if (extraBuiltin(p, call, mangled, name, a, result)) // BuiltinsExtra.cpp
    return true;
  const llvm::Type *rt = call.getType();
  size_t lanes = rt->isVectorTy()
                     ? llvm::cast<llvm::FixedVectorType>(rt)->getNumElements()
                     : 0;
  char code = firstParamCode(mangled, name);
  BuiltinCall c{*this, p,     call, mangled,     name,  std::move(a),
                rt,    lanes, code, code == 'f', result};

  if (mangled.rfind("llvm.", 0) == 0) {
    std::string in = mangled.substr(5);
    auto it = table.intrinsics.find(in.substr(0, in.find('.')));
    return it != table.intrinsics.end() && it->second(c);
  }
  if (auto it = table.exact.find(name);
      it != table.exact.end() && it->second(c))
    return true;
  for (const auto &[part, h] : table.containing)
    if (name.find(part) != std::string::npos && h(c))
      return true;
  for (const auto &[prefix, h] : table.prefixed)
    if (name.rfind(prefix, 0) == 0 && h(c))
      return true;
  return false;
}

} // namespace ksynth::verify
