// Path feasibility over the group ids by enumeration
// (verify/exec/GroupIdEnum.h).
#include "verify/exec/GroupIdEnum.h"

#include "solver/ConcreteProgram.h"

#include <algorithm>

namespace ksynth::verify {

using smt::Expr;

GroupIdEnum::GroupIdEnum(std::vector<Expr> ids, std::vector<uint64_t> counts)
    : ids_(std::move(ids)), counts_(std::move(counts)) {
  tuples_ = 1;
  for (uint64_t c : counts_) {
    if (c == 0 || tuples_ > kMaxTuples / c) {
      tuples_ = 0;
      break;
    }
    tuples_ *= c;
  }
  if (ids_.size() != counts_.size())
    tuples_ = 0;
  for (const Expr &v : ids_)
    idVars_.push_back(v.id());
}

const std::vector<uint64_t> *GroupIdEnum::bitsOf(const Expr &c) {
  auto it = sets_.find(c.id());
  if (it != sets_.end())
    return it->second ? &*it->second : nullptr;
  alive_.push_back(c);
  std::optional<std::vector<uint64_t>> &slot = sets_[c.id()];
  std::vector<Expr> vs = c.vars();
  if (!std::all_of(vs.begin(), vs.end(), [&](const Expr &v) {
        return std::find(idVars_.begin(), idVars_.end(), v.id()) !=
               idVars_.end();
      }))
    return nullptr;
  std::optional<smt::ConcreteProgram> prog =
      smt::ConcreteProgram::compile(c, ids_);
  if (!prog)
    return nullptr;
  std::vector<uint64_t> bits((tuples_ + 63) / 64, 0);
  std::vector<uint64_t> vals(ids_.size(), 0);
  auto noRead = [](const std::string &, uint64_t) -> uint64_t { return 0; };
  for (uint64_t t = 0; t < tuples_; ++t) {
    uint64_t rest = t;
    for (size_t d = 0; d < ids_.size(); ++d) {
      vals[d] = rest % counts_[d];
      rest /= counts_[d];
    }
    if (prog->run(vals, noRead) & 1)
      bits[t / 64] |= uint64_t(1) << (t % 64);
  }
  slot = std::move(bits);
  return &*slot;
}

std::optional<bool> GroupIdEnum::feasible(const Expr &pc) {
  if (tuples_ == 0)
    return std::nullopt;
  std::vector<Expr> work{pc}, conjuncts;
  while (!work.empty()) {
    Expr e = work.back();
    work.pop_back();
    if (e.op() == Expr::Op::And) {
      for (const Expr &a : e.args())
        work.push_back(a);
      continue;
    }
    if (std::optional<bool> b = e.asBool()) {
      if (!*b)
        return false;
      continue;
    }
    conjuncts.push_back(e);
  }
  std::vector<uint64_t> all((tuples_ + 63) / 64, ~uint64_t(0));
  if (tuples_ % 64)
    all.back() = (uint64_t(1) << (tuples_ % 64)) - 1;
  bool complete = true;
  for (const Expr &c : conjuncts) {
    const std::vector<uint64_t> *b = bitsOf(c);
    if (!b) {
      complete = false;
      continue;
    }
    for (size_t w = 0; w < all.size(); ++w)
      all[w] &= (*b)[w];
  }
  bool any =
      std::any_of(all.begin(), all.end(), [](uint64_t w) { return w != 0; });
  if (!any)
    return false;
  if (!complete)
    return std::nullopt;
  return true;
}

std::optional<std::vector<uint64_t>>
GroupIdEnum::valuesOf(const Expr &t) const {
  if (tuples_ == 0 || !t.isBV())
    return std::nullopt;
  std::vector<Expr> vs = t.vars();
  if (!std::all_of(vs.begin(), vs.end(), [&](const Expr &v) {
        return std::find(idVars_.begin(), idVars_.end(), v.id()) !=
               idVars_.end();
      }))
    return std::nullopt;
  std::optional<smt::ConcreteProgram> prog =
      smt::ConcreteProgram::compile(t, ids_);
  if (!prog)
    return std::nullopt;
  std::vector<uint64_t> out(tuples_);
  std::vector<uint64_t> vals(ids_.size(), 0);
  auto noRead = [](const std::string &, uint64_t) -> uint64_t { return 0; };
  for (uint64_t k = 0; k < tuples_; ++k) {
    uint64_t rest = k;
    for (size_t d = 0; d < ids_.size(); ++d) {
      vals[d] = rest % counts_[d];
      rest /= counts_[d];
    }
    out[k] = prog->run(vals, noRead);
  }
  return out;
}

IndexCollisions collidingIndices(const GroupIdEnum &ex,
                                 const std::vector<Expr> &xs,
                                 const GroupIdEnum &ey,
                                 const std::vector<Expr> &ys, bool sameGroup) {
  IndexCollisions out;
  out.enumerated.assign(xs.size(), false);
  out.with.resize(xs.size());
  if (ex.tuples() == 0 || ex.tuples() != ey.tuples() ||
      ex.tuples() > (uint64_t(1) << 32))
    return out;
  // Every (value, j, tuple) of the ys, sorted by value; a y that cannot be
  // enumerated collides with everything.
  struct Entry {
    uint64_t value;
    uint32_t j, tuple;
  };
  std::vector<Entry> table;
  std::vector<size_t> wild;
  // Memoised by term: a work-item's accesses share index terms.
  std::map<unsigned, std::optional<std::vector<uint64_t>>> memoY;
  for (size_t j = 0; j < ys.size(); ++j) {
    auto it = memoY.find(ys[j].id());
    if (it == memoY.end())
      it = memoY.emplace(ys[j].id(), ey.valuesOf(ys[j])).first;
    if (!it->second) {
      wild.push_back(j);
      continue;
    }
    const std::vector<uint64_t> &v = *it->second;
    for (size_t k = 0; k < v.size(); ++k)
      table.push_back(
          {v[k], static_cast<uint32_t>(j), static_cast<uint32_t>(k)});
  }
  std::sort(table.begin(), table.end(),
            [](const Entry &a, const Entry &b) { return a.value < b.value; });
  std::map<unsigned, std::optional<std::vector<uint64_t>>> memoX;
  for (size_t i = 0; i < xs.size(); ++i) {
    auto it = memoX.find(xs[i].id());
    if (it == memoX.end())
      it = memoX.emplace(xs[i].id(), ex.valuesOf(xs[i])).first;
    if (!it->second)
      continue;
    out.enumerated[i] = true;
    std::vector<size_t> &w = out.with[i];
    w = wild;
    const std::vector<uint64_t> &v = *it->second;
    for (size_t k = 0; k < v.size(); ++k) {
      auto lo = std::lower_bound(
          table.begin(), table.end(), v[k],
          [](const Entry &e, uint64_t x) { return e.value < x; });
      for (; lo != table.end() && lo->value == v[k]; ++lo)
        if ((lo->tuple == k) == sameGroup)
          w.push_back(lo->j);
    }
    std::sort(w.begin(), w.end());
    w.erase(std::unique(w.begin(), w.end()), w.end());
  }
  return out;
}

} // namespace ksynth::verify
