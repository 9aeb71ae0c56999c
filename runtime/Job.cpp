#include "runtime/Job.h"

#include "runtime/worker/Base64.h"
#include "support/Error.h"
#include "support/Float.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <regex>

namespace ksynth::runtime {

using nlohmann::json;

namespace {

size_t elemBytes(spec::DType t) {
  switch (t) {
  case spec::DType::Bool:
    return 1;
  case spec::DType::Int64:
    return 8;
  case spec::DType::Float32:
    break;
  }
  return 4;
}

[[noreturn]] void fail(const spec::Manifest &m, const spec::ShapeBinding &b,
                       const std::string &msg) {
  throw UserError(ExitCode::InputError,
                  m.path + ": " + msg + " at " + spec::formatBinding(b));
}

json domainJson(const gen::Domain &d) {
  switch (d.kind) {
  case gen::Domain::Kind::All:
    return {{"kind", "all"}};
  case gen::Domain::Kind::Finite:
    return {{"kind", "finite"}};
  case gen::Domain::Kind::Range: {
    auto bound = [](double v) -> json {
      if (std::isinf(v))
        return v < 0 ? "-inf" : "inf";
      return v;
    };
    return {{"kind", "range"}, {"lo", bound(d.lo)}, {"hi", bound(d.hi)}};
  }
  }
  return {};
}

} // namespace

ProgramImage programImage(const spec::Manifest &m, std::string bitcode) {
  ProgramImage p;
  p.bitcode = std::move(bitcode);
  p.source = m.fpContract
                 ? m.source
                 : "#pragma OPENCL FP_CONTRACT OFF\n#line 1\n" + m.source;
  p.options = "-cl-std=CL1.2";
  for (const std::string &o : m.buildOptions)
    p.options += " " + o;
  return p;
}

const BufferPlan *JobPlan::find(const std::string &name) const {
  for (const BufferPlan &b : buffers)
    if (b.name == name)
      return &b;
  return nullptr;
}

uint64_t JobPlan::minimumBytes() const {
  uint64_t n = 0;
  for (const BufferPlan &b : buffers)
    if (b.role == "input" || b.role == "output")
      n += b.bytes;
  return n;
}

JobPlan planJob(const spec::Spec &s, const spec::Manifest &m,
                const spec::ShapeBinding &b) {
  JobPlan plan;
  plan.shape = b;
  std::map<std::string, spec::TensorType> types = spec::inferTypes(s, b);
  for (const spec::TensorDecl &d : s.inputs) {
    BufferPlan p;
    p.name = d.name;
    p.type = types.at(d.name);
    p.role = p.type.dims.empty() ? "scalar" : "input";
    p.bytes = static_cast<size_t>(p.type.numel()) * elemBytes(p.type.dtype);
    plan.buffers.push_back(p);
  }
  for (const std::string &o : s.outputs) {
    if (const BufferPlan *prev = plan.find(o)) {
      if (prev->role == "output")
        continue;
      throw UserError(ExitCode::InputError,
                      s.path + ": output '" + o +
                          "' is also an input; the runtime needs outputs "
                          "that are computed");
    }
    BufferPlan p;
    p.name = o;
    p.role = "output";
    p.type = types.at(o);
    p.bytes = static_cast<size_t>(p.type.numel()) * elemBytes(p.type.dtype);
    plan.buffers.push_back(p);
  }
  for (const spec::Temporary &t : m.temporaries) {
    int64_t n = t.size.eval(b);
    if (n <= 0)
      fail(m, b,
           "temporary '" + t.name + "' has " + std::to_string(n) + " elements");
    BufferPlan p;
    p.name = t.name;
    p.role = "temp";
    p.type.dtype = t.dtype;
    p.type.dims = {n};
    p.bytes = static_cast<size_t>(n) * elemBytes(t.dtype);
    plan.buffers.push_back(p);
  }
  plan.launches = json::array();
  for (size_t li = 0; li < m.launches.size(); ++li) {
    const spec::Launch &l = m.launches[li];
    std::string where =
        "launch " + std::to_string(li) + " ('" + l.kernel + "')";
    json args = json::array();
    for (size_t ai = 0; ai < l.args.size(); ++ai) {
      const spec::ArgBinding &a = l.args[ai];
      switch (a.kind) {
      case spec::ArgBinding::Kind::Tensor:
      case spec::ArgBinding::Kind::Temporary: {
        const BufferPlan *p = plan.find(a.name);
        if (!p)
          fail(m, b,
               where + " argument " + std::to_string(ai) + ": '" + a.name +
                   "' is not an input, output or temporary");
        if (p->role == "scalar")
          args.push_back({{"value_of", a.name}});
        else
          args.push_back({{"buffer", a.name}});
        break;
      }
      case spec::ArgBinding::Kind::Int:
        args.push_back({{"int", a.value.eval(b)}});
        break;
      case spec::ArgBinding::Kind::Float:
        args.push_back({{"float_bits",
                         formatBits(floatBits(static_cast<float>(a.fvalue)))}});
        break;
      case spec::ArgBinding::Kind::Local: {
        int64_t bytes = a.value.eval(b);
        if (bytes <= 0)
          fail(m, b,
               where + " argument " + std::to_string(ai) + ": __local size " +
                   std::to_string(bytes));
        args.push_back({{"local", bytes}});
        break;
      }
      }
    }
    auto dims = [&](const std::vector<spec::IntExpr> &es, const char *what) {
      json d = json::array();
      for (const spec::IntExpr &e : es) {
        int64_t v = e.eval(b);
        if (v <= 0)
          fail(m, b,
               where + ": " + what + " size " + e.text() + " = " +
                   std::to_string(v));
        d.push_back(v);
      }
      return d;
    };
    json launch{{"kernel", l.kernel},
                {"args", args},
                {"global", dims(l.global, "global")},
                {"local", l.local ? dims(*l.local, "local") : json()}};
    plan.launches.push_back(launch);
  }
  return plan;
}

gen::Domain genDomain(const spec::Domain &d) {
  gen::Domain g;
  switch (d.kind) {
  case spec::Domain::Kind::All:
    g.kind = gen::Domain::Kind::All;
    break;
  case spec::Domain::Kind::Finite:
    g.kind = gen::Domain::Kind::Finite;
    break;
  case spec::Domain::Kind::Range:
    g.kind = gen::Domain::Kind::Range;
    g.lo = d.lo;
    g.hi = d.hi;
    break;
  }
  return g;
}

InputSet generatedSet(const spec::Spec &s, gen::Dist d, uint64_t seed,
                      const std::string &label) {
  InputSet set;
  set.label = label;
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    TensorInit t;
    t.generate = true;
    t.dist = d;
    t.seed = gen::mixSeed(seed, i + 1);
    t.domain = genDomain(s.domainOf(s.inputs[i].name));
    set.inits[s.inputs[i].name] = t;
  }
  return set;
}

