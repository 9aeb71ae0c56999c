// Helpers for the runtime tests: tiny specs, manifests and kernels written
// into a temporary directory, and options that find the worker.
#pragma once

#include "runtime/Job.h"
#include "runtime/TempDir.h"
#include "runtime/Worker.h"
#include "spec/Manifest.h"
#include "spec/Spec.h"

#include <fstream>
#include <string>

namespace ksynth::runtime::test {

inline void writeFile(const std::string &path, const std::string &text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

// hardtanh over x[N] at the given shapes, domain "all" unless given.
inline std::string
hardtanhSpec(const std::string &shapes = R"([{"N": 67}, {"N": 64}])",
             const std::string &domain = R"("all")") {
  return R"({"name": "hardtanh",
    "inputs": {"x": {"dtype": "float32", "shape": ["N"]}},
    "ops": [{"op": "hardtanh", "inputs": ["x"], "output": "y",
             "attrs": {"min_val": -1.0, "max_val": 1.0}}],
    "outputs": ["y"], "domain": {"x": )" +
         domain + R"(}, "shapes": )" + shapes + "}";
}

// A correct scalar hardtanh (the corpus' formulation).
inline const char *kHardtanh = R"(
__kernel void hardtanh(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
})";

inline std::string manifestFor(const std::string &kernel,
                               const std::string &args = R"(["x", "y", "N"])",
                               const std::string &extra = "") {
  return R"({"source": "k.cl", )" + extra + R"("launches": [{"kernel": ")" +
         kernel + R"(", "args": )" + args + R"(, "global": ["N"]}]})";
}

// A spec, manifest and kernel on disk, parsed.
struct Candidate {
  TempDir dir;
  spec::Spec spec;
  spec::Manifest manifest;
  Candidate(const std::string &specText, const std::string &manifestText,
            const std::string &source) {
    writeFile(dir.file("spec.json"), specText);
    writeFile(dir.file("k.json"), manifestText);
    writeFile(dir.file("k.cl"), source);
    spec = spec::parseSpecFile(dir.file("spec.json"));
    manifest = spec::parseManifestFile(dir.file("k.json"), spec);
  }
  ProgramImage source() const { return programImage(manifest, ""); }
};

inline WorkerOptions workerOptions(double timeout = 30) {
  WorkerOptions w;
#ifdef KSYNTH_WORKER_PATH
  w.workerPath = KSYNTH_WORKER_PATH;
#endif
  w.timeoutSeconds = timeout;
  return w;
}

} // namespace ksynth::runtime::test
