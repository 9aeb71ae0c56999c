// The executor's symbolic work-item mode: one arbitrary work-item (global
// ids are bit-vector variables constrained to the NDRange), global buffers
// as SMT arrays indexed by element, accesses recorded per path for the
// obligations of verify/methods/SymbolicItem.cpp (bounds, races, coverage,
// equivalence). Used at shapes too large to enumerate work-items.
#include "verify/core/VarNames.h"
#include "verify/exec/ExecutorImpl.h"

#include <llvm/IR/Function.h>

namespace ksynth::verify {

using smt::Expr;

Expr inputArray(const std::string &tensor, unsigned elemBits) {
  return Expr::arrayVar(var::inputArray(tensor), 64, elemBits);
}

const std::vector<SymbolicNote> &Executor::symbolicNotes() const {
  return impl_->symNotes;
}

bool Executor::Impl::isSymbolicRegion(const Val &ptr) const {
  return symbolic && ptr.isPtr() && ptr.region >= 0 &&
         mem.at(ptr.region).symbolic;
}

void Executor::Impl::prune(Path &p) {
  if (p.pc.isFalse() || p.pc.isTrue())
    return;
  if (feasible && !feasible(p.pc))
    p.pc = Expr::boolVal(false);
}

Val Executor::Impl::decideIndexCondition(const Path &p, const Val &c) {
  // A tile's `i < M && k0 + tx < K ? A[...] : 0.0f` at a shape the tiles
  // divide: true in every work-group, but as a select it keeps both
  // operands and the equivalence query sees a case split on the group id.
  if (!symbolic || !feasible || c.isConst || !c.isInt() || c.width != 1)
    return c;
  Expr t = ops::truthOf(c);
  if (!t.selects().empty())
    return c; // reads memory: a data-dependent choice
  for (const Expr &v : t.vars())
    if (!v.isBV())
      return c;
  // Exact: the path condition implies t (or its negation) for every value
  // of the ids and scalars in it. feasible() is true unless proved unsat.
  if (!feasible(p.pc && t))
    return Val::intConst(0, 1);
  if (!feasible(p.pc && !t))
    return Val::intConst(1, 1);
  return c;
}

bool Executor::Impl::symResolve(Path &p, const Val &ptr, uint64_t bytes,
                                uint64_t elemBytes, uint64_t align, bool write,
                                Expr &firstIndex) {
  const Region &r = mem.at(ptr.region);
  const char *what = write ? "written" : "read";
  if (elemBytes != r.elemSize)
    throw CannotDecide(UnknownKind::Unsupported,
                       std::to_string(elemBytes) + "-byte accesses to " +
                           r.name + " (" + std::to_string(r.elemSize) +
                           "-byte elements) in " + where());
  Val offv = ptr.offset();
  if (offv.isPoison())
    throw CannotDecide(UnknownKind::Unsupported,
                       "poison address in " + where());
  Expr off = offv.expr();
  Expr elem = off.sdiv(Expr::bvVal(r.elemSize, 64));
  int64_t last = r.sizeBytes() - static_cast<int64_t>(bytes);
  Expr inb = Expr::bvVal(0, 64).sle(off) &&
             off.sle(Expr::bvVal(static_cast<uint64_t>(last), 64));
  if (last < 0)
    inb = Expr::boolVal(false);
  Expr bad = (p.pc && !inb).simplify();
  if (!bad.isFalse()) {
    symNotes.push_back({log.all().size(), ptr.region, elem});
    note({ObligationKind::MemorySafety, p.pc && !inb,
          r.name + " " + what + " out of bounds by " + where() + " (" +
              toString(r.role) + " buffer has " + std::to_string(r.numElems) +
              " elements)",
          r.name, -1});
    // (Group mode: the path goes on unrestricted, so that the __local
    // cells it writes keep literal conditions; its obligations past memory
    // safety are only discharged once that is proved.)
    if (!symGroup)
      p.pc = p.pc && inb;
  }
  Expr aligned =
      off.urem(Expr::bvVal(r.elemSize, 64)).eq(Expr::bvVal(0, 64)) &&
      (align > 1 ? off.urem(Expr::bvVal(align, 64)).eq(Expr::bvVal(0, 64))
                 : Expr::boolVal(true));
  Expr mis = (p.pc && !aligned).simplify();
  if (!mis.isFalse()) {
    symNotes.push_back({log.all().size(), ptr.region, elem});
    note({ObligationKind::MemorySafety, p.pc && !aligned,
          std::string("misaligned ") + (write ? "write" : "read") + " of " +
              std::to_string(bytes) + " bytes to " + r.name +
              " (needs alignment " + std::to_string(align) + ") in " + where(),
          r.name, -1});
    if (!symGroup)
      p.pc = p.pc && aligned;
  }
  if (!bad.isFalse() || !mis.isFalse())
    prune(p);
  if (p.pc.isFalse()) {
    p.done = true;
    return false;
  }
  firstIndex = off.udiv(Expr::bvVal(r.elemSize, 64));
  return true;
}

namespace {
// The value as the region holds it: fp32 for float regions, raw bits else.
Val asRegionKind(const Val &v, bool isFloat, FloatBits &fb) {
  if (isFloat)
    return v.isFloat() ? v : ops::bitsToFloat(v);
  return v.isFloat() ? ops::floatToBits(v, fb) : v;
}

Val convertLoaded(const Val &v, const llvm::Type *t, FloatBits &fb) {
  if (t->isFloatTy())
    return v.isFloat() ? v : ops::bitsToFloat(v);
  Val r = v.isFloat() ? ops::floatToBits(v, fb) : v;
  if (r.width != t->getIntegerBitWidth())
    throw CannotDecide(UnknownKind::Unsupported,
                       "integer load of a different width than stored");
  return r;
}
} // namespace

Val Executor::Impl::symLoad(Path &p, const Val &ptr, const llvm::Type *t,
                            uint64_t align) {
  const llvm::Type *scalar = t->getScalarType();
  if (!scalar->isFloatTy() && !scalar->isIntegerTy())
    throw CannotDecide(UnknownKind::Unsupported,
                       "load of a non-numeric type in " + where());
  uint64_t eb = dl.getTypeStoreSize(const_cast<llvm::Type *>(scalar));
  unsigned lanes = 1;
  if (auto *vt = llvm::dyn_cast<llvm::FixedVectorType>(t))
    lanes = vt->getNumElements();
  Expr first;
  if (!symResolve(p, ptr, eb * lanes, eb, align, false, first))
    return Val::poison();
  const Region &r = mem.at(ptr.region);
  unsigned bits = r.elemSize * 8;
  std::vector<Val> out;
  for (unsigned i = 0; i < lanes; ++i) {
    Expr idx = i ? first.add(Expr::bvVal(i, 64)) : first;
    Val v;
    if (r.role == Role::Input) {
      Expr b = inputArray(r.name, bits).select(idx);
      v = r.isFloat ? Val::floatSym(Expr::fpFromBits(b)) : Val::intSym(b);
    } else {
      Expr b =
          Expr::arrayVar(var::stale(r.name + symTag), 64, bits).select(idx);
      v = r.isFloat ? Val::floatSym(Expr::fpFromBits(b)) : Val::intSym(b);
    }
    v = asRegionKind(v, r.isFloat, floatBits);
    Expr own = Expr::boolVal(false);
    // Group mode: the group's committed writes (earlier intervals, earlier
    // work-items; a same-interval write of another work-item is a race).
    for (const GroupAccess &ga : groupLog)
      if (ga.access.write && ga.access.region == ptr.region) {
        Expr hit = ga.pc && ga.access.index.eq(idx);
        v = ops::select(ops::fromTruth(hit),
                        asRegionKind(ga.access.value, r.isFloat, floatBits), v);
        own = own || hit;
      }
    for (const SymAccess &a : p.sym)
      if (a.write && a.region == ptr.region) {
        if (a.anyIteration) // its value at one arbitrary iteration only
          throw CannotDecide(UnknownKind::Unsupported,
                             r.name + " read by " + where() +
                                 " after a loop that writes it was verified "
                                 "by one arbitrary iteration");
        Expr hit = a.index.eq(idx);
        v = ops::select(ops::fromTruth(hit),
                        asRegionKind(a.value, r.isFloat, floatBits), v);
        own = own || hit;
      }
    if (r.role != Role::Input)
      note({ObligationKind::UninitializedRead, p.pc && !own,
            r.name + " (" + toString(r.role) + ") read by " + where() +
                " at an element it has not written",
            r.name, -1});
    p.sym.push_back(
        {ptr.region, idx, Val(), false, false, placeOf(p, current)});
    out.push_back(convertLoaded(v, scalar, floatBits));
  }
  return t->isVectorTy() ? Val::vec(std::move(out)) : out[0];
}

void Executor::Impl::symStore(Path &p, const Val &ptr, const Val &v,
                              const llvm::Type *t, uint64_t align) {
  const llvm::Type *scalar = t->getScalarType();
  if (!scalar->isFloatTy() && !scalar->isIntegerTy())
    throw CannotDecide(UnknownKind::Unsupported,
                       "store of a non-numeric type in " + where());
  uint64_t eb = dl.getTypeStoreSize(const_cast<llvm::Type *>(scalar));
  unsigned lanes = v.isVec() ? static_cast<unsigned>(v.elems.size()) : 1;
  Expr first;
  if (!symResolve(p, ptr, eb * lanes, eb, align, true, first))
    return;
  const Region &r = mem.at(ptr.region);
  if (r.role == Role::Input || r.role == Role::Constant)
    note({ObligationKind::InputModified, p.pc,
          "input " + r.name + " written by " + where(), r.name, -1});
  for (unsigned i = 0; i < lanes; ++i) {
    Val x = v.isVec() ? v.elems[i] : v;
    x = unpoison(x, scalar);
    p.sym.push_back({ptr.region, i ? first.add(Expr::bvVal(i, 64)) : first, x,
                     true, false, placeOf(p, current)});
  }
}

std::vector<SymbolicPath> Executor::runSymbolicItem(
    const llvm::Function &kernel, const std::vector<Val> &args,
    const Geometry &g, const std::string &label, const std::string &tag,
    const std::function<bool(const smt::Expr &)> &feasible,
    std::vector<smt::Expr> &gids) {
  Impl &I = *impl_;
  I.symbolic = true;
  I.symTag = tag;
  I.feasible = feasible;
  I.geom = g;
  I.label = label;
  I.pending.clear();
  gids.clear();
  Path p;
  for (unsigned d = 0; d < 3; ++d) {
    if (d < g.dims) {
      I.symGid[d] = Expr::bvVar(var::workItemId(tag, d), 64);
      p.pc = p.pc && I.symGid[d].ult(Expr::bvVal(g.global[d], 64));
      gids.push_back(I.symGid[d]);
    } else {
      I.symGid[d] = Expr::bvVal(0, 64);
    }
  }
  Frame f;
  f.fn = &kernel;
  unsigned i = 0;
  for (const llvm::Argument &a : kernel.args())
    f.regs[&a] = args.at(i++);
  f.bb = &kernel.getEntryBlock();
  f.ip = f.bb->begin();
  p.frames.push_back(std::move(f));
  I.pending.push_back(std::move(p));
  std::vector<SymbolicPath> out;
  unsigned paths = 0;
  struct Reset {
    Impl &i;
    ~Reset() {
      i.symbolic = false;
      i.feasible = nullptr;
      i.pending.clear();
    }
  } reset{I};
  while (!I.pending.empty()) {
    Path q = std::move(I.pending.back());
    I.pending.pop_back();
    if (++paths > I.limits.maxPathsPerItem)
      throw CannotDecide(UnknownKind::Bound,
                         "path bound reached: more than " +
                             std::to_string(I.limits.maxPathsPerItem) +
                             " paths in " + I.where());
    I.run(q);
    if (q.barrier)
      throw CannotDecide(UnknownKind::Unsupported,
                         "barrier in " + I.where() +
                             " (the symbolic work-item method needs "
                             "work-items that do not synchronise)");
    if (q.frames.empty() && !q.pc.isFalse())
      out.push_back({q.pc, std::move(q.sym)});
  }
  return out;
}

} // namespace ksynth::verify
