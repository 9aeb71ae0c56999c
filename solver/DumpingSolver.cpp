// Writes every query, before it is solved, to DIR/q<NNNN>.smt2 as a complete
// SMT-LIB2 script (declarations, assertions, (check-sat)), headed by the
// label and the solver config as comments; the answer is appended as a
// comment once known. A crash or hang inside Z3 still leaves the query.
#include "solver/DumpingSolver.h"

#include "solver/Context.h"
#include "support/Error.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace ksynth::smt {

namespace {

std::string oneLine(std::string s) {
  for (char &ch : s)
    if (ch == '\n' || ch == '\r')
      ch = ' ';
  return s;
}

} // namespace

std::string detail::queryScript(const Query &q) {
  Z3_context c = detail::ctx();
  Expr last = q.assertions.empty() ? Expr::boolVal(true) : q.assertions.back();
  std::vector<Z3_ast> rest;
  for (size_t i = 0; i + 1 < q.assertions.size(); ++i)
    rest.push_back(q.assertions[i].raw());
  return Z3_benchmark_to_smtlib_string(c, "", "", "unknown", "",
                                       static_cast<unsigned>(rest.size()),
                                       rest.data(), last.raw());
}

Query parseQueryScript(const std::string &script, const std::string &label) {
  Z3_context c = detail::ctx();
  detail::SoftErrors errors;
  Z3_ast_vector v = Z3_parse_smtlib2_string(c, script.c_str(), 0, nullptr,
                                            nullptr, 0, nullptr, nullptr);
  if (errors.any() || !v)
    throw std::runtime_error("cannot parse query '" + label +
                             "': " + errors.message());
  Z3_ast_vector_inc_ref(c, v);
  Query q;
  q.label = label;
  for (unsigned i = 0; i < Z3_ast_vector_size(c, v); ++i)
    q.assertions.emplace_back(Z3_ast_vector_get(c, v, i));
  Z3_ast_vector_dec_ref(c, v);
  return q;
}

namespace {

std::string describe(const QueryResult &r) {
  std::string s = r.status == SatResult::Sat     ? "sat"
                  : r.status == SatResult::Unsat ? "unsat"
                                                 : "unknown (" + r.reason + ")";
  char secs[32];
  std::snprintf(secs, sizeof secs, " %.3f s", r.seconds);
  return s + secs + (r.cached ? " cached" : "");
}

class DumpingSolver : public QuerySolver {
public:
  DumpingSolver(std::unique_ptr<QuerySolver> inner, std::string dir,
                std::string config)
      : inner_(std::move(inner)), dir_(std::move(dir)),
        config_(std::move(config)) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec || !std::filesystem::is_directory(dir_))
      throw UserError(ExitCode::Usage, "cannot create query dump directory '" +
                                           dir_ + "': " + ec.message());
  }

  QueryResult check(const Query &q) override {
    char name[32];
    std::snprintf(name, sizeof name, "q%04u.smt2", ++count_);
    std::string path = (std::filesystem::path(dir_) / name).string();
    {
      std::ofstream out(path, std::ios::trunc);
      out << "; label: " << oneLine(q.label) << "\n"
          << "; config: " << config_ << "\n"
          << "(set-option :rewriter.hi_fp_unspecified true)\n"
          << detail::queryScript(q);
      if (!out)
        throw UserError(ExitCode::Usage, "cannot write query dump " + path);
    }
    QueryResult r = inner_->check(q);
    std::ofstream(path, std::ios::app) << "; result: " << describe(r) << "\n";
    return r;
  }

  const SolverStats &stats() const override { return inner_->stats(); }

private:
  std::unique_ptr<QuerySolver> inner_;
  std::string dir_;
  std::string config_;
  unsigned count_ = 0;
};

} // namespace

std::unique_ptr<QuerySolver>
detail::makeDumpingSolver(std::unique_ptr<QuerySolver> s,
                          const std::string &dir,
                          const nlohmann::json &config) {
  return std::make_unique<DumpingSolver>(std::move(s), dir, config.dump());
}

std::unique_ptr<QuerySolver> makeDumpingSolver(std::unique_ptr<QuerySolver> s,
                                               const std::string &dir) {
  return detail::makeDumpingSolver(std::move(s), dir,
                                   nlohmann::json{{"z3_version", z3Version()}});
}

} // namespace ksynth::smt
