// Bench jobs, their results, and the check-then-time flow.
#include "runtime/Bench.h"

#include "runtime/Reference.h"
#include "runtime/TempDir.h"
#include "runtime/worker/Digest.h"
#include "spec/Interpreter.h"
#include "support/Error.h"
#include "support/ProcessMemory.h"

#include <algorithm>
#include <filesystem>

namespace ksynth::runtime {

using nlohmann::json;

spec::ShapeBinding defaultBenchShape(const spec::Spec &s) {
  spec::ShapeBinding best;
  int64_t bestN = -1;
  for (const spec::ShapeBinding &b : s.shapes) {
    int64_t n = 0;
    for (const auto &[name, t] : spec::inferTypes(s, b))
      n += t.numel();
    if (n > bestN) {
      bestN = n;
      best = b;
    }
  }
  return best;
}

std::string benchName(const spec::Spec &s, const spec::Manifest &m,
                      const spec::ShapeBinding &b) {
  std::string name =
      s.name + "/" + std::filesystem::path(m.path).stem().string();
  for (const auto &[k, v] : b)
    name += "/" + k + ":" + std::to_string(v);
  return name;
}

json benchJob(const spec::Spec &s, const spec::Manifest &m,
              const ProgramImage &program, const BenchOptions &opt) {
  spec::ShapeBinding shape =
      opt.shape.empty() ? defaultBenchShape(s) : opt.shape;
  JobPlan plan = planJob(s, m, shape);
  std::vector<InputSet> sets;
  json expect = json::array();
  // Digests decide bit-exact equality only; under a tolerance the bench
  // shape is checked by a run job instead (benchCandidate).
  bool digests = s.tolerance.bitExact();
  for (int k = 0; k < opt.rotate; ++k) {
    InputSet set =
        generatedSet(s, gen::Dist::Normal,
                     gen::mixSeed(opt.seed, 1000 + static_cast<uint64_t>(k)),
                     "bench set " + std::to_string(k));
    if (!digests) {
      sets.push_back(std::move(set));
      continue;
    }
    std::map<std::string, std::vector<uint8_t>> bytes;
    InputBytes in;
    for (const BufferPlan &b : plan.buffers)
      if (b.role == "input" || b.role == "scalar") {
        bytes[b.name] = hostBytes(b, set.inits.at(b.name));
        in[b.name] = &bytes[b.name];
      }
    auto ref = referenceBytes(s, plan, in);
    bytes.clear();
    json e = json::object();
    for (const auto &[name, v] : ref) {
      e[name] = {
          {"digest", digest::canonical(plan.find(name)->dtype(), v.data(),
                                       v.size(), s.tolerance.ignoreZeroSign)},
          {"ignore_zero_sign", s.tolerance.ignoreZeroSign}};
    }
    expect.push_back(e);
    sets.push_back(std::move(set));
  }
  std::string name = benchName(s, m, shape);
  json job =
      jobJson(plan, program, sets, "bench", deviceSelection(opt.device), name);
  job["bench"] = {{"warmup", opt.warmup},
                  {"iters", opt.iters},
                  {"flush_bytes", opt.flushBytes},
                  {"copy_bytes", opt.copyBytes}};
  if (opt.peakMs > 0)
    job["bench"]["peak_ms"] = opt.peakMs;
  if (digests)
    job["expect"] = expect;
  job["meta"] = {{"name", name},
                 {"shape", shape},
                 {"bytes_moved", plan.minimumBytes()},
                 {"flops", countFlops(s, shape).total},
                 {"spec", s.path},
                 {"manifest", m.path}};
  return job;
}

uint64_t benchMemoryBytes(const spec::Spec &s, const spec::Manifest &m,
                          const spec::ShapeBinding &shape,
                          const BenchOptions &opt) {
  JobPlan plan = planJob(s, m, shape);
  uint64_t in = 0, out = 0, temp = 0;
  for (const BufferPlan &b : plan.buffers)
    (b.role == "output" ? out : b.role == "temp" ? temp : in) += b.bytes;
  uint64_t floorBuf = uint64_t(256) << 20;
  // The reference digests are made before the worker starts; then ksynth
  // holds the job (generated inputs: a few KB) while the worker holds every
  // rotated set's buffers, temporaries, one set's host inputs and outputs,
  // the flush buffer and the two copy buffers (PoCL: host memory).
  uint64_t now = residentBytes();
  uint64_t digests = now + in + out + referenceHostBytes(s, plan);
  uint64_t worker = (uint64_t(96) << 20) +
                    static_cast<uint64_t>(opt.rotate) * (in + out) + temp + in +
                    out + std::max(opt.flushBytes, floorBuf) +
                    2 * std::max(opt.copyBytes, floorBuf);
  return std::max(digests, now + worker);
}

BenchReport benchFromResult(const json &result, const spec::Spec &s,
                            const spec::Manifest &m,
                            const spec::ShapeBinding &shape) {
  BenchReport r;
  r.result = result;
  r.shape = shape;
  r.name = benchName(s, m, shape);
  r.bytes = planJob(s, m, shape).minimumBytes();
  r.flops = countFlops(s, shape);
  WorkerOutcome o;
  o.status = WorkerOutcome::Status::Ok;
  o.result = result;
  if (std::optional<Failure> f = classifyOutcome(o)) {
    r.failure = f;
    r.exitCode = f->exitCode;
    r.verdict = f->kind == "check" ? "refused" : "failed-to-run";
    r.message = f->message;
    return r;
  }
  const json &b = result.at("bench");
  r.copyGBps = b.at("copy").at("gbps_read_plus_write").get<double>();
  const json &ev = b.at("event_us");
  r.medianUs = ev.at("median").get<double>();
  r.meanUs = ev.at("mean").get<double>();
  r.minUs = ev.at("min").get<double>();
  r.iqrUs = ev.at("iqr").get<double>();
  r.stddevUs = ev.at("stddev").get<double>();
  r.wallMedianUs = b.at("wall_us").at("median").get<double>();
  // A result from an older worker has no peak: the bytes floor only.
  if (b.contains("peak"))
    r.peakGflops = b.at("peak").value("gflops", 0.0);
  // GB/s = bytes per ns; us -> bytes / (us * 1e3 ns). Likewise GFLOP/s.
  r.bytesFloorUs = r.copyGBps > 0 ? double(r.bytes) / r.copyGBps / 1e3 : 0;
  r.flopsFloorUs = r.peakGflops > 0 ? r.flops.total / r.peakGflops / 1e3 : 0;
  r.floorUs = std::max(r.bytesFloorUs, r.flopsFloorUs);
  r.floorBound = r.flopsFloorUs > r.bytesFloorUs ? "flops" : "bytes";
  r.achievedGBps = r.medianUs > 0 ? double(r.bytes) / (r.medianUs * 1e3) : 0;
  r.achievedGflops = r.medianUs > 0 ? r.flops.total / (r.medianUs * 1e3) : 0;
  r.ratio = r.floorUs > 0 ? r.medianUs / r.floorUs : 0;
  for (const json &f : b.value("flags", json::array()))
    r.flags.push_back(f.get<std::string>());
  std::string which = r.floorBound == "flops"
                          ? "the flops floor: flops over the measured peak"
                          : "the bytes floor: bytes moved over the measured "
                            "copy bandwidth";
  if (r.floorUs > 0 && r.medianUs < 0.95 * r.floorUs)
    r.flags.push_back("implausible: median time is below the floor (" + which +
                      ")");
  else if (r.floorUs > 0 && r.medianUs < r.floorUs)
    r.flags.push_back("at the floor: median within 5% below it (" + which +
                      "; measurement noise, or a reference measurement "
                      "slower than this kernel)");
  if (r.peakGflops <= 0)
    r.flags.push_back(
        b.contains("peak")
            ? "no float32 peak measured (" +
                  b.at("peak").value("error", std::string("?")) +
                  "): the floor is the bytes floor only"
            : "the result has no float32 peak (an older worker): the floor "
              "is the bytes floor only");

  if (r.ratio > 10)
    r.flags.push_back("over 10x the floor");
  if (!b.at("check").value("performed", false))
    r.flags.push_back(
        s.tolerance.bitExact()
            ? "outputs were not checked against reference digests (job "
              "without \"expect\")"
            : "the tolerance is not bit-exact, so the worker could not check "
              "outputs by digest (ksynth bench checks the bench shape with a "
              "run job first; a job emitted for another machine is "
              "unchecked there)");
  r.verdict = "timed";
  r.exitCode = 0;
  r.message = "timed";
  return r;
}

BenchReport benchCandidate(const spec::Spec &s, const spec::Manifest &m,
                           const ProgramImage &program, const BenchOptions &opt,
                           const RunOptions &checkOpt) {
  spec::ShapeBinding shape =
      opt.shape.empty() ? defaultBenchShape(s) : opt.shape;
  BenchReport r;
  r.shape = shape;
  r.name = benchName(s, m, shape);
  RunReport check = differentialTest(s, m, program, checkOpt);
  if (check.exitCode == 0 && !s.tolerance.bitExact()) {
    // No reference digests under a tolerance: compare at the bench shape
    // here, on normal inputs, before timing.
    RunOptions atShape = checkOpt;
    atShape.shapes = {shape};
    atShape.dists = {gen::Dist::Normal};
    RunReport more = differentialTest(s, m, program, atShape);
    for (SetReport &set : more.sets)
      check.sets.push_back(std::move(set));
    if (more.exitCode != 0) {
      check.exitCode = more.exitCode;
      check.verdict = more.verdict;
      check.message = more.message;
      check.failure = more.failure;
    }
  }
  r.check = check;
  if (check.exitCode != 0) {
    r.exitCode = check.exitCode;
    r.failure = check.failure;
    r.verdict = check.failure || check.verdict == "too-large" ? check.verdict
                                                              : "refused";
    r.message =
        "refusing to time: differential testing failed (" + check.message + ")";
    return r;
  }
  if (opt.maxMemoryBytes) {
    uint64_t need = benchMemoryBytes(s, m, shape, opt);
    if (need > opt.maxMemoryBytes) {
      r.exitCode = toInt(ExitCode::Unknown);
      r.verdict = "too-large";
      r.message = "not timed: the bench job at " + spec::formatBinding(shape) +
                  " needs about " + std::to_string(need >> 20) +
                  " MB of host memory (" + std::to_string(opt.rotate) +
                  " rotated input sets, flush and copy buffers, device "
                  "buffers counted as host memory as on a CPU device), over "
                  "--max-memory " +
                  std::to_string(opt.maxMemoryBytes >> 20) +
                  " MB; raise --max-memory, or lower --rotate or the shape";
      return r;
    }
  }
  json job = benchJob(s, m, program, opt);
  TempDir dir;
  WorkerOutcome o = runWorker(job, dir, opt.worker);
  if (!o.ok()) {
    std::optional<Failure> f = classifyOutcome(o);
    r.failure = f;
    r.exitCode = f->exitCode;
    r.verdict = "failed-to-run";
    r.message = f->message;
    return r;
  }
  BenchReport timed = benchFromResult(o.result, s, m, shape);
  timed.check = check;
  if (timed.verdict == "refused")
    timed.message = "refusing to time: " + timed.message;
  return timed;
}

} // namespace ksynth::runtime
