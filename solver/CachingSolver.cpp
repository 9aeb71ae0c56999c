// Answers a query once per shape: the variables are renamed to canonical
// ones in first-occurrence order, and the hash-consed AST of the renamed
// conjunction is the key. Renaming is a bijection between the variables of
// the query and canonical ones, so satisfiability is unchanged and a model of
// the canonical query, read through the renaming, is a model of the query.
#include "solver/Solver.h"

#include <unordered_map>
#include <unordered_set>

namespace ksynth::smt {

namespace {

// A fresh variable of v's sort: the i-th of a canonical query. The prefix
// keeps it apart from every name ksynth gives its own variables.
Expr canonicalVar(const Expr &v, size_t i) {
  std::string name = "ksynth!c" + std::to_string(i);
  if (v.isBool())
    return Expr::boolVar(name);
  if (v.isBV())
    return Expr::bvVar(name, v.bvWidth());
  if (v.isFP())
    return Expr::fpVar(name);
  if (v.isReal())
    return Expr::realVar(name);
  return Expr(); // no other sorts are made (Expr.h); left unrenamed
}

// Results worth remembering: a cancelled or failed check may succeed later.
bool cacheable(const QueryResult &r) {
  return r.status != SatResult::Unknown ||
         r.reason.rfind("timeout", 0) == 0 || // also "timeout (killed)"
         r.reason == "memout";
}

class CachingSolver : public QuerySolver {
public:
  explicit CachingSolver(std::unique_ptr<QuerySolver> inner)
      : inner_(std::move(inner)) {}

  QueryResult check(const Query &q) override;
  const SolverStats &stats() const override { return stats_; }

private:
  struct Entry {
    Expr key;           // keeps the AST, and so its id, alive
    QueryResult result; // model over the canonical variables
  };

  void count(const QueryResult &r, const std::string &label);

  std::unique_ptr<QuerySolver> inner_;
  std::unordered_map<unsigned, Entry> cache_;
  SolverStats stats_;
};

void CachingSolver::count(const QueryResult &r, const std::string &label) {
  stats_.record(r, label);
}

QueryResult CachingSolver::check(const Query &q) {
  // original variable -> canonical variable, in first-occurrence order
  std::vector<std::pair<Expr, Expr>> rename;
  std::unordered_set<unsigned> seen;
  for (const Expr &a : q.assertions)
    for (const Expr &v : a.vars())
      if (seen.insert(v.id()).second) {
        Expr c = canonicalVar(v, rename.size());
        if (!c.isNull())
          rename.emplace_back(v, std::move(c));
      }

  Query canon{{}, q.label, q.timeoutMs};
  canon.assertions.reserve(q.assertions.size());
  for (const Expr &a : q.assertions)
    canon.assertions.push_back(a.substitute(rename));
  Expr key = Expr::andAll(canon.assertions);

  QueryResult r;
  auto it = cache_.find(key.id());
  if (it != cache_.end() && it->second.key.same(key)) {
    r = it->second.result;
    r.cached = true;
    r.seconds = 0;
  } else {
    r = inner_->check(canon);
    // A time-out under a shorter, per-query limit says nothing about the
    // configured one.
    if (cacheable(r) && !(r.status == SatResult::Unknown && q.timeoutMs))
      cache_.insert_or_assign(key.id(), Entry{key, r});
  }
  if (!r.model.isNull())
    r.model = r.model.withRename(std::move(rename));
  count(r, q.label);
  return r;
}

} // namespace

std::unique_ptr<QuerySolver> makeCachingSolver(std::unique_ptr<QuerySolver> s) {
  return std::make_unique<CachingSolver>(std::move(s));
}

} // namespace ksynth::smt
