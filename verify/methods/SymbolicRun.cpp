// SymbolicRun (SymbolicRun.h): queries with the inputs' domains,
// counterexamples, logged violations, races, coverage, and the runs of the
// one-work-item and one-work-group methods.
#include "verify/methods/SymbolicRun.h"

namespace ksynth::verify {

Expr SymbolicRun::domain(const std::vector<Expr> &conds) const {
  std::vector<Expr> cs;
  Expr all = Expr::andAll(conds);
  for (const Expr &sel : all.selects()) {
    std::vector<Expr> a = sel.args();
    if (a.empty() || !a[0].isConstVar())
      continue;
    std::optional<std::string> in = var::inputArrayTensor(a[0].varName());
    if (!in)
      continue;
    const std::string &t = *in;
    if (!run_.inputs.count(t) || !sel.isBV() || sel.bvWidth() != 32)
      continue;
    cs.push_back(fromDomain(s_.domainOf(t), Expr::fpFromBits(sel)));
  }
  for (const Expr &v : all.vars()) {
    if (!v.isBV())
      continue;
    auto it = run_.inputs.find(v.varName());
    if (it != run_.inputs.end() && it->second.type.dims.empty())
      cs.push_back(fromDomain(s_.domainOf(it->first), Expr::fpFromBits(v)));
  }
  return Expr::andAll(cs);
}

smt::QueryResult SymbolicRun::ask(const std::vector<Expr> &conds,
                                  const std::string &what, unsigned timeoutMs) {
  std::vector<Expr> q = conds;
  q.push_back(domain(conds));
  if (!ranges_.isNull())
    q.push_back(ranges_);
  return solver_.check({q, what + " " + shapeLabel(run_.shape), timeoutMs});
}

std::string SymbolicRun::idsText(const smt::Model &m,
                                 const std::vector<Expr> &g) const {
  if (g.size() == 1)
    return u64(m.bv(g[0]).value_or(0));
  std::string t = "(";
  for (size_t d = 0; d < g.size(); ++d)
    t += (d ? "," : "") + u64(m.bv(g[d]).value_or(0));
  return t + ")";
}

std::string SymbolicRun::itemText(const smt::Model &m,
                                  const std::vector<Expr> &g) const {
  // The work-group method: g are group ids ("work-item in work-group 7").
  return group_ ? "in work-group " + idsText(m, g) : idsText(m, g);
}

std::map<std::string, TensorBits> SymbolicRun::sparseInputs(
    const std::function<uint64_t(const std::string &, const Expr &)> &scalar,
    const std::function<uint32_t(const std::string &)> &background) const {
  return sparseInputBits(s_, run_, scalar, background);
}

Counterexample SymbolicRun::concrete(const smt::Model &m,
                                     const std::vector<Expr> &conds,
                                     const std::string &obligation,
                                     const std::string &detail) {
  Counterexample cx;
  cx.obligation = obligation;
  cx.shape = run_.shape;
  cx.detail = detail;
  Expr all = Expr::andAll(conds);
  // dependsOnImplementationChoice, inputs: below; output and index: at().
  cx.inputs = sparseInputs(m);
  for (const Expr &sel : all.selects()) {
    std::vector<Expr> a = sel.args();
    if (a.size() != 2 || !a[0].isConstVar() ||
        !var::inputArrayTensor(a[0].varName()))
      continue;
    auto it = cx.inputs.find(a[0].varName().substr(3));
    if (it == cx.inputs.end() || !it->second.sparse)
      continue;
    std::optional<uint64_t> idx = m.bv(a[1]), val = m.bv(sel);
    int64_t n = run_.inputs.at(it->first).type.numel();
    if (idx && val && *idx < static_cast<uint64_t>(n))
      it->second.elements[static_cast<int64_t>(*idx)] = *val;
  }
  for (const Expr &v : all.vars())
    if (var::isChoice(v.varName(), Choice::Nondet))
      cx.dependsOnImplementationChoice = true;
  return cx;
}

// Violations the executor logged for the first copy, of one kind.
bool SymbolicRun::logged(ObligationKind k) {
  ViolationSite site;
  site.ask = [&](const Expr &cond, const std::string &what) {
    return ask({cond}, what);
  };
  site.refute = [&](size_t i, const Violation &v, const smt::Model &m) {
    std::string detail = v.detail +
                         (group_ ? "; e.g. work-group " : "; e.g. work-item ") +
                         idsText(m, g1_);
    for (const SymbolicNote &n : notes_)
      if (n.violation == i) {
        std::optional<uint64_t> e = m.bv(n.element);
        if (e)
          detail += ", element " + std::to_string(static_cast<int64_t>(*e)) +
                    " of " + regionOf(n.region)->name;
      }
    Counterexample cx = concrete(m, {v.cond}, toString(v.kind), detail);
    cx.output = v.tensor;
    return std::optional<Counterexample>(std::move(cx));
  };
  site.pastDeadline = [&]() { return pastDeadline(); };
  site.noteUnknown = [&](const std::string &why, UnknownKind kind) {
    noteUnknown(why, kind);
  };
  site.batchFirst = true;
  site.who = group_ ? " for some work-group" : " for some work-item";
  LoggedOutcome o = dischargeLoggedKind(k, run_.log, logEnd_, run_.shape, site);
  if (o.stopped)
    return true;
  results_.push_back(o.result);
  if (o.refuted) {
    out_.counterexample = std::move(o.refuted);
    return true;
  }
  return false;
}

SymbolicSite SymbolicRun::site() {
  SymbolicSite st;
  st.ask = [this](const std::vector<Expr> &conds, const std::string &what,
                  unsigned timeoutMs) { return ask(conds, what, timeoutMs); };
  st.check = [this](const std::vector<Expr> &conds, const std::string &what) {
    return solver_.check({conds, what + " " + shapeLabel(run_.shape)});
  };
  st.concrete = [this](const smt::Model &m, const std::vector<Expr> &conds,
                       const std::string &obligation,
                       const std::string &detail) {
    return concrete(m, conds, obligation, detail);
  };
  st.at = [this](Counterexample &cx, const std::string &tensor, int64_t flat) {
    at(cx, tensor, flat);
  };
  st.pastDeadline = [this]() { return pastDeadline(); };
  st.noteUnknown = [this](const std::string &why, UnknownKind k) {
    noteUnknown(why, k);
  };
  return st;
}

// Records what the discharger decided; true where the run stops (a
// refutation, or the deadline).
bool SymbolicRun::record(LoggedOutcome o) {
  if (o.stopped)
    return true;
  results_.push_back(o.result);
  if (o.refuted) {
    out_.counterexample = std::move(o.refuted);
    return true;
  }
  return false;
}

// Two arbitrary distinct work-items: a write of the first and an access
// (a write for write-write races, a read otherwise) of the second to one
// element; one batch per pair of paths.
bool SymbolicRun::races(bool ww) {
  ObligationKind k = ww ? ObligationKind::WriteRace : ObligationKind::DataRace;
  std::vector<RaceBatch> batches;
  for (const SymbolicPath &a : one_)
    for (const SymbolicPath &b : two_) {
      RaceBatch batch;
      batch.between = " between two arbitrary work-items";
      batch.what = toString(k);
      for (const SymAccess &x : a.accesses) {
        if (!x.write)
          continue;
        for (const SymAccess &y : b.accesses)
          if (y.region == x.region && y.write == ww) {
            const Region &r = *regionOf(x.region);
            RaceCandidate c;
            c.cond = x.index.eq(y.index);
            c.index = x.index;
            c.region = r.name;
            c.isOutput = r.role == Role::Output;
            c.location = accessLocOf(x.inst, true);
            c.other = accessLocOf(y.inst, ww);
            c.who = [this](const smt::Model &m) {
              return "work-items " + itemText(m, g1_) + " and " +
                     itemText(m, g2_) + " of " + label_ +
                     " (two arbitrary work-items)";
            };
            batch.candidates.push_back(std::move(c));
          }
      }
      if (batch.candidates.empty())
        continue;
      batch.pre = {distinct(), a.pc, b.pc};
      batches.push_back(std::move(batch));
    }
  ObligationResult res{toString(k), run_.shape, "proved", "", 0, 0};
  return record(dischargeRaces(k, batches, site(), res));
}

// Every output element written by some work-item. A store at the affine
// address b + sum_d a_d*g_d (checked by the discharger) covers element i iff
// the work-item g found by inverting the address (1-D: g = (i - b) / a;
// several dimensions: mixed radix, largest stride first) is in the NDRange,
// takes the path of the store and stores at i; the obligation is an
// element no store covers. The inversion finds every work-item that could
// store at i when the strides are positive and each exceeds the largest
// address the dimensions below it reach (checked here); otherwise an
// uncovered element is only "unknown". A loop verified by one arbitrary
// iteration (LoopSummary.cpp) adds its iteration number as one more
// dimension of the inversion, ranging below its proved bound (a grid-stride
// loop's i = g + k*G inverts to k = i / G, g = i % G). The work-group method: g
// are the group ids (each store is one of a work-item whose local id is
// concrete, so its address is b + sum_d a_d*group_d), ranging over the groups.
bool SymbolicRun::coverage() {
  const Expr zero = Expr::bvVal(0, 64);
  std::vector<CoverageObligation> obls;
  for (const std::string &o : s_.outputs) {
    int region = -1;
    for (size_t i = 0; i < run_.mem.size(); ++i)
      if (run_.mem.at(static_cast<int>(i)).name == o &&
          run_.mem.at(static_cast<int>(i)).role == Role::Output)
        region = static_cast<int>(i);
    if (region < 0)
      continue;
    CoverageObligation ob;
    ob.output = o;
    int64_t n = ob.numElems = run_.mem.at(region).numElems;
    Expr i = ob.element = Expr::bvVar(var::coverage(o), 64);
    std::vector<Expr> &uncovered = ob.uncovered;
    uncovered.push_back(i.ult(Expr::bvVal(static_cast<uint64_t>(n), 64)));
    bool &complete = ob.complete;
    std::string &why = ob.why;
    unsigned divVars = 0;
    std::vector<Expr> &notAffine = ob.notAffine;
    for (const SymbolicPath &p : one_)
      for (const SymAccess &w : p.accesses) {
        if (!w.write || w.region != region)
          continue;
        // The coordinates: the ids, then the iteration numbers of the
        // loops verified by one arbitrary iteration that the store's
        // address or condition mention (each a virtual NDRange dimension,
        // ranging below its proved bound).
        std::vector<Expr> coord = g1_;
        std::vector<uint64_t> range = idRange_;
        std::set<unsigned> seen;
        for (const Expr &t : {p.pc, w.index})
          for (const Expr &v : t.vars())
            if (v.isConstVar() && seen.insert(v.id()).second)
              if (auto it = iterBounds_.find(v.varName());
                  it != iterBounds_.end()) {
                coord.push_back(v);
                range.push_back(it->second);
              }
        const unsigned dims = static_cast<unsigned>(coord.size());
        auto at = [&](unsigned dim, uint64_t v) {
          std::vector<std::pair<Expr, Expr>> sub;
          for (unsigned d = 0; d < dims; ++d)
            sub.push_back({coord[d], Expr::bvVal(d == dim ? v : 0, 64)});
          return w.index.substitute(sub).simplify().asUInt();
        };
        std::optional<uint64_t> f0 = at(0, 0);
        std::vector<uint64_t> a(dims, 0);
        bool affine = f0.has_value();
        for (unsigned d = 0; d < dims && affine; ++d) {
          std::optional<uint64_t> f1 = at(d, 1);
          affine = f1.has_value();
          if (f1)
            a[d] = *f1 - *f0;
        }
        if (!affine) {
          complete = false;
          why = "a store address that is not an affine function of the "
                "work-item id";
          continue;
        }
        Expr B = Expr::bvVal(*f0, 64), lin = B;
        for (unsigned d = 0; d < dims; ++d)
          lin = lin.add(Expr::bvVal(a[d], 64).mul(coord[d]));
        notAffine.push_back(p.pc && w.index.ne(lin));
        // The work-item that would store at i, as terms of i.
        std::vector<Expr> gi(dims, zero);
        Expr inRange = Expr::boolVal(true);
        if (dims == 1) {
          if (a[0] == 0) {
            complete = false;
            why = "a store address that does not depend on the work-item id";
            continue;
          }
          Expr A = Expr::bvVal(a[0], 64), d = i.sub(B);
          gi[0] = d.sdiv(A);
          inRange = d.srem(A).eq(zero) && zero.sle(gi[0]) &&
                    gi[0].slt(Expr::bvVal(range[0], 64));
        } else {
          std::vector<unsigned> order;
          for (unsigned d = 0; d < dims; ++d)
            if (a[d] != 0 && static_cast<int64_t>(a[d]) > 0)
              order.push_back(d);
            else if (range[d] > 1) {
              complete = false;
              why = "a store address whose stride in some NDRange dimension "
                    "is not positive";
            }
          std::sort(order.begin(), order.end(),
                    [&](unsigned x, unsigned y) { return a[x] < a[y]; });
          uint64_t reach = 0; // largest address the lower dimensions reach
          for (unsigned d : order) {
            if (a[d] <= reach) {
              complete = false;
              why = "store addresses of different work-items that may "
                    "overlap in the inversion";
            }
            uint64_t span = range[d] - 1; // saturating: no wrap
            reach = a[d] != 0 && span > (UINT64_MAX - reach) / a[d]
                        ? UINT64_MAX
                        : reach + a[d] * span;
          }
          // Quotient and remainder as variables pinned by
          // rest = q*A + r, r < A, q <= restMax/A (so q*A + r cannot wrap)
          // wherever B <= i: then each has exactly one value for every i
          // (rest <= restMax), so asserting them beside the negation below
          // is the same as the division terms, which Z3 bit-blasts into
          // 64-bit dividers (a tiled matmul's coverage at 2050 x 2046 timed
          // out on 16 of those). Where B > i, inRange is false anyway.
          Expr rest = i.sub(B);
          inRange = B.ule(i);
          uint64_t restMax = static_cast<uint64_t>(n) - 1; // i < n
          for (size_t k = order.size(); k-- > 0;) {
            uint64_t av = a[order[k]];
            Expr A = Expr::bvVal(av, 64);
            std::string tag = var::coverageAux(o, divVars++);
            Expr q = Expr::bvVar(tag + "q", 64), r = Expr::bvVar(tag + "r", 64);
            uncovered.push_back(i.ult(B) ||
                                (rest.eq(q.mul(A).add(r)) && r.ult(A) &&
                                 q.ule(Expr::bvVal(restMax / av, 64))));
            gi[order[k]] = q;
            rest = r;
            restMax = av - 1;
            inRange =
                inRange && gi[order[k]].ult(Expr::bvVal(range[order[k]], 64));
          }
        }
        std::vector<std::pair<Expr, Expr>> sub;
        for (unsigned d = 0; d < dims; ++d)
          sub.push_back({coord[d], gi[d]});
        // (gi are terms of i, not variables: a free variable here would be
        // existential inside the negation below.)
        Expr covers =
            inRange && p.pc.substitute(sub) && w.index.substitute(sub).eq(i);
        uncovered.push_back(!covers);
      }
    for (const SymbolicPath &p : one_)
      for (const SymAccess &w : p.accesses)
        if (w.write && w.region == region)
          ob.stores.push_back({p.pc, w.index});
    ob.ids = g1_;
    ob.idRange = idRange_;
    obls.push_back(std::move(ob));
  }
  return record(dischargeCoverage(obls, site(), opts_.budgets,
                                  opts_.limits.deadline, run_.shape));
}

void SymbolicRun::go(Executor &ex, const llvm::Function &kernel,
                     const std::vector<Val> &args, const Geometry &geom,
                     const std::string &label) {
  geom_ = geom;
  label_ = label;
  idRange_.assign(geom.global, geom.global + geom.dims);
  // Path feasibility through the solver stack: the second copy's questions
  // are the first's renamed, answered by the cache.
  auto feasible = [&](const Expr &pc) {
    smt::QueryResult r =
        solver_.check({{pc},
                       "feasible path " + shapeLabel(run_.shape),
                       opts_.budgets.feasiblePathMs});
    return r.status != smt::SatResult::Unsat;
  };
  ex.setCertainViolationCheck([&](const Expr &c) {
    return ask({c}, "certain violation", opts_.budgets.certainViolationMs)
               .status == smt::SatResult::Sat;
  });
  try {
    one_ = ex.runSymbolicItem(kernel, args, geom, label, "", feasible, g1_);
  } catch (const CannotDecide &) {
    ex.setCertainViolationCheck(nullptr);
    if (certainAfterStop())
      return;
    throw;
  }
  ex.setCertainViolationCheck(nullptr);
  logEnd_ = run_.log.all().size();
  notes_ = ex.symbolicNotes();
  two_ = ex.runSymbolicItem(kernel, args, geom, label, "'", feasible, g2_);
  out_.steps = ex.totalSteps();
  out_.approximations = ex.approximations();
  folds_ = ex.folds();
  iterBounds_ = ex.iterationBounds();
  for (const Fold &f : folds_)
    if (std::optional<uint64_t> t = f.trips.simplify().asUInt()) {
      uint64_t cost = *t * std::max<uint64_t>(1, f.iterationSteps);
      if (out_.shortestSummarisedLoop == 0 ||
          cost < out_.shortestSummarisedLoop)
        out_.shortestSummarisedLoop = cost;
    }

  dischargeSymbolicInOrder(ObligationKind::MemorySafety,
                           steps([this](bool ww) { return races(ww); }));
}

// After the run stopped early: a violation logged on the paths executed so
// far is certain whatever those paths would do later (a runaway loop's
// out-of-bounds access); nothing is recorded as proved.
bool SymbolicRun::certainAfterStop() {
  logEnd_ = run_.log.all().size();
  size_t before = results_.size();
  for (ObligationKind k : obligationsFrom(ObligationKind::MemorySafety,
                                          ObligationKind::InputModified))
    if (logged(k) && out_.counterexample) {
      ObligationResult refuted = results_.back();
      results_.resize(before);
      results_.push_back(refuted);
      return true;
    }
  results_.resize(before);
  return false;
}

// What both methods hand to the one order of the symbolic obligations
// (verify/discharge/SymbolicObligations.h): their own races.
SymbolicSteps SymbolicRun::steps(std::function<bool(bool ww)> races) {
  SymbolicSteps s;
  s.logged = [this](ObligationKind k) { return logged(k); };
  s.races = std::move(races);
  s.capped = [this] { return run_.log.capped(); };
  s.coverage = [this] { return coverage(); };
  s.equivalence = [this] { equivalence(); };
  s.noteUnknown = [this](const std::string &why, UnknownKind k) {
    noteUnknown(why, k);
  };
  return s;
}

// The work-group method: the group run twice (group ids g1, g2), then the
// obligations in the enumeration's order; races on __local memory come
// from the executor's cell logs, races on global memory from the recorded
// accesses (groupRaces).
void SymbolicRun::goGroup(Executor &ex, const llvm::Function &kernel,
                          const std::vector<Val> &args, const Geometry &geom,
                          const std::vector<LocalArg> &localArgs,
                          const std::string &label) {
  geom_ = geom;
  label_ = label;
  group_ = true;
  auto feasible = [&](const Expr &pc) {
    smt::QueryResult r =
        solver_.check({{pc},
                       "feasible path " + shapeLabel(run_.shape),
                       opts_.budgets.feasiblePathMs});
    return r.status != smt::SatResult::Unsat;
  };
  ga_ = ex.runSymbolicGroup(kernel, args, geom, label, "", feasible, localArgs);
  logEnd_ = run_.log.all().size();
  notes_ = ex.symbolicNotes();
  g1_ = ga_.groupIds;
  idRange_ = ga_.groups;
  ranges_ = ga_.inRange;
  out_.steps = ex.totalSteps();
  out_.approximations = ex.approximations();
  if (logged(ObligationKind::BarrierDivergence))
    return;
  if (!ga_.abandoned.empty()) {
    // Not refuted: a barrier under a condition the same for the whole
    // group (e.g. on the group id), or undecided.
    noteUnknown(ga_.abandoned, UnknownKind::Unsupported);
    return;
  }
  gb_ =
      ex.runSymbolicGroup(kernel, args, geom, label, "'", feasible, localArgs);
  g2_ = gb_.groupIds;
  ranges_ = ga_.inRange && gb_.inRange;
  out_.steps = ex.totalSteps();
  out_.approximations = ex.approximations();
  one_ = groupStorePaths(ga_, feasible);

  // The group's paths are not restricted to in-bounds accesses (the
  // executor's symResolve): nothing past memory safety is discharged
  // unless it is proved.
  if (logged(ObligationKind::MemorySafety) ||
      results_.back().status != "proved")
    return;
  dischargeSymbolicInOrder(ObligationKind::UndefinedBehaviour,
                           steps([this](bool ww) { return groupRaces(ww); }));
}

// Races in the work-group method: on __local memory, from the executor's
// cell logs; on global memory, two work-items of the group in one barrier
// interval (global-fence epoch), then two arbitrary distinct work-groups
// (any two accesses), each as one query over the disjunction of the
// candidate pairs.
bool SymbolicRun::groupRaces(bool ww) {
  ObligationKind k = ww ? ObligationKind::WriteRace : ObligationKind::DataRace;
  size_t mark = results_.size();
  if (logged(k))
    return true;
  ObligationResult res = results_.at(mark); // one result for both
  results_.resize(mark);
  std::vector<RaceBatch> batches;
  for (int inter = 0; inter < 2; ++inter) {
    RaceBatch batch;
    batch.between = inter ? " between two arbitrary work-groups"
                          : " within the arbitrary work-group";
    for (const GroupRacePair &p :
         groupRacePairs(ga_, inter ? &gb_ : nullptr, ww)) {
      const Region &r = *regionOf(p.x->access.region);
      RaceCandidate c;
      c.cond = p.cond;
      c.index = p.x->access.index;
      c.region = r.name;
      c.isOutput = r.role == Role::Output;
      c.location = accessLocOf(p.x->access.inst, p.x->access.write);
      c.other = accessLocOf(p.y->access.inst, p.y->access.write);
      uint32_t x = p.x->item, y = p.y->item;
      c.who = [this, inter, x, y](const smt::Model &m) {
        return inter
                   ? "work-item " + localItemText(geom_, x) +
                         " of work-group " + idsText(m, g1_) +
                         " and work-item " + localItemText(geom_, y) +
                         " of work-group " + idsText(m, g2_) + " of " + label_ +
                         " (two arbitrary work-groups: no barrier orders "
                         "them)"
                   : "work-items " + localItemText(geom_, x) + " and " +
                         localItemText(geom_, y) + " of work-group " +
                         idsText(m, g1_) + " of " + label_ +
                         " (same work-group, no barrier with "
                         "CLK_GLOBAL_MEM_FENCE between the accesses)";
      };
      batch.candidates.push_back(std::move(c));
    }
    if (inter)
      batch.post.push_back(distinct());
    batches.push_back(std::move(batch));
  }
  return record(dischargeRaces(k, batches, site(), res));
}

} // namespace ksynth::verify
