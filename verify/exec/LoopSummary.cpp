// Loop summaries: an accumulation loop of the arbitrary work-item is run
// once at a symbolic iteration number k instead of being unrolled, and its
// result becomes a fold (verify/numerics/Fold.h).
//
// The loops summarised: innermost natural loops of one latch and one
// exiting block (the latch, as in LLVM's rotated loops, or a header that
// only compares and branches), whose blocks form a chain, without stores,
// calls to defined functions, barriers or atomics, and whose loads read
// input tensors only (never written by a correct kernel; a kernel that
// writes its input violates input-modified on its own). Every header phi
// is either an induction variable (next = phi + constant: integer or
// pointer), whose value at iteration k is start + k*step in its own width,
// or a state variable (an accumulator).
//
// Soundness of one summary:
//  * The trip count K is guessed from the exit comparison (an affine
//    function of k against a loop-invariant bound) and then *proved* by the
//    solver: the loop continues at every k < K - 1 (rotated; k < K for a
//    top-tested loop) and exits at K - 1 (K). A guess it cannot prove
//    leaves the loop to be unrolled.
//  * The body is executed once with k an arbitrary value below K and the
//    state variables arbitrary ("approx#" values): every violation it logs
//    (bounds, alignment, poison) is conditioned on k < K and so stands for
//    the violation at some iteration, exactly as unrolling would log it,
//    except that violations that depend on the state are not refuted
//    without confirmation (the approximation prefix).
//  * Values that leave the loop are the final state (fresh result
//    variables, the fold's meaning) or functions of k alone evaluated at
//    the last iteration; anything else is not summarised.
// Summaries are only used in the symbolic work-item mode (global buffers
// as SMT arrays) and only for loops that may run at least
// ExecLimits::summarizeAbove times.
#include "verify/core/VarNames.h"
#include "verify/exec/ExecutorImpl.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/CFG.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IntrinsicInst.h>

#include <algorithm>
#include <functional>
#include <memory>

