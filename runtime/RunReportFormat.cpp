// Text and JSON forms of a RunReport (`ksynth run` and `ksynth run --json`).
#include "runtime/Compare.h"
#include "runtime/Differential.h"

#include <sstream>

namespace ksynth::runtime {

using nlohmann::json;

namespace {

std::string deviceLine(const json &d, const json &p) {
  std::string s = d.value("name", "?") + " (" + d.value("platform", "?") +
                  ", driver " + d.value("driver_version", "?") + ")";
  if (p.is_object()) {
    std::string from = p.value("from", "");
    s += from == "binary"
             ? "; program: SPIR bitcode (the module the verifier analyses)"
             : "; program: built from OpenCL C source";
    if (p.contains("note"))
      s += " [" + p.value("note", "") + "]";
  }
  return s;
}

void printElement(std::ostringstream &o, const ElementReport &e,
                  bool showRun2) {
  o << "      " << e.output << formatIndex(e.index) << " (flat " << e.flat
    << "): expected " << e.expected << ", got " << e.got;
  if (showRun2)
    o << ", 2nd run " << e.gotRun2;
  if (!e.inputs.empty()) {
    o << "   inputs:";
    for (const auto &[n, v] : e.inputs)
      o << " " << n << "=" << v;
  }
  o << "\n";
}

json elementJson(const ElementReport &e) {
  json in = json::object();
  for (const auto &[n, v] : e.inputs)
    in[n] = v;
  return {{"output", e.output}, {"flat_index", e.flat},
          {"index", e.index},   {"expected", e.expected},
          {"got", e.got},       {"got_run2", e.gotRun2},
          {"inputs", in}};
}

} // namespace

std::string formatRunReport(const RunReport &r, const spec::Spec &s,
                            const spec::Manifest &m) {
  std::ostringstream o;
  if (r.verdict == "emitted")
    return "ksynth run: " + r.message + "\n";
  o << "ksynth run: " << s.name << " (" << s.path << ") with " << m.path
    << "\n";
  if (!r.device.is_null())
    o << "device: " << deviceLine(r.device, r.program) << "\n";
  if (!r.replay)
    o << "inputs: seed " << r.seed
      << "; outputs and temporaries poisoned before each of 2 runs\n";
  spec::ShapeBinding last;
  bool first = true;
  for (const SetReport &set : r.sets) {
    if (first || set.shape != last)
      o << "shape " << spec::formatBinding(set.shape) << ":\n";
    first = false;
    last = set.shape;
    std::vector<std::string> p = set.problems();
    std::string label = set.label;
    if (set.trial > 0)
      label += " #" + std::to_string(set.trial + 1);
    o << "  " << label
      << std::string(label.size() < 12 ? 12 - label.size() : 1, ' ');
    if (p.empty()) {
      o << "ok\n";
      continue;
    }
    for (size_t i = 0; i < p.size(); ++i)
      o << (i ? ", " : "") << p[i];
    o << "\n";
    for (const OutputReport &out : set.outputs) {
      if (out.mismatched) {
        o << "    " << out.name << ": " << out.mismatched << " of "
          << out.elements << " elements differ from the reference; worst:\n";
        for (const ElementReport &e : out.worst)
          printElement(o, e, false);
      }
      if (out.unwritten) {
        o << "    " << out.name << ": " << out.unwritten << " of "
          << out.elements
          << " elements never written (still poison in both runs):\n";
        for (const ElementReport &e : out.unwrittenAt)
          printElement(o, e, false);
      }
      if (out.differing) {
        o << "    " << out.name << ": " << out.differing << " of "
          << out.elements << " elements differ between two runs:\n";
        for (const ElementReport &e : out.differingAt)
          printElement(o, e, true);
      }
    }
    for (const std::string &mi : set.modifiedInputs)
      o << "    input modified: " << mi << "\n";
  }
  if (r.replay) {
    const ReplayFocus &f = *r.replay;
    o << "counterexample (" << (f.obligation.empty() ? "?" : f.obligation)
      << ")";
    if (!f.detail.empty())
      o << ": " << f.detail;
    o << "\n";
    if (f.flat >= 0 && !f.reference.empty()) {
      o << "  " << f.output << formatIndex(f.index) << " (flat " << f.flat
        << "): reference " << f.reference << ", device " << f.device
        << (f.deviceMatches ? "  (agree)" : "  (DIFFER)") << "\n";
      if (!f.verdictCandidate.empty())
        o << "  verify's model of the candidate gave " << f.verdictCandidate
          << "\n";
      if (!f.referenceAgreesWithVerdict)
        o << "  warning: the interpreter's reference differs from the "
             "verdict's ("
          << f.verdictReference << ")\n";
    }
  }
  if (r.failure) {
    o << "error: " << r.message << "\n";
    if (!r.failure->buildLog.empty())
      o << "build log:\n" << r.failure->buildLog << "\n";
    if (!r.failure->stderrTail.empty())
      o << "worker stderr:\n" << r.failure->stderrTail << "\n";
  } else if (r.verdict == "too-large") {
    o << "result: TOO LARGE (" << r.message << ")\n";
  } else {
    o << "result: " << (r.exitCode == 0 ? "PASS" : "FAIL") << " (" << r.message
      << ")\n";
  }
  return o.str();
}

json runReportJson(const RunReport &r, const spec::Spec &s,
                   const spec::Manifest &m) {
  json j;
  j["verdict"] = r.verdict;
  j["exit_code"] = r.exitCode;
  j["message"] = r.message;
  j["spec"] = s.path;
  j["manifest"] = m.path;
  j["seed"] = r.seed;
  j["device"] = r.device;
  j["program"] = r.program;
  if (r.failure) {
    j["failure"] = {{"kind", r.failure->kind},
                    {"build_log", r.failure->buildLog},
                    {"stderr", r.failure->stderrTail}};
  }
  json sets = json::array();
  for (const SetReport &set : r.sets) {
    json outs = json::array();
    for (const OutputReport &o : set.outputs) {
      json w = json::array(), u = json::array(), d = json::array();
      for (const ElementReport &e : o.worst)
        w.push_back(elementJson(e));
      for (const ElementReport &e : o.unwrittenAt)
        u.push_back(elementJson(e));
      for (const ElementReport &e : o.differingAt)
        d.push_back(elementJson(e));
      outs.push_back({{"name", o.name},
                      {"elements", o.elements},
                      {"mismatched", o.mismatched},
                      {"unwritten", o.unwritten},
                      {"differing", o.differing},
                      {"worst", w},
                      {"unwritten_at", u},
                      {"differing_at", d}});
    }
    sets.push_back({{"label", set.label},
                    {"trial", set.trial},
                    {"shape", set.shape},
                    {"problems", set.problems()},
                    {"outputs", outs},
                    {"inputs_modified", set.modifiedInputs}});
  }
  j["sets"] = sets;
  if (r.replay) {
    const ReplayFocus &f = *r.replay;
    j["replay"] = {
        {"obligation", f.obligation},
        {"output", f.output},
        {"flat_index", f.flat},
        {"index", f.index},
        {"reference", f.reference},
        {"device", f.device},
        {"device_run2", f.deviceRun2},
        {"device_matches_reference", f.deviceMatches},
        {"verdict_reference", f.verdictReference},
        {"verdict_candidate", f.verdictCandidate},
        {"reference_agrees_with_verdict", f.referenceAgreesWithVerdict}};
  }
  return j;
}

} // namespace ksynth::runtime
