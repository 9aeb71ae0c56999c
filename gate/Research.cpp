// Query statistics and the second-solver cross-check: see Research.h.
#include "gate/Research.h"

#include "gate/Child.h"
#include "gate/Pairs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;

namespace ksynth::gate {

namespace {

std::string readAll(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Rough SMT-LIB2 sizes: every "(" that opens an application or binder
// counts as a term; declarations count as variables.
void measure(QueryRecord &q) {
  size_t decl = 0, terms = 0;
  std::istringstream in(q.text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("(declare-fun", 0) == 0 ||
        line.rfind("(declare-const", 0) == 0) {
      ++decl;
      continue;
    }
    if (line.empty() || line[0] == ';')
      continue;
    terms += static_cast<size_t>(std::count(line.begin(), line.end(), '('));
  }
  q.variables = decl;
  q.terms = terms;
}

// The obligations of docs/verdict-format.md.
bool isObligation(const std::string &w) {
  static const char *kNames[] = {"program-scope-state", "local-memory-limit",
                                 "barrier-divergence",  "memory-safety",
                                 "undefined-behaviour", "input-modified",
                                 "write-race",          "data-race",
                                 "uninitialized-read",  "coverage",
                                 "equivalence",         "launch"};
  for (const char *n : kNames)
    if (w == n)
      return true;
  return false;
}

// The obligation a query serves, from its label: its first word when that
// names an obligation ("equivalence y[3] N=67", "memory-safety N=64"), the
// word after "counterexample" / "shrink" (the search for a readable
// counterexample of that obligation), the equivalence checks' helper
// queries (reference branches and index identities, loop summaries, the
// rounding level's real-arithmetic queries, concrete hunting), "uniform
// barrier condition" (barrier-divergence), "feasible path" ("execution":
// branch pruning of the symbolic methods); else "other".
std::string obligationOf(const std::string &label) {
  std::istringstream in(label);
  std::string w1, w2;
  in >> w1 >> w2;
  if (isObligation(w1))
    return w1;
  if ((w1 == "counterexample" || w1 == "shrink") && isObligation(w2))
    return w2;
  static const char *kEquivalence[] = {"real equivalence",
                                       "divisor lower bound",
                                       "reference ",
                                       "same index",
                                       "loop summary",
                                       "hunt",
                                       "shrink"};
  for (const char *p : kEquivalence)
    if (label.rfind(p, 0) == 0)
      return "equivalence";
  if (label.rfind("uniform barrier condition", 0) == 0)
    return "barrier-divergence";
  if (label.rfind("feasible", 0) == 0)
    return "execution"; // a branch pruned while executing symbolically
  return "other";
}

// The encoding level of a query (docs/gate.md "Research"): named in the
// label, else the theory its assertions use: real arithmetic is the
// rounding level's encoding, IEEE floating point the bit-exact level's,
// bit-vectors and Booleans only (indices, path conditions, integer
// values) the structural level's.
std::string levelOf(const std::string &label, const std::string &text) {
  static const std::regex kLevel(R"(\b(structural|rounding|bit-exact)\b)");
  std::smatch lm;
  if (std::regex_search(label, lm, kLevel))
    return lm[1];
  std::string body; // the assertions and declarations, not the comments
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != ';')
      body += line + "\n";
  if (body.find(" Real") != std::string::npos ||
      body.find("to_real") != std::string::npos)
    return "rounding";
  for (const char *fp :
       {"FloatingPoint", "(fp.", "to_fp", "Float32", "RoundingMode"})
    if (body.find(fp) != std::string::npos)
      return "bit-exact";
  return "structural";
}

} // namespace

std::vector<QueryRecord> readQueryDump(const std::string &dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec);
       !ec && it != fs::directory_iterator(); it.increment(ec))
    if (it->path().extension() == ".smt2")
      files.push_back(it->path());
  std::sort(files.begin(), files.end());
  static const std::regex kResult(
      R"(^; result: (sat|unsat|unknown)(?: \(([^)]*)\))? ([0-9.]+) s( cached)?)");
  std::vector<QueryRecord> out;
  for (const fs::path &f : files) {
    QueryRecord q;
    q.file = f.string();
    q.result = "none";
    q.solver = "z3";
    std::string all = readAll(f);
    std::istringstream in(all);
    std::string line, body;
    while (std::getline(in, line)) {
      std::smatch m;
      if (line.rfind("; label: ", 0) == 0)
        q.label = line.substr(9);
      else if (std::regex_search(line, m, kResult)) {
        q.result = m[1];
        q.seconds = std::stod(m[3]);
        if (m[4].matched)
          q.solver = "cache";
      } else if (line.find(":rewriter.hi_fp_unspecified") == std::string::npos)
        body += line + "\n";
    }
    q.text = "(set-logic ALL)\n" + body;
    q.obligation = obligationOf(q.label);
    q.level = levelOf(q.label, q.text);
    measure(q);
    out.push_back(std::move(q));
  }
  return out;
}

nlohmann::json statsLine(const QueryRecord &q, const std::string &pairId) {
  return {{"pair", pairId},     {"query", fs::path(q.file).filename().string()},
          {"label", q.label},   {"obligation", q.obligation},
          {"level", q.level},   {"solver", q.solver},
          {"result", q.result}, {"seconds", q.seconds},
          {"terms", q.terms},   {"variables", q.variables}};
}

nlohmann::json crossCheck(std::vector<QueryRecord> &records,
                          const CrossCheck &cc, const std::string &workDir,
                          std::vector<std::string> *secondAnswers) {
  nlohmann::json out = {{"solver", cc.solver},
                        {"queries", 0},
                        {"agreed", 0},
                        {"undecided", 0},
                        {"disagreements", nlohmann::json::array()}};
  std::map<uint64_t, std::string> answered; // query text hash -> answer
  if (secondAnswers)
    secondAnswers->assign(records.size(), "");
  fs::create_directories(workDir);
  for (size_t i = 0; i < records.size(); ++i) {
    QueryRecord &q = records[i];
    if (q.result != "sat" && q.result != "unsat")
      continue;
    uint64_t h = stableHash(q.text);
    std::string second;
    if (auto it = answered.find(h); it != answered.end()) {
      second = it->second;
    } else {
      std::string in = workDir + "/cc.smt2", outPath = workDir + "/cc.out";
      std::ofstream(in, std::ios::trunc) << q.text;
      std::vector<std::string> argv = {
          cc.solver, "--lang", "smt2",
          "--tlimit=" + std::to_string(cc.timeoutMs), in};
      ChildResult r = runChild(argv, outPath, workDir + "/cc.err",
                               cc.timeoutMs / 1000.0 + 5);
      second = "unknown";
      std::ifstream res(outPath);
      std::string word;
      while (res >> word)
        if (word == "sat" || word == "unsat" || word == "unknown") {
          second = word;
          break;
        }
      if (r.startFailed)
        second = "unknown";
      answered[h] = second;
      out["queries"] = out["queries"].get<int>() + 1;
      if (second == "unknown")
        out["undecided"] = out["undecided"].get<int>() + 1;
      else if (second == q.result)
        out["agreed"] = out["agreed"].get<int>() + 1;
      else
        out["disagreements"].push_back({{"query", q.file},
                                        {"label", q.label},
                                        {"z3", q.result},
                                        {"second", second}});
    }
    if (secondAnswers)
      (*secondAnswers)[i] = second;
  }
  return out;
}

} // namespace ksynth::gate
