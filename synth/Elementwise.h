// OpenCL C lowering of elementwise specs (every op elementwise over float32,
// each operand the output's full shape, a 0-d tensor or a literal): the
// naive lowering (one kernel per op, temporaries between them, one
// work-item per element) and fused kernels (the whole chain in one launch)
// with a schedule: vector width with a scalar tail, elements per work-item,
// blocked or grid-stride order, work-group size.
#pragma once

#include "synth/Candidate.h"

#include "spec/Spec.h"

#include <optional>
#include <string>
#include <vector>

namespace ksynth::synth {

struct ElementwisePlan {
  const spec::Spec *spec = nullptr;
  std::string numel;                     // element count as an expression
  std::vector<std::string> tensorIns;    // full-shape inputs, in spec order
  std::vector<std::string> scalarIns;    // 0-d inputs (by value)
  std::vector<const spec::OpNode *> ops; // topological order
  bool needsIeeeDivide = false;          // uses `/`
};

// The plan, or nullopt with `why` set when the spec is not of this form.
std::optional<ElementwisePlan> planElementwise(const spec::Spec &s,
                                               std::string &why);

struct Schedule {
  int vec = 1;          // 1, 2 or 4 (float2/float4 loads with a scalar tail)
  int ept = 1;          // chunks of `vec` elements per work-item
  bool strided = false; // grid-stride (chunk g + k*G) instead of blocked
  int wg = 0;           // work-group size, 0: left to the driver
  nlohmann::json toJson() const;
  bool operator<(const Schedule &o) const;
  bool operator==(const Schedule &o) const {
    return !(*this < o) && !(o < *this);
  }
};

Candidate naiveElementwise(const ElementwisePlan &p);
Candidate fusedElementwise(const ElementwisePlan &p, const Schedule &sch);

// "3.0f", "-0.0099999998f", "INFINITY": a float32 literal of OpenCL C.
std::string floatLiteral(double v);

// "v_" + the name with every character outside [A-Za-z0-9_] as '_': the C
// identifier of a spec tensor's value.
std::string ident(const std::string &name);

// Statements computing `out` (already declared float) from `a` (operand
// C expressions) for one elementwise op, appended to `code`; false with
// `why` for an op that is not lowered.
bool elementwiseOpCode(const spec::OpNode &op,
                       const std::vector<std::string> &a,
                       const std::string &out, std::string &code,
                       std::string &why);

// Whether the op's lowering uses `/` (needs
// -cl-fp32-correctly-rounded-divide-sqrt).
bool usesDivide(const std::string &op);

} // namespace ksynth::synth
