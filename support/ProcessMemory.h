// The process's own memory use, for limits that end a verification with
// "unknown" before the kernel's OOM killer ends the process.
#pragma once

#include <cstdint>

namespace ksynth {

// Resident set size of this process in bytes (0 where it cannot be read).
uint64_t residentBytes();

// Resident set size of this process plus every descendant process (forked
// solvers, the runtime's worker and anything it forked), in bytes: what
// `--max-memory` caps. Children are found through
// /proc/self/task/*/children (cheap: no scan of /proc).
uint64_t treeResidentBytes();

// Physical memory of the machine in bytes (0 where it cannot be read).
uint64_t physicalBytes();

} // namespace ksynth
