// report.json, report.md, chart.svg and best.{cl,json} (Report.h).
#include "synth/Report.h"

#include "support/Error.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace ksynth::synth {

namespace fs = std::filesystem;

namespace {

void writeAtomically(const fs::path &p, const std::string &text) {
  fs::path tmp = p;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    if (!f)
      throw UserError(ExitCode::InputError, "cannot write " + tmp.string());
  }
  fs::rename(tmp, p);
}

std::string fmt(const char *f, double x) {
  char b[64];
  std::snprintf(b, sizeof b, f, x);
  return b;
}

std::string xmlEscape(const std::string &s) {
  std::string r;
  for (char c : s) {
    if (c == '<')
      r += "&lt;";
    else if (c == '>')
      r += "&gt;";
    else if (c == '&')
      r += "&amp;";
    else if (c == '"')
      r += "&quot;";
    else
      r += c;
  }
  return r;
}

std::string mdCell(std::string s) {
  for (char &c : s)
    if (c == '|' || c == '\n')
      c = ' ';
  return s;
}

std::string paramsText(const nlohmann::json &p) {
  std::string r;
  for (auto it = p.begin(); it != p.end(); ++it) {
    if (it.key() == "estimate_us")
      continue;
    std::string v = it.value().is_string() ? it.value().get<std::string>()
                                           : it.value().dump();
    r += (r.empty() ? "" : " ") + it.key() + "=" + v;
  }
  return r;
}

} // namespace

nlohmann::json reportJson(const SynthResult &r, const ReportContext &c) {
  nlohmann::json cands = nlohmann::json::array();
  for (const Outcome &o : r.outcomes)
    cands.push_back(o.toJson());
  nlohmann::json j = {
      {"spec", c.specPath},
      {"device", c.device.empty() ? "default (PoCL where present)" : c.device},
      {"bench_shape", c.benchShape},
      {"stop_reason", r.stopReason},
      {"interrupted", r.interrupted},
      {"wall_seconds", r.wallSeconds},
      {"counts",
       {{"proposed", r.outcomes.size()},
        {"proved", r.proved},
        {"refuted", r.refuted},
        {"unknown", r.unknown},
        {"errors", r.errors},
        {"timed", r.timed}}},
      {"best", r.best >= 0 ? nlohmann::json(r.outcomes[r.best].cand.id)
                           : nlohmann::json()},
      {"naive", r.naive >= 0 ? nlohmann::json(r.outcomes[r.naive].cand.id)
                             : nlohmann::json()},
      {"candidates", cands}};
  if (c.pytorchEagerUs > 0)
    j["pytorch_us"] = {{"eager", c.pytorchEagerUs},
                       {"compile", c.pytorchCompileUs > 0
                                       ? nlohmann::json(c.pytorchCompileUs)
                                       : nlohmann::json()}};
  nlohmann::json un = nlohmann::json::object();
  for (auto &[g, why] : r.unsupported)
    un[g] = why;
  j["unsupported"] = un;
  // Generator reports (LLM agents: "agents", with requests and tokens).
  for (auto it = r.generatorReports.begin(); it != r.generatorReports.end();
       ++it)
    j[it.key()] = it.value();
  if (!r.fatal.empty())
    j["fatal"] = r.fatal;
  return j;
}

