#include "support/Error.h"

#include <cstdio>
#include <cstdlib>

namespace ksynth {

void unreachable(const char *msg, const char *file, int line) {
  std::fprintf(stderr, "ksynth: internal error: %s (%s:%d)\n", msg, file, line);
  std::abort();
}

} // namespace ksynth
