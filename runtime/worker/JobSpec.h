// The job document a worker runs (runtime/README.md, "Job format"), parsed
// into plain structs. Every malformed field is a WorkerError of kind "job"
// naming the field.
#pragma once

#include "Base64.h"
#include "ClCheck.h"
#include "Generate.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ksynth::worker {

using json = nlohmann::json;

[[noreturn]] inline void jobError(const std::string &msg) {
  throw WorkerError("job", "", CL_INVALID_VALUE, "job: " + msg);
}

struct BufferSpec {
  std::string name;
  std::string role;  // input | output | temp | scalar (host only, by value)
  std::string dtype; // float32 | bool | int64
  size_t bytes = 0;
};

// Initial contents of an input (or scalar) buffer in one input set.
struct InitSpec {
  bool generate = false;
  std::vector<uint8_t> bytes; // explicit contents (base64)
  std::string file;           // explicit contents, read when needed
  gen::Dist dist = gen::Dist::Normal;
  uint64_t seed = 0;
  gen::Domain domain;
};

struct ArgSpec {
  enum class Kind { Buffer, Int, Float, Local, ValueOf } kind = Kind::Int;
  std::string name; // Buffer / ValueOf
  int64_t i = 0;    // Int; Local: bytes
  uint32_t fbits = 0;
};

struct LaunchSpec {
  std::string kernel;
  std::vector<ArgSpec> args;
  std::vector<size_t> global;
  std::vector<size_t> local; // empty: driver's choice
};

struct ProgramSpec {
  std::string source;          // OpenCL C
  std::vector<uint8_t> binary; // SPIR bitcode
  std::string options;
  std::string prefer = "auto"; // auto | binary | source
};

struct ExpectSpec {
  std::string digest;
  bool ignoreZeroSign = false;
};

struct BenchSpec {
  int warmup = 3;
  int iters = 100;
  uint64_t flushBytes = 0; // 0: max(2 x cache, 256 MiB), capped by memory
  uint64_t copyBytes = 0;  // 0: max(4 x cache, 256 MiB), capped by memory
  int copyReps = 10;       // also the runs of each peak kernel
  double peakMs = 10;      // a peak kernel launch is calibrated to about this
};

struct Job {
  std::string label;
  std::string mode = "run"; // run | bench
  json device;              // selection (null: default)
  ProgramSpec program;
  std::vector<BufferSpec> buffers;
  std::vector<std::map<std::string, InitSpec>> sets;
  std::vector<LaunchSpec> launches;
  int repeats = 2;
  std::string outputDir; // run: write outputs as files there
  BenchSpec bench;
  std::vector<std::map<std::string, ExpectSpec>> expect; // per set

  const BufferSpec *find(const std::string &n) const {
    for (const BufferSpec &b : buffers)
      if (b.name == n)
        return &b;
    return nullptr;
  }
};

inline gen::Domain parseDomain(const json &j) {
  gen::Domain d;
  if (j.is_null())
    return d;
  std::string k = j.value("kind", "all");
  if (k == "all")
    d.kind = gen::Domain::Kind::All;
  else if (k == "finite")
    d.kind = gen::Domain::Kind::Finite;
  else if (k == "range") {
    d.kind = gen::Domain::Kind::Range;
    auto bound = [&](const char *key) -> double {
      const json &b = j.at(key);
      if (b.is_string()) {
        std::string s = b.get<std::string>();
        if (s == "inf" || s == "+inf")
          return INFINITY;
        if (s == "-inf")
          return -INFINITY;
        jobError(std::string("domain.") + key + ": bad bound '" + s + "'");
      }
      return b.get<double>();
    };
    d.lo = bound("lo");
    d.hi = bound("hi");
  } else
    jobError("domain.kind '" + k + "' (want all, finite or range)");
  return d;
}

