// Pieces the built-in generator's tensor-op lowerings share: the __local
// tree sum of an expression (row sums and means, softmax's sum,
// layer_norm's two sums, rms_norm's sum of squares) and epilogues: the
// elementwise ops after a tensor op (matmul, conv2d) fused into the store
// of its output, with operands broadcast to that output (a bias [O] of a
// [B, O] matmul, a bias [O, 1, 1] of a conv2d output [N, O, H, W]).
#pragma once

#include "spec/Spec.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ksynth::synth {

// Statements for a work-group of `L` work-items (`L` a macro, `lid` the
// local id, `__local float red[L]` and `float acc` declared): `acc` gets the
// sum from +0 over j = lid, lid + L, ... < n of `term` (a C expression of
// j), then the work-group's sums are added in a __local tree and
// `result = red[0];` (an lvalue, or a declaration such as `const float
// s`) is visible to every work-item. Ends with a barrier, so `red` may be
// reused. Indented by two spaces.
std::string localTreeSum(const std::string &term, const std::string &result);

struct Epilogue {
  // An input the epilogue reads: a 0-d one by value, or a tensor read at the
  // output element's broadcast index: the sum of coordinate `dim` times
  // the stride passed as an int argument (`expr`, a manifest expression).
  struct Operand {
    std::string name;
    bool scalar = false;
    std::vector<std::pair<size_t, std::string>> terms;
  };
  std::string tensorOut; // the tensor op's output
  std::string output;    // the spec's output (tensorOut without epilogue)
  std::vector<const spec::OpNode *> ops; // elementwise, topological
  std::vector<Operand> operands;
  bool needsDivide = false;

  bool empty() const { return ops.empty(); }
  // Kernel parameters (each with a leading ", ") and their manifest args.
  std::string params() const;
  nlohmann::json args() const;
  // Statements turning `acc` (the tensor op's value at the output element
  // whose coordinates are the C expressions `coords`) into the spec
  // output's value, assigned back to `acc`. Empty without epilogue.
  std::string code(const std::vector<std::string> &coords) const;
  // "add, gelu" (for params and comments); "" without epilogue.
  std::string describe() const;
};

// The spec as its first op (in topological order; the caller checks which
// tensor op it is) followed by elementwise ops the generator lowers, each
// over that op's output shape (operands: chain values, literals, 0-d
// inputs, inputs that broadcast to it), with one spec output. nullopt with
// `why` otherwise.
std::optional<Epilogue> planEpilogue(const spec::Spec &s, std::string &why);

} // namespace ksynth::synth
