// The work-group scheduler: a launch runs group by group; within a group,
// every work-item runs until it reaches a barrier or returns (a barrier
// interval), then all continue from there (the lockstep model of GPUVerify
// and KLEE-CL). A work-item whose paths forked in an interval has each path
// stop at its next barrier; their writes are committed to memory under
// their path conditions and, when all of them wait at the same barrier,
// their registers are merged (if-then-else on the path conditions) into
// one state. When the work-items of a group do not all stop at the same
// program point, the solver is asked whether two of them can stop at
// different points. If not, the divergence is only apparent: the
// condition the stops depend on is the same for the whole group (data
// every work-item reads alike, the group id, a scalar argument), as
// OpenCL requires of a barrier under a conditional, and the group goes on
// as whole-group cases, one per stopping point of one work-item (every
// work-item at that point, the point's condition added to every path
// condition); those conditions partition that work-item's path condition,
// so the cases cover every execution in which no work-item died of
// undefined behaviour (which is reported as such). Cases run one after the
// other on the same memory, their writes committed under their exclusive
// conditions, and each case that passes a fenced barrier takes fresh
// epochs, so that no access of one case is taken for a race with one of
// another. Otherwise that is barrier divergence: a violation under the
// condition that two work-items stop at different points, and the launch
// is abandoned (nothing after a divergent barrier is meaningful).
#include "verify/exec/ExecutorImpl.h"

#include "solver/Solver.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/Instructions.h>

#include <algorithm>
#include <numeric>
#include <set>

namespace ksynth::verify {

using smt::Expr;

namespace {

constexpr unsigned kLocalAS = 3;
// Whole-group cases one work-group may be split into (each runs the rest
// of the kernel for every work-item of the group).
constexpr unsigned kMaxGroupCases = 32;

void collectLocals(const llvm::Value *v,
                   std::set<const llvm::Value *> &seenConst,
                   std::vector<const llvm::GlobalVariable *> &out) {
  if (auto *gv = llvm::dyn_cast<llvm::GlobalVariable>(v)) {
    if (gv->getAddressSpace() == kLocalAS &&
        std::find(out.begin(), out.end(), gv) == out.end())
      out.push_back(gv);
    return;
  }
  if (auto *ce = llvm::dyn_cast<llvm::ConstantExpr>(v)) {
    if (!seenConst.insert(ce).second)
      return;
    for (const llvm::Use &op : ce->operands())
      collectLocals(op.get(), seenConst, out);
  }
}

// Same value (structurally): no merge needed.
bool sameVal(const Val &a, const Val &b) {
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case Val::Kind::Poison:
    return true;
  case Val::Kind::Vec:
    if (a.elems.size() != b.elems.size())
      return false;
    for (size_t i = 0; i < a.elems.size(); ++i)
      if (!sameVal(a.elems[i], b.elems[i]))
        return false;
    return true;
  default:
    if (a.region != b.region || a.width != b.width || a.isConst != b.isConst)
      return false;
    return a.isConst ? a.c == b.c : a.e.same(b.e);
  }
}

// A program point at which a path stopped: the instruction after the
// barrier call in every frame; empty for a work-item that returned.
using Point = std::vector<const llvm::Instruction *>;

Point pointOf(const Path &p) {
  Point k;
  if (p.barrier)
    for (const Frame &f : p.frames)
      k.push_back(&*f.ip);
  return k;
}

} // namespace

std::vector<const llvm::GlobalVariable *>
staticLocals(const llvm::Function &kernel) {
  std::vector<const llvm::GlobalVariable *> out;
  std::set<const llvm::Value *> seenConst;
  std::set<const llvm::Function *> seen{&kernel};
  std::vector<const llvm::Function *> work{&kernel};
  while (!work.empty()) {
    const llvm::Function *f = work.back();
    work.pop_back();
    for (const llvm::BasicBlock &bb : *f)
      for (const llvm::Instruction &i : bb) {
        for (const llvm::Use &op : i.operands())
          collectLocals(op.get(), seenConst, out);
        if (auto *call = llvm::dyn_cast<llvm::CallInst>(&i))
          if (const llvm::Function *g = call->getCalledFunction())
            if (!g->isDeclaration() && seen.insert(g).second)
              work.push_back(g);
      }
  }
  return out;
}

