#include "verify/ExecutorImpl.h"

#include "support/Error.h"

#include <llvm/IR/Function.h>
#include <llvm/IR/Module.h>

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

void Executor::addConstantRegion(const llvm::GlobalVariable *gv, int region) {
  impl_->constantRegions[gv] = region;
}

void Executor::runLaunch(const llvm::Function &kernel,
                         const std::vector<Val> &args, const Geometry &g,
                         const std::string &label) {
  Impl &I = *impl_;
  I.geom = g;
  I.label = label;
  I.touched.clear();
  uint32_t flat = 0;
  for (uint64_t z = 0; z < g.global[2]; ++z)
    for (uint64_t y = 0; y < g.global[1]; ++y)
      for (uint64_t x = 0; x < g.global[0]; ++x) {
        WorkItemIds ids;
        uint64_t gid[3] = {x, y, z};
        for (int d = 0; d < 3; ++d) {
          ids.gid[d] = gid[d];
          ids.lid[d] = g.hasLocal ? gid[d] % g.local[d] : 0;
          ids.grp[d] = g.hasLocal ? gid[d] / g.local[d] : 0;
        }
        ids.flat = flat++;
        I.ids = ids;
        I.runItem(kernel, args);
      }
  I.checkRaces();
}

std::string Executor::Impl::where() const {
  std::string s = "work-item " + std::to_string(ids.gid[0]);
  if (geom.dims > 1)
    s = "work-item (" + std::to_string(ids.gid[0]) + "," +
        std::to_string(ids.gid[1]) +
        (geom.dims > 2 ? "," + std::to_string(ids.gid[2]) : "") + ")";
  return s + " of " + label;
}

void Executor::Impl::runItem(const llvm::Function &kernel,
                             const std::vector<Val> &args) {
  size_t regionMark = mem.size();
  Path first;
  Frame f;
  f.fn = &kernel;
  unsigned i = 0;
  for (const llvm::Argument &a : kernel.args())
    f.regs[&a] = args.at(i++);
  f.bb = &kernel.getEntryBlock();
  f.ip = f.bb->begin();
  first.frames.push_back(std::move(f));
  pending.clear();
  pending.push_back(std::move(first));
  std::vector<Path> finished;
  unsigned started = 0;
  while (!pending.empty()) {
    Path p = std::move(pending.back());
    pending.pop_back();
    if (++started > limits.maxPathsPerItem)
      throw CannotDecide(UnknownKind::Bound,
                         "more than " + std::to_string(limits.maxPathsPerItem) +
                             " paths in " + where() +
                             " (data-dependent branching)");
    run(p);
    finished.push_back(std::move(p));
  }
  mergeItem(finished);
  mem.truncate(regionMark); // private memory dies with the work-item
}

void Executor::Impl::run(Path &p) {
  while (!p.done) {
    Frame &f = p.frames.back();
    const llvm::Instruction &inst = *f.ip;
    ++f.ip;
    if (++p.steps > limits.maxStepsPerItem)
      throw CannotDecide(UnknownKind::Bound,
                         "unroll bound reached: more than " +
                             std::to_string(limits.maxStepsPerItem) +
                             " instructions in " + where());
    if (++totalSteps > limits.maxTotalSteps)
      throw CannotDecide(UnknownKind::TooLarge,
                         "step budget of " +
                             std::to_string(limits.maxTotalSteps) +
                             " instructions exhausted (shape too large to "
                             "enumerate work-items)");
    step(p, inst);
  }
}

void Executor::Impl::enterBlock(Path &p, const llvm::BasicBlock *to) {
  Frame &f = p.frames.back();
  const llvm::BasicBlock *from = f.bb;
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
  log.add({k, p.pc && extra, detail, "", -1});
  if (extra.isTrue())
    p.done = true;
}

std::string Executor::Impl::cellName(int region, int64_t idx) const {
  return mem.at(region).name + "[" + std::to_string(idx) + "]";
}

