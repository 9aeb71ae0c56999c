// `ksynth devices`: the OpenCL platforms and devices, as the worker sees
// them (so listing goes through the same loader and drivers as runs).
#pragma once

#include "runtime/Worker.h"

#include <nlohmann/json.hpp>

#include <string>

namespace ksynth::runtime {

// The worker's --devices result: {"devices": [...], "default": index}.
// Throws UserError (Failed) if the worker cannot list them.
nlohmann::json listDevices(const WorkerOptions &opt);

// One block per device: index, name, platform, driver, units, memories.
std::string formatDevices(const nlohmann::json &listing);

} // namespace ksynth::runtime
