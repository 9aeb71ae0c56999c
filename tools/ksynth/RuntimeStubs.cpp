// TEMPORARY weak definitions until RuntimeCommands.cpp lands (removed then).
#include "Commands.h"

#include "support/Error.h"

namespace ksynth::cli {
__attribute__((weak)) int cmdDevices(const std::vector<std::string> &) {
  throw UserError(ExitCode::Usage, "devices: not built yet");
}
__attribute__((weak)) int cmdRun(const std::vector<std::string> &) {
  throw UserError(ExitCode::Usage, "run: not built yet");
}
__attribute__((weak)) int cmdBench(const std::vector<std::string> &) {
  throw UserError(ExitCode::Usage, "bench: not built yet");
}
} // namespace ksynth::cli