Val Executor::Impl::staleValue(int region, int64_t idx) {
  const Region &r = mem.at(region);
  std::string name = "stale:" + cellName(region, idx);
  if (r.role == Role::Private)
    name = "stale:" + cellName(region, idx) + "#" + std::to_string(fresh++);
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
  if (r.role != Role::Private && r.role != Role::Constant)
    p.reads.push_back(key);
  if (w != p.writes.end())
    return w->second;
  Cell &c = r.cells.at(static_cast<size_t>(idx));
  if (c.written.isTrue())
    return c.value;
  log.add({ObligationKind::UninitializedRead, p.pc && !c.written,
           cellName(region, idx) + " (" + toString(r.role) +
               ") read by " + where() + " before it is written",
           r.name, idx});
  Val stale = staleValue(region, idx);
  if (c.value.isPoison())
    return stale;
  return ops::select(ops::fromTruth(c.written), c.value, stale);
}

namespace {
// Converts a cell value to the scalar type a load asks for.
Val convertScalar(const Val &v, const llvm::Type *t) {
  if (t->isFloatTy())
    return v.isFloat() ? v : ops::bitsToFloat(v);
  if (t->isIntegerTy()) {
    Val r = v.isFloat() ? ops::floatToBits(v) : v;
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
  int64_t first = 0;
  if (!resolve(p, ptr, eb * lanes, eb, align, false, first))
    return Val::poison();
  std::vector<Val> out;
  for (unsigned i = 0; i < lanes; ++i)
    out.push_back(convertScalar(readCell(p, ptr.region, first + i), scalar));
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
  int64_t first = 0;
  if (!resolve(p, ptr, eb * lanes, eb, align, true, first))
    return;
  Region &r = mem.at(ptr.region);
  if (r.role == Role::Input || r.role == Role::Constant) {
    log.add({ObligationKind::InputModified, p.pc,
             "input " + cellName(ptr.region, first) + " written by " + where(),
             r.name, first});
  }
  for (unsigned i = 0; i < lanes; ++i) {
    Val x = v.isVec() ? v.elems[i] : v;
    x = unpoison(x, scalar);
    p.writes[{ptr.region, first + i}] = x;
  }
}

void Executor::Impl::mergeItem(std::vector<Path> &finished) {
  for (Path &p : finished) {
    for (auto &[key, v] : p.writes) {
      Region &r = mem.at(key.first);
      if (r.role == Role::Private)
        continue;
      Cell &c = r.cells.at(static_cast<size_t>(key.second));
      if (c.log.empty())
        touched.push_back(key);
      c.log.push_back({ids.flat, p.pc, true});
      if (p.pc.isTrue()) {
        c.value = v;
      } else {
        // Written on this path only: elsewhere the cell keeps its contents
        // (unknown stale contents if never written).
        Val nv = v;
        Val ov = c.value.isPoison() ? staleValue(key.first, key.second)
                                    : c.value;
        if (nv.kind != ov.kind) {
          nv = nv.isFloat() ? nv : ops::bitsToFloat(nv);
          ov = ov.isFloat() ? ov : ops::bitsToFloat(ov);
        }
        c.value = ops::select(ops::fromTruth(p.pc), nv, ov);
      }
      c.written = p.pc || c.written;
    }
    for (const CellKey &key : p.reads) {
      Cell &c = mem.at(key.first).cells.at(static_cast<size_t>(key.second));
      if (c.log.empty())
        touched.push_back(key);
      c.log.push_back({ids.flat, p.pc, false});
    }
  }
}

void Executor::Impl::checkRaces() {
  for (const CellKey &key : touched) {
    Cell &c = mem.at(key.first).cells.at(static_cast<size_t>(key.second));
    const std::vector<Access> &l = c.log;
    bool anyWrite = false;
    for (const Access &a : l)
      anyWrite |= a.write;
    if (anyWrite) {
      // Pairs of accesses by different work-items with at least one write.
      unsigned reported = 0;
      for (size_t i = 0; i < l.size() && reported < 2; ++i)
        for (size_t j = i + 1; j < l.size() && reported < 2; ++j) {
          if (l[i].item == l[j].item || !(l[i].write || l[j].write))
            continue;
          bool ww = l[i].write && l[j].write;
          log.add({ww ? ObligationKind::WriteRace : ObligationKind::DataRace,
                   l[i].pc && l[j].pc,
                   cellName(key.first, key.second) + " " +
                       (ww ? "written" : "written and read") +
                       " by work-items " + std::to_string(l[i].item) +
                       " and " + std::to_string(l[j].item) + " of " + label,
                   mem.at(key.first).name, key.second});
          ++reported;
        }
    }
    c.log.clear();
  }
  touched.clear();
}

} // namespace ksynth::verify
