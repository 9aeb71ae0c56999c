#include "runtime/Failure.h"

#include "support/Error.h"

namespace ksynth::runtime {

std::optional<Failure> classifyOutcome(const WorkerOutcome &o) {
  Failure f;
  f.stderrTail = o.stderrTail;
  switch (o.status) {
  case WorkerOutcome::Status::Killed:
    f.kind = "killed";
    f.message = "candidate failed to run: " + o.message;
    return f;
  case WorkerOutcome::Status::Crashed:
    f.kind = "crashed";
    f.message = "candidate failed to run: " + o.message;
    return f;
  case WorkerOutcome::Status::Failed:
    f.kind = "worker";
    f.message = "candidate failed to run: " + o.message;
    return f;
  case WorkerOutcome::Status::Ok:
    break;
  }
  if (o.result.value("ok", false))
    return std::nullopt;
  const nlohmann::json &e = o.result.value("error", nlohmann::json::object());
  f.kind = e.value("kind", "internal");
  std::string msg = e.value("message", "unknown worker error");
  f.buildLog = e.value("build_log", "");
  if (f.kind == "build") {
    f.message = "candidate failed to build: " + msg;
  } else if (f.kind == "device") {
    f.exitCode = toInt(ExitCode::Usage);
    f.message = msg;
  } else if (f.kind == "job" || f.kind == "internal") {
    f.exitCode = toInt(ExitCode::Internal);
    f.message = "internal error (malformed worker job): " + msg;
  } else if (f.kind == "check") {
    f.exitCode = toInt(ExitCode::Refuted);
    f.message = msg;
  } else {
    f.message = "candidate failed to run: " + msg;
  }
  return f;
}

} // namespace ksynth::runtime
