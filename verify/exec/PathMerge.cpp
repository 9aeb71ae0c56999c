// Path merging for the symbolic work-item method (KLEE-style; the
// declaration is in verify/exec/ExecutorImpl.h).
//
// A data-dependent branch forks the arbitrary work-item's path; an `if`
// per loop iteration (clang -O2 keeps one where the body calls a builtin
// such as isnan, which it does not speculate) forks 2^n paths for n
// iterations, past the path bound. Here the two sides of such a branch
// are executed separately up to the branch's immediate post-dominator J
// (where every path from the branch meets again), and the paths that
// arrive there become one path whose path condition is the disjunction of
// theirs and whose values of J's phis are `ite(side's condition, side's
// value, other value)`.
//
// Why this is the same as forking: the region R between the branch and J
// (the blocks reachable from its successors without passing J) is
// acyclic, holds no loop header, no store, atomic, fence, alloca, return
// or call other than to a body-less function that does not access memory
// (an OpenCL builtin such as isnan: executed as usual), and no value
// defined in R is used outside R except by J's phis (checked on the IR).
// So after J the paths differ only in J's phis (other registers are
// either defined outside R, hence equal, or defined in R and dead after
// J), in their path conditions, and in the violations they logged on the
// way (each under its own path condition, kept as it is).
// The merged path's phi values agree with each path's under that path's
// condition (the arrived paths' conditions are pairwise disjoint: each
// fork adds c to one side and !c to the other). Paths that do not arrive
// at J (killed by undefined behaviour) go on as they would have. Where the
// arrived paths cannot be merged (a load in the region, whose recorded
// access would lose its side's condition; a phi poison on one side only;
// values of different kinds) they all continue
// separately, exactly as without merging. Only branches inside loops are
// merged (elsewhere forking costs a few paths), and values that depend on
// approximate operations or the reference's functions are not merged into
// an ite (the levels that reason about them look at one path's terms).
#include "verify/core/DischargeUtil.h"
#include "verify/exec/ExecutorImpl.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/PostDominators.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/Function.h>

#include <chrono>
#include <map>
#include <set>

namespace ksynth::verify {

using smt::Expr;

struct Executor::Impl::MergeCache {
  struct PerFunction {
    llvm::DominatorTree dt;
    llvm::LoopInfo li;
    llvm::PostDominatorTree pdt;
    explicit PerFunction(llvm::Function &f) : dt(f), li(dt), pdt(f) {}
  };
  std::map<const llvm::Function *, std::unique_ptr<PerFunction>> fns;
  // Per branch: its join block J, or nullptr where it is not merged.
  std::map<const llvm::BranchInst *, const llvm::BasicBlock *> joins;