const std::string &Executor::abandoned() const { return impl_->abandoned; }

const std::vector<Stop> &Executor::divergence() const { return impl_->stops; }

void Executor::runLaunch(const llvm::Function &kernel,
                         const std::vector<Val> &args, const Geometry &g,
                         const std::string &label,
                         const std::vector<LocalArg> &localArgs) {
  Impl &I = *impl_;
  I.geom = g;
  I.label = label;
  I.touched.clear();
  I.epochIds.clear();
  I.epochKeys.clear();
  if (!I.abandoned.empty())
    return;
  std::vector<const llvm::GlobalVariable *> statics = staticLocals(kernel);
  if (!g.hasLocal && (!localArgs.empty() || !statics.empty()))
    throw CannotDecide(UnknownKind::Unsupported,
                       "__local memory used but the manifest leaves the "
                       "work-group size to the driver; give \"local\" in " +
                           label);
  // Without a work-group size, no barrier may run (the builtin refuses),
  // so each work-item is a group of its own: nothing orders two of them.
  uint64_t groups[3];
  for (int d = 0; d < 3; ++d)
    groups[d] = g.global[d] / (g.hasLocal ? g.local[d] : 1);
  uint32_t flat = 0;
  for (uint64_t z = 0; z < groups[2] && I.abandoned.empty(); ++z)
    for (uint64_t y = 0; y < groups[1] && I.abandoned.empty(); ++y)
      for (uint64_t x = 0; x < groups[0] && I.abandoned.empty(); ++x) {
        uint64_t grp[3] = {x, y, z};
        I.group = flat++;
        I.runGroup(kernel, args, localArgs, statics, grp);
      }
  if (g.subGroupSize)
    I.checkSubGroupRaces(I.touched);
  else
    I.checkRaces(I.touched);
}

void Executor::Impl::runGroup(
    const llvm::Function &kernel, std::vector<Val> args,
    const std::vector<LocalArg> &localArgs,
    const std::vector<const llvm::GlobalVariable *> &statics,
    const uint64_t grp[3]) {
  size_t regionMark = mem.size();
  // __local memory: fresh (unwritten) buffers for every group.
  for (const LocalArg &la : localArgs)
    args.at(la.index) =
        Val::ptr(mem.addLocal(la.name, la.bytes), Val::intConst(0, 64));
  localRegions.clear();
  for (const llvm::GlobalVariable *gv : statics)
    localRegions[gv] = mem.addLocal(
        "local:" + gv->getName().str(),
        static_cast<int64_t>(dl.getTypeAllocSize(gv->getValueType())));

  uint64_t lsz[3];
  for (int d = 0; d < 3; ++d)
    lsz[d] = geom.hasLocal ? geom.local[d] : 1;
  std::vector<ItemState> items;
  for (uint64_t z = 0; z < lsz[2]; ++z)
    for (uint64_t y = 0; y < lsz[1]; ++y)
      for (uint64_t x = 0; x < lsz[0]; ++x) {
        ItemState it;
        uint64_t lid[3] = {x, y, z};
        for (int d = 0; d < 3; ++d) {
          it.ids.lid[d] = geom.hasLocal ? lid[d] : 0;
          it.ids.grp[d] = geom.hasLocal ? grp[d] : 0;
          it.ids.gid[d] = grp[d] * lsz[d] + lid[d];
        }
        it.ids.flat = static_cast<uint32_t>(
            it.ids.gid[0] +
            geom.global[0] * (it.ids.gid[1] + geom.global[1] * it.ids.gid[2]));
        Frame f;
        f.fn = &kernel;
        unsigned i = 0;
        for (const llvm::Argument &a : kernel.args())
          f.regs[&a] = args.at(i++);
        f.bb = &kernel.getEntryBlock();
        f.ip = f.bb->begin();
        it.path.frames.push_back(std::move(f));
        items.push_back(std::move(it));
      }

  localEpoch = globalEpoch = maxLocalEpoch = maxGlobalEpoch = 0;
  groupCases.clear();
  groupCaseCount = 1;
  do {
    for (;;) {
      std::vector<std::vector<Path>> stopped(items.size());
      for (size_t i = 0; i < items.size(); ++i) {
        if (!items[i].live)
          continue;
        ids = items[i].ids;
        stopped[i] = runSegment(items[i]);
      }
      if (!converge(items, stopped))
        break;
      if (std::none_of(items.begin(), items.end(),
                       [](const ItemState &it) { return it.live; }))
        break;
    }
  } while (abandoned.empty() && nextGroupCase(items));
  groupCases.clear();
  checkRaces(touchedLocal);
  localRegions.clear();
  mem.truncate(regionMark); // private and __local memory die with the group
}

