#include "verify/core/Verdict.h"

#include "support/Float.h"

#include <cstdio>
#include <sstream>

namespace ksynth::verify {

const char *toString(Outcome o) {
  switch (o) {
  case Outcome::Proved:
    return "proved";
  case Outcome::Refuted:
    return "refuted";
  case Outcome::Unknown:
    return "unknown";
  case Outcome::Error:
    return "error";
  }
  return "?";
}

ExitCode Verdict::exitCode() const {
  switch (outcome) {
  case Outcome::Proved:
    return ExitCode::Proved;
  case Outcome::Refuted:
    return ExitCode::Refuted;
  case Outcome::Unknown:
    return ExitCode::Unknown;
  case Outcome::Error:
    return ExitCode::InputError;
  }
  return ExitCode::Internal;
}

namespace {

// A bool element is one byte: 0 (false), 1 (true), anything else invalid.
std::string boolText(uint32_t bits) {
  if (bits <= 1)
    return bits ? "true" : "false";
  return std::to_string(bits) + " (not a valid bool byte)";
}

std::string byteBits(uint32_t bits) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", bits & 0xffu);
  return buf;
}

std::string int64Bits(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016llx",
                static_cast<unsigned long long>(v));
  return buf;
}

nlohmann::json valueJson(uint64_t bits, spec::DType t) {
  if (t == spec::DType::Bool)
    return {{"value", boolText(static_cast<uint32_t>(bits))},
            {"bits", byteBits(static_cast<uint32_t>(bits))}};
  if (t == spec::DType::Int64)
    return {{"value", std::to_string(static_cast<int64_t>(bits))},
            {"bits", int64Bits(bits)}};
  uint32_t b = static_cast<uint32_t>(bits);
  return {{"value", formatFloat(bitsFloat(b))}, {"bits", formatBits(b)}};
}

nlohmann::json locationJson(const SourceLoc &l) {
  return {{"file", l.file},
          {"line", l.line},
          {"column", l.column},
          {"what", l.what}};
}

std::string shapeText(const spec::ShapeBinding &b) {
  std::string s;
  for (auto &[k, v] : b)
    s += (s.empty() ? "" : ",") + k + "=" + std::to_string(v);
  return s.empty() ? "(scalar)" : s;
}

std::string indexText(const std::vector<int64_t> &idx) {
  std::string s;
  for (int64_t i : idx)
    s += (s.empty() ? "" : ",") + std::to_string(i);
  return "[" + s + "]";
}

std::string valueText(uint64_t bits, spec::DType t) {
  if (t == spec::DType::Bool)
    return boolText(static_cast<uint32_t>(bits));
  if (t == spec::DType::Int64)
    return std::to_string(static_cast<int64_t>(bits));
  uint32_t b = static_cast<uint32_t>(bits);
  return formatFloat(bitsFloat(b)) + " (" + formatBits(b) + ")";
}

} // namespace