std::vector<uint8_t> hostBytes(const BufferPlan &b, const TensorInit &init) {
  if (!init.generate)
    return init.bytes;
  return gen::generateBytes(b.dtype(), init.dist, init.seed, init.domain,
                            b.bytes);
}

std::map<std::string, spec::Tensor<spec::Scalar>>
inputTensors(const spec::Spec &s, const JobPlan &plan,
             const std::map<std::string, std::vector<uint8_t>> &bytes) {
  std::map<std::string, spec::Tensor<spec::Scalar>> out;
  for (const spec::TensorDecl &d : s.inputs) {
    const BufferPlan *p = plan.find(d.name);
    const std::vector<uint8_t> &v = bytes.at(d.name);
    spec::Tensor<spec::Scalar> t;
    t.type = p->type;
    size_t n = static_cast<size_t>(t.type.numel());
    t.data.resize(n);
    for (size_t i = 0; i < n; ++i) {
      if (t.type.dtype == spec::DType::Bool) {
        t.data[i] = spec::ConcreteDomain::boolean(v[i] != 0);
      } else if (t.type.dtype == spec::DType::Int64) {
        int64_t x;
        std::memcpy(&x, &v[8 * i], 8);
        t.data[i] = spec::ConcreteDomain::i64(x);
      } else {
        uint32_t bits;
        std::memcpy(&bits, &v[4 * i], 4);
        t.data[i] = spec::ConcreteDomain::f32(bitsFloat(bits));
      }
    }
    out[d.name] = std::move(t);
  }
  return out;
}