bool Executor::Impl::nextGroupCase(std::vector<ItemState> &items) {
  if (groupCases.empty())
    return false;
  GroupCase c = std::move(groupCases.back());
  groupCases.pop_back();
  items = std::move(c.items);
  localEpoch = c.freshLocal ? ++maxLocalEpoch : c.localEpoch;
  globalEpoch = c.freshGlobal ? ++maxGlobalEpoch : c.globalEpoch;
  return true;
}

std::vector<Path> Executor::Impl::runSegment(ItemState &item) {
  if (!item.parked.empty()) { // its sub-group waits for the others
    std::vector<Path> out;
    out.swap(item.parked);
    return out;
  }
  // With sub-groups, accesses carry epoch ids that also name the sub-group
  // and its sub_group_barriers (checkSubGroupRaces); the work-group counts
  // stay in localEpoch/globalEpoch for everyone else (the symbolic
  // work-group method reads globalEpoch after each segment, and refuses
  // global-fence sub_group_barriers, so its global accesses keep them).
  struct Restore {
    uint32_t &l, &g, lv, gv;
    ~Restore() {
      l = lv;
      g = gv;
    }
  } restore{localEpoch, globalEpoch, localEpoch, globalEpoch};
  if (geom.subGroupSize) {
    uint32_t k = subGroupOf(item.ids);
    localEpoch = epochId(restore.lv, k, item.sgLocalEpoch);
    if (!symGroup)
      globalEpoch = epochId(restore.gv, k, item.sgGlobalEpoch);
  }
  pending.clear();
  item.startPc = item.path.pc;
  pending.push_back(std::move(item.path));
  std::vector<Path> stopped;
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
    stopped.push_back(std::move(p));
  }
  for (Path &p : stopped)
    commit(p);
  return stopped;
}

std::string Executor::Impl::barrierName(const llvm::CallInst *call) const {
  const llvm::Function *f = call->getFunction();
  unsigned n = 0;
  for (const llvm::BasicBlock &bb : *f)
    for (const llvm::Instruction &i : bb) {
      auto *c = llvm::dyn_cast<llvm::CallInst>(&i);
      if (c && c->getCalledFunction() &&
          c->getCalledFunction()->getName().contains("barrier") &&
          !c->getCalledFunction()->getName().contains("sub_group"))
        ++n;
      if (&i == call)
        return "barrier #" + std::to_string(n) + " in " + f->getName().str();
    }
  return "a barrier in " + f->getName().str();
}

