// A candidate: OpenCL C source plus its launch manifest (which kernels run
// in which order, how their arguments bind to spec tensors, temporaries and
// scalars, and the NDRange as expressions of the shape symbols).
// File format: docs/manifest-format.md.
#pragma once

#include "spec/IntExpr.h"
#include "spec/Spec.h"

#include <optional>
#include <string>
#include <vector>

namespace ksynth::spec {

// One kernel argument.
struct ArgBinding {
  enum class Kind {
    Tensor,    // a spec input/output: __global pointer, or by value if 0-d
    Temporary, // a manifest temporary: __global pointer
    Int,       // integer scalar by value: an IntExpr of the shape symbols
    Float,     // float literal by value
    Local,     // __local pointer of `localBytes` bytes (issue 4)
  } kind = Kind::Int;
  std::string name; // Tensor / Temporary
  IntExpr value;    // Int; Local: size in bytes
  double fvalue = 0;
};

struct Launch {
  std::string kernel;
  std::vector<ArgBinding> args;
  std::vector<IntExpr> global;               // 1..3 dims
  std::optional<std::vector<IntExpr>> local; // absent: left to the driver
  // "sub_group_size": the size of the launch's sub-groups (cl_khr_subgroups),
  // which the device chooses: the verifier does not guess it, and a proof
  // holds for this size only. 0: not declared (sub-group builtins unknown).
  int64_t subGroupSize = 0;
};

struct Temporary {
  std::string name;
  DType dtype = DType::Float32;
  IntExpr size; // elements
};

struct Manifest {
  std::string path;       // the manifest file
  std::string sourcePath; // absolute path of the .cl file
  std::string source;     // its contents
  std::vector<std::string>
      buildOptions;       // OpenCL build options, e.g.
                          // -cl-fp32-correctly-rounded-divide-sqrt
  bool fpContract = true; // OpenCL default: a*b+c may be contracted (fmuladd)
  // Most __local memory one launch may use (bytes; "local_mem_bytes"),
  // __local arguments plus static __local variables.
  int64_t localMemBytes = 49152;
  std::vector<Temporary> temporaries;
  std::vector<Launch> launches;
};

// Parses and validates against the spec (tensor names exist, sizes are
// expressions of the spec's symbols, 1..3 dims, local dims match global).
// Reads the source file (relative to the manifest's folder). Throws
// UserError (InputError) "FILE: message".
Manifest parseManifestFile(const std::string &path, const Spec &spec);
Manifest parseManifest(const nlohmann::json &j, const std::string &path,
                       const Spec &spec);

} // namespace ksynth::spec