nlohmann::json Verdict::toJson() const {
  nlohmann::json j;
  j["ksynth_version"] = "0.1.0";
  j["verdict"] = toString(outcome);
  j["exit_code"] = toInt(exitCode());
  j["spec"] = specPath;
  j["manifest"] = manifestPath;
  if (outcome == Outcome::Unknown || outcome == Outcome::Error)
    j["reason"] = reason;
  if (outcome == Outcome::Unknown)
    j["unknown_kind"] = unknownKind;
  j["assumptions"] = assumptions;
  j["solver"] = solver;
  nlohmann::json obs = nlohmann::json::array();
  for (const ObligationResult &o : obligations)
    obs.push_back({{"name", o.name},
                   {"shape", o.shape},
                   {"status", o.status},
                   {"level", o.level},
                   {"queries", o.queries},
                   {"seconds", o.seconds}});
  j["obligations"] = obs;
  if (counterexample) {
    const Counterexample &c = *counterexample;
    nlohmann::json cj;
    cj["obligation"] = c.obligation;
    cj["shape"] = c.shape;
    nlohmann::json in = nlohmann::json::object();
    for (auto &[n, t] : c.inputs) {
      auto text = [&](uint64_t b) -> std::string {
        if (t.dtype == spec::DType::Bool)
          return byteBits(static_cast<uint32_t>(b));
        if (t.dtype == spec::DType::Int64)
          return int64Bits(b);
        return formatBits(static_cast<uint32_t>(b));
      };
      if (t.sparse) { // docs/verdict-format.md: sparse inputs
        nlohmann::json el = nlohmann::json::array();
        for (auto &[k, b] : t.elements)
          el.push_back({{"index", k}, {"bits", text(b)}});
        in[n] = {{"dtype", spec::toString(t.dtype)},
                 {"shape", t.shape},
                 {"default", text(t.defaultBits)},
                 {"elements", el}};
        continue;
      }
      nlohmann::json bits = nlohmann::json::array();
      for (uint64_t b : t.bits)
        bits.push_back(text(b));
      in[n] = {{"dtype", spec::toString(t.dtype)},
               {"shape", t.shape},
               {"bits", bits}};
    }
    cj["inputs"] = in;
    if (!c.output.empty())
      cj["output"] = c.output;
    if (c.flatIndex >= 0) {
      cj["index"] = c.index;
      cj["flat_index"] = c.flatIndex;
    }
    if (c.referenceBits && c.candidateBits) {
      cj["reference"] = valueJson(*c.referenceBits, c.outputType);
      cj["candidate"] = valueJson(*c.candidateBits, c.outputType);
      cj["confirmed_by_interpreter"] = c.confirmedByInterpreter;
    }
    cj["depends_on_implementation_choice"] = c.dependsOnImplementationChoice;
    cj["detail"] = c.detail;
    if (c.location.valid())
      cj["location"] = locationJson(c.location);
    if (c.other.valid())
      cj["other_location"] = locationJson(c.other);
    j["counterexample"] = cj;
  }
  j["stats"] = stats;
  return j;
}

