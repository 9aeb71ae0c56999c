// The agents' prompts and the reading of their replies (Prompt.h).
#include "synth/Prompt.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>

namespace ksynth::synth {

namespace {

using nlohmann::json;

std::string fmt(const char *f, double x) {
  char b[64];
  std::snprintf(b, sizeof b, f, x);
  return b;
}

std::string literal(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.9g", v);
  std::string s = b;
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  return s;
}

std::string shapeText(const spec::TensorDecl &t) {
  std::string s = spec::toString(t.dtype) + "[";
  for (size_t i = 0; i < t.shape.size(); ++i)
    s += (i ? ", " : "") + t.shape[i].text();
  return s + "]";
}

std::string pyValue(const json &v) {
  if (v.is_boolean())
    return v.get<bool>() ? "True" : "False";
  if (v.is_null())
    return "None";
  if (v.is_array()) {
    std::string s = "(";
    for (size_t i = 0; i < v.size(); ++i)
      s += (i ? ", " : "") + pyValue(v[i]);
    return s + (v.size() == 1 ? ",)" : ")");
  }
  return v.dump();
}

// A float32 from "0x3f800000" (or the text itself when it is not one).
std::string bitsValue(const json &b) {
  if (!b.is_string())
    return b.dump();
  std::string s = b.get<std::string>();
  if (s.size() == 10 && s.rfind("0x", 0) == 0) {
    uint32_t u = uint32_t(std::stoul(s.substr(2), nullptr, 16));
    float f;
    std::memcpy(&f, &u, sizeof f);
    char t[64];
    std::snprintf(t, sizeof t, "%.9g", double(f));
    return std::string(t) + " (" + s + ")";
  }
  return s;
}

std::string counterexampleText(const json &cx) {
  std::ostringstream o;
  o << "- failed obligation: " << cx.value("obligation", "?") << "\n";
  if (cx.contains("detail"))
    o << "- detail: " << cx.value("detail", "") << "\n";
  // The verdict's source locations (docs/verdict-format.md): the failing
  // store, access or barrier, and the other access of a race.
  auto where = [](const json &l) {
    if (!l.is_object())
      return l.dump();
    std::string t = l.value("file", std::string("kernel")) + ":" +
                    std::to_string(l.value("line", 0));
    if (l.value("column", 0) > 0)
      t += ":" + std::to_string(l.value("column", 0));
    if (l.contains("what"))
      t += " (" + l.value("what", std::string()) + ")";
    return t;
  };
  if (cx.contains("location"))
    o << "- source line: " << where(cx.at("location")) << "\n";
  if (cx.contains("other_location"))
    o << "- other access: " << where(cx.at("other_location")) << "\n";
  if (cx.contains("shape"))
    o << "- at shape: " << cx.at("shape").dump() << "\n";
  if (cx.contains("output")) {
    o << "- element: " << cx.value("output", "")
      << cx.value("index", json::array()).dump() << " (flat index "
      << cx.value("flat_index", json(-1)).dump() << ")\n";
  }
  if (cx.contains("reference"))
    o << "- expected (reference): " << cx["reference"].value("value", "")
      << " (" << cx["reference"].value("bits", "") << ")\n";
  if (cx.contains("candidate"))
    o << "- got (your kernel): " << cx["candidate"].value("value", "") << " ("
      << cx["candidate"].value("bits", "") << ")\n";
  if (cx.contains("inputs") && cx.at("inputs").is_object()) {
    o << "- inputs:\n";
    for (auto it = cx["inputs"].begin(); it != cx["inputs"].end(); ++it) {
      const json &t = it.value();
      o << "  - " << it.key() << " " << t.value("dtype", "") << " shape "
        << t.value("shape", json::array()).dump() << ": ";
      if (t.contains("bits")) {
        const json &bits = t.at("bits");
        // Most counterexamples are one value almost everywhere: say so and
        // list the others (up to 24).
        std::map<std::string, size_t> count;
        for (const json &b : bits)
          count[b.dump()]++;
        std::string mode;
        size_t most = 0;
        for (auto &[k, n] : count)
          if (n > most)
            most = n, mode = k;
        bool sparse = bits.size() > 8 && most * 2 > bits.size();
        if (sparse)
          o << "every element " << bitsValue(json::parse(mode)) << " except";
        size_t shown = 0;
        for (size_t i = 0; i < bits.size() && shown < 24; ++i) {
          if (sparse && bits[i].dump() == mode)
            continue;
          o << (shown++ ? ", " : " ") << "[" << i << "] " << bitsValue(bits[i]);
        }
        if (sparse && shown == 0)
          o << " none";
        if (shown == 24)
          o << ", ... (" << bits.size() << " elements)";
      } else if (t.contains("elements")) {
        o << "every element " << bitsValue(t.value("default", json("")))
          << " except";
        size_t i = 0;
        for (const json &e : t.at("elements")) {
          if (i++ == 24) {
            o << " ...";
            break;
          }
          o << " [" << e.value("index", json(0)).dump() << "] "
            << bitsValue(e.value("bits", json("")));
        }
      }
      o << "\n";
    }
  }
  return o.str();
}

std::string fence(const std::string &lang, const std::string &body) {
  std::string b = body;
  if (!b.empty() && b.back() != '\n')
    b += "\n";
  return "```" + lang + "\n" + b + "```\n";
}

std::string deviceText(const Problem &p) {
  std::ostringstream o;
  const json &d = p.deviceInfo;
  auto field = [&](const char *k) -> std::string {
    if (d.is_object() && d.contains(k) && !d.at(k).is_null())
      return d.at(k).is_string() ? d.at(k).get<std::string>() : d.at(k).dump();
    return "unknown";
  };
  o << "- name: " << field("name") << " (platform " << field("platform")
    << ", driver " << field("driver_version") << ")\n";
  o << "- type: " << field("type")
    << ", compute units: " << field("compute_units")
    << ", clock: " << field("max_clock_mhz") << " MHz"
    << ", max work-group size: " << field("max_work_group_size") << "\n";
  o << "- local memory per work-group: " << field("local_mem_bytes")
    << " bytes, global memory: " << field("global_mem_bytes")
    << " bytes, global cache: " << field("global_cache_bytes") << " bytes\n";
  o << "- measured copy bandwidth: "
    << (p.copyGBps > 0 ? fmt("%.1f GB/s", p.copyGBps)
                       : std::string("unknown (not measured yet)"))
    << "; measured float32 peak: "
    << (p.peakGflops > 0 ? fmt("%.1f GFLOP/s", p.peakGflops)
                         : std::string("unknown (not measured yet)"))
    << "\n";
  return o.str();
}

} // namespace

std::string renderSpecPytorch(const spec::Spec &s) {
  std::ostringstream o;
  o << "import torch\n\n";
  o << "# spec \"" << s.name << "\"\n";
  o << "def reference(";
  for (size_t i = 0; i < s.inputs.size(); ++i)
    o << (i ? ", " : "") << s.inputs[i].name;
  o << "):\n";
  for (const auto &t : s.inputs)
    o << "    # " << t.name << ": " << shapeText(t) << ", domain "
      << s.domainOf(t.name).describe() << "\n";
  for (const spec::OpNode *op : spec::topoOrder(s)) {
    o << "    " << op->output << " = torch." << op->op << "(";
    bool first = true;
    for (const spec::Operand &a : op->inputs) {
      o << (first ? "" : ", ");
      first = false;
      if (auto *n = std::get_if<std::string>(&a))
        o << *n;
      else
        o << literal(std::get<double>(a));
    }
    for (auto it = op->attrs.begin(); it != op->attrs.end(); ++it) {
      o << (first ? "" : ", ") << it.key() << "=" << pyValue(it.value());
      first = false;
    }
    o << ")\n";
  }
  o << "    return ";
  for (size_t i = 0; i < s.outputs.size(); ++i)
    o << (i ? ", " : "") << s.outputs[i];
  o << "\n";
  return o.str();
}

std::string systemPrompt() {
  return "You are a GPU performance engineer writing OpenCL C 1.2 kernels. "
         "Every kernel you write is checked by a formal verifier (symbolic "
         "execution and an SMT solver) against a reference: only a kernel "
         "proven equivalent to the reference for every input of its domain "
         "is timed on the device, and the fastest proven kernel wins. A "
         "wrong kernel is refuted with a concrete counterexample. Answer "
         "with exactly one candidate: the complete OpenCL C source in one "
         "```c block and its launch manifest in one ```json block (no "
         "\"source\" field needed). Keep explanations short.";
}

std::string describeOutcome(const Outcome &o) {
  std::ostringstream s;
  s << "verdict: " << o.verdict;
  if (!o.level.empty())
    s << " (level " << o.level << ")";
  s << "\n";
  if (o.verdict == "refuted" && o.counterexample.is_object())
    s << "counterexample:\n" << counterexampleText(o.counterexample);
  else if (!o.reason.empty())
    s << "reason: " << o.reason << "\n";
  if (!o.compileError.empty())
    s << "compiler / verifier error output:\n" << fence("", o.compileError);
  if (o.timed())
    s << fmt("device time: %.2f us median", o.medianUs)
      << fmt(" (IQR %.2f us)", o.iqrUs) << "\n";
  else if (o.proved() && !o.timingNote.empty())
    s << "timing: " << o.timing << ": " << o.timingNote << "\n";
  return s.str();
}

std::string userPrompt(const PromptContext &c) {
  const Problem &p = *c.problem;
  const spec::Spec &s = *p.spec;
  std::ostringstream o;
  o << "# Task\nWrite a faster OpenCL C kernel (one or more launches) that "
       "computes exactly this reference.\n\n";
  o << "## Reference (PyTorch-like; op semantics as in PyTorch, float32)\n"
    << fence("python", renderSpecPytorch(s));
  if (!p.modelSource.empty())
    o << "\nThe reference was imported from this PyTorch model file ("
      << p.modelPath << "):\n"
      << fence("python", p.modelSource);
  o << "\n## Shapes, domain, tolerance\n";
  o << "- verified at every one of these shape bindings: ";
  for (size_t i = 0; i < s.shapes.size(); ++i)
    o << (i ? "; " : "") << spec::formatBinding(s.shapes[i]);
  o << "\n- timed (deployment shape): "
    << (p.benchShape.empty() ? std::string("the largest above") : p.benchShape)
    << "\n";
  for (const auto &t : s.inputs)
    o << "- domain of " << t.name << ": " << s.domainOf(t.name).describe()
      << "\n";
  o << "- outputs compared: " << s.tolerance.describe() << "\n";
  o << "\n## Device\n" << deviceText(p);
  o << "\n## Manifest format\nA JSON object: \"launches\": a list of "
       "{\"kernel\": NAME, \"args\": [...], \"global\": [EXPR, ...], "
       "\"local\": [EXPR, ...] or null}, run in order. args: one per kernel "
       "parameter: a spec tensor name (input or output; a 0-d tensor is "
       "passed by value), a temporary's name, an integer expression of "
       "shape symbols (\"N\", \"(N+3)/4\"), {\"float\": 0.5}, or {\"local\": "
       "\"256*4\"} for a __local buffer of that many bytes. Optional: "
       "\"temporaries\": {NAME: {\"dtype\": \"float32\", \"size\": EXPR}}, "
       "\"build_options\": [...] (e.g. "
       "\"-cl-fp32-correctly-rounded-divide-sqrt\"), \"fp_contract\": "
       "false (no fused multiply-add; PyTorch rounds each op separately), "
       "\"local_mem_bytes\". A kernel that uses local ids, barriers or "
       "__local memory needs \"local\"; every local size must divide the "
       "global size. Every output element must be written exactly once, "
       "with no races, out-of-bounds accesses or divergent barriers.\n";
  if (c.example) {
    o << "\nExample (a correct candidate, " << c.example->kind << "):\n"
      << fence("c", c.example->source)
      << fence("json", c.example->manifest.dump(2));
  }
  o << "\n## Current state\n";
  if (c.naive && c.naive->timed())
    o << fmt("- naive baseline (one work-item per element): %.2f us\n",
             c.naive->medianUs);
  else
    o << "- naive baseline time: not measured\n";
  if (c.best) {
    o << fmt("- best proven kernel so far: %.2f us", c.best->medianUs) << " ("
      << c.best->cand.id << ", " << c.best->cand.generator << " "
      << c.best->cand.kind << "); beat it:\n"
      << fence("c", c.best->cand.source)
      << fence("json", c.best->cand.manifest.dump(2));
  } else {
    o << "- no proven kernel has been timed yet\n";
  }
  o << "\n## Your strategy\nFocus on: " << c.strategy << ".\n";
  if (!p.hint.empty())
    o << "Hint from the user: " << p.hint << "\n";
  if (!c.ownHistory.empty()) {
    o << "\n## Your earlier candidates\n";
    for (const std::string &h : c.ownHistory)
      o << "- " << h << "\n";
  }
  if (c.previous) {
    o << "\n## Feedback on your previous candidate (" << c.previous->cand.id
      << ")\n"
      << describeOutcome(*c.previous);
    if (!c.previous->proved())
      o << "Fix it or try another idea; do not resubmit a refuted kernel.\n";
  }
  if (!c.previousError.empty())
    o << "\n## Your previous reply could not be used\n"
      << c.previousError << "\n";
  o << "\n## Reply format\nOne ```c block with the complete kernel source "
       "and one ```json block with the manifest.\n";
  return o.str();
}

ParsedReply parseReply(const std::string &text) {
  ParsedReply r;
  std::string code, manifest;
  bool haveCode = false, haveJson = false;
  size_t pos = 0;
  for (;;) {
    size_t open = text.find("```", pos);
    if (open == std::string::npos)
      break;
    size_t eol = text.find('\n', open);
    if (eol == std::string::npos)
      break;
    std::string lang = text.substr(open + 3, eol - open - 3);
    while (!lang.empty() && (lang.back() == ' ' || lang.back() == '\r'))
      lang.pop_back();
    for (char &ch : lang)
      ch = char(std::tolower(static_cast<unsigned char>(ch)));
    size_t close = text.find("```", eol + 1);
    if (close == std::string::npos)
      break; // an unterminated block
    std::string body = text.substr(eol + 1, close - eol - 1);
    pos = close + 3;
    if (lang == "json") {
      manifest = body;
      haveJson = true;
    } else if (lang == "c" || lang == "opencl" || lang == "cl" ||
               lang == "cpp" || lang == "c++" ||
               (lang.empty() && body.find("__kernel") != std::string::npos)) {
      code = body;
      haveCode = true;
    }
  }
  bool kernel = code.find("__kernel") != std::string::npos ||
                code.find("kernel void") != std::string::npos;
  if (!haveCode || !kernel) {
    r.error = "the reply has no ```c block with an OpenCL kernel (__kernel "
              "void ...); answer with one ```c block and one ```json block";
    return r;
  }
  if (!haveJson) {
    r.error = "the reply has no ```json block with the launch manifest";
    return r;
  }
  json m;
  try {
    m = json::parse(manifest);
  } catch (const std::exception &e) {
    r.error = std::string("the manifest block is not valid JSON: ") + e.what();
    return r;
  }
  if (!m.is_object() || !m.contains("launches") ||
      !m.at("launches").is_array() || m.at("launches").empty()) {
    r.error = "the manifest must be a JSON object with a non-empty "
              "\"launches\" list";
    return r;
  }
  m.erase("source");
  r.source = code;
  r.manifest = m;
  return r;
}

} // namespace ksynth::synth
