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
  static const std::regex kLevel(R"(\b(structural|rounding|bit-exact)\b)");
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
    q.obligation = q.label.substr(0, q.label.find(' '));
    std::smatch lm;
    if (std::regex_search(q.label, lm, kLevel))
      q.level = lm[1];
    measure(q);
    out.push_back(std::move(q));
  }
  return out;
}

nlohmann::json statsLine(const QueryRecord &q, const std::string &pairId) {
  return {{"pair", pairId},
          {"query", fs::path(q.file).filename().string()},
          {"label", q.label},
          {"obligation", q.obligation},
          {"level",
           q.level.empty() ? nlohmann::json(nullptr) : nlohmann::json(q.level)},
          {"solver", q.solver},
          {"result", q.result},
          {"seconds", q.seconds},
          {"terms", q.terms},
          {"variables", q.variables}};
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
