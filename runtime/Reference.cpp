// Reference outputs with bounded host memory: see Reference.h.
#include "runtime/Reference.h"

#include "spec/Interpreter.h"
#include "spec/OpTable.h"
#include "spec/Semantics.h"
#include "support/Float.h"

#include <cstring>
#include <set>

namespace ksynth::runtime {

namespace {

using spec::Scalar;

// Where one operand of a streamed op comes from.
struct Slot {
  enum class Kind { Literal, Input, Node } kind = Kind::Literal;
  Scalar literal;
  const std::vector<uint8_t> *bytes = nullptr; // Input
  spec::DType dtype = spec::DType::Float32;    // Input
  size_t node = 0;                             // Node: index into values
  std::vector<int64_t> dims;                   // the operand's dims
  bool same = true;                            // dims == the output's dims
};

struct Step {
  const spec::OpNode *op = nullptr;
  std::vector<Slot> args;
};

Scalar loadElement(const std::vector<uint8_t> &b, spec::DType t, size_t i) {
  if (t == spec::DType::Bool)
    return spec::ConcreteDomain::boolean(b[i] != 0);
  if (t == spec::DType::Int64) {
    int64_t x;
    std::memcpy(&x, &b[8 * i], 8);
    return spec::ConcreteDomain::i64(x);
  }
  uint32_t bits;
  std::memcpy(&bits, &b[4 * i], 4);
  return spec::ConcreteDomain::f32(bitsFloat(bits));
}

void storeElement(std::vector<uint8_t> &b, spec::DType t, size_t i,
                  const Scalar &v) {
  if (t == spec::DType::Bool) {
    b[i] = v.b ? 1 : 0;
  } else if (t == spec::DType::Int64) {
    std::memcpy(&b[8 * i], &v.i, 8);
  } else {
    uint32_t bits = floatBits(v.f);
    std::memcpy(&b[4 * i], &bits, 4);
  }
}

// Evaluates output `name` element by element. Broadcasting composes: the
// element of any tensor in the output's cone that output element i needs is
// broadcastIndex(output dims, its dims, i), so each op of the cone is
// evaluated once per output element.
std::vector<uint8_t>
streamOutput(const spec::Spec &s, const JobPlan &plan, const InputBytes &in,
             const std::map<std::string, spec::TensorType> &types,
             const std::string &name) {
  std::vector<const spec::OpNode *> order = spec::topoOrder(s);
  // The cone of the output: ops it depends on.
  std::set<std::string> need{name};
  for (size_t k = order.size(); k-- > 0;) {
    if (!need.count(order[k]->output))
      continue;
    for (const spec::Operand &x : order[k]->inputs)
      if (const auto *n = std::get_if<std::string>(&x))
        need.insert(*n);
  }
  const spec::TensorType &outType = types.at(name);
  std::map<std::string, size_t> nodeOf;
  std::vector<Step> steps;
  for (const spec::OpNode *op : order) {
    if (!need.count(op->output))
      continue;
    Step st;
    st.op = op;
    for (const spec::Operand &x : op->inputs) {
      Slot sl;
      if (const auto *lit = std::get_if<double>(&x)) {
        sl.literal = spec::ConcreteDomain::f32(static_cast<float>(*lit));
      } else {
        const std::string &n = std::get<std::string>(x);
        sl.dims = types.at(n).dims;
        sl.same = sl.dims == outType.dims;
        if (auto it = nodeOf.find(n); it != nodeOf.end()) {
          sl.kind = Slot::Kind::Node;
          sl.node = it->second;
        } else {
          sl.kind = Slot::Kind::Input;
          sl.bytes = in.at(n);
          sl.dtype = plan.find(n)->type.dtype;
        }
      }
      st.args.push_back(sl);
    }
    nodeOf[op->output] = steps.size();
    steps.push_back(std::move(st));
  }
  const BufferPlan *out = plan.find(name);
  std::vector<uint8_t> bytes(out->bytes);
  size_t n = static_cast<size_t>(outType.numel());
  spec::ConcreteDomain d;
  std::vector<Scalar> values(steps.size());
  std::vector<std::vector<Scalar>> args(steps.size());
  for (size_t k = 0; k < steps.size(); ++k)
    args[k].assign(steps[k].args.size(), d.f32(0.0f));
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < steps.size(); ++k) {
      const Step &st = steps[k];
      for (size_t a = 0; a < st.args.size(); ++a) {
        const Slot &sl = st.args[a];
        if (sl.kind == Slot::Kind::Literal) {
          args[k][a] = sl.literal;
          continue;
        }
        // Node slots hold the value at this output element's index in
        // the node's own dims already (composition of broadcasts).
        if (sl.kind == Slot::Kind::Node) {
          args[k][a] = values[sl.node];
          continue;
        }
        size_t j = sl.same
                       ? i
                       : static_cast<size_t>(spec::broadcastIndex(
                             outType.dims, sl.dims, static_cast<int64_t>(i)));
        args[k][a] = loadElement(*sl.bytes, sl.dtype, j);
      }
      values[k] = spec::applyElementwise(*st.op, args[k], d);
    }
    storeElement(bytes, outType.dtype, i, values[nodeOf.at(name)]);
  }
  return bytes;
}

} // namespace

