#include "verify/core/DischargeUtil.h"
#include "verify/exec/ExecutorImpl.h"

#include "support/Error.h"
#include "support/ProcessMemory.h"
#include "verify/core/VarNames.h"
#include "verify/exec/GatherRead.h"

#include <llvm/IR/Function.h>
#include <llvm/IR/Module.h>
#include <optional>

namespace ksynth::verify {

using smt::Expr;

Executor::Impl::Impl(const llvm::Module &m, Memory &mem, ViolationLog &log,
                     FmaMode fma, const ExecLimits &limits)
    : module(m), dl(&m), mem(mem), log(log), fma(fma), limits(limits) {}

Executor::Executor(const llvm::Module &m, Memory &mem, ViolationLog &log,
                   FmaMode fma, const ExecLimits &limits)
    : impl_(new Impl(m, mem, log, fma, limits)) {}

Executor::~Executor() { delete impl_; }

const std::set<std::string> &Executor::approximations() const {
  return impl_->approximations;
}

uint64_t Executor::totalSteps() const { return impl_->totalSteps; }

const std::vector<Fold> &Executor::folds() const { return impl_->folds; }

const std::string &Executor::summaryMiss() const { return impl_->summaryMiss; }

void Executor::setSolver(smt::QuerySolver *s) { impl_->solver = s; }

void Executor::setCertainViolationCheck(
    std::function<bool(const smt::Expr &)> canHappen) {
  impl_->certainViolation = std::move(canHappen);
}

void Executor::Impl::stopIfViolationCertain(const Path &p) {
  if (!certainViolation)
    return;
  std::vector<Expr> conds;
  for (const Violation &v : log.all())
    if (settledByOnePath(v.kind) && v.refutable && !v.cond.isFalse() &&
        !dependsOnApproximation(v.cond))
      conds.push_back(v.cond);
  if (conds.empty() || !certainViolation(Expr::orAll(conds)))
    return;
  throw CannotDecide(UnknownKind::Bound,
                     "stopped after " + std::to_string(p.steps) +
                         " instructions in " + where() +
                         " (the path may not end): a violation logged "
                         "before can happen");
}

void Executor::addConstantRegion(const llvm::GlobalVariable *gv, int region) {
  impl_->constantRegions[gv] = region;
}

std::string Executor::Impl::where() const {
  if (symbolic && !symGroup)
    return "an arbitrary work-item of " + label;
  std::string s = "work-item " + std::to_string(ids.gid[0]);
  if (geom.dims > 1)
    s = "work-item (" + std::to_string(ids.gid[0]) + "," +
        std::to_string(ids.gid[1]) +
        (geom.dims > 2 ? "," + std::to_string(ids.gid[2]) : "") + ")";
  if (symGroup) // ids.gid holds the local id
    return "local " + s + " of an arbitrary work-group of " + label;
  return s + " of " + label;
}

void checkMemory(const ExecLimits &limits,
                 const std::function<std::string()> &where) {
  if (!limits.maxResidentBytes)
    return;
  uint64_t rss = residentBytes();
  if (rss > limits.maxResidentBytes)
    throw CannotDecide(UnknownKind::TooLarge,
                       "memory limit of " +
                           std::to_string(limits.maxResidentBytes >> 20) +
                           " MB reached (" + std::to_string(rss >> 20) +
                           " MB resident) while " + where() +
                           "; raise --max-memory or verify smaller shapes");
}

void Executor::Impl::run(Path &p) {
  // When to look for a certain violation: after 2 s on this path, then at
  // doubling intervals (and at 2^16, 2^17, ... instructions).
  auto started = std::chrono::steady_clock::now();
  auto nextCheck = started + std::chrono::seconds(2);
  while (!p.done && !p.barrier) {
    Frame &f = p.frames.back();
    const llvm::Instruction &inst = *f.ip;
    ++f.ip;
    if (++p.steps > limits.maxStepsPerItem)
      throw CannotDecide(
          UnknownKind::Bound,
          "unroll bound reached: more than " +
              std::to_string(limits.maxStepsPerItem) + " instructions in " +
              where() +
              (summaryMiss.empty()
                   ? std::string()
                   : " (a loop was not summarised: " + summaryMiss + ")"));
    if ((totalSteps & 4095) == 0) {
      if (std::chrono::steady_clock::now() > limits.deadline)
        throw CannotDecide(UnknownKind::Timeout,
                           "verification deadline reached while executing " +
                               where());
      checkMemory(limits, [&] { return "executing " + where(); });
    }
    if (++totalSteps > limits.maxTotalSteps)
      throw CannotDecide(UnknownKind::TooLarge,
                         "step budget of " +
                             std::to_string(limits.maxTotalSteps) +
                             " instructions exhausted (shape too large to "
                             "enumerate work-items)");
    if (certainViolation && (p.steps & 255) == 0) {
      auto now = std::chrono::steady_clock::now();
      if (now > nextCheck ||
          (p.steps >= kCertainCheckFrom && (p.steps & (p.steps - 1)) == 0)) {
        stopIfViolationCertain(p);
        nextCheck = now + (now - started);
      }
    }
    step(p, inst);
  }
}

void Executor::Impl::enterBlock(Path &p, const llvm::BasicBlock *to) {
  Frame &f = p.frames.back();
  const llvm::BasicBlock *from = f.bb;
  if (symbolic && limits.summarizeAbove && summarizeLoop(p, from, to))
    return;
  // Phis read their operands simultaneously.
  std::vector<std::pair<const llvm::PHINode *, Val>> vals;
  for (const llvm::PHINode &phi : to->phis())
    vals.emplace_back(&phi, get(p, phi.getIncomingValueForBlock(from)));
  for (auto &[phi, v] : vals)
    f.regs[phi] = std::move(v);
  f.prev = from;
  f.bb = to;
  f.ip = to->getFirstNonPHI()->getIterator();
}

void Executor::Impl::kill(Path &p, ObligationKind k, const std::string &detail,
                          const Expr &extra) {
  note({k, p.pc && extra, detail, "", -1});
  if (extra.isTrue())
    p.done = true;
}

std::string Executor::Impl::cellName(int region, int64_t idx) const {
  return var::inputElement(mem.at(region).name, idx);
}

Val Executor::Impl::staleValue(int region, int64_t idx) {
  const Region &r = mem.at(region);
  std::string name = var::stale(cellName(region, idx));
  if (r.role == Role::Private || r.role == Role::Local) // one per item/group
    name = var::stale(cellName(region, idx) + "#" + std::to_string(fresh++));
  if (r.isFloat)
    return Val::floatSym(Expr::fpFromBits(Expr::bvVar(name, 32)));
  return Val::intSym(Expr::bvVar(name, r.elemSize * 8));
}

bool Executor::Impl::resolve(Path &p, const Val &ptr, uint64_t bytes,
                             uint64_t elemBytes, uint64_t align, bool write,
                             int64_t &firstCell) {
  const char *what = write ? "write" : "read";
  if (ptr.isPoison()) {
    kill(p, ObligationKind::UndefinedBehaviour,
         std::string(what) + " through a poison pointer in " + where());
    return false;
  }
  if (ptr.region < 0) {
    kill(p, ObligationKind::MemorySafety,
         std::string(what) + " through a null pointer in " + where());
    return false;
  }
  if (!ptr.isConst)
    throw CannotDecide(UnknownKind::Unsupported,
                       std::string("data-dependent address of a ") + what +
                           " in " + where());
  const Region &r = mem.at(ptr.region);
  int64_t off = ptr.sval();
  if (elemBytes != r.elemSize)
    throw CannotDecide(UnknownKind::Unsupported,
                       std::to_string(elemBytes) + "-byte accesses to " +
                           r.name + " (" + std::to_string(r.elemSize) +
                           "-byte elements) in " + where());
  if (off < 0 || off + static_cast<int64_t>(bytes) > r.sizeBytes()) {
    int64_t idx = off >= 0 ? off / static_cast<int64_t>(r.elemSize)
                           : -((-off + r.elemSize - 1) / r.elemSize);
    if (off >= 0 && off < r.sizeBytes())
      idx = r.numElems; // a vector access running past the end
    kill(p, ObligationKind::MemorySafety,
         r.name + "[" + std::to_string(idx) + "] " +
             (write ? "written" : "read") + " by " + where() + " (" +
             toString(r.role) + " buffer has " + std::to_string(r.numElems) +
             " elements)");
    return false;
  }
  if (off % static_cast<int64_t>(r.elemSize) != 0 ||
      (align > 1 && off % static_cast<int64_t>(align) != 0)) {
    kill(p, ObligationKind::MemorySafety,
         "misaligned " + std::string(what) + " of " + std::to_string(bytes) +
             " bytes at byte offset " + std::to_string(off) + " of " + r.name +
             " (needs alignment " + std::to_string(align) + ") in " + where());
    return false;
  }
  firstCell = off / static_cast<int64_t>(r.elemSize);
  return true;
}

Val Executor::Impl::readCell(Path &p, int region, int64_t idx) {
  CellKey key{region, idx};
  auto w = p.writes.find(key);
  Region &r = mem.at(region);
  if (r.role != Role::Private && r.role != Role::Constant) {
    p.reads.push_back(key);
    p.readInst.push_back(placeOf(p, current));
  }
  if (w != p.writes.end())
    return w->second;
  Cell &c = r.cells.at(static_cast<size_t>(idx));
  if (c.written.isTrue())
    return c.value;
  bool local = r.role == Role::Local; // not a spec tensor: named in detail
  note({ObligationKind::UninitializedRead, p.pc && !c.written,
        cellName(region, idx) + " (" + toString(r.role) + ") read by " +
            where() + " before it is written",
        local ? "" : r.name, local ? -1 : idx});
  Val stale = staleValue(region, idx);
  if (c.value.isPoison())
    return stale;
  return ops::select(ops::fromTruth(c.written), c.value, stale);
}

namespace {
// Converts a cell value to the scalar type a load asks for.
Val convertScalar(const Val &v, const llvm::Type *t, FloatBits &fb) {
  if (t->isFloatTy())
    return v.isFloat() ? v : ops::bitsToFloat(v);
  if (t->isIntegerTy()) {
    Val r = v.isFloat() ? ops::floatToBits(v, fb) : v;
    unsigned w = t->getIntegerBitWidth();
    if (r.width != w)
      throw CannotDecide(UnknownKind::Unsupported,
                         "integer load of a different width than stored");
    return r;
  }
  throw CannotDecide(UnknownKind::Unsupported, "load of an unsupported type");
}
} // namespace

Val Executor::Impl::load(Path &p, const Val &ptr, const llvm::Type *t,
                         uint64_t align) {
  const llvm::Type *scalar = t->getScalarType();
  if (!scalar->isFloatTy() && !scalar->isIntegerTy())
    throw CannotDecide(UnknownKind::Unsupported,
                       "load of a non-numeric type in " + where());
  uint64_t eb = dl.getTypeStoreSize(const_cast<llvm::Type *>(scalar));
  unsigned lanes = 1;
  if (auto *vt = llvm::dyn_cast<llvm::FixedVectorType>(t))
    lanes = vt->getNumElements();
  if (isSymbolicRegion(ptr))
    return symLoad(p, ptr, t, align);
  if (ptr.isPtr() && ptr.region >= 0)
    mem.fixElement(ptr.region, static_cast<unsigned>(eb), scalar->isFloatTy());
  if (ptr.isPtr() && ptr.region >= 0 && !ptr.isConst &&
      gatherable(mem.at(ptr.region)))
    return gather(p, ptr, t, align);
  int64_t first = 0;
  if (!resolve(p, ptr, eb * lanes, eb, align, false, first))
    return Val::poison();
  std::vector<Val> out;
  for (unsigned i = 0; i < lanes; ++i)
    out.push_back(
        convertScalar(readCell(p, ptr.region, first + i), scalar, floatBits));
  return t->isVectorTy() ? Val::vec(std::move(out)) : out[0];
}

// A data-dependent read of a small read-only region (verify/exec/GatherRead.h):
// an if-then-else over its elements, and a memory-safety violation where
// the offset is out of bounds or misaligned (the path goes on: that
// obligation is discharged before any that uses the value).
Val Executor::Impl::gather(Path &p, const Val &ptr, const llvm::Type *t,
                           uint64_t align) {
  const llvm::Type *scalar = t->getScalarType();
  uint64_t eb = dl.getTypeStoreSize(const_cast<llvm::Type *>(scalar));
  unsigned lanes = 1;
  if (auto *vt = llvm::dyn_cast<llvm::FixedVectorType>(t))
    lanes = vt->getNumElements();
  const Region &r = mem.at(ptr.region);
  if (eb != r.elemSize)
    throw CannotDecide(UnknownKind::Unsupported,
                       std::to_string(eb) + "-byte accesses to " + r.name +
                           " (" + std::to_string(r.elemSize) +
                           "-byte elements) in " + where());
  Val off = ptr.offset();
  Expr bad = Expr::boolVal(false);
  if (align > 1)
    bad = off.expr().urem(Expr::bvVal(align, 64)).ne(Expr::bvVal(0, 64));
  std::vector<Val> out;
  for (unsigned i = 0; i < lanes; ++i) {
    Val lane =
        i ? ops::intBin(ops::IntOp::Add, off, Val::intConst(i * eb, 64)) : off;
    GatherRead g = gatherRead(r, lane, eb, [&](int64_t k) {
      return convertScalar(readCell(p, ptr.region, k), scalar, floatBits);
    });
    bad = bad || g.violation;
    out.push_back(g.value);
  }
  if (!bad.simplify().isFalse())
    note({ObligationKind::MemorySafety, p.pc && bad,
          "data-dependent read of " + r.name + " (" + toString(r.role) +
              " buffer of " + std::to_string(r.numElems) +
              " elements) out of bounds or misaligned in " + where(),
          r.name, -1});
  return t->isVectorTy() ? Val::vec(std::move(out)) : out[0];
}

void Executor::Impl::store(Path &p, const Val &ptr, const Val &v,
                           const llvm::Type *t, uint64_t align) {
  const llvm::Type *scalar = t->getScalarType();
  if (!scalar->isFloatTy() && !scalar->isIntegerTy())
    throw CannotDecide(UnknownKind::Unsupported,
                       "store of a non-numeric type in " + where());
  uint64_t eb = dl.getTypeStoreSize(const_cast<llvm::Type *>(scalar));
  unsigned lanes = v.isVec() ? static_cast<unsigned>(v.elems.size()) : 1;
  if (isSymbolicRegion(ptr)) {
    symStore(p, ptr, v, t, align);
    return;
  }
  if (ptr.isPtr() && ptr.region >= 0)
    mem.fixElement(ptr.region, static_cast<unsigned>(eb), scalar->isFloatTy());
  if (scatterPrivate(p, ptr, v, t, align)) // PrivateScatter.cpp
    return;
  int64_t first = 0;
  if (!resolve(p, ptr, eb * lanes, eb, align, true, first))
    return;
  Region &r = mem.at(ptr.region);
  if (r.role == Role::Input || r.role == Role::Constant) {
    note({ObligationKind::InputModified, p.pc,
          "input " + cellName(ptr.region, first) + " written by " + where(),
          r.name, first});
  }
  for (unsigned i = 0; i < lanes; ++i) {
    Val x = v.isVec() ? v.elems[i] : v;
    x = unpoison(x, scalar);
    p.writes[{ptr.region, first + i}] = x;
    p.writeInst[{ptr.region, first + i}] = placeOf(p, current);
  }
}

void Executor::Impl::commit(Path &p) {
  auto logAccess = [&](const CellKey &key, bool write,
                       const llvm::Instruction *inst) {
    Region &r = mem.at(key.first);
    Cell &c = r.cells.at(static_cast<size_t>(key.second));
    bool local = r.role == Role::Local;
    if (c.log.empty())
      (local ? touchedLocal : touched).push_back(key);
    c.log.push_back(
        {ids.flat, p.pc, write, group, local ? localEpoch : globalEpoch, inst});
  };
  for (auto &[key, v] : p.writes) {
    Region &r = mem.at(key.first);
    // Private memory only outlives a path stopped at a barrier.
    if (r.role == Role::Private && !p.barrier)
      continue;
    Cell &c = r.cells.at(static_cast<size_t>(key.second));
    auto wi = p.writeInst.find(key);
    const llvm::Instruction *inst =
        wi == p.writeInst.end() ? nullptr : wi->second;
    if (r.role != Role::Private)
      logAccess(key, true, inst);
    if ((r.role == Role::Output || r.role == Role::Temp) && inst) {
      if (!c.store) {
        c.store = inst;
      } else {
        auto later = r.laterStores.find(key.second);
        const llvm::Instruction *last = later == r.laterStores.end()
                                            ? c.store
                                            : later->second.back().second;
        if (last == inst && later != r.laterStores.end())
          later->second.back().first = later->second.back().first || p.pc;
        else if (last != inst)
          r.laterStores[key.second].emplace_back(p.pc, inst);
      }
    }
    if (p.pc.isTrue()) {
      c.value = v;
    } else {
      // Written on this path only: elsewhere the cell keeps its contents
      // (unknown stale contents if never written).
      Val nv = v;
      Val ov = c.value.isPoison() ? staleValue(key.first, key.second) : c.value;
      if (nv.kind != ov.kind) {
        nv = nv.isFloat() ? nv : ops::bitsToFloat(nv);
        ov = ov.isFloat() ? ov : ops::bitsToFloat(ov);
      }
      c.value = ops::select(ops::fromTruth(p.pc), nv, ov);
    }
    c.written = p.pc || c.written;
  }
  for (size_t i = 0; i < p.reads.size(); ++i)
    logAccess(p.reads[i], false,
              i < p.readInst.size() ? p.readInst[i] : nullptr);
  p.writes.clear();
  p.reads.clear();
  p.writeInst.clear();
  p.readInst.clear();
}

void Executor::Impl::reportRaces(
    std::vector<CellKey> &cells,
    const std::function<std::optional<std::string>(
        const Access &, const Access &, bool)> &unordered) {
  for (const CellKey &key : cells) {
    const Region &r = mem.at(key.first);
    Cell &c = mem.at(key.first).cells.at(static_cast<size_t>(key.second));
    const std::vector<Access> &l = c.log;
    bool anyWrite = false;
    for (const Access &a : l)
      anyWrite |= a.write;
    bool local = r.role == Role::Local;
    // Pairs of accesses by different work-items, at least one a write,
    // that nothing orders; at most two reported per cell.
    unsigned reported = 0;
    for (size_t i = 0; anyWrite && i < l.size() && reported < 2; ++i)
      for (size_t j = i + 1; j < l.size() && reported < 2; ++j) {
        const Access &x = l[i], &y = l[j];
        if (x.item == y.item || !(x.write || y.write))
          continue;
        // Ordered pairs (a barrier between them) first: that test is cheap,
        // the simplification below is not (a tiled kernel's __local cell
        // holds a hundred accesses, most of them in other intervals).
        std::optional<std::string> why = unordered(x, y, local);
        if (!why)
          continue;
        // Accesses of two whole-group cases (WorkGroup.cpp) exclude each
        // other: not a pair, and not one of the two reported per cell.
        if ((x.pc && y.pc).simplify().isFalse())
          continue;
        bool ww = x.write && y.write;
        Violation v{ww ? ObligationKind::WriteRace : ObligationKind::DataRace,
                    x.pc && y.pc,
                    cellName(key.first, key.second) + " " +
                        (ww ? "written" : "written and read") +
                        " by work-items " + std::to_string(x.item) + " and " +
                        std::to_string(y.item) + " of " + label + *why,
                    local ? "" : r.name, local ? -1 : key.second};
        v.loc = accessLocOf(x.inst, x.write);
        v.other = accessLocOf(y.inst, y.write);
        log.add(std::move(v));
        ++reported;
      }
    c.log.clear();
  }
  cells.clear();
}

void Executor::Impl::checkRaces(std::vector<CellKey> &cells) {
  // Of different groups (global memory: nothing orders them), or of one
  // group in one barrier interval.
  reportRaces(cells,
              [&](const Access &x, const Access &y,
                  bool local) -> std::optional<std::string> {
                bool sameGroup = x.group == y.group;
                if (sameGroup && x.epoch != y.epoch)
                  return std::nullopt;
                if (!geom.hasLocal)
                  return std::string();
                if (!sameGroup)
                  return " (work-groups " + std::to_string(x.group) + " and " +
                         std::to_string(y.group) + ": no barrier orders them)";
                return std::string(" (same work-group, no barrier with ") +
                       (local ? "CLK_LOCAL_MEM_FENCE"
                              : "CLK_GLOBAL_MEM_FENCE") +
                       " between the accesses)";
              });
}

} // namespace ksynth::verify
