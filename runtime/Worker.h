// Running a job in the isolated worker (runtime/worker/): ksynth writes the
// job to a private temporary directory, starts ksynth-worker in its own
// process group with a deadline and resource limits, and reads its result.
// A hang is killed ("killed after 10 s deadline"), a crash is reported
// ("worker crashed: signal 11 (SIGSEGV)"), and the next job runs normally.
#pragma once

#include "runtime/TempDir.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ksynth::runtime {

struct WorkerOptions {
  std::string workerPath;         // empty: findWorker()
  double timeoutSeconds = 30;     // wall-clock deadline of one worker
  uint64_t addressSpaceBytes = 0; // RLIMIT_AS; 0 = none (GPU drivers)
  uint64_t cpuSeconds = 0;        // RLIMIT_CPU; 0 = timeout x cores + 10 s
};

struct WorkerOutcome {
  enum class Status {
    Ok,      // a result was written and parsed (its "ok" may be false)
    Killed,  // past the deadline
    Crashed, // died of a signal
    Failed,  // exited without a usable result
  } status = Status::Failed;
  nlohmann::json result;  // Status::Ok
  std::string message;    // otherwise: one line
  std::string stderrTail; // last lines the worker printed on stderr
  double seconds = 0;
  bool ok() const { return status == Status::Ok; }
};

// The worker executable: $KSYNTH_WORKER if set, else ksynth-worker next to
// the running program, or in ../runtime/worker or ../../runtime/worker
// from it (the build tree). Throws UserError (Failed) if none exists.
std::string findWorker();

// Runs `job` (a job document, runtime/README.md) in `dir`: writes
// dir/job.json, the worker writes dir/result.json. Output files the job
// asks for (run.output_dir) stay in dir until it is destroyed.
WorkerOutcome runWorker(const nlohmann::json &job, const TempDir &dir,
                        const WorkerOptions &opt);

// `ksynth-worker --devices`: every platform and device, and the default.
WorkerOutcome listDevicesWithWorker(const WorkerOptions &opt);

} // namespace ksynth::runtime