bool streamsReference(const spec::Spec &s) {
  for (const spec::OpNode *op : spec::topoOrder(s))
    if (spec::isTensorOp(*op))
      return false;
  // An output that is an input is not computed (planJob rejects it).
  for (const std::string &o : s.outputs)
    if (s.findInput(o))
      return false;
  return true;
}

std::map<std::string, std::vector<uint8_t>>
referenceBytes(const spec::Spec &s, const JobPlan &plan, const InputBytes &in) {
  std::map<std::string, std::vector<uint8_t>> out;
  if (streamsReference(s)) {
    std::map<std::string, spec::TensorType> types =
        spec::inferTypes(s, plan.shape);
    for (const std::string &o : s.outputs)
      out[o] = streamOutput(s, plan, in, types, o);
    return out;
  }
  std::map<std::string, spec::Tensor<Scalar>> tensors;
  {
    std::map<std::string, std::vector<uint8_t>> bytes;
    for (const auto &[name, b] : in)
      bytes[name] = *b; // inputTensors takes owned bytes
    tensors = inputTensors(s, plan, bytes);
  }
  auto ref = spec::interpret(s, plan.shape, tensors);
  tensors.clear();
  for (auto &[name, t] : ref) {
    out[name] = tensorBytes(t);
    t.data = {};
  }
  return out;
}

std::map<std::string, std::vector<double>>
referenceMagnitudes(const spec::Spec &s, const JobPlan &plan,
                    const InputBytes &in) {
  if (!s.tolerance.sumForm())
    return {};
  std::map<std::string, std::vector<uint8_t>> bytes;
  for (const auto &[name, b] : in)
    bytes[name] = *b; // inputTensors takes owned bytes
  return spec::interpretMagnitudes(s, plan.shape, inputTensors(s, plan, bytes));
}

uint64_t referenceHostBytes(const spec::Spec &s, const JobPlan &plan) {
  if (streamsReference(s))
    return 0;
  uint64_t elems = 0, inElems = 0, outElems = 0;
  for (const auto &[name, t] : spec::inferTypes(s, plan.shape)) {
    uint64_t n = static_cast<uint64_t>(t.numel());
    elems += n;
    if (s.findInput(name))
      inElems += n;
    for (const std::string &o : s.outputs)
      if (o == name)
        outElems += n;
  }
  // inputTensors' copy of the input bytes, the input tensors twice (the
  // argument and the interpreter's environment), every intermediate and
  // output once, the outputs once more (returned by copy).
  uint64_t inBytes = 0;
  for (const BufferPlan &b : plan.buffers)
    if (b.role == "input" || b.role == "scalar")
      inBytes += b.bytes;
  return inBytes + sizeof(Scalar) * (elems + inElems + outElems);
}

} // namespace ksynth::runtime