  PerFunction &of(const llvm::Function *f) {
    auto &slot = fns[f];
    if (!slot)
      slot = std::make_unique<PerFunction>(const_cast<llvm::Function &>(*f));
    return *slot;
  }
};

void Executor::Impl::MergeCacheDeleter::operator()(MergeCache *c) const {
  delete c;
}

namespace {

// An instruction a merged region may hold: nothing that writes memory,
// allocates, returns or calls a function with a body (which would push a
// frame) or one that may access memory.
bool mergeable(const llvm::Instruction &i) {
  if (llvm::isa<llvm::StoreInst>(i) || llvm::isa<llvm::AtomicRMWInst>(i) ||
      llvm::isa<llvm::AtomicCmpXchgInst>(i) || llvm::isa<llvm::FenceInst>(i) ||
      llvm::isa<llvm::AllocaInst>(i) || llvm::isa<llvm::ReturnInst>(i) ||
      llvm::isa<llvm::UnreachableInst>(i) || llvm::isa<llvm::InvokeInst>(i) ||
      llvm::isa<llvm::IndirectBrInst>(i) || llvm::isa<llvm::CallBrInst>(i))
    return false;
  if (const auto *call = llvm::dyn_cast<llvm::CallInst>(&i)) {
    const llvm::Function *callee = call->getCalledFunction();
    return callee && callee->isDeclaration() && callee->doesNotAccessMemory();
  }
  return true;
}

// The join block of `br` where its sides may be merged (see the file
// comment), or nullptr.
const llvm::BasicBlock *joinOf(const llvm::BranchInst &br,
                               Executor::Impl::MergeCache::PerFunction &pf) {
  const llvm::BasicBlock *b = br.getParent();
  llvm::DomTreeNodeBase<llvm::BasicBlock> *node =
      pf.pdt.getNode(const_cast<llvm::BasicBlock *>(b));
  if (!node || !node->getIDom() || !node->getIDom()->getBlock())
    return nullptr;
  const llvm::BasicBlock *j = node->getIDom()->getBlock();
  // Only inside loops, where forking multiplies the paths per iteration; a
  // few paths elsewhere are cheaper to discharge one by one (each store's
  // terms without ite).
  if (!pf.li.getLoopFor(b))
    return nullptr;
  // J a loop header entered from outside its loop would be summarised
  // (LoopSummary.cpp) on entry instead of being reached.
  if (const llvm::Loop *L = pf.li.getLoopFor(j))
    if (L->getHeader() == j && !L->contains(b))
      return nullptr;
  // R: the blocks reachable from the successors without passing J.
  std::set<const llvm::BasicBlock *> region;
  std::vector<const llvm::BasicBlock *> work;
  for (const llvm::BasicBlock *s : llvm::successors(b))
    if (s != j)
      work.push_back(s);
  while (!work.empty()) {
    const llvm::BasicBlock *x = work.back();
    work.pop_back();
    if (x == b)
      return nullptr; // a cycle through the branch
    if (!region.insert(x).second)
      continue;
    if (region.size() > 64 || pf.li.isLoopHeader(x))
      return nullptr;
    for (const llvm::BasicBlock *s : llvm::successors(x))
      if (s != j)
        work.push_back(s);
  }
  // Acyclic (also for irreducible control flow): a depth-first search
  // meets no block that is still open.
  std::map<const llvm::BasicBlock *, int> state; // 1 open, 2 done
  std::function<bool(const llvm::BasicBlock *)> acyclic =
      [&](const llvm::BasicBlock *x) {
        state[x] = 1;
        for (const llvm::BasicBlock *s : llvm::successors(x)) {
          if (!region.count(s))
            continue;
          if (state[s] == 1 || (state[s] == 0 && !acyclic(s)))
            return false;
        }
        state[x] = 2;
        return true;
      };
  for (const llvm::BasicBlock *x : region)
    if (state[x] == 0 && !acyclic(x))
      return nullptr;
  for (const llvm::BasicBlock *x : region)
    for (const llvm::Instruction &i : *x) {
      if (!mergeable(i))
        return nullptr;
      // Values of R are dead after J, except through J's phis.
      for (const llvm::User *u : i.users()) {
        const auto *ui = llvm::dyn_cast<llvm::Instruction>(u);
        if (!ui)
          return nullptr;
        if (region.count(ui->getParent()))
          continue;
        if (ui->getParent() == j && llvm::isa<llvm::PHINode>(ui))
          continue;
        return nullptr;
      }
    }
  return j;
}

// Structurally the same value.
bool sameValue(const Val &a, const Val &b) {
  if (a.kind != b.kind)
    return false;
  if (a.isPoison())
    return true;
  if (a.isVec()) {
    if (a.elems.size() != b.elems.size())
      return false;
    for (size_t i = 0; i < a.elems.size(); ++i)
      if (!sameValue(a.elems[i], b.elems[i]))
        return false;
    return true;
  }
  if (a.region != b.region || a.width != b.width || a.isConst != b.isConst)
    return false;
  return a.isConst ? a.c == b.c : a.e.same(b.e);
}

// ite(c, a, b) for two values of one LLVM type; nullopt where they cannot
// be one value (poison on one side only, other kinds, pointers into other
// buffers).
std::optional<Val>
mergeValues(const Expr &c, const Val &a, const Val &b,
            const std::vector<std::pair<Expr, Expr>> &exact) {
  if (sameValue(a, b))
    return a;
  if (a.kind != b.kind || a.isPoison())
    return std::nullopt;
  if (a.isVec()) {
    if (a.elems.size() != b.elems.size())
      return std::nullopt;
    std::vector<Val> out;
    for (size_t i = 0; i < a.elems.size(); ++i) {
      std::optional<Val> m = mergeValues(c, a.elems[i], b.elems[i], exact);
      if (!m)
        return std::nullopt;
      out.push_back(std::move(*m));
    }
    return Val::vec(std::move(out));
  }
  if (a.isPtr()) {
    if (a.region != b.region)
      return std::nullopt;
    return Val::ptr(a.region, Val::intSym(Expr::ite(c, a.offset().expr(),
                                                    b.offset().expr())));
  }
  if (a.width != b.width)
    return std::nullopt;
  // Approximate operations (exp, native_*, default division) stay on paths
  // of their own: the levels that reason about them (rounding, concrete
  // confirmation) do not look through an ite. A loop summary's state
  // variables (`exact`: approximation-prefixed, but only because they are
  // arbitrary) are no such operation: its update is compared by the solver
  // or evaluated concretely, both of which read ite terms.
  auto approximate = [&](const Expr &e) {
    return dependsOnApproximation(exact.empty() ? e : e.substitute(exact)) ||
           hasFunctions(e);
  };
  if (approximate(a.expr()) || approximate(b.expr()))
    return std::nullopt;
  Expr e = Expr::ite(c, a.expr(), b.expr());
  return a.isInt() ? Val::intSym(e) : Val::floatSym(e);
}

// The conjuncts `pc` adds to `base` (pc = (base && c1) && c2 ...), or pc
// itself where it is not of that form: under base, the condition of pc.
Expr addedTo(const Expr &pc, const Expr &base) {
  std::vector<Expr> added;
  Expr cur = pc;
  while (!cur.same(base)) {
    std::vector<Expr> a =
        cur.op() == Expr::Op::And ? cur.args() : std::vector<Expr>{};
    if (a.size() != 2)
      return pc;
    added.push_back(a[1]);
    cur = a[0];
  }
  return Expr::andAll(added);
}

} // namespace

const llvm::BasicBlock *Executor::Impl::mergeJoin(const llvm::BranchInst &br) {
  if (!symbolic || symGroup || br.isUnconditional())
    return nullptr;
  if (!merges)
    merges.reset(new MergeCache);
  auto found = merges->joins.find(&br);
  if (found == merges->joins.end())
    found =
        merges->joins
            .emplace(&br, joinOf(br, merges->of(br.getParent()->getParent())))
            .first;
  return found->second;
}

bool Executor::Impl::mergeBranch(Path &p, const llvm::BranchInst &br,
                                 const Expr &cond) {
  const llvm::BasicBlock *j = mergeJoin(br);
  if (!j)
    return false;
  const size_t depth = p.frames.size();
  const Expr base = p.pc;
  // What the path has recorded so far: a side that records more (a load's
  // access) is not merged (the access would lose its side's condition).
  const size_t syms = p.sym.size(), reads = p.reads.size(),
               writes = p.writes.size();
  // Forks inside the region land in `pending`: collected here, the outer
  // paths put back afterwards (also when a bound throws).
  std::vector<Path> outer;
  outer.swap(pending);
  struct Restore {
    std::vector<Path> &pending, &outer;
    ~Restore() {
      for (Path &q : pending)
        outer.push_back(std::move(q));
      pending.swap(outer);
    }
  };
  std::vector<Path> work, arrived, finished;
  {
    Restore restore{pending, outer};
    Path other = p;
    other.pc = p.pc && !cond;
    Path then = std::move(p);
    then.pc = then.pc && cond;
    prune(other);
    prune(then);
    for (auto [side, succ] : {std::make_pair(&then, br.getSuccessor(0)),
                              std::make_pair(&other, br.getSuccessor(1))}) {
      if (side->pc.isFalse())
        continue;
      enterBlock(*side, succ);
      work.push_back(std::move(*side));
    }
    auto atJoin = [&](const Path &q) {
      return q.frames.size() == depth && q.frames.back().bb == j &&
             q.frames.back().ip == j->getFirstNonPHI()->getIterator();
    };
    while (!work.empty()) {
      Path q = std::move(work.back());
      work.pop_back();
      // As run(), up to J.
      while (!q.done && !q.barrier && !atJoin(q)) {
        Frame &f = q.frames.back();
        const llvm::Instruction &inst = *f.ip;
        ++f.ip;
        if (++q.steps > limits.maxStepsPerItem)
          throw CannotDecide(UnknownKind::Bound,
                             "unroll bound reached: more than " +
                                 std::to_string(limits.maxStepsPerItem) +
                                 " instructions in " + where());
        if (++totalSteps > limits.maxTotalSteps)
          throw CannotDecide(UnknownKind::TooLarge,
                             "step budget of " +
                                 std::to_string(limits.maxTotalSteps) +
                                 " instructions exhausted");
        if ((totalSteps & 4095) == 0 &&
            std::chrono::steady_clock::now() > limits.deadline)
          throw CannotDecide(UnknownKind::Timeout,
                             "verification deadline reached while executing " +
                                 where());
        step(q, inst);
      }
      for (Path &forked : pending)
        work.push_back(std::move(forked));
      pending.clear();
      if (q.pc.isFalse())
        continue;
      (atJoin(q) && !q.done && !q.barrier ? arrived : finished)
          .push_back(std::move(q));
      if (work.size() + arrived.size() + finished.size() >
          limits.maxPathsPerItem)
        throw CannotDecide(UnknownKind::Bound,
                           "path bound reached: more than " +
                               std::to_string(limits.maxPathsPerItem) +
                               " paths in " + where());
    }
    // Paths that ended in the region go on as they are (the outer loop
    // collects or drops them).
    for (Path &q : finished)
      pending.push_back(std::move(q));
  }
  if (arrived.empty()) {
    p = Path();
    p.pc = Expr::boolVal(false);
    p.done = true;
    return true;
  }
  // One path, where every arrived path can be merged into it.
  Path acc = std::move(arrived.back());
  arrived.pop_back();
  auto unchanged = [&](const Path &q) {
    return q.sym.size() == syms && q.reads.size() == reads &&
           q.writes.size() == writes;
  };
  bool ok = unchanged(acc);
  for (const Path &q : arrived)
    ok = ok && unchanged(q);
  std::vector<std::pair<const llvm::PHINode *, Val>> merged;
  std::vector<Expr> conds{addedTo(acc.pc, base)};
  for (const llvm::PHINode &phi : j->phis()) {
    if (!ok)
      break;
    Val v = acc.frames.back().regs.at(&phi);
    for (const Path &q : arrived) {
      std::optional<Val> m = mergeValues(
          addedTo(q.pc, base), q.frames.back().regs.at(&phi), v, mergeAsExact);
      if (!m) {
        ok = false;
        break;
      }
      v = std::move(*m);
    }
    merged.emplace_back(&phi, std::move(v));
  }
  if (!ok) {
    for (Path &q : arrived)
      pending.push_back(std::move(q));
    p = std::move(acc);
    return true;
  }
  for (const Path &q : arrived) {
    conds.push_back(addedTo(q.pc, base));
    acc.steps = std::max(acc.steps, q.steps);
  }
  for (auto &[phi, v] : merged)
    acc.frames.back().regs[phi] = std::move(v);
  acc.pc = base && Expr::orAll(conds);
  p = std::move(acc);
  return true;
}

} // namespace ksynth::verify