std::vector<uint8_t> tensorBytes(const spec::Tensor<spec::Scalar> &t) {
  std::vector<uint8_t> out;
  if (t.type.dtype == spec::DType::Bool) {
    out.resize(t.data.size());
    for (size_t i = 0; i < t.data.size(); ++i)
      out[i] = t.data[i].b ? 1 : 0;
    return out;
  }
  if (t.type.dtype == spec::DType::Int64) {
    out.resize(t.data.size() * 8);
    for (size_t i = 0; i < t.data.size(); ++i)
      std::memcpy(&out[8 * i], &t.data[i].i, 8);
    return out;
  }
  out.resize(t.data.size() * 4);
  for (size_t i = 0; i < t.data.size(); ++i) {
    uint32_t bits = floatBits(t.data[i].f);
    std::memcpy(&out[4 * i], &bits, 4);
  }
  return out;
}

json deviceSelection(const std::string &arg) {
  if (arg.empty())
    return json();
  static const std::regex index("[0-9]+"), pair("([0-9]+):([0-9]+)");
  std::smatch mt;
  if (std::regex_match(arg, index))
    return {{"index", std::stoi(arg)}};
  if (std::regex_match(arg, mt, pair))
    return {{"platform", std::stoi(mt[1])}, {"device", std::stoi(mt[2])}};
  return {{"name", arg}};
}

json jobJson(const JobPlan &plan, const ProgramImage &program,
             const std::vector<InputSet> &sets, const std::string &mode,
             const json &device, const std::string &label,
             const std::string &inputDir) {
  json j;
  j["ksynth_job"] = 1;
  j["label"] = label;
  j["mode"] = mode;
  j["device"] = device;
  json p{{"options", program.options}, {"prefer", program.prefer}};
  if (!program.source.empty())
    p["source"] = program.source;
  if (!program.bitcode.empty())
    p["binary"] =
        b64::encode(reinterpret_cast<const uint8_t *>(program.bitcode.data()),
                    program.bitcode.size());
  j["program"] = p;
  json bufs = json::array();
  for (const BufferPlan &b : plan.buffers)
    bufs.push_back({{"name", b.name},
                    {"role", b.role},
                    {"dtype", b.dtype()},
                    {"bytes", b.bytes}});
  j["buffers"] = bufs;
  json js = json::array();
  for (size_t k = 0; k < sets.size(); ++k) {
    const InputSet &set = sets[k];
    json o = json::object();
    for (const BufferPlan &b : plan.buffers) {
      if (b.role != "input" && b.role != "scalar")
        continue;
      const TensorInit &t = set.inits.at(b.name);
      if (t.generate)
        o[b.name] = {{"generate",
                      {{"dist", gen::distName(t.dist)},
                       {"seed", t.seed},
                       {"domain", domainJson(t.domain)}}}};
      else if (!inputDir.empty()) {
        std::string path =
            inputDir + "/in_s" + std::to_string(k) + "_" + b.name + ".bin";
        std::ofstream f(path, std::ios::binary);
        f.write(reinterpret_cast<const char *>(t.bytes.data()),
                static_cast<std::streamsize>(t.bytes.size()));
        if (!f)
          throw UserError(ExitCode::InputError, "cannot write " + path);
        o[b.name] = {{"file", path}};
      } else
        o[b.name] = {{"base64", b64::encode(t.bytes)}};
    }
    js.push_back(o);
  }
  j["sets"] = js;
  j["launches"] = plan.launches;
  return j;
}

} // namespace ksynth::runtime
