// Child processes of the gate: one `ksynth verify` per pair, and the second
// solver of --crosscheck, each in its own process group with a deadline
// enforced from outside (the whole group is killed when it passes).
#pragma once

#include <string>
#include <vector>

namespace ksynth::gate {

struct ChildResult {
  int exitCode = -1;     // the exit status; -1 when killed by a signal
  int signal = 0;        // the signal that ended it, if any
  bool timedOut = false; // killed by us at the deadline
  bool startFailed = false;
  double seconds = 0;
};

// Runs ARGV (argv[0] a path) with stdin from /dev/null, stdout to
// STDOUTPATH and stderr to STDERRPATH (empty: /dev/null), killing its
// process group after TIMEOUTSECONDS (0: none).
ChildResult runChild(const std::vector<std::string> &argv,
                     const std::string &stdoutPath,
                     const std::string &stderrPath, double timeoutSeconds);

// The last non-empty line of a file (at most 400 characters), or "".
std::string lastLine(const std::string &path);

} // namespace ksynth::gate