namespace {

// A work-item's live stopping point and the paths at it (paths that died
// of undefined behaviour are reported as such and dropped).
struct At {
  Point point;
  std::vector<size_t> paths;
  Expr pc; // disjunction of their path conditions
  const llvm::CallInst *barrier = nullptr;
};

// Per work-item: its stopping points; anyDead: some path died; points: all
// points met. Work-items all of whose paths died stop being live.
std::vector<std::vector<At>>
stoppingPoints(std::vector<ItemState> &items,
               const std::vector<std::vector<Path>> &stopped,
               std::vector<bool> &anyDead, std::set<Point> &points) {
  std::vector<std::vector<At>> at(items.size());
  anyDead.assign(items.size(), false);
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].live)
      continue;
    for (size_t k = 0; k < stopped[i].size(); ++k) {
      const Path &p = stopped[i][k];
      if (p.pc.isFalse())
        continue;
      if (p.done && !p.frames.empty()) {
        anyDead[i] = true;
        continue;
      }
      Point pt = pointOf(p);
      auto it = std::find_if(at[i].begin(), at[i].end(),
                             [&](const At &a) { return a.point == pt; });
      if (it == at[i].end()) {
        at[i].push_back({pt, {}, Expr::boolVal(false), p.barrier});
        it = at[i].end() - 1;
      }
      it->paths.push_back(k);
      it->pc = it->pc || p.pc;
      points.insert(pt);
    }
    if (at[i].empty())
      items[i].live = false; // every path died: reported as it died
  }
  return at;
}

} // namespace

// The condition that two of the work-items `members` stop at different
// points: for some point a, one stops at a and one elsewhere (one work-
// item's stopping points exclude each other, so the two are different
// work-items).
static Expr divergenceCondition(const std::vector<std::vector<At>> &at,
                                const std::vector<size_t> &members) {
  std::set<Point> points;
  for (size_t i : members)
    for (const At &x : at[i])
      points.insert(x.point);
  std::vector<Expr> cases;
  for (const Point &a : points) {
    std::vector<Expr> here, elsewhere;
    for (size_t i : members)
      for (const At &x : at[i])
        (x.point == a ? here : elsewhere).push_back(x.pc);
    cases.push_back(Expr::orAll(here) && Expr::orAll(elsewhere));
  }
  return Expr::orAll(cases);
}

// Whether `e` may hold: false only where the solver says unsat (the
// symbolic work-group method's own check, with the group ids' range, or
// the configured solver stack's query with --timeout; no input domain, so
// unsat holds for every input). Without a solver (an executor the
// verifier did not give one) nothing is ruled out.
static bool mayHold(Executor::Impl &I, const Expr &e) {
  Expr s = e.simplify();
  if (s.isFalse())
    return false;
  if (s.isTrue())
    return true;
  if (I.feasible)
    return I.feasible(e);
  if (!I.solver)
    return true;
  return I.solver->check({{e}, "uniform barrier condition in " + I.label, 0})
             .status != smt::SatResult::Unsat;
}

