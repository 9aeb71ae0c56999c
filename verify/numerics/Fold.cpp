// Folds and their equality by induction (verify/numerics/Fold.h).
#include "verify/numerics/Fold.h"

#include "support/Float.h"
#include "verify/core/VarNames.h"

#include "solver/ConcreteProgram.h"

#include <algorithm>
#include <numeric>
#include <set>

namespace ksynth::verify {

using smt::Expr;

namespace {

std::set<unsigned> varIds(const Expr &t) {
  std::set<unsigned> ids;
  for (const Expr &v : t.vars())
    ids.insert(v.id());
  return ids;
}

// The variable under a state or result term (fp32 ones are fpFromBits of
// a bv32 variable).
Expr baseVar(const Expr &e) {
  if (e.isConstVar())
    return e;
  std::vector<Expr> a = e.args();
  return a.size() == 1 && a[0].isConstVar() ? a[0] : e;
}

bool sameSort(const Expr &a, const Expr &b) {
  if (a.isFP() || b.isFP())
    return a.isFP() && b.isFP();
  if (a.isBV() || b.isBV())
    return a.isBV() && b.isBV() && a.bvWidth() == b.bvWidth();
  return a.isBool() && b.isBool();
}

// Reads of one array at index terms spelled differently in `sa` and `sb`:
// `sb` with one read where the (bit-vector only, cheap) query proves the
// indices equal.
Expr unifyReads(const Expr &sa, Expr sb, const Expr &assume,
                const Expr &inRange,
                const std::function<bool(const Expr &)> &unsat) {
  std::vector<std::pair<Expr, Expr>> same;
  for (const Expr &rb : sb.selects())
    for (const Expr &ra : sa.selects()) {
      std::vector<Expr> xa = ra.args(), xb = rb.args();
      if (xa.size() != 2 || xb.size() != 2 || !xa[0].same(xb[0]) || ra.same(rb))
        continue;
      if (unsat(assume && inRange && xa[1].ne(xb[1]))) {
        same.emplace_back(rb, ra);
        break;
      }
    }
  return same.empty() ? sb : sb.substitute(same).simplify();
}

// Equal up to the sign of zero (NaNs equal): the relation the relaxed
// induction keeps.
Expr zeroSignEqual(const Expr &x, const Expr &y) {
  return x.eq(y) || (x.isZero() && y.isZero());
}

// The second chance of foldsEqual for float states whose initial values
// differ only in the sign of a zero (acc = -0.0f against the reference's
// +0): by induction, each state equal up to the sign of zero to b's (the
// relation holds initially and every update keeps it, for every pair of
// related states). Then a's result is b's, or its negation where b's is a
// zero: an arbitrary choice (an approximation-prefixed Bool, so nothing
// that depends on it is reported unconfirmed).
bool foldsEqualUpToZeroSign(const Fold &a, const Fold &b,
                            const std::vector<size_t> &perm, const Expr &assume,
                            const std::function<bool(const Expr &)> &unsat,
                            std::vector<std::pair<Expr, Expr>> &subst) {
  size_t n = a.accs.size();
  for (size_t i = 0; i < n; ++i)
    if (!a.accs[i].isFP() || !b.accs[perm[i]].isFP())
      return false;
  std::vector<std::pair<Expr, Expr>> renameK{{b.k, a.k}};
  Expr inRange = a.k.ult(a.trips);
  std::vector<Expr> initBad, related, stepBad;
  for (size_t i = 0; i < n; ++i) {
    initBad.push_back(!zeroSignEqual(a.inits[i], b.inits[perm[i]]));
    related.push_back(zeroSignEqual(a.accs[i], b.accs[perm[i]]));
    Expr sa = a.steps[i].simplify();
    Expr sb = unifyReads(sa, b.steps[perm[i]].substitute(renameK).simplify(),
                         assume, inRange, unsat);
    stepBad.push_back(!zeroSignEqual(sa, sb));
  }
  if (!unsat(assume && Expr::orAll(initBad)))
    return false;
  if (!unsat(assume && inRange && Expr::andAll(related) &&
             Expr::orAll(stepBad)))
    return false;
  static unsigned next = 0;
  subst.clear();
  for (size_t i = 0; i < n; ++i) {
    Expr rb = b.results[perm[i]], vb = baseVar(rb);
    Expr flip = Expr::boolVar(var::choice(Choice::Approx, "zerosign", next++));
    Expr bits = Expr::ite(flip && rb.isZero(),
                          vb.bxor(Expr::bvVal(0x80000000u, 32)), vb);
    subst.emplace_back(baseVar(a.results[i]), bits);
  }
  return true;
}

// "its initial state differs from the reference's (1e-30 against +0)...".
std::string initialStatesText(const Fold &a, const Fold &b,
                              const std::vector<size_t> &perm) {
  std::string vals;
  for (size_t i = 0; i < a.inits.size(); ++i) {
    auto ca = a.inits[i].asFPBits(), cb = b.inits[perm[i]].asFPBits();
    if (ca && cb && *ca != *cb)
      vals = " (" + (formatFloat(bitsFloat(*ca)) + " " + formatBits(*ca)) +
             " against the reference's " +
             (formatFloat(bitsFloat(*cb)) + " " + formatBits(*cb)) + ")";
  }
  return "its initial state is not proved equal to the reference's" + vals +
         ", nor equal up to the sign of zero; a start the spec's tolerance "
         "would absorb is not proved by the summary";
}

} // namespace

bool mentionsFold(const Expr &t, const std::vector<Fold> &folds) {
  return !foldsIn(t, folds).empty();
}

std::vector<const Fold *> foldsIn(const Expr &t,
                                  const std::vector<Fold> &folds) {
  std::vector<const Fold *> out;
  if (t.isNull() || folds.empty())
    return out;
  std::set<unsigned> ids = varIds(t);
  for (const Fold &f : folds)
    for (const Expr &r : f.results) {
      if (ids.count(baseVar(r).id())) {
        out.push_back(&f);
        break;
      }
    }
  return out;
}

bool foldsEqual(const Fold &a, const Fold &b, const Expr &assume,
                const std::function<bool(const Expr &)> &unsat,
                std::vector<std::pair<Expr, Expr>> &subst, std::string *why) {
  auto say = [&](const std::string &w) {
    if (why)
      *why = w;
  };
  size_t n = a.accs.size();
  if (n == 0 || n != b.accs.size() || n > 3) {
    say("it carries " + std::to_string(n) + " values, the reference's fold " +
        std::to_string(b.accs.size()) +
        (n > 3 ? " (more than 3 are not compared)" : ""));
    return false;
  }
  // Same number of updates.
  if (!a.trips.same(b.trips) && !unsat(assume && a.trips.ne(b.trips))) {
    say("its trip count is not proved equal to the reference's");
    return false;
  }
  std::string initWhy = "", stepWhy = "";
  std::vector<size_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  do {
    bool sorts = true;
    for (size_t i = 0; i < n; ++i)
      sorts = sorts && sameSort(a.accs[i], b.accs[perm[i]]);
    if (!sorts)
      continue;
    // b's state and iteration variables renamed to a's.
    std::vector<std::pair<Expr, Expr>> rename;
    for (size_t i = 0; i < n; ++i)
      rename.emplace_back(baseVar(b.accs[perm[i]]), baseVar(a.accs[i]));
    rename.emplace_back(b.k, a.k);
    std::vector<Expr> initDiff, stepDiff;
    Expr inRange = a.k.ult(a.trips);
    for (size_t i = 0; i < n; ++i) {
      const Expr &ia = a.inits[i], &ib = b.inits[perm[i]];
      if (!ia.same(ib))
        initDiff.push_back(ia.ne(ib));
      Expr sa = a.steps[i].simplify();
      Expr sb = b.steps[perm[i]].substitute(rename).simplify();
      if (!sa.same(sb))
        sb = unifyReads(sa, sb, assume, inRange, unsat);
      if (!sa.same(sb))
        stepDiff.push_back(sa.ne(sb));
    }
    if (!initDiff.empty() && !unsat(assume && Expr::orAll(initDiff))) {
      if (foldsEqualUpToZeroSign(a, b, perm, assume, unsat, subst))
        return true;
      initWhy = initialStatesText(a, b, perm);
      continue;
    }
    if (!stepDiff.empty() &&
        !unsat(assume && inRange && Expr::orAll(stepDiff))) {
      stepWhy = "its update is not proved equal to the reference's (for "
                "equal states at every iteration below the trip count)";
      continue;
    }
    subst.clear();
    for (size_t i = 0; i < n; ++i)
      subst.emplace_back(baseVar(a.results[i]), baseVar(b.results[perm[i]]));
    return true;
  } while (std::next_permutation(perm.begin(), perm.end()));
  say(!stepWhy.empty() ? stepWhy
      : !initWhy.empty()
          ? initWhy
          : "its values do not pair with the reference's by sort");
  return false;
}

std::optional<Expr>
evalConcrete(const Expr &t, const std::vector<std::pair<Expr, Expr>> &subst,
             const InputBits &input) {
  Expr u = (subst.empty() ? t : t.substitute(subst)).simplify();
  for (int round = 0; round < 8; ++round) {
    std::vector<Expr> sels = u.selects();
    if (sels.empty())
      break;
    std::vector<std::pair<Expr, Expr>> rep;
    for (const Expr &sel : sels) {
      std::vector<Expr> a = sel.args();
      if (a.size() != 2 || !a[0].isConstVar() ||
          !var::inputArrayTensor(a[0].varName()) || !sel.isBV())
        return std::nullopt;
      std::optional<uint64_t> i = a[1].simplify().asUInt();
      if (!i)
        continue; // an index that needs another read first
      rep.emplace_back(
          sel, Expr::bvVal(input(a[0].varName().substr(3), *i), sel.bvWidth()));
    }
    if (rep.empty())
      return std::nullopt;
    u = u.substitute(rep).simplify();
  }
  if (!u.selects().empty() || !u.vars().empty())
    return std::nullopt;
  return u;
}

bool evalFolds(const Expr &t, const std::vector<Fold> &folds,
               std::vector<std::pair<Expr, Expr>> &subst,
               const InputBits &input, uint64_t maxTrips,
               std::chrono::steady_clock::time_point deadline) {
  std::set<const Fold *> done;
  std::function<bool(const Expr &, int)> need = [&](const Expr &e,
                                                    int depth) -> bool {
    if (depth > 16)
      return false;
    for (const Fold *f : foldsIn(e, folds)) {
      if (done.count(f))
        continue;
      for (const Expr &x : f->inits)
        if (!need(x, depth + 1))
          return false;
      for (const Expr &x : f->steps)
        if (!need(x, depth + 1))
          return false;
      if (!need(f->trips, depth + 1))
        return false;
      std::optional<Expr> n = evalConcrete(f->trips, subst, input);
      std::optional<uint64_t> trips = n ? n->asUInt() : std::nullopt;
      if (!trips || *trips > maxTrips)
        return false;
      std::vector<Expr> state;
      for (const Expr &x : f->inits) {
        std::optional<Expr> v = evalConcrete(x, subst, input);
        if (!v)
          return false;
        state.push_back(*v);
      }
      // The updates with everything but k and the state fixed, compiled.
      std::vector<Expr> vars{f->k};
      for (const Expr &a : f->accs)
        vars.push_back(baseVar(a));
      std::vector<smt::ConcreteProgram> progs;
      for (const Expr &x : f->steps) {
        Expr s = x.substitute(subst).simplify();
        for (const Expr &sel : s.selects()) {
          std::vector<Expr> a = sel.args();
          if (a.empty() || !a[0].isConstVar() ||
              !var::inputArrayTensor(a[0].varName()))
            return false;
        }
        std::optional<smt::ConcreteProgram> p =
            smt::ConcreteProgram::compile(s.isFP() ? s.fpToBits() : s, vars);
        if (!p)
          return false;
        progs.push_back(std::move(*p));
      }
      std::vector<uint64_t> vals(1 + state.size());
      for (size_t j = 0; j < state.size(); ++j) {
        std::optional<uint64_t> b = state[j].asUInt();
        if (state[j].isFP())
          if (std::optional<uint32_t> fb = state[j].asFPBits())
            b = *fb;
        if (!b)
          return false;
        vals[1 + j] = *b;
      }
      smt::ConcreteProgram::ReadFn read = [&](const std::string &a,
                                              uint64_t i) -> uint64_t {
        auto t = var::inputArrayTensor(a);
        return t ? input(*t, i) : 0;
      };
      std::vector<uint64_t> next(state.size());
      for (uint64_t k = 0; k < *trips; ++k) {
        if ((k & 4095) == 0 && std::chrono::steady_clock::now() > deadline)
          return false;
        vals[0] = k;
        for (size_t j = 0; j < progs.size(); ++j)
          next[j] = progs[j].run(vals, read);
        std::copy(next.begin(), next.end(), vals.begin() + 1);
      }
      for (size_t j = 0; j < state.size(); ++j) {
        Expr b = baseVar(f->results[j]);
        subst.emplace_back(b, Expr::bvVal(vals[1 + j], b.bvWidth()));
      }
      done.insert(f);
    }
    return true;
  };
  return need(t, 0);
}

Expr unifyFolds(const Expr &t, const Expr &r, const std::vector<Fold> &cand,
                const std::vector<Fold> &ref, const Expr &assume,
                const std::function<bool(const Expr &)> &unsat,
                unsigned &matched, std::string *why) {
  matched = 0;
  std::vector<const Fold *> mine = foldsIn(t, cand), theirs = foldsIn(r, ref);
  if (mine.empty() || theirs.empty())
    return t;
  std::vector<std::pair<Expr, Expr>> all;
  std::set<const Fold *> used;
  for (const Fold *a : mine)
    for (const Fold *b : theirs) {
      if (used.count(b))
        continue;
      std::vector<std::pair<Expr, Expr>> s;
      if (foldsEqual(*a, *b, assume, unsat, s, why)) {
        all.insert(all.end(), s.begin(), s.end());
        used.insert(b);
        ++matched;
        break;
      }
    }
  return all.empty() ? t : t.substitute(all);
}

} // namespace ksynth::verify
