// `ksynth gate merge REPORTS...` (merging the JSON reports of shards into
// one report set, checking that every pair is covered exactly once) and
// `ksynth cache stats|clear`; and the report writing, summary and exit
// policy shared with `ksynth gate` (GateCommon.h, docs/gate.md).
#include "Commands.h"
#include "GateCommon.h"

#include "gate/ProofCache.h"
#include "support/Error.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

namespace ksynth::cli {

using gate::PairResult;

void writeGateFile(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out)
    throw UserError(ExitCode::Usage, "cannot write " + path);
}

void writeGateReports(const GateReportFiles &o,
                      const std::vector<PairResult> &results,
                      const gate::ReportMeta &meta) {
  if (!o.json.empty())
    writeGateFile(o.json, gate::toJsonReport(results, meta).dump(1) + "\n");
  if (!o.junit.empty())
    writeGateFile(o.junit, gate::toJunit(results, meta));
  if (!o.sarif.empty())
    writeGateFile(o.sarif, gate::toSarif(results, meta).dump(1) + "\n");
  if (!o.markdown.empty())
    writeGateFile(o.markdown, gate::toMarkdown(results, meta));
}

void printGateSummary(const std::vector<PairResult> &results, double wall) {
  gate::Counts c = gate::countResults(results);
  std::printf("gate: %zu pairs in %.1f s: %d proved, %d refuted, %d unknown, "
              "%d error (%d from the cache)\n",
              results.size(), wall, c.proved, c.refuted, c.unknown, c.error,
              c.cached);
  std::vector<const PairResult *> slow;
  for (const PairResult &r : results)
    if (!r.cached)
      slow.push_back(&r);
  std::sort(slow.begin(), slow.end(),
            [](auto *a, auto *b) { return a->seconds > b->seconds; });
  if (slow.size() > 5)
    slow.resize(5);
  if (!slow.empty()) {
    std::printf("gate: slowest:");
    for (const PairResult *r : slow)
      std::printf(" %s %.2fs;", r->pair.id.c_str(), r->seconds);
    std::printf("\n");
  }
  for (const PairResult &r : results)
    if (r.status == "fail")
      std::printf("gate: FAIL %s: %s\n", r.pair.id.c_str(), r.note.c_str());
  std::printf("gate: %s (%d failed, %d warned)\n",
              c.failed ? "FAILED" : "passed", c.failed, c.warned);
}

// Exit code: 6 internal/disagreement > 10 refuted or mismatch > 2 error >
// 5 unknown; 0 when nothing failed.
int gateExitCode(const std::vector<PairResult> &results) {
  int code = 0;
  auto rank = [](int c) {
    return c == 6 ? 4 : c == 10 ? 3 : c == 2 ? 2 : c == 5 ? 1 : 0;
  };
  for (const PairResult &r : results) {
    if (r.status != "fail")
      continue;
    int c;
    if (r.note.rfind("solver disagreement", 0) == 0 ||
        r.verdict.value("exit_code", 0) == 6)
      c = 6;
    else if (r.outcome == "unknown" && r.pair.expect.empty())
      c = 5;
    else if (r.outcome == "error" && r.pair.expect.empty())
      c = 2;
    else
      c = 10;
    if (rank(c) > rank(code))
      code = c;
  }
  return code;
}

int cmdGateMerge(const std::vector<std::string> &args) {
  GateReportFiles o;
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= args.size())
        throw UserError(ExitCode::Usage, a + " needs a value");
      return args[++i];
    };
    if (a == "--junit")
      o.junit = next();
    else if (a == "--sarif")
      o.sarif = next();
    else if (a == "--json")
      o.json = next();
    else if (a == "--markdown")
      o.markdown = next();
    else if (!a.empty() && a[0] == '-')
      throw UserError(ExitCode::Usage, "gate merge: unknown option " + a);
    else
      files.push_back(a);
  }
  if (files.empty())
    throw UserError(ExitCode::Usage, "gate merge needs JSON reports");
  std::vector<PairResult> all;
  gate::ReportMeta meta;
  std::vector<std::string> universe;
  for (const std::string &f : files) {
    std::ifstream in(f);
    nlohmann::json doc;
    try {
      in >> doc;
    } catch (const nlohmann::json::exception &) {
      throw UserError(ExitCode::InputError, f + ": not JSON");
    }
    gate::ReportMeta m;
    gate::fromJsonReport(doc, f, all, m);
    if (universe.empty())
      universe = m.universe, meta = m;
    else if (m.universe != universe)
      throw UserError(ExitCode::InputError,
                      f + ": its reports cover a different set of pairs "
                          "(another tree or other PATHS)");
  }
  meta.shard = "";
  std::map<std::string, int> seen;
  for (const PairResult &r : all)
    ++seen[r.pair.id];
  std::vector<std::string> problems;
  for (const auto &[id, n] : seen)
    if (n > 1)
      problems.push_back(id + " covered " + std::to_string(n) + " times");
  std::set<std::string> uni(universe.begin(), universe.end());
  for (const std::string &id : universe)
    if (!seen.count(id))
      problems.push_back(id + " not covered");
  for (const auto &[id, n] : seen)
    if (!uni.count(id))
      problems.push_back(id + " is not in the reports' pair set");
  std::sort(all.begin(), all.end(),
            [](const PairResult &a, const PairResult &b) {
              return a.pair.id < b.pair.id;
            });
  writeGateReports(o, all, meta);
  printGateSummary(all, 0);
  if (!problems.empty()) {
    for (const std::string &p : problems)
      std::fprintf(stderr, "ksynth: gate merge: %s\n", p.c_str());
    std::fprintf(stderr,
                 "ksynth: gate merge: %zu coverage problem(s): every pair "
                 "must be in exactly one report\n",
                 problems.size());
    return toInt(ExitCode::InputError);
  }
  return gateExitCode(all);
}

int cmdCache(const std::vector<std::string> &args) {
  std::string dir = gate::ProofCache::defaultDir(), what;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--cache-dir" && i + 1 < args.size())
      dir = args[++i];
    else if (args[i] == "--help" || args[i] == "-h") {
      std::puts("usage: ksynth cache stats|clear [--cache-dir DIR]");
      return 0;
    } else if (what.empty() && (args[i] == "stats" || args[i] == "clear"))
      what = args[i];
    else
      throw UserError(ExitCode::Usage, "cache: unexpected '" + args[i] +
                                           "' (ksynth cache stats|clear)");
  }
  if (what.empty())
    throw UserError(ExitCode::Usage, "usage: ksynth cache stats|clear "
                                     "[--cache-dir DIR]");
  gate::ProofCache cache(dir);
  if (what == "clear") {
    std::printf("cache %s: removed %llu files\n", dir.c_str(),
                static_cast<unsigned long long>(cache.clear()));
    return 0;
  }
  gate::ProofCache::Stats s = cache.stats();
  nlohmann::json j = {{"dir", dir},           {"entries", s.entries},
                      {"proved", s.proved},   {"refuted", s.refuted},
                      {"corrupt", s.corrupt}, {"aliases", s.aliases},
                      {"bytes", s.bytes}};
  std::cout << j.dump(1) << "\n";
  return 0;
}

} // namespace ksynth::cli
