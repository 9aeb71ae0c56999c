// Error channels and exit codes shared by every ksynth library and tool.
//
// Three channels (docs/architecture.md):
//  * user input errors: throw UserError (message + documented exit code);
//  * internal errors: assert / KSYNTH_UNREACHABLE (a bug in ksynth);
//  * verification failures: a Verdict, never an exception.
#pragma once

#include <stdexcept>
#include <string>

namespace ksynth {

// Documented process exit codes (README, "Exit codes").
enum class ExitCode : int {
  Proved = 0,     // proved (or, for non-verify commands, success)
  Usage = 1,      // bad command line
  InputError = 2, // spec, manifest or kernel does not parse / compile
  Unknown = 5,    // verifier could not decide (timeout, bound, unsupported)
  Failed = 7,     // run/bench: the candidate failed on the device
  Internal = 6,   // bug in ksynth
  Refuted = 10,   // a counterexample exists
};

inline int toInt(ExitCode c) { return static_cast<int>(c); }

// A problem with what the user gave us. The message is one line and names
// the file (and line, where known) it is about.
class UserError : public std::runtime_error {
public:
  UserError(ExitCode code, const std::string &msg)
      : std::runtime_error(msg), code_(code) {}
  explicit UserError(const std::string &msg)
      : UserError(ExitCode::InputError, msg) {}
  ExitCode code() const { return code_; }

private:
  ExitCode code_;
};

[[noreturn]] void unreachable(const char *msg, const char *file, int line);

} // namespace ksynth

#define KSYNTH_UNREACHABLE(msg) ::ksynth::unreachable(msg, __FILE__, __LINE__)