namespace {

// The LLM agents' section of report.md (AgentGenerator::report()).
std::string agentsMarkdown(const nlohmann::json &a) {
  std::string m = "\n## LLM agents\n\n";
  m += "- requests: " + a.value("requests", nlohmann::json(0)).dump() +
       " (limit " +
       (a.value("max_requests", 0) ? a["max_requests"].dump()
                                   : std::string("none")) +
       "), tokens: " + a.value("input_tokens", nlohmann::json(0)).dump() +
       " prompt + " + a.value("output_tokens", nlohmann::json(0)).dump() +
       " reply (limit " +
       (a.value("max_tokens", 0) ? a["max_tokens"].dump()
                                 : std::string("none")) +
       ")\n";
  if (!a.value("spend_stop", "").empty())
    m += "- **spend limit reached**: " + a.value("spend_stop", "") + "\n";
  if (a.contains("fatal"))
    m += "- **stopped**: " + a.value("fatal", "") + "\n";
  m += "- de-duplication: " + a.value("dedup", "") + "\n";
  if (a.contains("replay"))
    m += "- replayed from `" + a.value("replay", "") + "` (" +
         a["replay_prompt_mismatches"].dump() +
         " prompts differ from the recorded ones)\n";
  if (a.contains("record"))
    m += "- recorded to `" + a.value("record", "") + "`\n";
  m += "\n| agent | provider | model | strategy | requests | prompt tokens "
       "| reply tokens | candidates | proved | refuted | unusable replies | "
       "duplicates | stopped |\n";
  m += "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | "
       "---: | ---: | --- |\n";
  for (const auto &x : a.value("agents", nlohmann::json::array()))
    m += "| " + x.value("id", "") + " | " + x.value("provider", "") + " | " +
         mdCell(x.value("model", "")) + " | " + x.value("strategy", "") +
         " | " + x["requests"].dump() + " | " + x["input_tokens"].dump() +
         " | " + x["output_tokens"].dump() + " | " + x["candidates"].dump() +
         " | " + x["proved"].dump() + " | " + x["refuted"].dump() + " | " +
         x["unusable_replies"].dump() + " | " + x["duplicates"].dump() + " | " +
         mdCell(x.value("stop_reason", "")) + " |\n";
  return m;
}

} // namespace

std::string chartSvg(const SynthResult &r) {
  std::vector<const Outcome *> t;
  for (const Outcome &o : r.outcomes)
    if (o.timed())
      t.push_back(&o);
  const int rowH = 22, left = 260, width = 760, top = 40;
  int height = top + rowH * int(std::max<size_t>(t.size(), 1)) + 40;
  double maxUs = 0;
  for (const Outcome *o : t)
    maxUs = std::max(maxUs, o->medianUs + o->iqrUs / 2);
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
      std::to_string(width) + "\" height=\"" + std::to_string(height) +
      "\" font-family=\"monospace\" font-size=\"12\">\n"
      "<title>ksynth synth: device time per candidate (median, IQR "
      "whisker)</title>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"10\" y=\"20\" font-size=\"14\">device time per candidate "
      "(median us; green: proved, grey: unverified)</text>\n";
  if (t.empty())
    s += "<text x=\"10\" y=\"" + std::to_string(top + 14) +
         "\">no candidate was timed</text>\n";
  double scale = maxUs > 0 ? (width - left - 90) / maxUs : 0;
  for (size_t i = 0; i < t.size(); ++i) {
    const Outcome &o = *t[i];
    int y = top + rowH * int(i);
    bool best = r.best >= 0 && &r.outcomes[r.best] == &o;
    std::string fill = o.unverified ? "#bbbbbb" : best ? "#1a7f37" : "#6fcf8f";
    std::string label = o.cand.id + " " + o.cand.kind +
                        (o.cand.baseline ? " (naive)" : "") +
                        (o.unverified ? " UNVERIFIED" : "");
    double w = o.medianUs * scale;
    s += "<text x=\"5\" y=\"" + std::to_string(y + 15) + "\">" +
         xmlEscape(label) + "</text>\n";
    s += "<rect x=\"" + std::to_string(left) + "\" y=\"" +
         std::to_string(y + 3) + "\" width=\"" + fmt("%.1f", w) +
         "\" height=\"" + std::to_string(rowH - 6) + "\" fill=\"" + fill +
         "\"" + (best ? " stroke=\"black\"" : "") + "/>\n";
    double lo = left + std::max(0.0, o.medianUs - o.iqrUs / 2) * scale;
    double hi = left + (o.medianUs + o.iqrUs / 2) * scale;
    s += "<line x1=\"" + fmt("%.1f", lo) + "\" x2=\"" + fmt("%.1f", hi) +
         "\" y1=\"" + std::to_string(y + rowH / 2) + "\" y2=\"" +
         std::to_string(y + rowH / 2) + "\" stroke=\"black\"/>\n";
    s += "<text x=\"" + fmt("%.1f", left + w + 6) + "\" y=\"" +
         std::to_string(y + 15) + "\">" + fmt("%.1f us", o.medianUs) +
         (best ? " best" : "") + "</text>\n";
  }
  s += "</svg>\n";
  return s;
}

