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
  Reduce,    // sum mean prod max min argmax argmin norm logsumexp
  Scan,      // cumsum cumprod
  Softmax,   // softmax log_softmax
  RowNorm,   // layer_norm rms_norm group_norm instance_norm
  BatchNorm, // batch_norm
  Layout,    // transpose (and any op whose output element is one input
             // element, or a constant where a condition on its index says)
  Matmul,    // matmul
  Conv,      // conv1d/2d/3d conv_transpose1d/2d/3d
  Pool,      // max_pool1d/2d/3d avg_pool1d/2d/3d
  Loss,      // mse_loss huber_loss hinge_loss cross_entropy kl_div
             // triplet_margin_loss
};

// True if the op is a tensor op: its name is in the table, and for the names
// shared with elementwise ops (max, min) it has one input (a reduction).
bool isTensorOp(const OpNode &op);
bool isTensorOpName(const std::string &op);
TensorOpFamily tensorOpFamily(const std::string &op);
std::vector<const char *> tensorOpNames();
// Whether the symbolic methods take the op (the table's `atIndex` column;
// false for the ops that work by enumeration only: cumprod, group_norm,
// instance_norm, conv3d, conv_transpose3d, max_pool3d, avg_pool3d, kl_div,
// triplet_margin_loss). Every tensor op's value at one output index is
// written once, in spec/ops (spec/ops/Apply.h withValueAt), from which the
// interpreter and verify/methods/SymbolicReferenceAt.cpp both derive; the
// column only says which ops the symbolic methods have been shown to
// decide. These are the tensor ops covered at a symbolic index
// (verify::symbolicTensorOpCovered, the verdict's `method` text); nothing
// else lists them.
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
