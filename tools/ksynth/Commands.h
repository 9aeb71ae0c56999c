// Subcommands of the ksynth CLI. Each returns the process exit code
// (support/Error.h) and reports user errors as one line on stderr.
#pragma once

#include <string>
#include <vector>

namespace ksynth::cli {

int cmdVerify(const std::vector<std::string> &args);  // VerifyCommand.cpp
int cmdEval(const std::vector<std::string> &args);    // EvalCommand.cpp
int cmdDevices(const std::vector<std::string> &args); // RuntimeCommands.cpp
int cmdRun(const std::vector<std::string> &args);     // RuntimeCommands.cpp
int cmdBench(const std::vector<std::string> &args);   // RuntimeCommands.cpp
int cmdSynth(const std::vector<std::string> &args);   // SynthCommand.cpp
int cmdGate(const std::vector<std::string> &args);    // GateCommand.cpp
int cmdCache(const std::vector<std::string> &args);   // GateCommand.cpp
int cmdImport(const std::vector<std::string> &args);  // ImportCommand.cpp

// A flag's value as an unsigned 32-bit integer; a usage error (exit 1)
// naming the flag otherwise (VerifyCommand.cpp).
unsigned parseUnsignedOption(const std::string &flag, const std::string &v);

} // namespace ksynth::cli
