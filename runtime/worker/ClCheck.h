// OpenCL error checking and RAII handles for the worker. Every OpenCL call
// goes through check(), so a failure names the call and the error code
// ("clBuildProgram: CL_BUILD_PROGRAM_FAILURE (-11)").
#pragma once

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace ksynth::worker {

inline const char *clErrorName(cl_int e) {
  switch (e) {
#define KSYNTH_CL_ERR(name)                                                    \
  case name:                                                                   \
    return #name;
    KSYNTH_CL_ERR(CL_SUCCESS)
    KSYNTH_CL_ERR(CL_DEVICE_NOT_FOUND)
    KSYNTH_CL_ERR(CL_DEVICE_NOT_AVAILABLE)
    KSYNTH_CL_ERR(CL_COMPILER_NOT_AVAILABLE)
    KSYNTH_CL_ERR(CL_MEM_OBJECT_ALLOCATION_FAILURE)
    KSYNTH_CL_ERR(CL_OUT_OF_RESOURCES)
    KSYNTH_CL_ERR(CL_OUT_OF_HOST_MEMORY)
    KSYNTH_CL_ERR(CL_PROFILING_INFO_NOT_AVAILABLE)
    KSYNTH_CL_ERR(CL_MEM_COPY_OVERLAP)
    KSYNTH_CL_ERR(CL_IMAGE_FORMAT_MISMATCH)
    KSYNTH_CL_ERR(CL_IMAGE_FORMAT_NOT_SUPPORTED)
    KSYNTH_CL_ERR(CL_BUILD_PROGRAM_FAILURE)
    KSYNTH_CL_ERR(CL_MAP_FAILURE)
    KSYNTH_CL_ERR(CL_MISALIGNED_SUB_BUFFER_OFFSET)
    KSYNTH_CL_ERR(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
    KSYNTH_CL_ERR(CL_COMPILE_PROGRAM_FAILURE)
    KSYNTH_CL_ERR(CL_LINKER_NOT_AVAILABLE)
    KSYNTH_CL_ERR(CL_LINK_PROGRAM_FAILURE)
    KSYNTH_CL_ERR(CL_DEVICE_PARTITION_FAILED)
    KSYNTH_CL_ERR(CL_KERNEL_ARG_INFO_NOT_AVAILABLE)
    KSYNTH_CL_ERR(CL_INVALID_VALUE)
    KSYNTH_CL_ERR(CL_INVALID_DEVICE_TYPE)
    KSYNTH_CL_ERR(CL_INVALID_PLATFORM)
    KSYNTH_CL_ERR(CL_INVALID_DEVICE)
    KSYNTH_CL_ERR(CL_INVALID_CONTEXT)
    KSYNTH_CL_ERR(CL_INVALID_QUEUE_PROPERTIES)
    KSYNTH_CL_ERR(CL_INVALID_COMMAND_QUEUE)
    KSYNTH_CL_ERR(CL_INVALID_HOST_PTR)
    KSYNTH_CL_ERR(CL_INVALID_MEM_OBJECT)
    KSYNTH_CL_ERR(CL_INVALID_IMAGE_FORMAT_DESCRIPTOR)
    KSYNTH_CL_ERR(CL_INVALID_IMAGE_SIZE)
    KSYNTH_CL_ERR(CL_INVALID_SAMPLER)
    KSYNTH_CL_ERR(CL_INVALID_BINARY)
    KSYNTH_CL_ERR(CL_INVALID_BUILD_OPTIONS)
    KSYNTH_CL_ERR(CL_INVALID_PROGRAM)
    KSYNTH_CL_ERR(CL_INVALID_PROGRAM_EXECUTABLE)
    KSYNTH_CL_ERR(CL_INVALID_KERNEL_NAME)
    KSYNTH_CL_ERR(CL_INVALID_KERNEL_DEFINITION)
    KSYNTH_CL_ERR(CL_INVALID_KERNEL)
    KSYNTH_CL_ERR(CL_INVALID_ARG_INDEX)
    KSYNTH_CL_ERR(CL_INVALID_ARG_VALUE)
    KSYNTH_CL_ERR(CL_INVALID_ARG_SIZE)
    KSYNTH_CL_ERR(CL_INVALID_KERNEL_ARGS)
    KSYNTH_CL_ERR(CL_INVALID_WORK_DIMENSION)
    KSYNTH_CL_ERR(CL_INVALID_WORK_GROUP_SIZE)
    KSYNTH_CL_ERR(CL_INVALID_WORK_ITEM_SIZE)
    KSYNTH_CL_ERR(CL_INVALID_GLOBAL_OFFSET)
    KSYNTH_CL_ERR(CL_INVALID_EVENT_WAIT_LIST)
    KSYNTH_CL_ERR(CL_INVALID_EVENT)
    KSYNTH_CL_ERR(CL_INVALID_OPERATION)
    KSYNTH_CL_ERR(CL_INVALID_GL_OBJECT)
    KSYNTH_CL_ERR(CL_INVALID_BUFFER_SIZE)
    KSYNTH_CL_ERR(CL_INVALID_MIP_LEVEL)
    KSYNTH_CL_ERR(CL_INVALID_GLOBAL_WORK_SIZE)
    KSYNTH_CL_ERR(CL_INVALID_PROPERTY)
    KSYNTH_CL_ERR(CL_INVALID_IMAGE_DESCRIPTOR)
    KSYNTH_CL_ERR(CL_INVALID_COMPILER_OPTIONS)
    KSYNTH_CL_ERR(CL_INVALID_LINKER_OPTIONS)
    KSYNTH_CL_ERR(CL_INVALID_DEVICE_PARTITION_COUNT)
#undef KSYNTH_CL_ERR
  case -1001:
    return "CL_PLATFORM_NOT_FOUND_KHR";
  default:
    return "CL_UNKNOWN_ERROR";
  }
}

inline std::string clErrorText(cl_int e) {
  return std::string(clErrorName(e)) + " (" + std::to_string(e) + ")";
}

// A failure the worker reports in its result. `kind` says whose fault:
//   job       the job document is malformed
//   device    no such device / platform
//   build     the program does not build (log in `log`)
//   launch    a kernel, argument or NDRange is rejected
//   execution an enqueued command failed (e.g. an illegal address)
//   check     bench: an output differs from the reference digest
//   resource  allocation failed (buffer larger than the device allows)
struct WorkerError : std::runtime_error {
  WorkerError(std::string kind, std::string call, cl_int code,
              const std::string &msg, std::string log = "")
      : std::runtime_error(msg), kind(std::move(kind)), call(std::move(call)),
        code(code), log(std::move(log)) {}
  std::string kind, call;
  cl_int code;
  std::string log;
};

// Throws WorkerError if err is not CL_SUCCESS. `what` names the call and
// its subject, e.g. "clCreateKernel('hardtanh4')".
inline void check(cl_int err, const std::string &what,
                  const char *kind = "execution") {
  if (err == CL_SUCCESS)
    return;
  std::string k = kind;
  if (err == CL_MEM_OBJECT_ALLOCATION_FAILURE || err == CL_OUT_OF_HOST_MEMORY ||
      err == CL_INVALID_BUFFER_SIZE)
    k = "resource";
  throw WorkerError(k, what, err, what + ": " + clErrorText(err));
}

// Owning OpenCL handle: released exactly once.
template <class T, cl_int(CL_API_CALL *Release)(T)> class ClRef {
public:
  ClRef() = default;
  explicit ClRef(T h) : h_(h) {}
  ClRef(const ClRef &) = delete;
  ClRef &operator=(const ClRef &) = delete;
  ClRef(ClRef &&o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  ClRef &operator=(ClRef &&o) noexcept {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  ~ClRef() { reset(); }
  void reset() {
    if (h_)
      Release(h_);
    h_ = nullptr;
  }
  T get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }

private:
  T h_ = nullptr;
};

using Context = ClRef<cl_context, clReleaseContext>;
using Queue = ClRef<cl_command_queue, clReleaseCommandQueue>;
using Program = ClRef<cl_program, clReleaseProgram>;
using Kernel = ClRef<cl_kernel, clReleaseKernel>;
using Mem = ClRef<cl_mem, clReleaseMemObject>;
using Event = ClRef<cl_event, clReleaseEvent>;

} // namespace ksynth::worker
