// TEST-ONLY fault injection. KSYNTH_TEST_PLANT_BUG=<name> makes the
// verifier deliberately unsound in one place, so that tests can show that
// the self-check of a proof (tools/ksynth/SelfCheck.h) catches a false
// proof. Unset (always, outside those tests) it has no effect. Names:
//   drop-fneg   a float negation (LLVM fneg) is executed as its operand
#pragma once

#include <cstdlib>
#include <cstring>

namespace ksynth::verify {

inline bool plantedBug(const char *name) {
  static const char *planted = std::getenv("KSYNTH_TEST_PLANT_BUG");
  return planted && std::strcmp(planted, name) == 0;
}

} // namespace ksynth::verify
