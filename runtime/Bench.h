// Timing a candidate (`ksynth bench`): differential testing first (a kernel
// that fails it is never timed), then one worker job in mode "bench" whose
// rotated input sets carry the reference's output digests, so the worker
// itself refuses to time a kernel whose output is wrong at the bench shape
// (also when the job runs on another machine: --emit-job).
// Method: runtime/worker/BenchMode.h and runtime/README.md.
#pragma once

#include "runtime/Differential.h"
#include "runtime/Failure.h"
#include "runtime/FlopCount.h"
#include "runtime/Job.h"
#include "runtime/Worker.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ksynth::runtime {

struct BenchOptions {
  spec::ShapeBinding shape; // empty: the spec's largest listed shape
  int warmup = 3;
  int iters = 100;
  int rotate = 4; // input sets, each its own buffers
  uint64_t seed = 1;
  std::string device;
  WorkerOptions worker;
  uint64_t flushBytes = 0; // 0: max(2 x device cache, 256 MiB)
  uint64_t copyBytes = 0;  // 0: max(4 x device cache, 256 MiB)
  double peakMs = 0;       // 0: the worker's default (10 ms per peak launch)
  // --max-memory: a bench job whose host memory (the reference here; in
  // the worker every rotated set's buffers, the flush and copy buffers,
  // counted as host memory as on a CPU device) would exceed this is not
  // run: exit 5, verdict "too-large" (0: no check).
  uint64_t maxMemoryBytes = 0;
};

// Host memory in bytes a bench job at `shape` needs at most (see
// BenchOptions::maxMemoryBytes).
uint64_t benchMemoryBytes(const spec::Spec &s, const spec::Manifest &m,
                          const spec::ShapeBinding &shape,
                          const BenchOptions &opt);

spec::ShapeBinding defaultBenchShape(const spec::Spec &s);
std::string benchName(const spec::Spec &s, const spec::Manifest &m,
                      const spec::ShapeBinding &b);

// The bench job, with "expect": the reference's canonical output digest for
// every rotated input set (computed with the interpreter here).
nlohmann::json benchJob(const spec::Spec &s, const spec::Manifest &m,
                        const ProgramImage &program, const BenchOptions &opt);

struct BenchReport {
  int exitCode = 0;
  std::string verdict; // timed | refused | failed-to-run | error
  std::string message;
  std::optional<Failure> failure;
  std::optional<RunReport> check; // the differential test run first
  std::string name;
  spec::ShapeBinding shape;
  nlohmann::json result;   // the worker's result
  uint64_t bytes = 0;      // inputs read once + outputs written once
  double copyGBps = 0;     // measured, read + write
  FlopCount flops;         // the spec's flops at the bench shape
  double peakGflops = 0;   // measured float32 peak (0: not measured)
  double bytesFloorUs = 0; // bytes / copy bandwidth
  double flopsFloorUs = 0; // flops / peak (0 without a peak)
  double floorUs = 0;      // max(bytes floor, flops floor)
  std::string floorBound;  // "bytes" or "flops": which floor is the larger
  double medianUs = 0, meanUs = 0, minUs = 0, iqrUs = 0, stddevUs = 0;
  double wallMedianUs = 0;
  double achievedGBps = 0;   // bytes / median
  double achievedGflops = 0; // flops / median
  double ratio = 0;          // median / floor
  std::vector<std::string> flags;
};

// Derives the table's numbers from a worker's bench result (also one that
// came back from another machine).
BenchReport benchFromResult(const nlohmann::json &result, const spec::Spec &s,
                            const spec::Manifest &m,
                            const spec::ShapeBinding &shape);

// Differential test (checkOpt), then the timed job.
BenchReport benchCandidate(const spec::Spec &s, const spec::Manifest &m,
                           const ProgramImage &program, const BenchOptions &opt,
                           const RunOptions &checkOpt);

std::string formatBenchReport(const BenchReport &r);
// Google Benchmark's JSON format (context + benchmarks, with one
// "iteration" entry per timed launch and mean/median/stddev/cv aggregates).
nlohmann::json googleBenchmarkJson(const BenchReport &r);

} // namespace ksynth::runtime