// The work-items stopped at different points (or one at several): if the
// solver shows that no two of them can stop at different points, `items`
// becomes the group's first whole-group case and the others are queued
// (see the file comment); false if the divergence may be real (or with
// sub-groups, whose meeting points are not split).
static bool splitUniform(Executor::Impl &I, std::vector<ItemState> &items,
                         std::vector<std::vector<Path>> &stopped,
                         const std::vector<std::vector<At>> &at) {
  if (I.geom.subGroupSize)
    return false;
  std::vector<size_t> all(items.size());
  std::iota(all.begin(), all.end(), size_t(0));
  if (mayHold(I, divergenceCondition(at, all)))
    return false;
  // One work-item's stopping points: their conditions partition its path
  // condition less the paths that died; each is a case, dropped only when
  // the solver shows it impossible.
  size_t rep = 0;
  while (rep < at.size() && at[rep].empty())
    ++rep;
  if (rep == at.size())
    return false; // no live work-item: nothing diverges
  std::vector<size_t> keep;
  for (size_t c = 0; c < at[rep].size(); ++c)
    if (at[rep].size() == 1 || mayHold(I, at[rep][c].pc))
      keep.push_back(c);
  if (keep.size() > 1)
    I.groupCaseCount += static_cast<unsigned>(keep.size() - 1);
  if (I.groupCaseCount > kMaxGroupCases)
    throw CannotDecide(UnknownKind::Bound,
                       "more than " + std::to_string(kMaxGroupCases) +
                           " whole-group cases of barriers under uniform "
                           "conditions in " +
                           (I.symGroup
                                ? std::string("the arbitrary work-group")
                                : "work-group " + std::to_string(I.group)) +
                           " of " + I.label);
  uint32_t local0 = I.localEpoch, global0 = I.globalEpoch;
  std::vector<GroupCase> cases;
  for (size_t c : keep) {
    const At &ra = at[rep][c];
    const Expr caseCond = ra.pc;
    GroupCase gc;
    gc.items.reserve(items.size());
    uint64_t flags = ~uint64_t(0);
    for (size_t i = 0; i < items.size(); ++i) {
      ItemState it;
      it.ids = items[i].ids;
      it.sgLocalEpoch = items[i].sgLocalEpoch;
      it.sgGlobalEpoch = items[i].sgGlobalEpoch;
      it.live = false;
      auto a = std::find_if(at[i].begin(), at[i].end(),
                            [&](const At &x) { return x.point == ra.point; });
      // Not at the case's point: returned in this case, or every path of
      // it that gets there died (reported as it died).
      if (a != at[i].end() && a->barrier) {
        std::vector<Path> ps;
        for (size_t k : a->paths) {
          flags &= stopped[i][k].barrierFlags;
          ps.push_back(std::move(stopped[i][k]));
        }
        Expr pc = a->pc.same(caseCond) ? caseCond : a->pc && caseCond;
        it.path = I.mergePaths(ps, pc);
        it.startPc = it.path.pc;
        it.live = true;
      }
      gc.items.push_back(std::move(it));
    }
    bool passed = flags != ~uint64_t(0);
    gc.localEpoch = local0;
    gc.globalEpoch = global0;
    gc.freshLocal = passed && (flags & 1);
    gc.freshGlobal = passed && (flags & 2);
    cases.push_back(std::move(gc));
  }
  if (cases.empty()) { // every case impossible: no execution gets here
    for (ItemState &it : items)
      it.live = false;
    return true;
  }
  // The first case goes on now, the others later (in order).
  GroupCase &first = cases.front();
  items = std::move(first.items);
  if (first.freshLocal)
    I.localEpoch = ++I.maxLocalEpoch;
  if (first.freshGlobal)
    I.globalEpoch = ++I.maxGlobalEpoch;
  for (size_t c = cases.size(); c-- > 1;)
    I.groupCases.push_back(std::move(cases[c]));
  return true;
}