inline InitSpec parseInit(const json &j, const std::string &where) {
  InitSpec s;
  if (j.contains("base64")) {
    try {
      s.bytes = b64::decode(j.at("base64").get<std::string>());
    } catch (const std::invalid_argument &e) {
      jobError(where + ".base64: " + e.what());
    }
  } else if (j.contains("file")) {
    s.file = j.at("file").get<std::string>();
  } else if (j.contains("generate")) {
    const json &g = j.at("generate");
    s.generate = true;
    if (!gen::parseDist(g.value("dist", "normal"), s.dist))
      jobError(where + ".generate.dist: unknown distribution '" +
               g.value("dist", "") + "'");
    s.seed = g.value("seed", uint64_t(0));
    s.domain = parseDomain(g.value("domain", json()));
  } else {
    jobError(
        where +
        ": want {\"base64\": ...}, {\"file\": ...} or {\"generate\": ...}");
  }
  return s;
}

inline uint32_t parseBits(const std::string &s, const std::string &where) {
  try {
    size_t used = 0;
    unsigned long v = std::stoul(s, &used, 16);
    if (used != s.size() || v > 0xffffffffUL)
      jobError(where + ": bad bit pattern '" + s + "'");
    return static_cast<uint32_t>(v);
  } catch (const std::logic_error &) {
    jobError(where + ": bad bit pattern '" + s + "'");
  }
}

