// The symbolic work-group method (verify/methods/SymbolicGroup.h): the
// executor's group mode, and the group's accesses as the inputs of the
// discharge.
#include "verify/methods/SymbolicGroup.h"

#include "verify/core/VarNames.h"
#include "verify/exec/ExecutorImpl.h"
#include "verify/exec/GroupIdEnum.h"
#include "verify/exec/SubstituteAll.h"

#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/Instructions.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

namespace ksynth::verify {

using smt::Expr;

namespace {
// Work-items of one group the method enumerates (OpenCL devices allow 1024
// or fewer).
constexpr uint64_t kMaxGroupItems = 1024;

// The group's access indices in one spelling: an index that depends on the
// group ids only (int arithmetic of `get_group_id`, sign-extended: the
// same element as the reference's 64-bit index term, but a different
// term) is replaced, everywhere in the run's terms, by b + sum_d a_d * g_d
// (a, b read off at g = 0 and the unit vectors), where one query shows
// every such replacement equal for every group id in range; otherwise
// nothing is replaced. The reads of one element then share a term with the
// reference's, so that equal reads are recognised without a query each.
void canonicalIndices(SymbolicGroupRun &run,
                      const std::function<bool(const Expr &)> &mayHold) {
  const std::vector<Expr> &g = run.groupIds;
  std::set<unsigned> groupVars, seen;
  for (const Expr &v : g)
    groupVars.insert(v.id());
  std::vector<std::pair<Expr, Expr>> map;
  std::vector<Expr> differ;
  for (const GroupAccess &a : run.accesses) {
    const Expr &t = a.access.index;
    if (t.isConstVar() || t.asUInt() || !seen.insert(t.id()).second)
      continue;
    std::vector<Expr> vs = t.vars();
    if (vs.empty() || !std::all_of(vs.begin(), vs.end(), [&](const Expr &v) {
          return groupVars.count(v.id()) > 0;
        }))
      continue;
    auto at = [&](size_t unit) {
      std::vector<std::pair<Expr, Expr>> sub;
      for (size_t d = 0; d < g.size(); ++d)
        sub.push_back({g[d], Expr::bvVal(d == unit ? 1 : 0, 64)});
      return t.substitute(sub).simplify().asUInt();
    };
    std::optional<uint64_t> b = at(g.size());
    if (!b)
      continue;
    Expr lin = Expr::bvVal(*b, 64);
    bool affine = true;
    for (size_t d = 0; d < g.size() && affine; ++d) {
      std::optional<uint64_t> v = at(d);
      affine = v.has_value();
      if (affine && *v != *b)
        lin = lin.add(Expr::bvVal(*v - *b, 64).mul(g[d]));
    }
    if (!affine)
      continue;
    lin = lin.simplify();
    if (lin.same(t))
      continue;
    map.push_back({t, lin});
    differ.push_back(t.ne(lin));
  }
  if (map.empty() || mayHold(Expr::orAll(differ)))
    return;

  // (sgemm) One substitution over all the terms (substituteAll): a map
  // entry per access made one substitution per term quadratic.
  std::vector<Expr *> terms;
  for (GroupAccess &a : run.accesses) {
    terms.push_back(&a.access.index);
    if (!a.access.value.isPoison() && !a.access.value.isConst &&
        !a.access.value.isVec())
      terms.push_back(&a.access.value.e);
    terms.push_back(&a.pc);
  }
  substituteAll(terms, map);
}
// Conditions on the group ids alone (no data, no fresh values) that occur
// as if-then-else conditions in `t`, innermost ones only (a condition that
// holds such an if-then-else is constant in each case of those): a
// work-item's paths that split on the group id and met again at a
// barrier, or a bound computed from the group id.
void groupConditions(const Expr &t, const std::set<unsigned> &groupVars,
                     std::set<unsigned> &seen, std::vector<Expr> &out) {
  if (!seen.insert(t.id()).second)
    return;
  std::vector<Expr> as = t.args();
  auto add = [&](const Expr &c) {
    if (std::none_of(out.begin(), out.end(),
                     [&](const Expr &o) { return o.same(c); }))
      out.push_back(c);
  };
  if (t.op() == Expr::Op::Ite && as.size() == 3) {
    const Expr &c = as[0];
    std::vector<Expr> vs = c.vars();
    if (!vs.empty() && std::all_of(vs.begin(), vs.end(), [&](const Expr &v) {
          return groupVars.count(v.id());
        })) {
      std::vector<Expr> inner;
      std::set<unsigned> innerSeen;
      for (const Expr &a : c.args())
        groupConditions(a, groupVars, innerSeen, inner);
      if (inner.empty())
        add(c);
      for (const Expr &i : inner)
        add(i);
      groupConditions(as[1], groupVars, seen, out);
      groupConditions(as[2], groupVars, seen, out);
      return;
    }
  }
  for (const Expr &a : as)
    groupConditions(a, groupVars, seen, out);
}

// A store path whose values branch on the group id (merged at a barrier)
// as one path per case of those conditions (at most 2^4), the values
// simplified in each: the levels that compare a store with the reference
// see no branch there (a work-group misbehaving only above some id).
// Cases the solver shows impossible are dropped (at a shape the tiles
// divide, every `i < M` is true in every group: 2^4 cases, one real).
void splitOnGroupConditions(std::vector<SymbolicPath> &paths,
                            const std::vector<Expr> &groupIds,
                            const std::function<bool(const Expr &)> &mayHold) {
  constexpr size_t kMaxConditions = 4;
  std::set<unsigned> groupVars;
  for (const Expr &v : groupIds)
    groupVars.insert(v.id());
  std::vector<SymbolicPath> out;
  for (SymbolicPath &p : paths) {
    std::vector<Expr> conds;
    std::set<unsigned> seen;
    for (const SymAccess &a : p.accesses)
      if (a.write) {
        groupConditions(a.index, groupVars, seen, conds);
        if (!a.value.isPoison() && !a.value.isConst && !a.value.isVec())
          groupConditions(a.value.e, groupVars, seen, conds);
      }
    if (conds.empty() || conds.size() > kMaxConditions) {
      out.push_back(std::move(p));
      continue;
    }
    for (size_t mask = 0; mask < (size_t(1) << conds.size()); ++mask) {
      std::vector<std::pair<Expr, Expr>> sub;
      Expr pc = p.pc;
      for (size_t k = 0; k < conds.size(); ++k) {
        bool v = (mask >> k) & 1;
        sub.push_back({conds[k], Expr::boolVal(v)});
        pc = pc && (v ? conds[k] : !conds[k]);
      }
      pc = pc.simplify();
      if (pc.isFalse() || (mayHold && !mayHold(pc)))
        continue;
      SymbolicPath q{pc, {}};
      for (const SymAccess &a : p.accesses) {
        if (!a.write)
          continue;
        SymAccess b = a;
        b.index = a.index.substitute(sub).simplify();
        if (!b.value.isPoison() && !b.value.isConst && !b.value.isVec())
          b.value = b.value.isFloat()
                        ? Val::floatSym(b.value.e.substitute(sub).simplify())
                        : Val::intSym(b.value.e.substitute(sub).simplify());
        q.accesses.push_back(std::move(b));
      }
      out.push_back(std::move(q));
    }
  }
  paths = std::move(out);
}
} // namespace

bool usesBarrier(const llvm::Function &kernel) {
  std::set<const llvm::Function *> seen{&kernel};
  std::vector<const llvm::Function *> work{&kernel};
  while (!work.empty()) {
    const llvm::Function *f = work.back();
    work.pop_back();
    for (const llvm::BasicBlock &bb : *f)
      for (const llvm::Instruction &i : bb)
        if (auto *call = llvm::dyn_cast<llvm::CallInst>(&i))
          if (const llvm::Function *g = call->getCalledFunction()) {
            // sub_group_barrier and sub-group collectives synchronise too.
            if (g->getName().contains("barrier") ||
                g->getName().contains("sub_group"))
              return true;
            if (!g->isDeclaration() && seen.insert(g).second)
              work.push_back(g);
          }
  }
  return false;
}

std::string localItemText(const Geometry &g, uint32_t item) {
  uint64_t x = item % g.local[0], y = item / g.local[0] % g.local[1],
           z = item / (g.local[0] * g.local[1]);
  if (g.dims == 1)
    return std::to_string(x);
  return "(" + std::to_string(x) + "," + std::to_string(y) +
         (g.dims > 2 ? "," + std::to_string(z) : "") + ")";
}

bool Executor::Impl::groupIdBuiltin(const std::string &name, int d,
                                    Val &result) const {
  if (d < 0)
    return false; // dimensions past 2: the usual constants
  if (name == "get_local_id") {
    result = Val::intConst(ids.lid[d], 64);
    return true;
  }
  if (name == "get_group_id") {
    result = Val::intSym(symGrp[d]);
    return true;
  }
  if (name == "get_global_id") {
    result = Val::intSym(symGrp[d]
                             .mul(Expr::bvVal(geom.local[d], 64))
                             .add(Expr::bvVal(ids.lid[d], 64)));
    return true;
  }
  return false;
}

SymbolicGroupRun Executor::runSymbolicGroup(
    const llvm::Function &kernel, const std::vector<Val> &args0,
    const Geometry &g, const std::string &label, const std::string &tag,
    const std::function<bool(const smt::Expr &)> &feasible,
    const std::vector<LocalArg> &localArgs) {
  Impl &I = *impl_;
  if (!g.hasLocal)
    throw CannotDecide(UnknownKind::Unsupported,
                       "the symbolic work-group method needs the work-group "
                       "size: give \"local\" in " +
                           label);
  SymbolicGroupRun out;
  out.localItems = 1;
  for (unsigned d = 0; d < 3; ++d) {
    if (g.local[d] == 0 || g.global[d] % g.local[d] != 0)
      throw CannotDecide(UnknownKind::Unsupported,
                         "global size not a multiple of the local size in " +
                             label);
    out.localItems *= g.local[d];
    if (d < g.dims)
      out.groups.push_back(g.global[d] / g.local[d]);
  }
  if (out.localItems > kMaxGroupItems)
    throw CannotDecide(UnknownKind::TooLarge,
                       "work-groups of " + std::to_string(out.localItems) +
                           " work-items in " + label +
                           " (the symbolic work-group method enumerates at "
                           "most " +
                           std::to_string(kMaxGroupItems) + ")");
  size_t regionMark = I.mem.size();
  struct Reset {
    Impl &i;
    size_t mark;
    uint64_t summarize;
    ~Reset() {
      i.limits.summarizeAbove = summarize;
      i.symbolic = false;
      i.symGroup = false;
      i.feasible = nullptr;
      i.impossible = nullptr;
      i.pending.clear();
      i.groupLog.clear();
      i.localRegions.clear();
      i.touchedLocal.clear();
      i.mem.truncate(mark); // __local and private memory die with the group
    }
  } reset{I, regionMark, I.limits.summarizeAbove};
  // Loop summaries (LoopSummary.cpp) are for one work-item: a loop of the
  // group's work-items may hold a barrier.
  I.limits.summarizeAbove = 0;
  I.symbolic = true;
  I.symGroup = true;
  I.symTag = tag;
  I.feasible = nullptr; // below, with the group ids' range
  I.geom = g;
  I.label = label;
  I.pending.clear();
  I.groupLog.clear();
  I.abandoned.clear();
  I.stops.clear();
  I.touched.clear();
  I.touchedLocal.clear();
  I.group = 0;
  Expr inRange = Expr::boolVal(true);
  for (unsigned d = 0; d < 3; ++d) {
    if (d < g.dims) {
      I.symGrp[d] = Expr::bvVar(var::groupId(tag, d), 64);
      inRange = inRange && I.symGrp[d].ult(Expr::bvVal(out.groups[d], 64));
      out.groupIds.push_back(I.symGrp[d]);
    } else {
      I.symGrp[d] = Expr::bvVal(0, 64);
    }
  }
  // __local memory: fresh (unwritten) buffers, cells at concrete offsets.
  std::set<unsigned> groupVars;
  for (const Expr &v : out.groupIds)
    groupVars.insert(v.id());
  // Path conditions by their set of conjuncts: a work-item's branch on a
  // condition its path already holds (a guard tested in every iteration)
  // repeats a question answered before.
  // (The conjuncts are kept alive: an AST id is reused once it is freed.)
  struct Known {
    std::map<std::vector<unsigned>, bool> answers;
    std::vector<Expr> alive;
  };
  auto known = std::make_shared<Known>();
  auto decide = [feasible, inRange, groupVars](const Expr &pc) {
    // Branches on values computed from the group id (a loop bound that
    // depends on it) in every iteration of every work-item: decided by
    // the cases of the group-id conditions in them where that settles
    // the path condition, each case's realisability one query (the same
    // for every branch: the solver's cache answers).
    std::vector<Expr> conds;
    std::set<unsigned> seen;
    groupConditions(pc, groupVars, seen, conds);
    if (!conds.empty() && conds.size() <= 3) {
      bool undecided = false;
      for (size_t mask = 0; mask < (size_t(1) << conds.size()); ++mask) {
        std::vector<std::pair<Expr, Expr>> sub;
        Expr lits = inRange;
        for (size_t k = 0; k < conds.size(); ++k) {
          bool v = (mask >> k) & 1;
          sub.push_back({conds[k], Expr::boolVal(v)});
          lits = lits && (v ? conds[k] : !conds[k]);
        }
        Expr r = pc.substitute(sub).simplify();
        if (r.isFalse())
          continue;
        if (r.isTrue() && feasible(lits))
          return true;
        undecided = undecided || !r.isTrue();
      }
      if (!undecided)
        return false;
    }
    return feasible(pc && inRange);
  };
  // (sgemm) Conjunctions over the group ids alone: by enumeration.
  auto byEnum = std::make_shared<GroupIdEnum>(out.groupIds, out.groups);
  I.feasible = [feasible, decide, known, byEnum](const Expr &pc) {
    if (!feasible)
      return true;
    if (std::optional<bool> r = byEnum->feasible(pc))
      return *r;
    std::vector<Expr> work{pc};
    std::vector<unsigned> ids;
    std::set<unsigned> neg;
    while (!work.empty()) {
      Expr e = work.back();
      work.pop_back();
      if (e.op() == Expr::Op::And) {
        for (const Expr &a : e.args())
          work.push_back(a);
        continue;
      }
      if (e.op() == Expr::Op::Not)
        neg.insert(e.args().at(0).id());
      ids.push_back(e.id());
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (unsigned id : ids)
      if (neg.count(id))
        return false; // c and not c
    auto it = known->answers.find(ids);
    if (it != known->answers.end())
      return it->second;
    bool r = decide(pc);
    known->answers.emplace(std::move(ids), r);
    known->alive.push_back(pc);
    return r;
  };
  I.impossible = [byEnum](const Expr &cond) {
    std::optional<bool> r = byEnum->feasible(cond);
    return r && !*r;
  };
  std::vector<Val> args = args0;
  for (const LocalArg &la : localArgs)
    args.at(la.index) =
        Val::ptr(I.mem.addLocal(la.name, la.bytes), Val::intConst(0, 64));
  I.localRegions.clear();
  for (const llvm::GlobalVariable *gv : staticLocals(kernel))
    I.localRegions[gv] = I.mem.addLocal(
        "local:" + gv->getName().str(),
        static_cast<int64_t>(I.dl.getTypeAllocSize(gv->getValueType())));

  std::vector<ItemState> items;
  for (uint64_t z = 0; z < g.local[2]; ++z)
    for (uint64_t y = 0; y < g.local[1]; ++y)
      for (uint64_t x = 0; x < g.local[0]; ++x) {
        ItemState it;
        uint64_t lid[3] = {x, y, z};
        for (int d = 0; d < 3; ++d) {
          it.ids.lid[d] = lid[d];
          it.ids.grp[d] = 0;
          it.ids.gid[d] = lid[d]; // for messages: "local work-item ..."
        }
        it.ids.flat =
            static_cast<uint32_t>(x + g.local[0] * (y + g.local[1] * z));
        // (The group ids' range is not in the path conditions, whose
        // literal truth the cells' written-conditions rely on; it is
        // conjoined to the recorded accesses and to every query.)
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

  I.localEpoch = I.globalEpoch = I.maxLocalEpoch = I.maxGlobalEpoch = 0;
  I.groupCases.clear();
  I.groupCaseCount = 1;
  // Barriers under conditions the same for the whole group (the group id,
  // a scalar) split the group into whole-group cases (WorkGroup.cpp), run
  // one after the other; segments are numbered across them, so that a
  // work-item's accesses in one case are ordered by segment as before.
  uint32_t segment = 0;
  for (bool more = true; more;
       more = I.abandoned.empty() && I.nextGroupCase(items))
    for (;; ++segment) {
      std::vector<std::vector<Path>> stopped(items.size());
      for (size_t i = 0; i < items.size(); ++i) {
        if (!items[i].live)
          continue;
        I.ids = items[i].ids;
        stopped[i] = I.runSegment(items[i]);
        // The interval's global accesses, under their paths' conditions (a
        // path's condition at its end implies the one at each access; the
        // paths an access forked into partition the latter).
        for (size_t k = 0; k < stopped[i].size(); ++k) {
          Path &p = stopped[i][k];
          if (!p.pc.isFalse())
            for (size_t pos = 0; pos < p.sym.size(); ++pos)
              I.groupLog.push_back({std::move(p.sym[pos]), p.pc,
                                    items[i].ids.flat, segment,
                                    static_cast<uint32_t>(k), I.globalEpoch,
                                    static_cast<uint32_t>(pos)});
          p.sym.clear();
        }
      }
      if (!I.converge(items, stopped)) {
        out.abandoned = I.abandoned;
        break;
      }
      if (std::none_of(items.begin(), items.end(),
                       [](const ItemState &it) { return it.live; })) {
        ++segment;
        break;
      }
    }
  I.groupCases.clear();
  I.checkRaces(I.touchedLocal);
  I.touched.clear(); // global buffers are arrays here: no cells
  out.accesses = std::move(I.groupLog);
  canonicalIndices(out, I.feasible);
  for (GroupAccess &a : out.accesses)
    a.pc = a.pc && inRange;
  out.inRange = inRange;
  return out;
}

std::vector<SymbolicPath>
groupStorePaths(const SymbolicGroupRun &g,
                const std::function<bool(const Expr &)> &mayHold) {
  const std::vector<GroupAccess> &acc = g.accesses;
  std::vector<size_t> writes;
  for (size_t i = 0; i < acc.size(); ++i)
    if (acc[i].access.write)
      writes.push_back(i);
  // Writes that come after `w` in every execution where both happen
  // (other paths of w's interval exclude w's; two work-items' writes in
  // one epoch race).
  auto later = [](const GroupAccess &l, const GroupAccess &w) {
    if (l.access.region != w.access.region)
      return false;
    if (l.item == w.item)
      return l.segment > w.segment;
    return l.epoch > w.epoch;
  };
  auto sameBundle = [](const GroupAccess &a, const GroupAccess &b) {
    return a.item == b.item && a.segment == b.segment && a.path == b.path;
  };
  std::vector<SymbolicPath> out;
  for (size_t b = 0; b < acc.size();) {
    size_t e = b;
    while (e < acc.size() && sameBundle(acc[e], acc[b]))
      ++e;
    SymbolicPath bundle{acc[b].pc, {}};
    std::vector<Expr> overwritten(e - b, Expr::boolVal(false));
    bool any = false;
    for (size_t i = b; i < e; ++i) {
      bundle.accesses.push_back(acc[i].access);
      if (!acc[i].access.write)
        continue;
      std::vector<Expr> hits;
      for (size_t j : writes)
        if (later(acc[j], acc[i])) {
          Expr same = acc[j].access.index.eq(acc[i].access.index).simplify();
          if (!same.isFalse())
            hits.push_back(acc[j].pc && same);
        }
      overwritten[i - b] = Expr::orAll(hits);
      any = any || !hits.empty();
    }
    if (!any || !mayHold(bundle.pc && Expr::orAll(overwritten))) {
      out.push_back(std::move(bundle));
    } else {
      for (size_t i = b; i < e; ++i) {
        if (!acc[i].access.write)
          continue;
        std::vector<Expr> inPath;
        for (size_t j = i + 1; j < e; ++j)
          if (acc[j].access.write &&
              acc[j].access.region == acc[i].access.region)
            inPath.push_back(acc[j].access.index.eq(acc[i].access.index));
        out.push_back({acc[b].pc && !Expr::orAll(inPath) && !overwritten[i - b],
                       {acc[i].access}});
      }
    }
    b = e;
  }
  splitOnGroupConditions(out, g.groupIds, mayHold);
  return out;
}

std::vector<GroupRacePair> groupRacePairs(const SymbolicGroupRun &a,
                                          const SymbolicGroupRun *b, bool ww) {
  std::vector<GroupRacePair> out;
  const std::vector<GroupAccess> &xs = a.accesses;
  const std::vector<GroupAccess> &ys = b ? b->accesses : a.accesses;
  // (sgemm) Index pairs that are never equal, by enumeration over the
  // group ids (GroupIdEnum.h, exact), are not candidates: otherwise each
  // write of a 4096-write group meets every other.
  std::vector<Expr> xi, yi;
  for (const GroupAccess &x : xs)
    xi.push_back(x.access.index);
  for (const GroupAccess &y : ys)
    yi.push_back(y.access.index);
  GroupIdEnum ea(a.groupIds, a.groups),
      eb(b ? b->groupIds : a.groupIds, b ? b->groups : a.groups);
  std::vector<bool> isCandidateX(xs.size());
  for (size_t i = 0; i < xs.size(); ++i)
    isCandidateX[i] = xs[i].access.write;
  std::vector<Expr> xw;
  std::vector<size_t> xwAt;
  for (size_t i = 0; i < xs.size(); ++i)
    if (isCandidateX[i]) {
      xw.push_back(xi[i]);
      xwAt.push_back(i);
    }
  std::vector<Expr> yk;
  std::vector<size_t> ykAt;
  for (size_t j = 0; j < ys.size(); ++j)
    if (ys[j].access.write == ww) {
      yk.push_back(yi[j]);
      ykAt.push_back(j);
    }
  IndexCollisions col = collidingIndices(ea, xw, eb, yk, !b);
  std::vector<const std::vector<size_t> *> colOf(xs.size(), nullptr);
  for (size_t n = 0; n < xw.size(); ++n)
    if (col.enumerated[n])
      colOf[xwAt[n]] = &col.with[n];
  for (size_t i = 0; i < xs.size(); ++i) {
    const GroupAccess &x = xs[i];
    if (!x.access.write)
      continue;
    std::vector<size_t> only;
    if (colOf[i])
      for (size_t n : *colOf[i])
        only.push_back(ykAt[n]);
    size_t count = colOf[i] ? only.size() : ys.size();
    for (size_t jj = 0; jj < count; ++jj) {
      size_t j = colOf[i] ? only[jj] : jj;
      const GroupAccess &y = ys[j];
      if (y.access.region != x.access.region || y.access.write != ww)
        continue;
      if (!b && (y.item == x.item || y.epoch != x.epoch || (ww && j < i)))
        continue;
      Expr same = x.access.index.eq(y.access.index);
      if (!b) {
        same = same.simplify();
        if (same.isFalse())
          continue;
      }
      out.push_back({&x, &y, x.pc && y.pc && same});
    }
  }
  return out;
}

} // namespace ksynth::verify
