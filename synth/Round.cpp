// round.json and the worker's results (Round.h).
#include "synth/Round.h"

#include "runtime/Bench.h"
#include "spec/Manifest.h"
#include "support/Error.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace ksynth::synth {

namespace fs = std::filesystem;

void writeRound(const std::string &dir, const SynthResult &r,
                const std::string &specPath, const std::string &benchShape) {
  nlohmann::json cands = nlohmann::json::array();
  for (const Outcome &o : r.outcomes) {
    nlohmann::json j = o.toJson();
    j["source"] = o.cand.source;
    j["manifest"] = o.cand.manifest;
    cands.push_back(j);
  }
  nlohmann::json doc = {
      {"spec", specPath}, {"bench_shape", benchShape}, {"candidates", cands}};
  fs::create_directories(dir);
  std::ofstream f(fs::path(dir) / "round.json");
  f << doc.dump(1) << "\n";
  if (!f)
    throw UserError(ExitCode::InputError,
                    "cannot write " + dir + "/round.json");
}

Outcome outcomeFromJson(const nlohmann::json &j) {
  Outcome o;
  o.cand.id = j.value("id", "");
  o.cand.generator = j.value("generator", "");
  o.cand.kind = j.value("kind", "");
  o.cand.params = j.value("params", nlohmann::json::object());
  o.cand.baseline = j.value("baseline", false);
  o.cand.source = j.value("source", "");
  o.cand.manifest = j.value("manifest", nlohmann::json::object());
  o.hash = j.value("source_hash", "");
  o.dir = j.value("dir", "");
  o.verdict = j.value("verdict", "");
  o.level = j.value("level", "");
  o.reason = j.value("reason", "");
  o.unknownKind = j.value("unknown_kind", "");
  o.counterexample = j.value("counterexample", nlohmann::json());
  o.compileError = j.value("compile_error", "");
  o.verifySeconds = j.value("verify_seconds", 0.0);
  o.verifyExit = j.value("verify_exit", -1);
  o.timing = j.value("timing", "not-timed");
  o.timingNote = j.value("timing_note", "");
  o.unverified = j.value("unverified", false);
  if (j.contains("device_us")) {
    const auto &d = j.at("device_us");
    o.medianUs = d.value("median", 0.0);
    o.minUs = d.value("min", 0.0);
    o.iqrUs = d.value("iqr", 0.0);
    o.stddevUs = d.value("stddev", 0.0);
  }
  return o;
}

std::vector<Outcome> readRound(const std::string &dir, const spec::Spec &s) {
  fs::path p = fs::path(dir) / "round.json";
  nlohmann::json doc = spec::readJsonFile(p.string());
  if (!doc.contains("candidates") || !doc.at("candidates").is_array())
    throw UserError(ExitCode::InputError, p.string() + ": no candidates");
  std::string specPath = doc.value("spec", "");
  if (!specPath.empty() && fs::exists(specPath) &&
      spec::parseSpecFile(specPath).name != s.name)
    throw UserError(ExitCode::InputError,
                    p.string() + ": the round is for spec " + specPath);
  std::vector<Outcome> r;
  for (const auto &j : doc.at("candidates"))
    r.push_back(outcomeFromJson(j));
  return r;
}

void applyResults(std::vector<Outcome> &outcomes, const std::string &roundDir,
                  const nlohmann::json &results, const spec::Spec &s,
                  double &eagerUs, double &compileUs) {
  if (!results.is_object())
    throw UserError(ExitCode::InputError,
                    "--results: expected the results.json of run_on_gpu.sh");
  std::vector<double> eager, compiled;
  for (auto it = results.begin(); it != results.end(); ++it) {
    if (it.key().rfind("pytorch", 0) != 0)
      continue;
    const nlohmann::json &res = it.value().value("results", nlohmann::json());
    if (res.contains("eager"))
      eager.push_back(res["eager"]["event_us"].value("median", 0.0));
    if (res.contains("compile"))
      compiled.push_back(res["compile"]["event_us"].value("median", 0.0));
  }
  auto median = [](std::vector<double> v) {
    if (v.empty())
      return 0.0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  eagerUs = median(eager);
  compileUs = median(compiled);
  for (Outcome &o : outcomes) {
    if (o.timing != "emitted")
      continue;
    std::vector<runtime::BenchReport> runs;
    for (auto it = results.begin(); it != results.end(); ++it) {
      if (it.key().rfind(o.cand.id + ".", 0) != 0)
        continue;
      spec::Manifest man = spec::parseManifestFile(
          (fs::path(roundDir) / "candidates" / o.cand.id / "manifest.json")
              .string(),
          s);
      spec::ShapeBinding shape = runtime::defaultBenchShape(s);
      if (it.value().contains("meta") &&
          it.value().at("meta").contains("shape"))
        shape = it.value().at("meta").at("shape").get<spec::ShapeBinding>();
      runs.push_back(runtime::benchFromResult(it.value(), s, man, shape));
    }
    if (runs.empty()) {
      o.timingNote = "no result for " + o.cand.id + " in --results";
      continue;
    }
    std::vector<runtime::BenchReport *> timed;
    for (auto &r : runs)
      if (r.verdict == "timed")
        timed.push_back(&r);
    if (timed.empty()) {
      o.timing = runs[0].verdict;
      o.timingNote = runs[0].message;
      continue;
    }
    std::sort(timed.begin(), timed.end(),
              [](auto *a, auto *b) { return a->medianUs < b->medianUs; });
    const runtime::BenchReport &b = *timed[timed.size() / 2];
    o.timing = "timed";
    o.timingNote =
        std::to_string(timed.size()) + " run(s) on the device machine";
    o.medianUs = b.medianUs;
    o.minUs = b.minUs;
    o.iqrUs = b.iqrUs;
    o.stddevUs = b.stddevUs;
  }
}

} // namespace ksynth::synth