inline Job parseJob(const json &j) {
  Job job;
  try {
    if (!j.is_object())
      jobError("not a JSON object");
    if (j.value("ksynth_job", 0) != 1)
      jobError("'ksynth_job' must be 1");
    job.label = j.value("label", "");
    job.mode = j.value("mode", "run");
    if (job.mode != "run" && job.mode != "bench")
      jobError("mode '" + job.mode + "' (want run or bench)");
    job.device = j.value("device", json());
    const json &p = j.at("program");
    job.program.source = p.value("source", "");
    job.program.options = p.value("options", "");
    job.program.prefer = p.value("prefer", "auto");
    if (p.contains("binary")) {
      try {
        job.program.binary = b64::decode(p.at("binary").get<std::string>());
      } catch (const std::invalid_argument &e) {
        jobError(std::string("program.binary: ") + e.what());
      }
    }
    if (job.program.source.empty() && job.program.binary.empty())
      jobError("program: neither source nor binary");
    for (const json &b : j.at("buffers")) {
      BufferSpec s;
      s.name = b.at("name").get<std::string>();
      s.role = b.at("role").get<std::string>();
      s.dtype = b.value("dtype", "float32");
      s.bytes = b.at("bytes").get<size_t>();
      if (s.role != "input" && s.role != "output" && s.role != "temp" &&
          s.role != "scalar")
        jobError("buffer '" + s.name + "': role '" + s.role + "'");
      if (s.dtype != "float32" && s.dtype != "bool" && s.dtype != "int64")
        jobError("buffer '" + s.name + "': dtype '" + s.dtype + "'");
      if (s.bytes == 0)
        jobError("buffer '" + s.name + "': 0 bytes");
      if (job.find(s.name))
        jobError("buffer '" + s.name + "' declared twice");
      job.buffers.push_back(s);
    }
    for (size_t k = 0; k < j.at("sets").size(); ++k) {
      const json &set = j.at("sets")[k];
      std::map<std::string, InitSpec> m;
      for (const BufferSpec &b : job.buffers) {
        if (b.role != "input" && b.role != "scalar")
          continue;
        std::string where = "sets[" + std::to_string(k) + "]." + b.name;
        if (!set.contains(b.name))
          jobError(where + ": missing");
        m[b.name] = parseInit(set.at(b.name), where);
        if (!m[b.name].generate && m[b.name].file.empty() &&
            m[b.name].bytes.size() != b.bytes)
          jobError(where + ": " + std::to_string(m[b.name].bytes.size()) +
                   " bytes given, buffer has " + std::to_string(b.bytes));
      }
      job.sets.push_back(std::move(m));
    }
    if (job.sets.empty())
      jobError("'sets' is empty (at least one input set)");
    for (size_t li = 0; li < j.at("launches").size(); ++li) {
      const json &l = j.at("launches")[li];
      std::string where = "launches[" + std::to_string(li) + "]";
      LaunchSpec s;
      s.kernel = l.at("kernel").get<std::string>();
      for (const json &a : l.at("args")) {
        ArgSpec arg;
        if (a.contains("buffer")) {
          arg.kind = ArgSpec::Kind::Buffer;
          arg.name = a.at("buffer").get<std::string>();
          const BufferSpec *b = job.find(arg.name);
          if (!b || b->role == "scalar")
            jobError(where + ": no device buffer '" + arg.name + "'");
        } else if (a.contains("value_of")) {
          arg.kind = ArgSpec::Kind::ValueOf;
          arg.name = a.at("value_of").get<std::string>();
          const BufferSpec *b = job.find(arg.name);
          if (!b || b->role != "scalar")
            jobError(where + ": no scalar '" + arg.name + "'");
        } else if (a.contains("int")) {
          arg.kind = ArgSpec::Kind::Int;
          arg.i = a.at("int").get<int64_t>();
        } else if (a.contains("float_bits")) {
          arg.kind = ArgSpec::Kind::Float;
          arg.fbits = parseBits(a.at("float_bits").get<std::string>(), where);
        } else if (a.contains("float")) {
          arg.kind = ArgSpec::Kind::Float;
          arg.fbits = gen::bitsOf(a.at("float").get<float>());
        } else if (a.contains("local")) {
          arg.kind = ArgSpec::Kind::Local;
          arg.i = a.at("local").get<int64_t>();
          if (arg.i <= 0)
            jobError(where + ": local size must be positive");
        } else {
          jobError(where + ": bad argument " + a.dump());
        }
        s.args.push_back(arg);
      }
      for (const json &g : l.at("global"))
        s.global.push_back(g.get<size_t>());
      if (l.contains("local") && !l.at("local").is_null())
        for (const json &g : l.at("local"))
          s.local.push_back(g.get<size_t>());
      if (s.global.empty() || s.global.size() > 3)
        jobError(where + ": global must have 1 to 3 dims");
      if (!s.local.empty() && s.local.size() != s.global.size())
        jobError(where + ": local and global differ in dims");
      job.launches.push_back(s);
    }
    if (j.contains("run")) {
      const json &r = j.at("run");
      job.repeats = r.value("repeats", 2);
      job.outputDir = r.value("output_dir", "");
      if (job.repeats < 1 || job.repeats > 16)
        jobError("run.repeats must be 1..16");
    }
    if (j.contains("bench")) {
      const json &b = j.at("bench");
      job.bench.warmup = b.value("warmup", 3);
      job.bench.iters = b.value("iters", 100);
      job.bench.flushBytes = b.value("flush_bytes", uint64_t(0));
      job.bench.copyBytes = b.value("copy_bytes", uint64_t(0));
      job.bench.copyReps = b.value("copy_reps", 10);
      job.bench.peakMs = b.value("peak_ms", 10.0);
      if (job.bench.iters < 1 || job.bench.warmup < 0 || job.bench.copyReps < 1)
        jobError("bench: iters and copy_reps must be >= 1, warmup >= 0");
      if (!(job.bench.peakMs >= 0.1 && job.bench.peakMs <= 10000))
        jobError("bench: peak_ms must be 0.1 .. 10000");
    }
    if (j.contains("expect")) {
      for (const json &e : j.at("expect")) {
        std::map<std::string, ExpectSpec> m;
        for (auto it = e.begin(); it != e.end(); ++it) {
          ExpectSpec x;
          x.digest = it.value().at("digest").get<std::string>();
          x.ignoreZeroSign = it.value().value("ignore_zero_sign", false);
          m[it.key()] = x;
        }
        job.expect.push_back(std::move(m));
      }
    }
  } catch (const json::exception &e) {
    jobError(e.what());
  }
  return job;
}

} // namespace ksynth::worker
