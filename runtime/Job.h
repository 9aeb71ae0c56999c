// Worker jobs from a spec, a manifest and a shape binding: the buffers
// (spec inputs and outputs, manifest temporaries), the launches with every
// expression evaluated, the program (SPIR bitcode and/or OpenCL C source)
// and the input sets (generated from a seed, or given bit for bit).
// Job format: runtime/README.md.
#pragma once

#include "runtime/worker/Generate.h"
#include "spec/Interpreter.h"
#include "spec/Manifest.h"
#include "spec/Spec.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ksynth::runtime {

// What the device builds. On PoCL the worker builds `bitcode` (the module
// the verifier proved); where the device takes no SPIR it builds `source`.
struct ProgramImage {
  std::string bitcode;         // SPIR (spir64) bitcode; may be empty
  std::string source;          // OpenCL C
  std::string options;         // OpenCL build options
  std::string prefer = "auto"; // auto | binary | source
};

// The source and options a device build needs to match the verifier's
// compile: -cl-std=CL1.2, the manifest's options, and
// `#pragma OPENCL FP_CONTRACT OFF` when the manifest says fp_contract false.
ProgramImage programImage(const spec::Manifest &m, std::string bitcode);

// One buffer of a job.
struct BufferPlan {
  std::string name;
  std::string role;      // input | output | temp | scalar (0-d input, by value)
  spec::TensorType type; // temporaries: dims {size}
  size_t bytes = 0;
  std::string dtype() const { return spec::toString(type.dtype); }
};

struct JobPlan {
  spec::ShapeBinding shape;
  std::vector<BufferPlan> buffers;
  nlohmann::json launches; // the job's "launches" array
  const BufferPlan *find(const std::string &name) const;
  // Bytes the problem must move at least: inputs read once plus outputs
  // written once.
  uint64_t minimumBytes() const;
};

// Throws UserError (InputError) when the manifest does not fit the spec at
// this binding (e.g. a size expression that is not positive).
JobPlan planJob(const spec::Spec &s, const spec::Manifest &m,
                const spec::ShapeBinding &b);

// Contents of one input in one input set.
struct TensorInit {
  bool generate = true;
  gen::Dist dist = gen::Dist::Normal;
  uint64_t seed = 0;
  gen::Domain domain;
  std::vector<uint8_t> bytes; // !generate: exactly the buffer's bytes
};

// Every input (and 0-d input) of the spec, by name.
struct InputSet {
  std::string label; // "normal", "replay", ...
  std::map<std::string, TensorInit> inits;
};

gen::Domain genDomain(const spec::Domain &d);

// A generated input set: each input gets distribution `d` and a seed
// derived from `seed` and its position, honouring its domain.
InputSet generatedSet(const spec::Spec &s, gen::Dist d, uint64_t seed,
                      const std::string &label);

// The bytes a TensorInit stands for (identical to what the worker makes).
std::vector<uint8_t> hostBytes(const BufferPlan &b, const TensorInit &init);

// The inputs of a set as interpreter tensors.
std::map<std::string, spec::Tensor<spec::Scalar>>
inputTensors(const spec::Spec &s, const JobPlan &plan,
             const std::map<std::string, std::vector<uint8_t>> &bytes);

// Raw bytes of a tensor (float32: little-endian bits; bool: one byte 0/1;
// int64: 8 bytes little-endian).
std::vector<uint8_t> tensorBytes(const spec::Tensor<spec::Scalar> &t);

// --device argument to the job's "device" selection: "" -> null (default:
// PoCL CPU, else the first device); "3" -> index 3; "1:0" -> platform 1,
// device 0; anything else -> a case-insensitive name substring.
nlohmann::json deviceSelection(const std::string &arg);

// The job document. Given (not generated) input bytes travel inline as
// base64, or, when `inputDir` is not empty, as files written there
// ({"file": PATH}: no base64 copy in the job, read by the worker one set at
// a time).
nlohmann::json jobJson(const JobPlan &plan, const ProgramImage &program,
                       const std::vector<InputSet> &sets,
                       const std::string &mode, const nlohmann::json &device,
                       const std::string &label,
                       const std::string &inputDir = "");

} // namespace ksynth::runtime
