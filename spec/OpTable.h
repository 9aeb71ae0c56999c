// The non-elementwise ("tensor") ops: each computes its whole output tensor
// from its input tensors (reductions, scans, softmax, norms, transpose,
// matmul, convolution, pooling, losses). Names, arities, attrs, typing and
// shapes; the values are in spec/ops/*.h. The elementwise ops have their
// table in spec/Semantics.cpp.
#pragma once

#include "spec/Spec.h"

#include <string>
#include <vector>

namespace ksynth::spec {

enum class TensorOpFamily {
  Reduce,    // sum mean prod max min argmax argmin norm
  Scan,      // cumsum
  Softmax,   // softmax log_softmax
  RowNorm,   // layer_norm rms_norm
  BatchNorm, // batch_norm
  Transpose, // transpose
  Matmul,    // matmul
  Conv,      // conv1d conv2d conv_transpose2d
  Pool,      // max_pool1d max_pool2d avg_pool1d avg_pool2d
  Loss,      // mse_loss huber_loss hinge_loss cross_entropy
};

// True if the op is a tensor op: its name is in the table, and for the names
// shared with elementwise ops (max, min) it has one input (a reduction).
bool isTensorOp(const OpNode &op);
bool isTensorOpName(const std::string &op);
TensorOpFamily tensorOpFamily(const std::string &op);
std::vector<const char *> tensorOpNames();
// Whether the op's value at one output index is written (the table's
// `atIndex` column, true for every op today): once, in spec/ops (reductions,
// transpose, matmul: spec/ops/Apply.h withValueAt, from which the
// interpreter derives), or for the other families mirrored in
// verify/methods/SymbolicReferenceAt.cpp (`tensorElementAt`) next to their
// whole-tensor form in spec/ops/*.h. These are the tensor ops the symbolic
// methods cover at a symbolic index (verify::symbolicTensorOpCovered);
// nothing else lists them.
bool tensorOpAtIndex(const std::string &op);
// Their names in table order (max and min included).
std::vector<const char *> tensorOpsAtIndex();
// Arity and attrs (message without file or op prefix, as checkOpSignature).
void checkTensorOpSignature(const OpNode &op);
// Result type from the operand types (a literal is a 0-d float32). Throws
// UserError without prefix ("operand 2 is bool, expected float32", "inner
// dims differ: [2, 3] @ [4, 5] (3 vs 4)").
TensorType inferTensorOpType(const OpNode &op,
                             const std::vector<TensorType> &operands);

// Why the op's float32 result is not a bit-exact function of PyTorch (so a
// spec using it must declare a non-zero tolerance), or "" if it is.
// Covers every op, elementwise ones included.
std::string toleranceReason(const OpNode &op);

} // namespace ksynth::spec
