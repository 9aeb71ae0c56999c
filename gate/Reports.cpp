// The gate's reports: see Reports.h. Formats in docs/gate.md.
#include "gate/Reports.h"

#include "support/Error.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace ksynth::gate {

namespace {

// Obligations (docs/verdict-format.md) and the gate's own rules.
const std::vector<std::pair<std::string, std::string>> kRules = {
    {"program-scope-state", "no mutable program-scope variable"},
    {"local-memory-limit", "__local memory fits local_mem_bytes"},
    {"barrier-divergence", "every barrier is reached by all work-items of a "
                           "group or by none"},
    {"memory-safety", "every access lies inside its buffer"},
    {"undefined-behaviour", "no undefined behaviour (poison, division by 0)"},
    {"input-modified", "no input buffer is written"},
    {"write-race", "no element written by two work-items unordered"},
    {"data-race", "no element written by one work-item and read by another "
                  "unordered"},
    {"uninitialized-read", "no element read before it is written"},
    {"coverage", "every output element is written"},
    {"equivalence", "every output element equals the reference"},
    {"launch", "the manifest's launches match the kernels"},
    {"unknown", "the verifier could not decide the pair"},
    {"error", "the pair does not parse, compile or run"},
    {"expectation", "the verdict differs from the pair's declared expected "
                    "verdict"},
};

std::string fmtSeconds(double s) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", s < 0 ? 0 : s);
  return b;
}

std::string xmlEscape(const std::string &s) {
  std::string o;
  for (unsigned char c : s) {
    switch (c) {
    case '&':
      o += "&amp;";
      break;
    case '<':
      o += "&lt;";
      break;
    case '>':
      o += "&gt;";
      break;
    case '"':
      o += "&quot;";
      break;
    case '\'':
      o += "&apos;";
      break;
    default:
      if (c < 0x20 && c != '\n' && c != '\t')
        o += ' ';
      else
        o += static_cast<char>(c);
    }
  }
  return o;
}

std::string mdEscape(std::string s) {
  std::string o;
  for (char c : s) {
    if (c == '|')
      o += "\\|";
    else if (c == '\n')
      o += ' ';
    else
      o += c;
  }
  return o;
}

const nlohmann::json *cexOf(const PairResult &r) {
  if (r.verdict.is_object() && r.verdict.contains("counterexample") &&
      r.verdict["counterexample"].is_object())
    return &r.verdict["counterexample"];
  return nullptr;
}

std::string shapeText(const nlohmann::json &shape) {
  std::string s;
  if (!shape.is_object())
    return s;
  for (auto it = shape.begin(); it != shape.end(); ++it)
    s += (s.empty() ? "" : ",") + it.key() + "=" + it.value().dump();
  return s;
}

// The counterexample in a few lines.
std::string cexText(const PairResult &r) {
  const nlohmann::json *c = cexOf(r);
  if (!c)
    return "";
  std::ostringstream o;
  o << "obligation " << c->value("obligation", "?") << " at "
    << shapeText(c->value("shape", nlohmann::json::object())) << ": "
    << c->value("detail", "") << "\n";
  if (c->contains("reference") && c->contains("candidate"))
    o << "  " << c->value("output", "out") << "["
      << c->value("flat_index", nlohmann::json(0)).dump() << "]: reference "
      << (*c)["reference"].value("value", "?") << " ("
      << (*c)["reference"].value("bits", "?") << "), candidate "
      << (*c)["candidate"].value("value", "?") << " ("
      << (*c)["candidate"].value("bits", "?") << ")\n";
  for (const char *key : {"location", "other_location"})
    if (c->contains(key) && (*c)[key].is_object()) {
      const nlohmann::json &l = (*c)[key];
      o << "  " << (std::string(key) == "location" ? "at" : "and at") << " "
        << l.value("file", "?") << ":" << l.value("line", 0) << ":"
        << l.value("column", 0) << " (" << l.value("what", "") << ")\n";
    }
  o << "  replay: ksynth run " << r.pair.spec << " "
    << (r.pair.manifest.empty() ? r.pair.source : r.pair.manifest)
    << " --replay VERDICT.json\n";
  return o.str();
}

// The rule a non-passing pair is reported under.
std::string ruleOf(const PairResult &r) {
  if (!r.pair.expect.empty() && r.outcome != r.pair.expect)
    return "expectation";
  if (r.outcome == "refuted") {
    if (const nlohmann::json *c = cexOf(r))
      return c->value("obligation", "equivalence");
    return "equivalence";
  }
  if (r.outcome == "unknown")
    return "unknown";
  if (r.outcome == "error")
    return "error";
  return "expectation";
}

