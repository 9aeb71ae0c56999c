#include "verify/core/Unknown.h"

namespace ksynth::verify {

const char *toString(UnknownKind k) {
  switch (k) {
  case UnknownKind::Timeout:
    return "timeout";
  case UnknownKind::Bound:
    return "bound";
  case UnknownKind::Unsupported:
    return "unsupported";
  case UnknownKind::Approximation:
    return "approximation";
  case UnknownKind::TooLarge:
    return "too-large";
  case UnknownKind::Inconsistent:
    return "inconsistent";
  }
  return "?";
}

} // namespace ksynth::verify
