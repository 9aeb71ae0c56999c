// Builds the job's program on the device: the SPIR bitcode the verifier
// proved (clCreateProgramWithBinary) where the device accepts SPIR
// (cl_khr_spir, e.g. PoCL), else the OpenCL C source. The result says which.
#pragma once

#include "ClCheck.h"
#include "Devices.h"
#include "JobSpec.h"

#include <chrono>
#include <string>

namespace ksynth::worker {

struct BuiltProgram {
  Program program;
  std::string from; // "binary" (SPIR bitcode) or "source"
  std::string note;
  std::string options;
  std::string log;
  double seconds = 0;
};

inline std::string buildLog(cl_program p, cl_device_id d) {
  size_t n = 0;
  if (clGetProgramBuildInfo(p, d, CL_PROGRAM_BUILD_LOG, 0, nullptr, &n) !=
      CL_SUCCESS)
    return "";
  std::string s(n, '\0');
  if (clGetProgramBuildInfo(p, d, CL_PROGRAM_BUILD_LOG, n, s.data(), nullptr) !=
      CL_SUCCESS)
    return "";
  while (!s.empty() && (s.back() == '\0' || s.back() == '\n'))
    s.pop_back();
  return s;
}

inline BuiltProgram buildProgram(cl_context ctx, const DeviceRef &dev,
                                 const ProgramSpec &spec) {
  BuiltProgram out;
  bool spir = deviceHasExtension(dev.device, "cl_khr_spir");
  bool useBinary = false;
  if (spec.prefer == "binary") {
    if (spec.binary.empty())
      jobError("program.prefer is binary but no binary given");
    useBinary = true;
  } else if (spec.prefer == "source") {
    if (spec.source.empty())
      jobError("program.prefer is source but no source given");
  } else if (!spec.binary.empty() && (spir || spec.source.empty())) {
    useBinary = true;
  }
  if (!useBinary && !spec.binary.empty())
    out.note = "device does not accept SPIR bitcode (no cl_khr_spir): built "
               "from the OpenCL C source, not the verified bitcode";
  auto t0 = std::chrono::steady_clock::now();
  cl_int err = CL_SUCCESS;
  cl_device_id d = dev.device;
  if (useBinary) {
    out.from = "binary";
    const unsigned char *bin = spec.binary.data();
    size_t len = spec.binary.size();
    cl_int binStatus = CL_SUCCESS;
    out.program = Program(
        clCreateProgramWithBinary(ctx, 1, &d, &len, &bin, &binStatus, &err));
    check(err, "clCreateProgramWithBinary", "build");
    check(binStatus, "clCreateProgramWithBinary (binary status)", "build");
    out.options = spec.options;
    if (spir)
      out.options = "-x spir -spir-std=1.2 " + out.options;
  } else {
    out.from = "source";
    const char *src = spec.source.c_str();
    size_t len = spec.source.size();
    out.program = Program(clCreateProgramWithSource(ctx, 1, &src, &len, &err));
    check(err, "clCreateProgramWithSource", "build");
    out.options = "-cl-kernel-arg-info " + spec.options;
  }
  err = clBuildProgram(out.program.get(), 1, &d, out.options.c_str(), nullptr,
                       nullptr);
  out.log = buildLog(out.program.get(), d);
  out.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  if (err != CL_SUCCESS)
    throw WorkerError("build", "clBuildProgram", err,
                      "clBuildProgram (" + out.from + "): " + clErrorText(err),
                      out.log);
  return out;
}

} // namespace ksynth::worker
