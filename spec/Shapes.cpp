// Type inference at one shape binding: input dims from their expressions,
// elementwise op results by PyTorch broadcasting (dims aligned on the right,
// a dim of 1 or a missing dim stretches) and the op table's dtype rules,
// tensor op results from their parameters (spec/ops/Params.h).
#include "spec/OpTable.h"
#include "spec/Semantics.h"
#include "spec/Spec.h"

#include "support/Error.h"

namespace ksynth::spec {

namespace {

constexpr int64_t kMaxNumel = int64_t{1} << 31;

std::string formatDims(const std::vector<int64_t> &dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

std::string atBinding(const ShapeBinding &b) {
  std::string s = formatBinding(b);
  return s.empty() ? "" : " at " + s;
}

std::string opLabel(const OpNode &op) {
  return "op " + std::to_string(op.line) + " (" + op.op + ")";
}

[[noreturn]] void failIn(const Spec &s, const std::string &msg) {
  throw UserError(s.path + ": " + msg);
}

// Largest numel allowed, checked without overflow.
bool tooLarge(const std::vector<int64_t> &dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    if (__builtin_mul_overflow(n, d, &n) || n > kMaxNumel)
      return true;
  return false;
}

} // namespace

std::map<std::string, TensorType> inferTypes(const Spec &s,
                                             const ShapeBinding &b) {
  std::map<std::string, TensorType> types;
  for (const TensorDecl &in : s.inputs) {
    TensorType t;
    t.dtype = in.dtype;
    for (size_t k = 0; k < in.shape.size(); ++k) {
      int64_t v = 0;
      try {
        v = in.shape[k].eval(b);
      } catch (const UserError &e) {
        failIn(s, "input '" + in.name + "' dim " + std::to_string(k) + ": " +
                      e.what() + atBinding(b));
      }
      if (v < 1)
        failIn(s, "input '" + in.name + "' dim " + std::to_string(k) + " ('" +
                      in.shape[k].text() + "') is " + std::to_string(v) +
                      atBinding(b) + "; dims must be >= 1");
      t.dims.push_back(v);
    }
    if (tooLarge(t.dims))
      failIn(s, "input '" + in.name +
                    "': shape too large: " + formatDims(t.dims) +
                    " has more than 2^31 elements" + atBinding(b));
    types[in.name] = std::move(t);
  }
  for (const OpNode *op : topoOrder(s)) {
    if (isTensorOp(*op)) {
      std::vector<TensorType> operands;
      for (const Operand &x : op->inputs) {
        TensorType t; // a literal is a 0-d float32
        if (const auto *n = std::get_if<std::string>(&x)) {
          auto it = types.find(*n);
          if (it == types.end())
            failIn(s, opLabel(*op) + ": unknown input tensor '" + *n + "'");
          t = it->second;
        }
        operands.push_back(std::move(t));
      }
      TensorType r;
      try {
        r = inferTensorOpType(*op, operands);
      } catch (const UserError &e) {
        failIn(s, opLabel(*op) + ": " + e.what() + atBinding(b));
      }
      if (tooLarge(r.dims))
        failIn(s, opLabel(*op) + ": shape too large: result " +
                      formatDims(r.dims) + " has more than 2^31 elements" +
                      atBinding(b));
      types[op->output] = std::move(r);
      continue;
    }
    std::vector<DType> dtypes;
    std::vector<int64_t> dims; // broadcast result so far
    std::string firstName;     // the operand that set a dim, for messages
    for (size_t k = 0; k < op->inputs.size(); ++k) {
      TensorType t; // a literal is a 0-d float32
      std::string name = "a literal";
      if (const auto *n = std::get_if<std::string>(&op->inputs[k])) {
        auto it = types.find(*n);
        if (it == types.end())
          failIn(s, opLabel(*op) + ": unknown input tensor '" + *n + "'");
        t = it->second;
        name = "'" + *n + "'";
      }
      dtypes.push_back(t.dtype);
      // Broadcast dims (aligned on the right).
      std::vector<int64_t> out(std::max(dims.size(), t.dims.size()), 1);
      for (size_t i = 0; i < out.size(); ++i) {
        size_t oi = out.size() - 1 - i;
        int64_t a = i < dims.size() ? dims[dims.size() - 1 - i] : 1;
        int64_t c = i < t.dims.size() ? t.dims[t.dims.size() - 1 - i] : 1;
        if (a != c && a != 1 && c != 1)
          failIn(s, opLabel(*op) + ": shapes " + formatDims(dims) + " and " +
                        formatDims(t.dims) + " (operand " +
                        std::to_string(k + 1) + ", " + name +
                        ") do not broadcast" + atBinding(b));
        out[oi] = a == 1 ? c : a;
      }
      dims = std::move(out);
    }
    TensorType r;
    try {
      r.dtype = resultType(*op, dtypes);
    } catch (const UserError &e) {
      std::string msg = e.what();
      if (msg.rfind(op->op + ": ", 0) == 0)
        msg = msg.substr(op->op.size() + 2);
      failIn(s, opLabel(*op) + ": " + msg);
    }
    if (tooLarge(dims))
      failIn(s, opLabel(*op) + ": shape too large: result " + formatDims(dims) +
                    " has more than 2^31 elements" + atBinding(b));
    r.dims = std::move(dims);
    types[op->output] = std::move(r);
  }
  return types;
}

} // namespace ksynth::spec