// Divergence among the work-items `members` (a work-group, or one
// sub-group): two of them stop at different points. Logs the violation
// and sets `abandoned`.
static void reportDivergence(Executor::Impl &I,
                             const std::vector<ItemState> &items,
                             const std::vector<std::vector<At>> &at,
                             const std::vector<size_t> &members,
                             const char *scope) {
  Expr cond = divergenceCondition(at, members);
  // A witness pair for the message.
  auto describe = [&](const At &x) {
    return x.barrier ? "waits at " + I.pointName(x.barrier)
                     : std::string("returned");
  };
  std::string detail;
  SourceLoc loc, other; // the witness pair's barriers
  for (size_t mi = 0; mi < members.size() && detail.empty(); ++mi)
    for (const At &x : at[members[mi]])
      for (size_t mj = mi + 1; mj < members.size() && detail.empty(); ++mj)
        for (const At &y : at[members[mj]])
          if (x.point != y.point && detail.empty()) {
            size_t i = members[mi], j = members[mj];
            const At &b = x.barrier ? x : y;
            size_t bi = x.barrier ? i : j, oi = x.barrier ? j : i;
            const At &o = x.barrier ? y : x;
            detail = "work-item " + std::to_string(items[bi].ids.flat) +
                     " reaches " + I.pointName(b.barrier) + " but work-item " +
                     std::to_string(items[oi].ids.flat) + " of the same " +
                     scope + " " + describe(o);
            loc = sourceLocOf(b.barrier);
            other = sourceLocOf(o.barrier);
          }
  if (detail.empty()) // only one item has several stopping points
    detail = "work-item " + std::to_string(items[members[0]].ids.flat) +
             " reaches a barrier under a data-dependent condition";
  bool definite = cond.simplify().isTrue();
  detail +=
      (definite ? "" : " (for some inputs)") + std::string(" in ") + I.label;
  for (size_t i : members) // only one item has several stopping points
    for (const At &x : at[i])
      if (!loc.valid() && x.barrier)
        loc = sourceLocOf(x.barrier);
  Violation v{ObligationKind::BarrierDivergence, cond, detail, "", -1};
  v.loc = loc;
  v.other = other;
  I.log.add(std::move(v));
  if (!definite) // a model will say which work-items differ
    for (size_t i : members)
      for (const At &x : at[i])
        I.stops.push_back({x.pc, items[i].ids.flat,
                           x.barrier ? I.pointName(x.barrier) : "return",
                           sourceLocOf(x.barrier)});
  // Reported only if the divergence is not refuted: then the condition is
  // data-dependent but the same for the whole group (or undecided).
  std::string which = "a barrier";
  for (size_t i : members)
    for (const At &x : at[i])
      if (x.barrier && which == "a barrier")
        which = I.pointName(x.barrier);
  I.abandoned = which +
                " is reached under a data-dependent condition in "
                "work-group " +
                std::to_string(I.group) + " of " + I.label +
                (std::string(scope) == "work-group" && !I.geom.subGroupSize
                     ? "; the solver did not show that condition the same "
                       "for every work-item of the work-group"
                     : std::string("; going on past a barrier whose "
                                   "condition is the same for the whole ") +
                           scope + " is not modelled");
}

bool Executor::Impl::converge(std::vector<ItemState> &items,
                              std::vector<std::vector<Path>> &stopped) {
  if (!geom.subGroupSize)
    return convergeGroup(items, stopped);
  int r = convergeSubGroups(items, stopped);
  bool ok = r < 0 ? convergeGroup(items, stopped) : r == 1;
  // The group's __local accesses are complete: check them here, with the
  // sub-group epochs (the caller's checkRaces then finds nothing left).
  if (!ok || std::none_of(items.begin(), items.end(),
                          [](const ItemState &it) { return it.live; }))
    checkSubGroupRaces(touchedLocal);
  return ok;
}

int Executor::Impl::convergeSubGroups(std::vector<ItemState> &items,
                                      std::vector<std::vector<Path>> &stopped) {
  std::vector<bool> anyDead;
  std::set<Point> points;
  std::vector<std::vector<At>> at =
      stoppingPoints(items, stopped, anyDead, points);
  size_t S = static_cast<size_t>(geom.subGroupSize);
  bool progressed = false;
  for (size_t b = 0; b < items.size(); b += S) {
    size_t e = std::min(items.size(), b + S);
    std::vector<size_t> members;
    std::set<Point> here;
    bool several = false;
    for (size_t i = b; i < e; ++i) {
      if (at[i].empty())
        continue;
      members.push_back(i);
      several = several || at[i].size() > 1;
      for (const At &x : at[i])
        here.insert(x.point);
    }
    if (members.empty())
      continue;
    if (here.size() > 1 || several) {
      reportDivergence(*this, items, at, members, "sub-group");
      return 0;
    }
    const At &a0 = at[members[0]][0];
    if (!a0.barrier || !isSubGroupPoint(a0.barrier)) {
      // A work-group barrier or the end: wait for the other sub-groups.
      for (size_t i : members)
        items[i].parked = std::move(stopped[i]);
      continue;
    }
    uint64_t flags = ~uint64_t(0);
    for (size_t i : members) {
      const At &a = at[i][0];
      std::vector<Path> ps;
      for (size_t k : a.paths) {
        flags &= stopped[i][k].barrierFlags;
        ps.push_back(std::move(stopped[i][k]));
      }
      items[i].path = mergePaths(ps, anyDead[i] ? a.pc : items[i].startPc);
    }
    resolveSubGroupPoint(items, b, e, a0.barrier, flags);
    progressed = true;
  }
  if (progressed)
    return 1;
  for (size_t i = 0; i < items.size(); ++i)
    if (!items[i].parked.empty()) {
      stopped[i] = std::move(items[i].parked);
      items[i].parked.clear();
    }
  return -1;
}