// A source location in the kernel file FILE (the pair's source) from the
// counterexample's "location" / "other_location" (docs/verdict-format.md);
// line 0 when absent or naming another file (an #included header: its
// own path).
struct Place {
  std::string file;
  int line = 0, column = 0;
  std::string what;
};
Place cexPlace(const PairResult &r, const std::string &file, const char *key) {
  Place p;
  const nlohmann::json *c = cexOf(r);
  if (!c || !c->contains(key) || !(*c)[key].is_object())
    return p;
  const nlohmann::json &l = (*c)[key];
  p.line = l.value("line", 0);
  p.column = l.value("column", 0);
  p.what = l.value("what", "");
  std::string named = l.value("file", "");
  p.file =
      file.empty() || fs::path(named).filename() != fs::path(file).filename()
          ? named
          : file;
  if (p.file.empty())
    p.line = 0;
  return p;
}

std::string kernelFile(const PairResult &r) {
  std::string file = r.pair.source;
  size_t colon = file.rfind(':');
  if (colon != std::string::npos && file.size() > 3 &&
      file.compare(file.size() - 3, 3, ".cl") != 0)
    file = file.substr(0, colon);
  return file;
}

// The source line a result points at: the counterexample's location (the
// failing store, access or barrier), else a "FILE.cl:LINE[:COL]" in the
// counterexample's detail or the reason, else the line defining the
// launched kernel, else line 1.
std::pair<std::string, int> locate(const PairResult &r) {
  std::string file = kernelFile(r);
  Place at = cexPlace(r, file, "location");
  if (at.line > 0)
    return {at.file, at.line};
  std::string text;
  if (const nlohmann::json *c = cexOf(r))
    text = c->value("detail", "");
  text += " " + r.verdict.value("reason", "");
  static const std::regex kLoc(R"(([A-Za-z0-9_./-]+\.cl):([0-9]+))");
  std::smatch m;
  if (std::regex_search(text, m, kLoc)) {
    std::string base = fs::path(m[1].str()).filename().string();
    if (file.empty() || fs::path(file).filename() == base)
      return {file.empty() ? m[1].str() : file, std::stoi(m[2])};
  }
  if (file.empty())
    return {"", 0};
  std::ifstream in(file);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find("kernel") != std::string::npos &&
        line.find("void") != std::string::npos)
      return {file, n};
  }
  return {file, 1};
}

} // namespace

std::string verdictLine(const PairResult &r) {
  std::string s = r.outcome;
  if (r.outcome == "refuted") {
    if (const nlohmann::json *c = cexOf(r))
      s += " (" + c->value("obligation", "?") + "): " + c->value("detail", "");
  } else if (r.outcome == "unknown") {
    s += " (" + r.verdict.value("unknown_kind", "?") +
         "): " + r.verdict.value("reason", "");
  } else if (r.outcome == "error") {
    s += ": " + r.verdict.value("reason", "");
  }
  return s;
}

Counts countResults(const std::vector<PairResult> &results) {
  Counts c;
  for (const PairResult &r : results) {
    if (r.outcome == "proved")
      ++c.proved;
    else if (r.outcome == "refuted")
      ++c.refuted;
    else if (r.outcome == "unknown")
      ++c.unknown;
    else
      ++c.error;
    c.cached += r.cached;
    c.failed += r.status == "fail";
    c.warned += r.status == "warn";
  }
  return c;
}

nlohmann::json toJsonReport(const std::vector<PairResult> &results,
                            const ReportMeta &meta) {
  nlohmann::json pairs = nlohmann::json::array();
  for (const PairResult &r : results) {
    nlohmann::json p = {{"id", r.pair.id},
                        {"spec", r.pair.spec},
                        {"manifest", r.pair.manifest},
                        {"source", r.pair.source},
                        {"origin", r.pair.origin},
                        {"expect", r.pair.expect},
                        {"outcome", r.outcome},
                        {"status", r.status},
                        {"note", r.note},
                        {"cached", r.cached},
                        {"seconds", r.seconds},
                        {"verdict", r.verdict}};
    if (!r.pair.obligation.empty())
      p["expect_obligation"] = r.pair.obligation;
    if (!r.pair.unknownKind.empty())
      p["expect_unknown_kind"] = r.pair.unknownKind;
    if (!r.crosscheck.is_null())
      p["crosscheck"] = r.crosscheck;
    pairs.push_back(std::move(p));
  }
  Counts c = countResults(results);
  return {{"ksynth_gate_report", 1},
          {"run", meta.run},
          {"shard", meta.shard},
          {"universe", meta.universe},
          {"counts",
           {{"pairs", results.size()},
            {"proved", c.proved},
            {"refuted", c.refuted},
            {"unknown", c.unknown},
            {"error", c.error},
            {"cached", c.cached},
            {"failed", c.failed},
            {"warned", c.warned}}},
          {"pairs", pairs}};
}