namespace ksynth::verify {

using smt::Expr;

struct Executor::Impl::LoopCache {
  struct PerFunction {
    llvm::DominatorTree dt;
    llvm::LoopInfo li;
    explicit PerFunction(llvm::Function &f) : dt(f), li(dt) {}
  };
  std::map<const llvm::Function *, std::unique_ptr<PerFunction>> fns;
  llvm::LoopInfo &of(const llvm::Function *f) {
    auto &slot = fns[f];
    if (!slot)
      slot = std::make_unique<PerFunction>(const_cast<llvm::Function &>(*f));
    return slot->li;
  }
};

void Executor::Impl::LoopCacheDeleter::operator()(LoopCache *c) const {
  delete c;
}

namespace {

struct Miss {
  std::string why;
};

[[noreturn]] void miss(const std::string &why) { throw Miss{why}; }

// A value as SMT terms with `map` applied (every scalar, lane or offset).
Val substituteVal(const Val &v, const std::vector<std::pair<Expr, Expr>> &map) {
  if (v.isVec()) {
    std::vector<Val> out;
    for (const Val &e : v.elems)
      out.push_back(substituteVal(e, map));
    return Val::vec(std::move(out));
  }
  if (v.isPoison() || v.isConst)
    return v;
  Val r = v;
  r.e = v.e.substitute(map).simplify();
  if (auto c = r.e.isBV() ? r.e.asUInt() : std::nullopt) {
    if (v.isInt())
      return Val::intConst(*c, v.width);
    if (v.isPtr())
      return Val::ptr(v.region, Val::intConst(*c, 64));
  }
  return r;
}

void scalarsOf(const Val &v, std::vector<Expr> &out) {
  if (v.isVec()) {
    for (const Val &e : v.elems)
      scalarsOf(e, out);
    return;
  }
  if (!v.isPoison() && !v.isConst)
    out.push_back(v.e);
}

// Every lane of a scalar or vector value as a term (constants included).
std::vector<Expr> lanesOf(const Val &v) {
  std::vector<Expr> out;
  if (!v.isVec())
    return {v.expr()};
  for (const Val &e : v.elems)
    out.push_back(e.expr());
  return out;
}

bool mentionsAny(const Val &v, const std::set<unsigned> &ids) {
  std::vector<Expr> es;
  scalarsOf(v, es);
  for (const Expr &e : es)
    for (const Expr &x : e.vars())
      if (ids.count(x.id()))
        return true;
  return false;
}

// The value of an induction variable at iteration k: start + k*step
// (start - k*step for scale -1), wrapping in its width.
Val inductionAt(const Val &start, const Val &step, int64_t scale,
                const Expr &k) {
  if (start.isPtr()) { // step: a byte offset (i64)
    Expr s = step.expr();
    s = s.bvWidth() < 64 ? s.sext(64) : s;
    Expr d = k.mul(s);
    Expr off =
        scale < 0 ? start.offset().expr().sub(d) : start.offset().expr().add(d);
    return Val::ptr(start.region, Val::intSym(off));
  }
  unsigned w = start.width;
  Expr kw = w < 64 ? k.trunc(w) : k;
  Expr d = kw.mul(step.expr());
  return Val::intSym(scale < 0 ? start.expr().sub(d) : start.expr().add(d));
}

// bv64 constant.
Expr c64(int64_t v) { return Expr::bvVal(static_cast<uint64_t>(v), 64); }

// Storing loops with a varying trip count are verified by one arbitrary
// iteration only where some work-item may run this many iterations.
constexpr int64_t kStoringLoopMin = 16;

} // namespace

const std::map<std::string, uint64_t> &Executor::iterationBounds() const {
  return impl_->iterationBounds;
}

// A loop that stores, without state: its iterations are independent (the
// body reads inputs only, and each value it stores is a function of k, the
// ids and the inputs), so the loop is the set of its iterations, each like
// a work-item of its own. The arbitrary iteration's writes stay on the
// path as accesses whose index and condition mention k, which the
// obligations treat as one more free variable: memory safety and
// equivalence at some (work-item, iteration), races between iterations of
// two distinct work-items, coverage by inverting the index in the ids and
// k. Exact only if the iterations of one work-item write distinct elements
// (then their order does not matter and no write of the loop is
// overwritten by another of its iterations): proved by the solver, as are
// trips >= 1 (so that the path after the loop, whose condition now says
// k < trips, loses no work-item) and that addresses and conditions mention
// no value made up inside the body; otherwise the loop is unrolled.
void Executor::Impl::oneArbitraryIteration(Path &p, Path &q, const Expr &k,
                                           const Expr &trips,
                                           std::vector<SymAccess> &writes,
                                           const std::string &where) {
  for (const SymAccess &w : writes) {
    Role role = mem.at(w.region).role;
    if (role == Role::Input || role == Role::Constant)
      miss("the loop writes an input");
    for (const SymAccess &e : p.sym)
      if (e.write && e.region == w.region)
        miss("the loop writes a buffer written before it");
  }
  if (!feasible || feasible(p.pc && trips.eq(c64(0))))
    miss("the loop's trip count may be 0");
  // Addresses and conditions: terms of k and of values fixed before the
  // loop (ids, inputs, the path so far), so that renaming k renames the
  // iteration.
  std::set<unsigned> known{k.id()};
  for (const Expr &v : p.pc.vars())
    known.insert(v.id());
  for (unsigned d = 0; d < 3; ++d)
    if (!symGid[d].isNull())
      known.insert(symGid[d].id());
  auto fixed = [&](const Expr &e) {
    for (const Expr &v : e.vars())
      if (!known.count(v.id()) &&
          !(v.isConstVar() && var::inputArrayTensor(v.varName())))
        return false;
    return true;
  };
  if (!fixed(q.pc))
    miss("the loop's path condition depends on a value made in the loop");
  for (const SymAccess &w : writes)
    if (!fixed(w.index))
      miss("a store address depends on a value made in the loop");
  // Distinct iterations of one work-item write distinct elements.
  Expr k2 = Expr::bvVar(var::loopCount(fresh++), 64);
  std::vector<std::pair<Expr, Expr>> ren{{k, k2}};
  std::vector<Expr> same;
  for (const SymAccess &a : writes)
    for (const SymAccess &b : writes)
      if (a.region == b.region)
        same.push_back(a.index.eq(b.index.substitute(ren)));
  if (feasible(q.pc && q.pc.substitute(ren) && k.ne(k2) && Expr::orAll(same)))
    miss("two iterations of the loop may write one element");
  // A bound on k for the coverage's inversion: the least B (proved) with
  // trips <= B in every work-item of the path.
  uint64_t hi = kStoringLoopMin, lo = 0;
  while (hi < (uint64_t{1} << 40) && feasible(p.pc && c64(hi).ult(trips))) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (feasible(p.pc && c64(mid).ult(trips)))
      lo = mid;
    else
      hi = mid;
  }
  iterationBounds[k.varName()] = hi;
  approximations.insert(
      where + ": verified by one arbitrary iteration (no value carried "
              "across iterations; distinct iterations write distinct "
              "elements, proved)");
  p.pc = q.pc;
  for (SymAccess &w : writes) {
    w.anyIteration = true;
    p.sym.push_back(w);
  }
}

