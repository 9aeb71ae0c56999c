// Op attributes: the schema each op declares (name and kind), the check the
// parser runs against it, and typed readers used by shape inference and the
// semantics. Every error is a UserError with a message that has no file or
// op prefix (the caller adds them).
#pragma once

#include "spec/Spec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ksynth::spec {

enum class AttrKind {
  Float,         // a number, rounded to float32 (must be within float32 range)
  Int,           // an integer
  Ints,          // an integer or a list of integers (per spatial dim)
  Dims,          // a dim: an integer or a list of distinct integers
  Bool,          // true or false
  Choice,        // one of the listed strings
  FloatOrChoice, // a number or one of the listed strings (norm's p)
};

struct AttrSpec {
  const char *name;
  AttrKind kind;
  std::vector<const char *> choices = {}; // Choice, FloatOrChoice
  bool required = false;
};

// Checks names (known for the op), kinds and required attrs. Messages:
// "takes no attrs, got 'x'", "unknown attr 'x' (known: a, b)",
// "attr 'a' must be a number, got \"s\"", "needs attr 'dim'", ...
void checkAttrs(const OpNode &op, const std::vector<AttrSpec> &schema);

// Typed readers; the parser has checked kinds, but the readers re-check so
// that a hand-built OpNode cannot read garbage.
float attrF32(const OpNode &op, const char *name, float dflt);
int64_t attrInt(const OpNode &op, const char *name, int64_t dflt);
bool attrBool(const OpNode &op, const char *name, bool dflt);
std::string attrStr(const OpNode &op, const char *name, const char *dflt);
// An integer or a list of `n` integers, as `n` values ("stride": 2 or
// [2, 1]); absent: `dflt` repeated.
std::vector<int64_t> attrInts(const OpNode &op, const char *name, size_t n,
                              int64_t dflt);
// The dims named by attr `name` (an integer or a list), wrapped into
// [0, rank) as PyTorch does (-1 is the last dim; a 0-d tensor accepts 0 and
// -1), sorted; nullopt if absent. Throws on an out-of-range or repeated dim:
// "dim 3 is out of range for a 2-d tensor (expected -2..1)".
std::optional<std::vector<int64_t>> attrDims(const OpNode &op, const char *name,
                                             size_t rank);
// One dim, wrapped as above.
int64_t wrapDim(int64_t dim, size_t rank);

// True if `v` rounds to a finite float32 (round to nearest even).
bool fitsF32(double v);
// Shortest decimal text that reads back as `v` ("0.1", "1e+39").
std::string formatNumber(double v);
// "a, b, c".
std::string joinNames(const std::vector<const char *> &names);

} // namespace ksynth::spec
