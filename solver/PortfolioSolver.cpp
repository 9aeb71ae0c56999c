// The portfolio (KLEE style: a wrapper around the one interface): a hard
// query goes to every member at once, each in a forked child of its own
// process group (ForkedCheck.h); the first definite answer (sat with a
// model Z3's evaluation accepts, or unsat) wins and the other children are
// killed. An easy query goes to the first member (the reference, Z3) alone.
//
// Hard: at least `minNodes` distinct subterms, or any rounding
// floating-point operation (bit-exact FP queries are where the solvers'
// times differ most: bench/RESULTS.md, "Second solver").
//
// Two definite answers that differ (one sat, one unsat) are a solver bug:
// check() throws SolverDisagreement naming both answers and the file the
// query was written to. Answers are compared whenever both are in by the
// time the winner is read; with crossCheck the portfolio waits for every
// member, so that each hard query is answered twice.
#include "solver/Context.h"
#include "solver/DumpingSolver.h"
#include "solver/ForkedCheck.h"
#include "solver/Solver.h"
#include "solver/Watchdog.h"

#include <filesystem>
#include <fstream>
#include <poll.h>
#include <unistd.h>
#include <unordered_set>

namespace ksynth::smt {

using detail::ctx;

namespace {

const char *answerName(SatResult s) {
  return s == SatResult::Sat     ? "sat"
         : s == SatResult::Unsat ? "unsat"
                                 : "unknown";
}

bool roundingOp(Z3_decl_kind k) {
  switch (k) {
  case Z3_OP_FPA_ADD:
  case Z3_OP_FPA_SUB:
  case Z3_OP_FPA_MUL:
  case Z3_OP_FPA_DIV:
  case Z3_OP_FPA_FMA:
  case Z3_OP_FPA_SQRT:
  case Z3_OP_FPA_REM:
  case Z3_OP_FPA_ROUND_TO_INTEGRAL:
  case Z3_OP_FPA_TO_UBV:
  case Z3_OP_FPA_TO_SBV:
  case Z3_OP_FPA_TO_FP_UNSIGNED:
    return true;
  default:
    return false;
  }
}

class PortfolioSolver : public QuerySolver {
public:
  PortfolioSolver(std::vector<PortfolioMember> members,
                  const PortfolioOptions &opts)
      : members_(std::move(members)), opts_(opts) {}

  QueryResult check(const Query &q) override;
  const SolverStats &stats() const override { return stats_; }

private:
  bool hard(const Query &q) const;
  [[noreturn]] void disagree(const Query &q, const QueryResult &a,
                             const QueryResult &b);