std::string reportMarkdown(const SynthResult &r, const ReportContext &c) {
  std::string m = "# ksynth synth report\n\n";
  m += "- spec: `" + c.specPath + "`\n";
  m += "- device: " + (c.device.empty() ? std::string("default") : c.device) +
       ", bench shape " + c.benchShape + "\n";
  m += "- stopped: " + r.stopReason + fmt(" after %.1f s\n", r.wallSeconds);
  m += "- candidates: " + std::to_string(r.outcomes.size()) + " proposed, " +
       std::to_string(r.proved) + " proved, " + std::to_string(r.refuted) +
       " refuted, " + std::to_string(r.unknown) + " unknown, " +
       std::to_string(r.errors) + " errors, " + std::to_string(r.timed) +
       " timed\n";
  if (r.best >= 0) {
    const Outcome &b = r.outcomes[r.best];
    m += "- **best proven kernel: " + b.cand.id + "** (" + b.cand.kind + " " +
         paramsText(b.cand.params) + "), " + fmt("%.1f us", b.medianUs);
    if (b.speedupNaive > 0)
      m += fmt(", %.2fx over the naive lowering", b.speedupNaive);
    if (b.speedupPytorch > 0)
      m += fmt(", %.2fx over PyTorch eager", b.speedupPytorch);
    m += ": `best.cl`, `best.json`\n";
  } else {
    m += "- no proven kernel was timed\n";
  }
  for (auto &[g, why] : r.unsupported)
    m += "- generator " + g + " proposed nothing: " + why + "\n";
  if (!r.fatal.empty())
    m += "- **stopped by an error**: " + r.fatal + "\n";
  m += "\nOnly proven candidates are timed (an unverified one only under "
       "`--allow-unverified`, marked so, never the result).\n\n";
  m += "![device time per candidate](chart.svg)\n\n";
  m += "| id | generator | kind | parameters | verdict | level | verify s | "
       "median us | IQR us | vs naive | vs PyTorch | note |\n";
  m += "| --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | "
       "---: | --- |\n";
  for (const Outcome &o : r.outcomes) {
    bool best = r.best >= 0 && &r.outcomes[r.best] == &o;
    std::string id = best ? "**" + o.cand.id + "**" : o.cand.id;
    std::string verdict = o.verdict + (o.unverified ? " (UNVERIFIED)" : "");
    std::string note = o.verdict == "proved" ? o.timingNote : o.reason;
    m += "| " + id + " | " + o.cand.generator + " | " + o.cand.kind +
         (o.cand.baseline ? " (naive)" : "") + " | " +
         mdCell(paramsText(o.cand.params)) + " | " + verdict + " | " + o.level +
         " | " + fmt("%.1f", o.verifySeconds) + " | " +
         (o.timed() ? fmt("%.1f", o.medianUs) : "") + " | " +
         (o.timed() ? fmt("%.1f", o.iqrUs) : "") + " | " +
         (o.speedupNaive > 0 ? fmt("%.2fx", o.speedupNaive) : "") + " | " +
         (o.speedupPytorch > 0 ? fmt("%.2fx", o.speedupPytorch) : "") + " | " +
         mdCell(note.substr(0, 200)) + " |\n";
  }
  if (r.generatorReports.contains("agents"))
    m += agentsMarkdown(r.generatorReports.at("agents"));
  return m;
}

void writeReport(const SynthResult &r, const ReportContext &c) {
  fs::path out(c.outDir);
  fs::create_directories(out);
  // A compiler message or response with invalid UTF-8 is written with
  // U+FFFD, never an exception.
  writeAtomically(out / "report.json",
                  reportJson(r, c).dump(
                      2, ' ', false, nlohmann::json::error_handler_t::replace) +
                      "\n");
  writeAtomically(out / "report.md", reportMarkdown(r, c));
  writeAtomically(out / "chart.svg", chartSvg(r));
  if (r.best >= 0) {
    const Outcome &b = r.outcomes[r.best];
    nlohmann::json m = b.cand.manifest;
    m["source"] = "best.cl";
    writeAtomically(out / "best.cl", b.cand.source);
    writeAtomically(out / "best.json", m.dump(2) + "\n");
  }
}

} // namespace ksynth::synth
