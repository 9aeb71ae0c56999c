#include "support/ProcessMemory.h"

#include <cstdio>
#include <unistd.h>

namespace ksynth {

uint64_t residentBytes() {
  // /proc/self/statm: size resident shared text lib data dt (in pages).
  std::FILE *f = std::fopen("/proc/self/statm", "r");
  if (!f)
    return 0;
  unsigned long long size = 0, resident = 0;
  int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  long page = sysconf(_SC_PAGESIZE);
  if (n != 2 || page <= 0)
    return 0;
  return static_cast<uint64_t>(resident) * static_cast<uint64_t>(page);
}

uint64_t physicalBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0)
    return 0;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page);
}

} // namespace ksynth