bool Executor::Impl::summarizeLoop(Path &p, const llvm::BasicBlock *from,
                                   const llvm::BasicBlock *header) {
  if (!symbolic || limits.summarizeAbove == 0)
    return false;
  if (!loops)
    loops.reset(new LoopCache);
  Frame &f0 = p.frames.back();
  llvm::Loop *L = loops->of(f0.fn).getLoopFor(header);
  if (!L || L->getHeader() != header || L->contains(from))
    return false;
  size_t logMark = log.all().size(), noteMark = symNotes.size();
  try {
    return summarizeLoopOrMiss(p, from, L);
  } catch (const Miss &m) {
    // Nothing the attempt logged stays: the loop is unrolled instead.
    log.truncate(logMark);
    symNotes.resize(noteMark);
    summaryMiss = m.why;
    return false;
  }
}

bool Executor::Impl::summarizeLoopOrMiss(Path &p, const llvm::BasicBlock *from,
                                         llvm::Loop *L) {
  const llvm::BasicBlock *header = L->getHeader();
  if (!L->getSubLoops().empty())
    miss("the loop contains a loop");
  const llvm::BasicBlock *latch = L->getLoopLatch();
  const llvm::BasicBlock *exiting = L->getExitingBlock();
  const llvm::BasicBlock *exit = L->getUniqueExitBlock();
  if (!latch || !exiting || !exit)
    miss("the loop has several latches or exits");
  bool rotated = exiting == latch;
  if (!rotated && exiting != header)
    miss("the loop exits from the middle of its body");
  // The blocks as a chain from the header, where a block of the chain may
  // branch if its two sides rejoin inside the loop at a block where path
  // merging (PathMerge.cpp) makes them one path again: that join is the
  // next block of the chain, and the blocks between (`region`) are run by
  // mergeBranch.
  std::vector<const llvm::BasicBlock *> chain;
  std::map<const llvm::BasicBlock *, const llvm::BasicBlock *> joinOf;
  std::set<const llvm::BasicBlock *> region, joins;
  for (const llvm::BasicBlock *b = header;;) {
    chain.push_back(b);
    if (chain.size() + region.size() > L->getNumBlocks())
      miss("the loop's blocks do not form a chain");
    auto *br = llvm::dyn_cast<llvm::BranchInst>(b->getTerminator());
    if (!br)
      miss("the loop has a switch");
    if (b == latch)
      break;
    const llvm::BasicBlock *next = nullptr;
    if (br->isUnconditional()) {
      next = br->getSuccessor(0);
    } else if (b == exiting) {
      next = L->contains(br->getSuccessor(0)) ? br->getSuccessor(0)
                                              : br->getSuccessor(1);
    } else if (const llvm::BasicBlock *j = mergeJoin(*br);
               j && j != header && L->contains(j)) {
      std::vector<const llvm::BasicBlock *> work(llvm::succ_begin(b),
                                                 llvm::succ_end(b));
      while (!work.empty()) {
        const llvm::BasicBlock *x = work.back();
        work.pop_back();
        if (x == j || !region.insert(x).second)
          continue;
        if (!L->contains(x) || x == header || x == latch || x == exiting)
          miss("the loop body branches");
        work.insert(work.end(), llvm::succ_begin(x), llvm::succ_end(x));
      }
      joinOf[b] = j;
      joins.insert(j);
      next = j;
    } else {
      miss("the loop body branches");
    }
    b = next;
  }
  if (chain.size() + region.size() != L->getNumBlocks())
    miss("the loop's blocks do not form a chain");
  std::vector<const llvm::BasicBlock *> body = chain;
  body.insert(body.end(), region.begin(), region.end());
  // What the body may do: stores only in a loop without state (below).
  bool stores = false;
  for (const llvm::BasicBlock *b : body)
    for (const llvm::Instruction &inst : *b) {
      if (inst.isAtomic() || llvm::isa<llvm::AllocaInst>(inst))
        miss("the loop writes memory");
      if (llvm::isa<llvm::StoreInst>(inst))
        stores = true;
      if (auto *call = llvm::dyn_cast<llvm::CallInst>(&inst)) {
        const llvm::Function *callee = call->getCalledFunction();
        if (!callee || !callee->isDeclaration())
          miss("the loop calls a function");
        std::string n = callee->getName().str();
        if (n.find("barrier") != std::string::npos ||
            n.find("atomic") != std::string::npos ||
            n.find("fence") != std::string::npos ||
            n.find("prefetch") != std::string::npos)
          miss("the loop synchronises or writes memory");
        if (n.find("vstore") != std::string::npos)
          stores = true;
      }
      if (!rotated && b == header && !llvm::isa<llvm::PHINode>(inst) &&
          (inst.mayReadOrWriteMemory() || llvm::isa<llvm::CallInst>(inst)))
        miss("the loop's header reads memory before its exit test");
    }
  // Header phis: induction variables and state.
  struct Ind {
    const llvm::PHINode *phi;
    const llvm::Value *step; // a constant or a value defined before the loop
    int64_t scale;           // 1, or -1 for phi - step
  };
  std::vector<Ind> inds;
  std::vector<const llvm::PHINode *> state;
  // In-loop instructions whose value is the same in every iteration (a
  // grid-stride loop's `i += get_global_size(0)`, recomputed in the body):
  // evaluated once before the loop, in this order.
  std::vector<const llvm::Instruction *> hoist;
  std::function<bool(const llvm::Value *)> invariant =
      [&](const llvm::Value *v) {
        auto *i = llvm::dyn_cast<llvm::Instruction>(v);
        if (llvm::isa<llvm::Constant>(v) || llvm::isa<llvm::Argument>(v) ||
            (i && !L->contains(i)))
          return true;
        if (!i || llvm::isa<llvm::PHINode>(i))
          return false;
        if (auto *call = llvm::dyn_cast<llvm::CallInst>(i)) {
          const llvm::Function *callee = call->getCalledFunction();
          std::string n = callee ? callee->getName().str() : "";
          if (!callee || !callee->isDeclaration() ||
              (n.find("get_global_size") == std::string::npos &&
               n.find("get_local_size") == std::string::npos &&
               n.find("get_num_groups") == std::string::npos))
            return false;
        } else if (!llvm::isa<llvm::CastInst>(i) &&
                   !llvm::isa<llvm::BinaryOperator>(i)) {
          return false;
        }
        for (const llvm::Use &u : i->operands())
          if (!llvm::isa<llvm::BasicBlock>(u.get()) &&
              !llvm::isa<llvm::Function>(u.get()) && !invariant(u.get()))
            return false;
        if (std::find(hoist.begin(), hoist.end(), i) == hoist.end())
          hoist.push_back(i);
        return true;
      };
  for (const llvm::PHINode &phi : header->phis()) {
    const llvm::Value *next = phi.getIncomingValueForBlock(latch);
    const llvm::Value *step = nullptr;
    int64_t scale = 1;
    if (auto *bo = llvm::dyn_cast<llvm::BinaryOperator>(next)) {
      const llvm::Value *x = bo->getOperand(0), *y = bo->getOperand(1);
      if (bo->getOpcode() == llvm::Instruction::Add && x == &phi &&
          invariant(y))
        step = y;
      else if (bo->getOpcode() == llvm::Instruction::Add && y == &phi &&
               invariant(x))
        step = x;
      else if (bo->getOpcode() == llvm::Instruction::Sub && x == &phi &&
               invariant(y)) {
        step = y;
        scale = -1;
      }
    } else if (auto *gep = llvm::dyn_cast<llvm::GetElementPtrInst>(next)) {
      llvm::APInt off(64, 0);
      if (gep->getPointerOperand() == &phi &&
          gep->accumulateConstantOffset(dl, off) && !off.isZero())
        step = llvm::ConstantInt::get(llvm::Type::getInt64Ty(phi.getContext()),
                                      off);
    }
    if (step)
      inds.push_back({&phi, step, scale});
    else if (phi.getType()->isPointerTy())
      miss("a pointer in the loop that is not an induction variable");
    else
      state.push_back(&phi);
  }
  if (inds.empty())
    miss("no induction variable");
  // The hoisted values, from the path before the loop (pure functions of
  // the launch and of values fixed before the loop).
  Path before = p;
  for (const llvm::Instruction *i : hoist) {
    step(before, *i);
    if (before.done || before.frames.size() != p.frames.size())
      miss("a loop-invariant step could not be evaluated");
  }
  auto stepOf = [&](const llvm::Value *v) { return get(before, v); };
  if (stores && !state.empty())
    miss("the loop writes memory and carries a value across iterations");

  Expr k = Expr::bvVar(var::loopCount(fresh++), 64);
  // Initial values (the header's phis read from the preheader).
  std::map<const llvm::PHINode *, Val> init;
  for (const llvm::PHINode &phi : header->phis())
    init[&phi] = get(p, phi.getIncomingValueForBlock(from));
  // State variables: arbitrary values of the phi's type.
  std::map<const llvm::PHINode *, Val> accVal;
  std::set<unsigned> accIds;
  for (const llvm::PHINode *phi : state) {
    Val v = freshOf(phi->getType(), Choice::Approx);
    std::vector<Expr> es;
    scalarsOf(v, es);
    for (const Expr &e : es)
      for (const Expr &x : e.vars())
        accIds.insert(x.id());
    accVal[phi] = v;
  }
  for (const auto &[phi, v] : init)
    if (v.isPoison())
      miss("a loop variable starts as poison");

  // Runs the body once at iteration k (from the header's phis to the
  // latch's or exiting block's branch). Returns the path it leaves.
  auto runBody = [&](const Expr &pc) {
    Path q = p;
    q.pc = pc;
    for (const Ind &i : inds)
      q.frames.back().regs[i.phi] =
          inductionAt(init[i.phi], stepOf(i.step), i.scale, k);
    for (const llvm::PHINode *phi : state)
      q.frames.back().regs[phi] = accVal[phi];
    const size_t pendingMark = pending.size();
    struct Exact { // the state merged as exact values, for this run only
      std::vector<std::pair<Expr, Expr>> &slot;
      ~Exact() { slot.clear(); }
    } exact{mergeAsExact};
    for (const llvm::PHINode *phi : state) {
      std::vector<Expr> es;
      scalarsOf(accVal[phi], es);
      for (const Expr &e : es)
        for (const Expr &x : e.vars())
          if (x.isBV())
            mergeAsExact.emplace_back(
                x, Expr::bvVar(var::summaryState(x.id()), x.bvWidth()));
    }
    for (const llvm::BasicBlock *b : chain) {
      // (mergeBranch moves the path: the frame is looked up each time.)
      q.frames.back().bb = b;
      for (const llvm::Instruction &inst : *b) {
        if (llvm::isa<llvm::PHINode>(inst)) {
          // Single predecessor in the chain, except at a join, whose phis
          // mergeBranch has set (ite terms of the sides' conditions).
          if (b != header && !joins.count(b))
            q.frames.back().regs[&inst] =
                get(q, llvm::cast<llvm::PHINode>(inst).getIncomingValue(0));
          continue;
        }
        if (inst.isTerminator()) {
          auto jt = joinOf.find(b);
          if (jt == joinOf.end())
            break;
          // Both sides to the join, merged into one path: nothing may be
          // left over (a side killed or not mergeable would be a second
          // path, which a summary cannot follow).
          auto &br = llvm::cast<llvm::BranchInst>(inst);
          Val c = get(q, br.getCondition());
          if (c.isPoison() || c.isConst)
            miss("the loop body branches on a poison or constant value");
          bool merged = mergeBranch(q, br, ops::truthOf(c));
          bool one = merged && !q.done && !q.pc.isFalse() &&
                     pending.size() == pendingMark && q.frames.size() == 1 &&
                     q.frames.back().bb == jt->second;
          if (!one) {
            pending.erase(pending.begin() +
                              static_cast<std::ptrdiff_t>(pendingMark),
                          pending.end());
            miss("the loop body's branch is not merged into one path");
          }
          break;
        }
        if (++q.steps > limits.maxStepsPerItem)
          miss("the loop body is too long");
        ++totalSteps;
        step(q, inst);
        if (q.done || q.frames.size() != 1)
          miss("the loop body stops or calls");
      }
    }
    return q;
  };

  // The exit test as a function of k.
  auto *br = llvm::cast<llvm::BranchInst>(exiting->getTerminator());
  bool contOnTrue = L->contains(br->getSuccessor(0));
  auto *cmp = llvm::dyn_cast<llvm::ICmpInst>(br->getCondition());
  if (!cmp || !L->contains(cmp))
    miss("the loop's exit test is not an integer comparison in the loop");
  size_t logMark = log.all().size(), noteMark = symNotes.size();
  Val a, b, cond;
  {
    Path dry = runBody(p.pc);
    a = get(dry, cmp->getOperand(0));
    b = get(dry, cmp->getOperand(1));
    cond = get(dry, cmp);
  }
  log.truncate(logMark);
  symNotes.resize(noteMark);
  // Pointers into one buffer compare as their byte offsets.
  if (a.isPtr() && b.isPtr() && a.region == b.region && a.region >= 0) {
    a = a.offset();
    b = b.offset();
  }
  if (a.isPoison() || b.isPoison() || cond.isPoison() || a.isVec() ||
      !a.isInt() || !b.isInt())
    miss("the loop's exit test is not an integer comparison");
  if (mentionsAny(a, accIds) || mentionsAny(b, accIds) ||
      mentionsAny(cond, accIds))
    miss("the loop's exit test depends on its state");
  auto pred = cmp->getPredicate();
  // Normalise to a(k) PRED b with a the side that depends on k.
  std::set<unsigned> kId{k.id()};
  if (!mentionsAny(a, kId)) {
    std::swap(a, b);
    pred = llvm::CmpInst::getSwappedPredicate(pred);
  }
  if (!mentionsAny(a, kId) || mentionsAny(b, kId))
    miss("the loop's exit test is not a comparison of an induction variable "
         "with a bound");
  bool isSigned = llvm::CmpInst::isSigned(pred);
  auto wide = [&](const Val &v) {
    Expr e = v.expr();
    return v.width == 64 ? e : isSigned ? e.sext(64) : e.zext(64);
  };
  Expr a0 = wide(substituteVal(a, {{k, c64(0)}}));
  Expr a1 = wide(substituteVal(a, {{k, c64(1)}}));
  std::optional<uint64_t> dv = a1.sub(a0).simplify().asUInt();
  if (!dv && a.width < 64) // a start that is not a constant: in a's width
    dv = substituteVal(a, {{k, c64(1)}})
             .expr()
             .sub(substituteVal(a, {{k, c64(0)}}).expr())
             .simplify()
             .asUInt();
  if (!dv)
    miss("the loop's induction variable does not move by a constant");
  int64_t d = static_cast<int64_t>(*dv);
  if (a.width < 64)
    d = signExtend(*dv & ((uint64_t{1} << a.width) - 1), a.width);
  Expr bw = wide(b);
  using P = llvm::CmpInst::Predicate;
  // m = the first k at which the continue condition fails.
  auto lt = [&](const Expr &x, const Expr &y) {
    return isSigned ? x.slt(y) : x.ult(y);
  };
  auto ceilDiv = [&](const Expr &num, int64_t den) {
    return num.add(c64(den - 1)).udiv(c64(den));
  };
  Expr m;
  P holds = contOnTrue ? pred : llvm::CmpInst::getInversePredicate(pred);
  switch (holds) { // the loop continues while a(k) HOLDS b
  case P::ICMP_SLT:
  case P::ICMP_ULT:
    if (d <= 0)
      miss("a loop that counts away from its bound");
    m = Expr::ite(lt(a0, bw), ceilDiv(bw.sub(a0), d), c64(0));
    break;
  case P::ICMP_SLE:
  case P::ICMP_ULE:
    if (d <= 0)
      miss("a loop that counts away from its bound");
    m = Expr::ite(lt(bw, a0), c64(0), bw.sub(a0).udiv(c64(d)).add(c64(1)));
    break;
  case P::ICMP_SGT:
  case P::ICMP_UGT:
    if (d >= 0)
      miss("a loop that counts away from its bound");
    m = Expr::ite(lt(bw, a0), ceilDiv(a0.sub(bw), -d), c64(0));
    break;
  case P::ICMP_SGE:
  case P::ICMP_UGE:
    if (d >= 0)
      miss("a loop that counts away from its bound");
    m = Expr::ite(lt(a0, bw), c64(0), a0.sub(bw).udiv(c64(-d)).add(c64(1)));
    break;
  case P::ICMP_NE:
    m = d > 0 ? bw.sub(a0).udiv(c64(d)) : a0.sub(bw).udiv(c64(-d));
    break;
  default:
    miss("an unsupported exit comparison");
  }
  m = m.simplify();
  // Iterations run: rotated loops run the body before testing.
  Expr trips = rotated ? m.add(c64(1)).simplify() : m;
  if (auto t = trips.asUInt(); t && *t < limits.summarizeAbove)
    return false; // short: unrolled
  // A storing loop whose trip count varies (a grid-stride loop): unrolled
  // where it runs fewer than kStoringLoopMin times in every work-item.
  if (stores && !trips.asUInt() &&
      (!feasible || !feasible(p.pc && c64(kStoringLoopMin).ule(trips))))
    return false;
  // Prove the guess: cont(k) for every k < m, not cont(m), and m small
  // enough that no induction variable wraps unnoticed.
  Expr cont = ops::truthOf(cond);
  if (!contOnTrue)
    cont = !cont;
  Expr contAtM = cont.substitute({{k, m}});
  if (!feasible || feasible(p.pc && k.ult(m) && !cont) ||
      feasible(p.pc && contAtM) ||
      feasible(p.pc && c64(int64_t{1} << 40).ult(trips)))
    miss("the loop's trip count could not be proved");
  // The real run: k an arbitrary iteration.
  Path q = runBody(p.pc && k.ult(trips));
  // Loads of inputs only; they are not kept as accesses (see above).
  std::vector<SymAccess> writes;
  for (size_t i = p.sym.size(); i < q.sym.size(); ++i) {
    const SymAccess &acc = q.sym[i];
    if (acc.write)
      writes.push_back(acc);
    else if (mem.at(acc.region).role != Role::Input)
      miss("the loop reads memory other than inputs");
  }
  if (stores)
    oneArbitraryIteration(p, q, k, trips, writes,
                          "loop " + header->getName().str() + " in " + where());
  Fold fold;
  fold.where = "loop " + header->getName().str() + " in " + where();
  fold.k = k;
  fold.trips = trips;
  fold.iterationSteps = q.steps - p.steps;
  std::map<const llvm::Value *, Val> finalOf; // state phi or latch value
  for (const llvm::PHINode *phi : state) {
    Val nextV = get(q, phi->getIncomingValueForBlock(latch));
    Val res = freshOf(phi->getType(), Choice::Approx);
    std::vector<Expr> accs, results;
    scalarsOf(accVal[phi], accs);
    scalarsOf(res, results);
    std::vector<Expr> inits = lanesOf(init[phi]), steps = lanesOf(nextV);
    if (accs.size() != inits.size() || accs.size() != steps.size() ||
        accs.size() != results.size())
      miss("a loop state of mixed kinds");
    for (size_t i = 0; i < accs.size(); ++i) {
      fold.accs.push_back(accs[i]);
      fold.inits.push_back(inits[i]);
      fold.steps.push_back(steps[i]);
      fold.results.push_back(results[i]);
    }
    if (rotated)
      finalOf[phi->getIncomingValueForBlock(latch)] = res;
    else
      finalOf[phi] = res;
  }
  // Values used after the loop.
  Expr last = rotated ? trips.sub(c64(1)).simplify() : trips;
  std::map<const llvm::Value *, Val> out;
  for (const llvm::BasicBlock *bb : chain)
    for (const llvm::Instruction &inst : *bb) {
      bool outside = false;
      for (const llvm::User *u : inst.users())
        if (auto *ui = llvm::dyn_cast<llvm::Instruction>(u))
          outside = outside || !L->contains(ui);
      if (!outside)
        continue;
      if (auto it = finalOf.find(&inst); it != finalOf.end()) {
        out[&inst] = it->second;
        continue;
      }
      Val v = get(q, &inst);
      if (mentionsAny(v, accIds))
        miss("a value computed from the loop's state is used after it");
      out[&inst] = substituteVal(v, {{k, last}});
    }
  if (fold.accs.size() > 0)
    folds.push_back(fold);
  // Continue after the loop, as if leaving from the exiting block.
  Frame &f = p.frames.back();
  for (auto &[v, val] : out)
    f.regs[v] = val;
  p.steps = q.steps;
  f.bb = exiting;
  enterBlock(p, exit);
  return true;
}

} // namespace ksynth::verify
