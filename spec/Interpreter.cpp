// The concrete reference interpreter (evaluate<ConcreteDomain>), the ideal
// one (evaluate<DoubleDomain>), and the broadcasting index map every
// interpretation uses.
#include "spec/Interpreter.h"

#include "support/Error.h"

namespace ksynth::spec {

int64_t broadcastIndex(const std::vector<int64_t> &to,
                       const std::vector<int64_t> &from, int64_t flat) {
  // Walk the dims right to left: peel off the coordinate of `flat` in each
  // dim of `to`, and accumulate it into `from`'s row-major index unless
  // that dim of `from` is 1 (stretched) or missing.
  int64_t index = 0, stride = 1;
  size_t nt = to.size(), nf = from.size();
  for (size_t i = 0; i < nt && i < nf; ++i) {
    int64_t dt = to[nt - 1 - i], df = from[nf - 1 - i];
    int64_t coord = flat % dt;
    flat /= dt;
    if (df != 1)
      index += coord * stride;
    stride *= df;
  }
  return index;
}

namespace {

std::string formatDims(const std::vector<int64_t> &dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

void checkInputs(const Spec &s, const ShapeBinding &b,
                 const std::map<std::string, TensorType> &types,
                 const std::map<std::string, Tensor<Scalar>> &inputs) {
  auto fail = [&](const std::string &msg) {
    std::string at = formatBinding(b);
    throw UserError(s.path + ": interpreter: " + msg +
                    (at.empty() ? "" : " at " + at));
  };
  for (const auto &[name, t] : inputs)
    if (!s.findInput(name))
      fail("'" + name + "' is not an input of the spec");
  for (const TensorDecl &d : s.inputs) {
    auto it = inputs.find(d.name);
    if (it == inputs.end())
      fail("input '" + d.name + "' is missing");
    const TensorType &want = types.at(d.name);
    const Tensor<Scalar> &got = it->second;
    if (got.type.dtype != want.dtype || got.type.dims != want.dims)
      fail("input '" + d.name + "' is " + toString(got.type.dtype) +
           formatDims(got.type.dims) + ", expected " + toString(want.dtype) +
           formatDims(want.dims));
    if (static_cast<int64_t>(got.data.size()) != want.numel())
      fail("input '" + d.name + "' has " + std::to_string(got.data.size()) +
           " elements, expected " + std::to_string(want.numel()));
    for (const Scalar &x : got.data)
      if (x.type != want.dtype) {
        fail("input '" + d.name + "' holds a " + toString(x.type) +
             " element, expected " + toString(want.dtype));
      }
  }
}

} // namespace

std::map<std::string, Tensor<Scalar>>
interpret(const Spec &s, const ShapeBinding &b,
          const std::map<std::string, Tensor<Scalar>> &inputs) {
  checkInputs(s, b, inferTypes(s, b), inputs);
  ConcreteDomain d;
  std::map<std::string, Tensor<Scalar>> all = evaluate(s, b, inputs, d);
  std::map<std::string, Tensor<Scalar>> out;
  for (const std::string &name : s.outputs)
    out[name] = all.at(name);
  return out;
}

std::map<std::string, Tensor<IdealScalar>>
interpretIdeal(const Spec &s, const ShapeBinding &b,
               const std::map<std::string, Tensor<Scalar>> &inputs) {
  checkInputs(s, b, inferTypes(s, b), inputs);
  std::map<std::string, Tensor<IdealScalar>> in;
  for (const auto &[name, t] : inputs) {
    Tensor<IdealScalar> &u = in[name];
    u.type = t.type;
    for (const Scalar &x : t.data)
      u.data.push_back({x.type, static_cast<double>(x.f), x.b, x.i});
  }
  DoubleDomain d;
  std::map<std::string, Tensor<IdealScalar>> all = evaluate(s, b, in, d);
  std::map<std::string, Tensor<IdealScalar>> out;
  for (const std::string &name : s.outputs)
    out[name] = all.at(name);
  return out;
}

std::map<std::string, std::vector<double>>
interpretMagnitudes(const Spec &s, const ShapeBinding &b,
                    const std::map<std::string, Tensor<Scalar>> &inputs) {
  std::map<std::string, std::vector<double>> mags;
  if (!s.tolerance.sumForm())
    return mags;
  checkInputs(s, b, inferTypes(s, b), inputs);
  DoubleDomain d;
  for (const std::string &name : s.outputs) {
    const OpNode *def = nullptr;
    for (const OpNode &op : s.ops)
      if (op.output == name)
        def = &op;
    if (!def || !sumFormRefusal(s, name).empty())
      continue; // (the parser refuses this): callers see no magnitudes
    std::vector<Tensor<IdealScalar>> absIn;
    absIn.reserve(def->inputs.size()); // keeps the pointers below valid
    std::vector<const Tensor<IdealScalar> *> ins;
    for (const Operand &x : def->inputs) {
      const Tensor<Scalar> &t = inputs.at(std::get<std::string>(x));
      Tensor<IdealScalar> &u = absIn.emplace_back();
      u.type = t.type;
      u.data.reserve(t.data.size());
      for (const Scalar &e : t.data)
        u.data.push_back(
            {DType::Float32, std::fabs(static_cast<double>(e.f)), false, 0});
      ins.push_back(&u);
    }
    Tensor<IdealScalar> m = applyTensorOp(*def, ins, d);
    std::vector<double> &out = mags[name];
    out.reserve(m.data.size());
    for (const IdealScalar &e : m.data)
      out.push_back(e.f);
  }
  return mags;
}

} // namespace ksynth::spec
