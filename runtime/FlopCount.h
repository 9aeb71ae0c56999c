// Floating-point operations a spec performs at one shape binding: the
// numerator of `ksynth bench`'s flops floor (flops over the device's
// measured float32 peak, beside the bytes floor).
//
// Convention (a lower bound, so that the floor stays a floor):
//  * every elementwise primitive counts 1 per output element: arithmetic
//    (add, sub, mul, div, neg, abs, sqrt), a compare, minimum / maximum, a
//    transcendental (exp, log, log1p, expm1, tanh, erf: 1, although a device
//    spends tens of instructions on one), a select or a logical op; constants
//    folded at compile time count nothing;
//  * an op built from several primitives counts its primitives as the
//    semantics table writes it (spec/Semantics.h, spec/ops/Activations.h):
//    relu 1 (a compare), hardtanh / relu6 2, leaky_relu 2, hardsigmoid 4,
//    sigmoid 4, softplus 5, elu 3, selu 4, gelu 5 (tanh form: 9), silu 4,
//    mish 4, softsign 3;
//  * tensor ops use the standard formulas: matmul 2*M*N*K (2 per
//    multiply-add, batch dims included), convolution 2 * output elements *
//    C_in/groups * kernel taps (+1 per output element with a bias; the
//    transposed one 2 * input elements * C_out/groups * taps), reductions
//    and scans 1 per input element (mean +1 per output, norm p=1 / inf 2 per
//    input, p=2 2 per input +1 per output), softmax / log_softmax 5 per
//    element (max, subtract, exp, sum, divide), layer_norm 5 per element
//    (+1 each for weight and bias), rms_norm 3 (+1 weight), batch_norm 2 (a
//    multiply-add with per-channel constants), pooling 1 per window tap and
//    output (avg +1 per output), losses per element mse 2, huber 5, hinge 3,
//    cross_entropy 4 per logit (+2 with probability targets), +1 per element
//    when reduced; transpose 0. Per-row or per-channel scalar work (a log, a
//    sqrt, a division per row) is left out.
//  * an op the table does not know counts 1 per output element, with a
//    note saying so.
// A multiply-add is 2 flops here and in the measured peak alike.
// Only ops the spec's outputs depend on are counted.
#pragma once

#include "spec/Spec.h"

#include <string>
#include <vector>

namespace ksynth::runtime {

struct OpFlops {
  std::string op;     // the op's name
  std::string output; // the tensor it defines
  double flops = 0;
  std::string rule; // how it was counted, e.g. "2*M*N*K = 2*4*5*3"
};

struct FlopCount {
  double total = 0;
  std::vector<OpFlops> ops;       // in topological order
  std::vector<std::string> notes; // ops counted by the fallback
};

// Throws UserError as spec::inferTypes does if the binding does not fit.
FlopCount countFlops(const spec::Spec &s, const spec::ShapeBinding &b);

// Flops of one op given the types of its operands (nullptr for a literal)
// and of its result.
OpFlops opFlops(const spec::OpNode &op,
                const std::vector<const spec::TensorType *> &operands,
                const spec::TensorType &result, std::string *note = nullptr);

} // namespace ksynth::runtime
