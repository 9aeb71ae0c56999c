// Input leaves at one arbitrary work-item (verify/discharge/SymbolicLeaves.h).
#include "verify/discharge/SymbolicLeaves.h"
#include "verify/core/VarNames.h"

#include <map>
#include <optional>

namespace ksynth::verify {

using smt::Expr;

Expr SymbolicLeaves::apply(const Expr &t) const {
  return renames.empty() ? t : t.substitute(renames);
}

const SymbolicLeaf *SymbolicLeaves::leafOfVar(const Expr &v) const {
  for (const SymbolicLeaf &l : leaves)
    if (l.var.id() == v.id())
      return &l;
  return nullptr;
}

bool differAtSomePoint(const Expr &i, const Expr &j) {
  std::vector<Expr> vars = i.vars();
  for (const Expr &v : j.vars()) {
    bool known = false;
    for (const Expr &u : vars)
      known = known || u.id() == v.id();
    if (!known)
      vars.push_back(v);
  }
  for (uint64_t k : {1, 6, 37}) {
    std::vector<std::pair<Expr, Expr>> at;
    for (const Expr &v : vars) {
      if (!v.isBV())
        return false;
      at.emplace_back(v, Expr::bvVal(k + at.size(), v.bvWidth()));
    }
    std::optional<uint64_t> a = i.substitute(at).simplify().asUInt(),
                            b = j.substitute(at).simplify().asUInt();
    if (a && b && *a != *b)
      return true;
  }
  return false;
}

SymbolicLeaves symbolicLeaves(
    const std::vector<Expr> &terms, const std::set<std::string> &arrays,
    const std::set<std::string> &scalars,
    const std::function<bool(const Expr &, const Expr &)> &sameIndex) {
  SymbolicLeaves out;
  std::map<std::string, unsigned> count; // per tensor
  // Leaves already made, per (tensor, simplified index id).
  std::map<std::pair<std::string, unsigned>, size_t> byIndex;
  std::vector<Expr> keep; // keeps the simplified indices' ids unique
  std::set<unsigned> seenRead;
  for (const Expr &t : terms) {
    if (t.isNull())
      continue;
    for (const Expr &sel : t.selects()) {
      if (!seenRead.insert(sel.id()).second)
        continue;
      std::vector<Expr> a = sel.args();
      if (a.size() != 2 || !a[0].isConstVar() || !sel.isBV() ||
          sel.bvWidth() != 32)
        continue;
      std::optional<std::string> in = var::inputArrayTensor(a[0].varName());
      if (!in || !arrays.count(*in))
        continue;
      std::string tensor = *in;
      Expr idx = a[1].simplify();
      keep.push_back(idx);
      auto key = std::make_pair(tensor, idx.id());
      auto it = byIndex.find(key);
      size_t leaf = out.leaves.size();
      if (it != byIndex.end()) {
        leaf = it->second;
      } else if (sameIndex) {
        for (size_t k = 0; k < out.leaves.size(); ++k)
          if (out.leaves[k].tensor == tensor && !out.leaves[k].index.isNull() &&
              sameIndex(out.leaves[k].index, idx)) {
            leaf = k;
            break;
          }
      }
      if (leaf == out.leaves.size()) {
        SymbolicLeaf l;
        l.tensor = tensor;
        l.read = sel;
        l.index = idx;
        l.var = Expr::bvVar(var::symbolicLeaf(tensor, count[tensor]++), 32);
        out.leaves.push_back(l);
      }
      byIndex.emplace(key, leaf);
      out.renames.emplace_back(sel, out.leaves[leaf].var);
    }
    for (const Expr &v : t.vars()) {
      if (!v.isBV() || v.bvWidth() != 32 || !scalars.count(v.varName()))
        continue;
      bool known = false;
      for (const SymbolicLeaf &l : out.leaves)
        known = known || l.var.id() == v.id();
      if (!known)
        out.leaves.push_back({v.varName(), v, Expr(), v});
    }
  }
  return out;
}

} // namespace ksynth::verify
