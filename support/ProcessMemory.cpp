#include "support/ProcessMemory.h"

#include <cstdio>
#include <dirent.h>
#include <string>
#include <unistd.h>
#include <vector>

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

namespace {

uint64_t residentOf(const std::string &pid) {
  std::FILE *f = std::fopen(("/proc/" + pid + "/statm").c_str(), "r");
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

void childrenOf(const std::string &pid, std::vector<std::string> &out) {
  DIR *d = ::opendir(("/proc/" + pid + "/task").c_str());
  if (!d)
    return;
  while (struct dirent *e = ::readdir(d)) {
    if (e->d_name[0] == '.')
      continue;
    std::FILE *f = std::fopen(
        ("/proc/" + pid + "/task/" + e->d_name + "/children").c_str(), "r");
    if (!f)
      continue;
    long c;
    while (std::fscanf(f, "%ld", &c) == 1)
      out.push_back(std::to_string(c));
    std::fclose(f);
  }
  ::closedir(d);
}

} // namespace

uint64_t treeResidentBytes() {
  uint64_t total = residentBytes();
  std::vector<std::string> todo;
  childrenOf("self", todo);
  for (size_t depth = 0; !todo.empty() && depth < 64; ++depth) {
    std::vector<std::string> next;
    for (const std::string &pid : todo) {
      total += residentOf(pid);
      childrenOf(pid, next);
    }
    todo = std::move(next);
  }
  return total;
}

uint64_t physicalBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0)
    return 0;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page);
}

} // namespace ksynth