void fromJsonReport(const nlohmann::json &doc, const std::string &file,
                    std::vector<PairResult> &results, ReportMeta &meta) {
  if (!doc.is_object() || doc.value("ksynth_gate_report", 0) != 1 ||
      !doc.contains("pairs") || !doc["pairs"].is_array() ||
      !doc.contains("universe") || !doc["universe"].is_array())
    throw UserError(ExitCode::InputError,
                    file + ": not a ksynth gate JSON report (--json)");
  try {
    meta.run = doc.value("run", nlohmann::json::object());
    meta.universe = doc["universe"].get<std::vector<std::string>>();
    meta.shard = doc.value("shard", "");
    for (const nlohmann::json &p : doc["pairs"]) {
      PairResult r;
      r.pair.id = p.at("id");
      r.pair.spec = p.value("spec", "");
      r.pair.manifest = p.value("manifest", "");
      r.pair.source = p.value("source", "");
      r.pair.origin = p.value("origin", "");
      r.pair.expect = p.value("expect", "");
      r.pair.obligation = p.value("expect_obligation", "");
      r.pair.unknownKind = p.value("expect_unknown_kind", "");
      r.outcome = p.at("outcome");
      r.status = p.at("status");
      r.note = p.value("note", "");
      r.cached = p.value("cached", false);
      r.seconds = p.value("seconds", 0.0);
      r.verdict = p.value("verdict", nlohmann::json::object());
      r.crosscheck = p.value("crosscheck", nlohmann::json());
      results.push_back(std::move(r));
    }
  } catch (const nlohmann::json::exception &e) {
    throw UserError(ExitCode::InputError,
                    file + ": malformed gate report: " + e.what());
  }
}

std::string toJunit(const std::vector<PairResult> &results,
                    const ReportMeta &meta) {
  Counts c = countResults(results);
  int failures = 0, errors = 0, skipped = 0;
  double total = 0;
  std::ostringstream cases;
  for (const PairResult &r : results) {
    total += r.seconds;
    std::string id = r.pair.id;
    size_t slash = id.rfind('/');
    std::string cls =
        slash == std::string::npos ? "ksynth" : id.substr(0, slash);
    std::string name = slash == std::string::npos ? id : id.substr(slash + 1);
    for (char &ch : cls)
      if (ch == '/')
        ch = '.';
    cases << "    <testcase classname=\"" << xmlEscape(cls) << "\" name=\""
          << xmlEscape(name) << "\" time=\"" << fmtSeconds(r.seconds)
          << "\">\n";
    std::string line = verdictLine(r);
    if (r.status == "fail" && r.outcome == "error" && r.pair.expect.empty()) {
      ++errors;
      cases << "      <error type=\"error\" message=\"" << xmlEscape(line)
            << "\">" << xmlEscape(r.note) << "</error>\n";
    } else if (r.status == "fail") {
      ++failures;
      std::string msg = r.outcome == "refuted" && r.pair.expect.empty()
                            ? cexText(r)
                            : r.note + "\n" + cexText(r);
      cases << "      <failure type=\"" << ruleOf(r) << "\" message=\""
            << xmlEscape(r.note.empty() ? line : r.note) << "\">"
            << xmlEscape(msg) << "</failure>\n";
    } else if (r.outcome == "unknown" && r.status == "warn") {
      ++skipped;
      cases << "      <skipped message=\"" << xmlEscape(line) << "\"/>\n";
    }
    cases << "      <system-out>"
          << xmlEscape(line) + (r.cached ? " [cached]" : "") + "\n" + cexText(r)
          << "</system-out>\n";
    cases << "    </testcase>\n";
  }
  (void)c;
  std::ostringstream o;
  std::string suite =
      "ksynth gate" + (meta.shard.empty() ? "" : " shard " + meta.shard);
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<testsuites name=\"" << xmlEscape(suite) << "\" tests=\""
    << results.size() << "\" failures=\"" << failures << "\" errors=\""
    << errors << "\" time=\"" << fmtSeconds(total) << "\">\n"
    << "  <testsuite name=\"" << xmlEscape(suite) << "\" tests=\""
    << results.size() << "\" failures=\"" << failures << "\" errors=\""
    << errors << "\" skipped=\"" << skipped << "\" time=\"" << fmtSeconds(total)
    << "\">\n"
    << cases.str() << "  </testsuite>\n</testsuites>\n";
  return o.str();
}

