// The self-check of a proof: see SelfCheck.h.
#include "SelfCheck.h"

#include "Watchdog.h"
#include "runtime/Compare.h"
#include "runtime/Differential.h"
#include "runtime/Job.h"
#include "runtime/Worker.h"
#include "runtime/worker/Generate.h"
#include "support/Error.h"
#include "verify/compile/Compile.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <unistd.h>

namespace ksynth::cli {

using nlohmann::json;

namespace {

// Bits as the verdict format writes them (replayable by `ksynth run
// --replay`): float32 "0x%08x", bool "0x%02x", int64 "0x%016x".
std::string bitsText(spec::DType t, uint64_t b) {
  char buf[24];
  if (t == spec::DType::Bool)
    std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned>(b & 0xff));
  else if (t == spec::DType::Int64)
    std::snprintf(buf, sizeof buf, "0x%016llx",
                  static_cast<unsigned long long>(b));
  else
    std::snprintf(buf, sizeof buf, "0x%08x", static_cast<unsigned>(b));
  return buf;
}

uint64_t elementAt(const std::vector<uint8_t> &bytes, spec::DType t, size_t i) {
  if (t == spec::DType::Bool)
    return bytes[i];
  uint64_t b = 0;
  std::memcpy(&b, &bytes[(t == spec::DType::Int64 ? 8 : 4) * i],
              t == spec::DType::Int64 ? 8 : 4);
  return b;
}

// Float constants of the spec (op operands and attributes) and of the
// kernel source (literals with a point, an exponent or an f suffix), each
// with its negation and both neighbours: branch and clamp constants are
// where a wrong kernel most often differs. At most 96 values.
std::vector<uint32_t> constantValues(const spec::Spec &s,
                                     const spec::Manifest &m) {
  std::vector<double> cs;
  std::function<void(const json &)> walk = [&](const json &j) {
    if (j.is_number())
      cs.push_back(j.get<double>());
    else if (j.is_array() || j.is_object())
      for (const json &e : j)
        walk(e);
  };
  for (const spec::OpNode &op : s.ops) {
    for (const spec::Operand &o : op.inputs)
      if (const double *d = std::get_if<double>(&o))
        cs.push_back(*d);
    walk(op.attrs);
  }
  static const std::regex lit(
      R"((?:^|[^\w.])((?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|\d+(?=[fF]))[fF]?)");
  for (std::sregex_iterator it(m.source.begin(), m.source.end(), lit), end;
       it != end && cs.size() < 64; ++it) {
    try {
      cs.push_back(std::stod((*it)[1].str()));
    } catch (const std::exception &) {
    }
  }
  std::vector<uint32_t> out;
  for (double c : cs) {
    float f = static_cast<float>(c);
    if (!std::isfinite(f))
      continue;
    for (float v :
         {f, -f, std::nextafter(f, INFINITY), std::nextafter(f, -INFINITY)})
      if (out.size() < 96 &&
          std::find(out.begin(), out.end(), gen::bitsOf(v)) == out.end())
        out.push_back(gen::bitsOf(v));
  }
  return out;
}

// K input sets at one binding: each float input walks through the
// adversarial pool (offset so that the K sets cover it even when the
// tensor is small, and so that inputs are paired differently), then mixes.
std::vector<runtime::InputSet>
adversarialSets(const spec::Spec &s, const runtime::JobPlan &plan, size_t K,
                const std::vector<uint32_t> &constants) {
  std::vector<runtime::InputSet> sets;
  for (size_t k = 0; k < K; ++k) {
    runtime::InputSet set;
    set.label = "adversarial " + std::to_string(k + 1);
    for (size_t j = 0; j < s.inputs.size(); ++j) {
      const spec::TensorDecl &d = s.inputs[j];
      const runtime::BufferPlan *p = plan.find(d.name);
      size_t n = static_cast<size_t>(p->type.numel());
      uint64_t seed = gen::mixSeed(gen::mixSeed(0x5e1fc0ec, k), j);
      runtime::TensorInit t;
      t.generate = false;
      gen::Domain dom = runtime::genDomain(s.domainOf(d.name));
      if (p->type.dtype == spec::DType::Float32) {
        std::vector<uint32_t> v =
            gen::adversarialFloat32(seed, dom, n, k * n + j * 5, constants);
        t.bytes.assign(p->bytes, 0);
        std::memcpy(t.bytes.data(), v.data(), std::min(p->bytes, v.size() * 4));
      } else {
        t.bytes = gen::generateBytes(p->dtype(), gen::Dist::Adversarial,
                                     seed + k * n, dom, p->bytes);
      }
      set.inits[d.name] = std::move(t);
    }
    sets.push_back(std::move(set));
  }
  return sets;
}

// The first problem of a failed set, in words, and its counterexample in
// the verdict format (so `ksynth run --replay REPORT` replays it).
struct Problem {
  std::string text;
  json counterexample;
};

Problem describeProblem(const spec::Spec &s, const runtime::JobPlan &plan,
                        const runtime::SetReport &set,
                        const runtime::InputSet &inputs) {
  Problem pr;
  std::string where = " at " + spec::formatBinding(plan.shape) +
                      ", input set '" + set.label + "'";
  json cx;
  cx["shape"] = plan.shape;
  json in = json::object();
  for (const spec::TensorDecl &d : s.inputs) {
    const runtime::BufferPlan *p = plan.find(d.name);
    json bits = json::array();
    const std::vector<uint8_t> &b = inputs.inits.at(d.name).bytes;
    for (size_t i = 0; i < static_cast<size_t>(p->type.numel()); ++i)
      bits.push_back(bitsText(p->type.dtype, elementAt(b, p->type.dtype, i)));
    in[d.name] = {{"dtype", spec::toString(p->type.dtype)},
                  {"shape", p->type.dims},
                  {"bits", bits}};
  }
  cx["inputs"] = in;
  for (const runtime::OutputReport &o : set.outputs) {
    const runtime::ElementReport *e = nullptr;
    std::string what;
    if (!o.worst.empty()) {
      e = &o.worst.front();
      what = "equivalence";
    } else if (!o.unwrittenAt.empty()) {
      e = &o.unwrittenAt.front();
      what = "coverage";
    } else if (!o.differingAt.empty()) {
      e = &o.differingAt.front();
      what = "nondeterministic";
    }
    if (!e)
      continue;
    spec::DType t = plan.find(o.name)->type.dtype;
    std::string ins;
    for (auto &[name, value] : e->inputs)
      ins += (ins.empty() ? "" : ", ") + name + " = " + value;
    if (what == "equivalence")
      pr.text = o.name + runtime::formatIndex(e->index) + " (flat " +
                std::to_string(e->flat) + ")" + where + ": reference " +
                e->expected + ", device " + e->got;
    else if (what == "coverage")
      pr.text = o.name + runtime::formatIndex(e->index) +
                " was never written on the device" + where;
    else
      pr.text = o.name + runtime::formatIndex(e->index) +
                " differs between two runs on the device (" + e->got +
                ", then " + e->gotRun2 + ")" + where;
    if (!ins.empty())
      pr.text += "; inputs at that element: " + ins;
    cx["obligation"] = what == "nondeterministic" ? "data-race" : what;
    cx["output"] = o.name;
    cx["index"] = e->index;
    cx["flat_index"] = e->flat;
    cx["reference"] = {{"value", e->expected},
                       {"bits", bitsText(t, e->expectedBits)}};
    cx["candidate"] = {{"value", e->got}, {"bits", bitsText(t, e->gotBits)}};
    cx["detail"] = "self-check: " + pr.text;
    pr.counterexample = cx;
    return pr;
  }
  pr.text = (set.modifiedInputs.empty() ? std::string("a problem")
                                        : "input " + set.modifiedInputs[0]) +
            where;
  cx["obligation"] = "input-modified";
  cx["detail"] = "self-check: " + pr.text;
  pr.counterexample = cx;
  return pr;
}

json fileJson(const std::string &path) {
  std::ifstream f(path);
  json j = json::parse(f, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

std::string writeBugReport(const spec::Spec &s, const spec::Manifest &m,
                           const runtime::RunReport &rep,
                           const runtime::SetReport &set, const Problem &pr,
                           const SelfCheckOptions &opt) {
  json r;
  r["ksynth_bug_report"] = 1;
  r["what"] = "ksynth verify proved this candidate, but the compiled program "
              "disagrees with the reference on the device (a ksynth bug: "
              "the proof is wrong, or the device is)";
  r["problem"] = pr.text;
  r["problems"] = set.problems();
  r["spec"] = s.path;
  r["manifest"] = m.path;
  r["spec_document"] = fileJson(s.path);
  r["manifest_document"] = fileJson(m.path);
  r["kernel_source_path"] = m.sourcePath;
  r["kernel_source"] = m.source;
  r["device"] = rep.device;
  r["program"] = rep.program;
  r["counterexample"] = pr.counterexample;
  std::string dir = opt.bugReportDir;
  if (dir.empty()) {
    std::error_code ec;
    dir = std::filesystem::temp_directory_path(ec).string();
    if (ec || dir.empty())
      dir = "/tmp";
  }
  std::string name = s.name.empty() ? "spec" : s.name;
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      c = '_';
  std::string path =
      (std::filesystem::path(dir) / ("ksynth-bug-selfcheck-" + name + "-" +
                                     std::to_string(::getpid()) + ".json"))
          .string();
  r["replay"] = "ksynth run " + s.path + " " + m.path + " --replay " + path;
  if (!writeFileAtomically(path, r.dump(2) + "\n"))
    return "";
  return path;
}

} // namespace

json SelfCheckResult::toJson() const {
  json j{{"status", status},   {"device", device},
         {"inputs", inputs},   {"elements", elements},
         {"seconds", seconds}, {"reason", reason},
         {"shapes", shapes},   {"shapes_skipped", shapesSkipped},
         {"program", program}};
  if (!bugReport.empty())
    j["bug_report"] = bugReport;
  return j;
}

std::string SelfCheckResult::toText() const {
  std::ostringstream o;
  o << "  self-check: " << status;
  if (status != "skipped") {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.2f", seconds);
    o << " (" << inputs << " adversarial input sets, " << elements
      << " output elements on " << (device.empty() ? "?" : device)
      << (program == "source" ? ", built from source" : "") << ", " << secs
      << " s; shapes ";
    for (size_t i = 0; i < shapes.size(); ++i)
      o << (i ? "; " : "") << shapes[i];
    if (!shapesSkipped.empty()) {
      o << "; not run (too large): ";
      for (size_t i = 0; i < shapesSkipped.size(); ++i)
        o << (i ? "; " : "") << shapesSkipped[i];
    }
    o << ")";
  }
  o << "\n";
  if (!reason.empty())
    o << "  self-check " << (status == "failed" ? "failure" : "note") << ": "
      << reason << "\n";
  if (!bugReport.empty())
    o << "  bug report: " << bugReport << "\n";
  return o.str();
}

SelfCheckResult skippedSelfCheck(const std::string &reason) {
  SelfCheckResult r;
  r.status = "skipped";
  r.reason = reason;
  return r;
}

SelfCheckResult selfCheckProof(const spec::Spec &s, const spec::Manifest &m,
                               const SelfCheckOptions &opt) {
  auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
  };
  SelfCheckResult r;
  try {
    (void)runtime::findWorker();
  } catch (const UserError &e) {
    return skippedSelfCheck(std::string("no OpenCL worker: ") + e.what());
  }
  // Shapes smallest first, with their input sets.
  struct Item {
    runtime::JobPlan plan;
    uint64_t elements = 0;
    size_t sets = 2;
  };
  std::vector<Item> items;
  std::vector<uint32_t> constants = constantValues(s, m);
  try {
    for (const spec::ShapeBinding &b : s.shapes) {
      Item it;
      it.plan = runtime::planJob(s, m, b);
      size_t pool = 0, smallest = 0;
      for (const runtime::BufferPlan &p : it.plan.buffers) {
        if (p.role == "temp")
          continue;
        it.elements += static_cast<uint64_t>(p.type.numel());
        if (p.role != "output" && p.type.dtype == spec::DType::Float32) {
          size_t n = static_cast<size_t>(std::max<int64_t>(1, p.type.numel()));
          smallest = smallest ? std::min(smallest, n) : n;
          pool = std::max(
              pool, gen::adversarialPool(runtime::genDomain(s.domainOf(p.name)))
                        .size());
        }
      }
      if (smallest)
        it.sets = std::min<size_t>(
            8, std::max<size_t>(2, (pool + smallest - 1) / smallest));
      items.push_back(std::move(it));
    }
  } catch (const UserError &e) {
    return skippedSelfCheck(std::string("cannot plan a run: ") + e.what());
  }
  std::stable_sort(
      items.begin(), items.end(),
      [](const Item &a, const Item &b) { return a.elements < b.elements; });
  runtime::ProgramImage program;
  try {
    program = runtime::programImage(m, verify::compileToBitcode(m));
    // Only the verified bitcode is checked (a device that does not take
    // SPIR fails to build it and the check is skipped): a source build on
    // another compiler is not the program that was proved.
    program.prefer = "binary";
  } catch (const UserError &e) {
    return skippedSelfCheck(std::string("cannot compile: ") + e.what());
  }
  uint64_t used = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const Item &it = items[i];
    std::string label = spec::formatBinding(it.plan.shape);
    uint64_t cost = it.elements * it.sets;
    if (!(i == 0 && it.elements <= opt.maxElementsOne) &&
        used + cost > opt.maxElements) {
      r.shapesSkipped.push_back(label + " (" + std::to_string(it.elements) +
                                " elements)");
      continue;
    }
    double left = opt.timeoutSeconds - elapsed();
    if (left < 1) {
      r.shapesSkipped.push_back(label + " (no time left)");
      continue;
    }
    used += cost;
    std::vector<runtime::InputSet> sets =
        adversarialSets(s, it.plan, it.sets, constants);
    runtime::RunOptions ro;
    ro.device = opt.device;
    ro.worker.timeoutSeconds = left;
    ro.maxReported = 4;
    runtime::RunReport rep;
    try {
      rep = runtime::runInputSets(s, m, program, it.plan, sets, ro);
    } catch (const std::exception &e) {
      r = skippedSelfCheck(std::string("the device run failed: ") + e.what());
      r.seconds = elapsed();
      return r;
    }
    if (rep.device.is_object())
      r.device = rep.device.value("name", "");
    if (rep.program.is_object())
      r.program = rep.program.value("from", "");
    if (rep.failure) {
      // A crash of a kernel proved memory-safe is a contradiction; no
      // device, a build or launch the device refuses, or our own deadline
      // are not, and leave the proof unchecked.
      if (rep.failure->kind == "crashed") {
        r.status = "failed";
        r.reason = "the proved kernel crashed the worker at " + label + ": " +
                   rep.failure->message;
      } else {
        r = skippedSelfCheck("the device did not run it (" + rep.failure->kind +
                             "): " + rep.failure->message);
      }
      r.seconds = elapsed();
      return r;
    }
    r.shapes.push_back(label);
    r.inputs += sets.size();
    for (size_t k = 0; k < rep.sets.size(); ++k) {
      const runtime::SetReport &set = rep.sets[k];
      for (const runtime::OutputReport &o : set.outputs)
        r.elements += static_cast<uint64_t>(o.elements);
      if (set.passed() || r.status == "failed")
        continue;
      Problem pr = describeProblem(s, it.plan, set, sets[k]);
      r.status = "failed";
      r.reason = pr.text;
      r.bugReport = writeBugReport(s, m, rep, set, pr, opt);
      if (r.bugReport.empty())
        r.reason += " (the bug report could not be written)";
    }
    if (r.status == "failed")
      break;
  }
  if (r.status != "failed") {
    if (r.shapes.empty()) {
      std::string why;
      for (const std::string &k : r.shapesSkipped)
        why += (why.empty() ? "" : "; ") + k;
      r = skippedSelfCheck("no verified shape was run: " + why +
                           " (too large, or no time left)");
    } else
      r.status = "passed";
  }
  r.seconds = elapsed();
  return r;
}

} // namespace ksynth::cli
