// What a failed worker run means for the user: the exit code (7 when the
// candidate failed to run: build error, launch error, crash, hang; 1 for a
// --device that matches nothing; 6 for a malformed job, a ksynth bug) and
// one line saying why.
#pragma once

#include "runtime/Worker.h"

#include <optional>
#include <string>

namespace ksynth::runtime {

struct Failure {
  int exitCode = 7;
  std::string kind;     // build | launch | execution | resource | check |
                        // killed | crashed | worker | device | job | internal
  std::string message;  // one line
  std::string buildLog; // build failures
  std::string stderrTail;
};

// nullopt if the worker ran the job and reported success.
std::optional<Failure> classifyOutcome(const WorkerOutcome &o);

} // namespace ksynth::runtime