bool Executor::Impl::convergeGroup(std::vector<ItemState> &items,
                                   std::vector<std::vector<Path>> &stopped) {
  std::vector<bool> anyDead;
  std::set<Point> points;
  std::vector<std::vector<At>> at =
      stoppingPoints(items, stopped, anyDead, points);

  if (points.size() <= 1 &&
      std::all_of(at.begin(), at.end(),
                  [](const std::vector<At> &a) { return a.size() <= 1; })) {
    uint64_t flags = ~uint64_t(0);
    for (size_t i = 0; i < items.size(); ++i) {
      if (at[i].empty())
        continue;
      const At &a = at[i][0];
      if (!a.barrier) {
        items[i].live = false; // returned
        continue;
      }
      std::vector<Path> ps;
      for (size_t k : a.paths) {
        flags &= stopped[i][k].barrierFlags;
        ps.push_back(std::move(stopped[i][k]));
      }
      // Paths partition the state's condition: unless some died, their
      // disjunction is the condition the interval started with.
      Expr pc = anyDead[i] ? a.pc : items[i].startPc;
      items[i].path = mergePaths(ps, pc);
    }
    // Fresh epochs (the highest so far, plus one): after whole-group
    // cases, another case may have used the next ones.
    if (flags != ~uint64_t(0)) {
      if (flags & 1)
        localEpoch = ++maxLocalEpoch;
      if (flags & 2)
        globalEpoch = ++maxGlobalEpoch;
    }
    return true;
  }

  if (splitUniform(*this, items, stopped, at))
    return true;
  std::vector<size_t> all;
  for (size_t i = 0; i < items.size(); ++i)
    all.push_back(i);
  reportDivergence(*this, items, at, all, "work-group");
  return false;
}

Path Executor::Impl::mergePaths(std::vector<Path> &ps, const Expr &pc) {
  Path acc = std::move(ps.back());
  for (size_t i = ps.size() - 1; i-- > 0;) {
    Path &a = ps[i];
    for (size_t k = 0; k < acc.frames.size(); ++k) {
      auto &regs = acc.frames[k].regs;
      for (auto &[v, av] : a.frames[k].regs) {
        auto it = regs.find(v);
        if (it == regs.end())
          regs[v] = av; // defined on one path only: never used after
        else
          it->second = mergeVal(a.pc, av, it->second, v->getType());
      }
    }
    acc.steps = std::max(acc.steps, a.steps);
  }
  acc.pc = pc;
  acc.barrier = nullptr;
  acc.barrierFlags = 0;
  acc.done = false;
  return acc;
}

Val Executor::Impl::mergeVal(const Expr &c, const Val &a0, const Val &b0,
                             const llvm::Type *t) {
  if (sameVal(a0, b0))
    return a0;
  // Poison on one path: any value of the type there.
  Val a = a0.isPoison() ? unpoison(a0, t) : a0;
  Val b = b0.isPoison() ? unpoison(b0, t) : b0;
  if (a.isVec() && b.isVec() && a.elems.size() == b.elems.size()) {
    std::vector<Val> out;
    for (size_t i = 0; i < a.elems.size(); ++i)
      out.push_back(mergeVal(c, a.elems[i], b.elems[i], t->getScalarType()));
    return Val::vec(std::move(out));
  }
  if (a.kind != b.kind || a.isVec() || (a.isPtr() && a.region != b.region) ||
      ((a.isInt() || a.isFloat()) && a.width != b.width))
    throw CannotDecide(UnknownKind::Unsupported,
                       "values of different kinds (or pointers into "
                       "different buffers) meet at a barrier in " +
                           where());
  return ops::select(ops::fromTruth(c), a, b);
}

} // namespace ksynth::verify
