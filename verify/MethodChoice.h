// Which verification method a shape gets (the first half of verify(); the
// second is the pipeline each method feeds): every work-item enumerated
// with concrete ids, one arbitrary work-item with symbolic ids, or one
// arbitrary work-group (work-items that share __local memory or meet at
// barriers). The symbolic methods are used above --symbolic-above
// work-items or output elements, where the spec and kernel qualify; where
// they cannot decide, shapes small enough are enumerated instead.
#pragma once

#include "spec/Manifest.h"
#include "spec/Spec.h"
#include "verify/Verifier.h"

#include <cstdint>
#include <map>
#include <string>

namespace llvm {
class Function;
} // namespace llvm

namespace ksynth::verify {

enum class Method { Enumerate, OneWorkItem, OneWorkGroup };
const char *toString(Method m);

struct MethodChoice {
  Method method = Method::Enumerate;
  uint64_t items = 0;      // work-items of the largest launch
  uint64_t outElems = 0;   // elements of the largest output
  uint64_t groupItems = 1; // work-items of a group (OneWorkGroup)
  // Whether enumeration is feasible (the fallback of a symbolic method):
  // few enough work-items, and of input elements where a tensor op reads
  // many of them per work-item.
  // (limits: ExecLimits::maxEnumeratedItems, maxEnumeratedInputElems)
  bool canEnumerate = true;
  // Where the choice is Enumerate and enumeration is not feasible: the
  // unknown (too-large) reason, naming the limit, given before starting.
  std::string tooLarge;
  // Why no symbolic method (where Enumerate), for the assumptions.
  std::string whyNotSymbolic;
};

// `kernel0`: the first launch's kernel (the symbolic methods verify one
// launch).
MethodChoice chooseMethod(const spec::Spec &s, const spec::Manifest &m,
                          const llvm::Function &kernel0,
                          const spec::ShapeBinding &shape,
                          const std::map<std::string, spec::TensorType> &types,
                          const VerifyOptions &opts);

// The same for the manifest's first kernel, compiled here from its source
// (for tools and tests that hold no module).
MethodChoice chooseMethod(const spec::Spec &s, const spec::Manifest &m,
                          const spec::ShapeBinding &shape,
                          const VerifyOptions &opts);

} // namespace ksynth::verify