nlohmann::json toSarif(const std::vector<PairResult> &results,
                       const ReportMeta &meta) {
  nlohmann::json rules = nlohmann::json::array();
  std::map<std::string, int> ruleIndex;
  for (const auto &[id, text] : kRules) {
    ruleIndex[id] = static_cast<int>(rules.size());
    rules.push_back({{"id", id},
                     {"name", id},
                     {"shortDescription", {{"text", text}}},
                     {"help",
                      {{"text", "See docs/verdict-format.md (obligations) and "
                                "docs/gate.md (the gate's rules)."}}},
                     {"defaultConfiguration",
                      {{"level", id == "unknown" ? "warning" : "error"}}}});
  }
  nlohmann::json res = nlohmann::json::array();
  for (const PairResult &r : results) {
    if (r.status == "pass")
      continue;
    std::string rule = ruleOf(r);
    std::string msg =
        r.pair.id + ": " + (r.note.empty() ? verdictLine(r) : r.note);
    std::string cex = cexText(r);
    if (!cex.empty())
      msg += "\n" + cex;
    nlohmann::json result = {
        {"ruleId", rule},
        {"ruleIndex", ruleIndex[rule]},
        {"level", r.status == "warn" ? "warning" : "error"},
        {"message", {{"text", msg}}},
        {"partialFingerprints", {{"ksynthPair/v1", r.pair.id}}},
        {"properties",
         {{"pair", r.pair.id},
          {"outcome", r.outcome},
          {"expect", r.pair.expect},
          {"spec", r.pair.spec}}}};
    auto [file, line] = locate(r);
    if (file.empty()) {
      file = r.pair.manifest.empty() ? r.pair.spec : r.pair.manifest;
      line = 1;
    }
    nlohmann::json region = {{"startLine", std::max(1, line)}};
    Place at = cexPlace(r, kernelFile(r), "location");
    if (at.line == line && at.file == file && at.column > 0)
      region["startColumn"] = at.column;
    result["locations"] = {
        {{"physicalLocation",
          {{"artifactLocation", {{"uri", file}}}, {"region", region}}}}};
    // The other access of a race, the other barrier of a divergence.
    Place other = cexPlace(r, kernelFile(r), "other_location");
    if (other.line > 0) {
      nlohmann::json oregion = {{"startLine", other.line}};
      if (other.column > 0)
        oregion["startColumn"] = other.column;
      result["relatedLocations"] = {
          {{"id", 1},
           {"physicalLocation",
            {{"artifactLocation", {{"uri", other.file}}}, {"region", oregion}}},
           {"message", {{"text", other.what}}}}};
    }
    res.push_back(std::move(result));
  }
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs",
           {{{"tool",
              {{"driver",
                {{"name", "ksynth"},
                 {"version", meta.run.value("ksynth_version", "0")},
                 {"rules", rules}}}}},
             {"automationDetails",
              {{"id", "ksynth-gate/" + (meta.shard.empty() ? std::string("all")
                                                           : meta.shard)}}},
             {"properties", {{"run", meta.run}}},
             {"results", res}}}}};
}

std::string toMarkdown(const std::vector<PairResult> &results,
                       const ReportMeta &meta) {
  Counts c = countResults(results);
  std::ostringstream o;
  bool ok = c.failed == 0;
  o << "## ksynth gate: " << (ok ? "passed" : "FAILED") << "\n\n"
    << "| pairs | proved | refuted | unknown | error | cached | failed | "
       "warned |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
       "|\n"
    << "| " << results.size() << " | " << c.proved << " | " << c.refuted
    << " | " << c.unknown << " | " << c.error << " | " << c.cached << " | "
    << c.failed << " | " << c.warned << " |\n\n";
  std::vector<const PairResult *> bad;
  for (const PairResult &r : results)
    if (r.status != "pass")
      bad.push_back(&r);
  if (!bad.empty()) {
    o << "### Pairs that did not pass\n\n| pair | status | expected | "
         "verdict |\n| --- | --- | --- | --- |\n";
    for (const PairResult *r : bad)
      o << "| `" << mdEscape(r->pair.id) << "` | " << r->status << " | "
        << (r->pair.expect.empty() ? "-" : r->pair.expect) << " | "
        << mdEscape(verdictLine(*r)) << " |\n";
    o << "\n";
  }
  std::vector<const PairResult *> slow;
  for (const PairResult &r : results)
    slow.push_back(&r);
  std::sort(slow.begin(), slow.end(),
            [](const PairResult *a, const PairResult *b) {
              return a->seconds > b->seconds;
            });
  if (slow.size() > 5)
    slow.resize(5);
  if (!slow.empty()) {
    o << "### Slowest pairs\n\n| pair | seconds | verdict |\n| --- | ---: | "
         "--- |\n";
    for (const PairResult *r : slow)
      o << "| `" << mdEscape(r->pair.id) << "` | " << fmtSeconds(r->seconds)
        << " | " << r->outcome << (r->cached ? " (cached)" : "") << " |\n";
    o << "\n";
  }
  o << "ksynth " << meta.run.value("ksynth_version", "?") << ", LLVM "
    << meta.run.value("llvm", "?") << ", Z3 " << meta.run.value("z3", "?")
    << (meta.shard.empty() ? "" : ", shard " + meta.shard) << "\n";
  return o.str();
}

} // namespace ksynth::gate