  std::vector<PortfolioMember> members_;
  PortfolioOptions opts_;
  SolverStats stats_;
  unsigned disagreements_ = 0;
};

bool PortfolioSolver::hard(const Query &q) const {
  if (opts_.minNodes == 0)
    return true;
  Z3_context c = ctx();
  std::vector<Z3_ast> stack;
  for (const Expr &a : q.assertions)
    stack.push_back(a.raw());
  std::unordered_set<unsigned> seen;
  while (!stack.empty()) {
    Z3_ast t = stack.back();
    stack.pop_back();
    if (!seen.insert(Z3_get_ast_id(c, t)).second)
      continue;
    if (seen.size() >= opts_.minNodes)
      return true;
    if (Z3_get_ast_kind(c, t) != Z3_APP_AST)
      continue;
    Z3_app app = Z3_to_app(c, t);
    Z3_decl_kind k = Z3_get_decl_kind(c, Z3_get_app_decl(c, app));
    // to_fp from a real or another float rounds too; from bits it does not.
    if (roundingOp(k) ||
        (k == Z3_OP_FPA_TO_FP && Z3_get_app_num_args(c, app) == 2))
      return true;
    for (unsigned i = 0; i < Z3_get_app_num_args(c, app); ++i)
      stack.push_back(Z3_get_app_arg(c, app, i));
  }
  return false;
}

void PortfolioSolver::disagree(const Query &q, const QueryResult &a,
                               const QueryResult &b) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = opts_.dumpDir.empty() ? fs::temp_directory_path(ec)
                                       : fs::path(opts_.dumpDir);
  fs::path file = dir / ("ksynth-disagreement-" + std::to_string(::getpid()) +
                         "-" + std::to_string(disagreements_++) + ".smt2");
  std::ofstream out(file);
  out << "; " << q.label << "\n; " << a.solver << ": " << answerName(a.status)
      << "\n; " << b.solver << ": " << answerName(b.status) << "\n"
      << detail::queryScript(q);
  std::string where = out ? "written to " + file.string() : "not written";
  throw SolverDisagreement("solvers disagree on query '" + q.label +
                           "': " + a.solver + " says " + answerName(a.status) +
                           ", " + b.solver + " says " + answerName(b.status) +
                           " (query " + where + ")");
}

QueryResult PortfolioSolver::check(const Query &q) {
  if (members_.size() < 2 || !hard(q)) {
    QueryResult r = members_.front().solver->check(q);
    if (r.solver.empty())
      r.solver = members_.front().name;
    stats_.record(r, q.label);
    return r;
  }
  using Clock = detail::Watchdog::Clock;
  auto start = Clock::now();
  unsigned timeoutMs = q.timeoutMs && q.timeoutMs < opts_.timeoutMs
                           ? q.timeoutMs
                           : opts_.timeoutMs;
  std::vector<std::unique_ptr<detail::ForkedCheck>> kids;
  for (PortfolioMember &m : members_) {
    QuerySolver *s = m.solver.get();
    std::string name = m.name, why;
    auto body = [s, name, &q] {
      QueryResult r = s->check(q);
      if (r.solver.empty())
        r.solver = name;
      return r;
    };
    kids.push_back(detail::ForkedCheck::start(
        body, q.assertions, opts_.memoryMb, detail::ForkTuning(), why));
    if (!kids.back()) { // no child: the reference alone, in this process
      kids.clear();
      QueryResult r = members_.front().solver->check(q);
      stats_.record(r, q.label);
      return r;
    }
  }
  // The members keep their own deadlines; this one only backs them up.
  auto killAt = start + std::chrono::milliseconds(timeoutMs) +
                std::chrono::milliseconds(opts_.backstopMs);
  std::vector<std::optional<QueryResult>> got(kids.size());
  std::optional<size_t> winner;
  auto collect = [&](size_t i) {
    if (!got[i] && kids[i]->pump()) {
      got[i] = kids[i]->result(q.assertions);
      if (got[i]->solver.empty())
        got[i]->solver = members_[i].name;
      if (!winner && got[i]->status != SatResult::Unknown)
        winner = i;
    }
  };
  for (;;) {
    for (size_t i = 0; i < kids.size(); ++i)
      collect(i);
    bool all = true;
    for (auto &g : got)
      all = all && g.has_value();
    if (all || (winner && !opts_.crossCheck))
      break;
    auto now = Clock::now();
    if (now >= killAt)
      break;
    std::vector<pollfd> fds;
    for (size_t i = 0; i < kids.size(); ++i)
      if (!got[i])
        fds.push_back({kids[i]->fd(), POLLIN, 0});
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(killAt - now)
            .count() +
        1;
    ::poll(fds.data(), fds.size(), left > INT32_MAX ? INT32_MAX : int(left));
  }
  for (size_t i = 0; i < kids.size(); ++i) {
    collect(i); // an answer already written counts for the comparison
    kids[i]->kill();
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // Any sat (its model checked by Z3) against any unsat is a solver bug.
  for (size_t i = 0; i < got.size(); ++i)
    for (size_t j = i + 1; j < got.size(); ++j)
      if (got[i] && got[j] && got[i]->status != SatResult::Unknown &&
          got[j]->status != SatResult::Unknown &&
          got[i]->status != got[j]->status)
        disagree(q, *got[i], *got[j]);
  QueryResult r;
  if (winner) {
    r = std::move(*got[*winner]);
  } else {
    // Nobody decided: "timeout" if every member timed out, else each
    // member's reason.
    bool timeouts = true;
    std::string reasons;
    for (size_t i = 0; i < got.size(); ++i) {
      std::string why = got[i] ? got[i]->reason : "timeout (killed)";
      timeouts = timeouts && why.find("timeout") != std::string::npos;
      reasons += (i ? "; " : "") + members_[i].name + ": " + why;
    }
    r.reason = timeouts ? std::string("timeout") : reasons;
    r.solver.clear();
  }
  r.seconds = seconds;
  r.portfolio = true;
  stats_.record(r, q.label);
  return r;
}

} // namespace

std::unique_ptr<QuerySolver>
makePortfolioSolver(std::vector<PortfolioMember> members,
                    const PortfolioOptions &opts) {
  return std::make_unique<PortfolioSolver>(std::move(members), opts);
}

} // namespace ksynth::smt