std::string Verdict::toText() const {
  std::ostringstream o;
  o << "verdict: " << toString(outcome);
  if (counterexample)
    o << " (" << counterexample->obligation << ")";
  if (outcome == Outcome::Unknown)
    o << " (" << unknownKind << ")";
  o << "\n";
  o << "  spec:       " << specPath << "\n";
  o << "  candidate:  " << manifestPath << "\n";
  if (!reason.empty())
    o << "  reason:     " << reason << "\n";
  if (counterexample) {
    const Counterexample &c = *counterexample;
    o << "  shape:      " << shapeText(c.shape) << "\n";
    o << "  problem:    " << c.detail << "\n";
    if (c.location.valid())
      o << "  at:         " << c.location.str() << " (" << c.location.what
        << ")"
        << (c.other.valid()
                ? " and " + c.other.str() + " (" + c.other.what + ")"
                : "")
        << "\n";
    if (!c.output.empty() && c.flatIndex >= 0)
      o << "  element:    " << c.output << indexText(c.index) << " (flat "
        << c.flatIndex << ")\n";
    if (c.referenceBits && c.candidateBits) {
      o << "  reference:  " << valueText(*c.referenceBits, c.outputType)
        << "\n";
      o << "  candidate:  " << valueText(*c.candidateBits, c.outputType)
        << "\n";
    }
    std::string inputs, defaults;
    unsigned shown = 0, nonzero = 0;
    for (auto &[n, t] : c.inputs) {
      std::vector<std::pair<int64_t, uint64_t>> els;
      if (t.sparse) {
        for (auto &[k, b] : t.elements)
          els.emplace_back(k, b);
        if (t.defaultBits != 0)
          defaults += "; every other element of " + n + " " +
                      valueText(t.defaultBits, t.dtype);
      } else {
        for (size_t i = 0; i < t.bits.size(); ++i)
          els.emplace_back(static_cast<int64_t>(i), t.bits[i]);
      }
      for (auto &[i, b] : els) {
        if (b == 0 && !t.sparse)
          continue;
        if (nonzero++ >= 8)
          continue;
        ++shown;
        inputs += (inputs.empty() ? "" : "; ") + n +
                  (t.shape.empty() ? "" : "[" + std::to_string(i) + "]") +
                  " = " + valueText(b, t.dtype);
      }
    }
    if (nonzero > shown)
      inputs += "; ... (" + std::to_string(nonzero - shown) + " more " +
                (defaults.empty() ? "non-zero)" : "listed)");
    o << "  inputs:     " << (inputs.empty() ? "all zero" : inputs)
      << (inputs.empty()     ? ""
          : defaults.empty() ? "; every other element 0"
                             : defaults)
      << "\n";
    if (c.confirmedByInterpreter)
      o << "  confirmed:  the reference interpreter computes the reference "
           "value on these inputs\n";
    if (c.dependsOnImplementationChoice)
      o << "  note:       the difference depends on a result OpenCL leaves "
           "implementation-defined; a device may or may not show it\n";
    o << "  replay:     ksynth run SPEC MANIFEST --replay <this verdict as "
         "--json>\n";
  }
  if (!obligations.empty()) {
    o << "  obligations:\n";
    for (const ObligationResult &r : obligations)
      o << "    " << r.name << " @ " << shapeText(r.shape) << ": " << r.status
        << (r.level.empty() ? "" : " [" + r.level + "]") << " (" << r.queries
        << " queries)\n";
  }
  o << "  assumptions:\n";
  if (assumptions.contains("shapes")) {
    std::string shapes;
    for (auto &b : assumptions["shapes"]) {
      spec::ShapeBinding sb = b.get<spec::ShapeBinding>();
      shapes += (shapes.empty() ? "" : "; ") + shapeText(sb);
    }
    o << "    shapes:     " << shapes
      << " (the proof covers exactly these shapes)\n";
  }
  if (assumptions.contains("domain"))
    for (auto &[k, v] : assumptions["domain"].items())
      o << "    domain:     " << k << ": " << v.get<std::string>() << "\n";
  for (const char *k : {"fp", "fmuladd", "nan", "tolerance", "method"})
    if (assumptions.contains(k))
      o << "    " << k << ": "
        << std::string(10 - std::min<size_t>(9, std::string(k).size()), ' ')
        << (assumptions[k].is_string() ? assumptions[k].get<std::string>()
                                       : assumptions[k].dump())
        << "\n";
  if (assumptions.contains("reference_functions"))
    o << "    functions:  "
      << assumptions["reference_functions"].get<std::string>() << "\n";
  if (assumptions.contains("work_items"))
    for (auto &[k, v] : assumptions["work_items"].items())
      o << "    work-items: " << k << ": " << v.get<std::string>() << "\n";
  if (assumptions.contains("unroll_bound"))
    o << "    bounds:     " << assumptions["unroll_bound"].dump()
      << " instructions per work-item path, "
      << assumptions["path_bound"].dump() << " paths per work-item"
      << (assumptions.contains("summarize_above") &&
                  assumptions["summarize_above"].get<uint64_t>() > 0
              ? ", symbolic-mode loops of " +
                    assumptions["summarize_above"].dump() +
                    " iterations or more summarised"
              : std::string())
      << "\n";
  if (assumptions.contains("abstractions"))
    for (auto &a : assumptions["abstractions"])
      o << "    abstraction: " << a.get<std::string>() << "\n";
  if (!solver.empty())
    o << "  solver:     " << solver.dump() << "\n";
  if (!stats.empty())
    o << "  stats:      " << stats.dump() << "\n";
  return o.str();
}

Verdict errorVerdict(const std::string &specPath,
                     const std::string &manifestPath, const UserError &e) {
  Verdict v;
  v.outcome = Outcome::Error;
  v.reason = e.what();
  v.specPath = specPath;
  v.manifestPath = manifestPath;
  return v;
}

} // namespace ksynth::verify
