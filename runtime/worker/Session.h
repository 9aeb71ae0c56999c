// One device context with an in-order, profiling-enabled queue, and the
// buffer operations the run and bench modes need (all checked, blocking).
#pragma once

#include "ClCheck.h"
#include "Devices.h"
#include "Generate.h"
#include "JobSpec.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace ksynth::worker {

class Session {
public:
  explicit Session(const DeviceRef &dev) : dev_(dev) {
    cl_int err = CL_SUCCESS;
    cl_device_id d = dev.device;
    cl_context_properties props[] = {
        CL_CONTEXT_PLATFORM,
        reinterpret_cast<cl_context_properties>(dev.platform), 0};
    ctx_ = Context(clCreateContext(props, 1, &d, nullptr, nullptr, &err));
    check(err, "clCreateContext", "device");
    // In order (no CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE), with profiling.
    queue_ = Queue(
        clCreateCommandQueue(ctx_.get(), d, CL_QUEUE_PROFILING_ENABLE, &err));
    check(err, "clCreateCommandQueue(PROFILING_ENABLE)", "device");
  }

  cl_context context() const { return ctx_.get(); }
  cl_command_queue queue() const { return queue_.get(); }
  const DeviceRef &device() const { return dev_; }

  Mem buffer(size_t bytes, const std::string &name) {
    cl_int err = CL_SUCCESS;
    Mem m(clCreateBuffer(ctx_.get(), CL_MEM_READ_WRITE, bytes, nullptr, &err));
    check(err,
          "clCreateBuffer('" + name + "', " + std::to_string(bytes) + " bytes)",
          "resource");
    return m;
  }
  void write(cl_mem m, const std::vector<uint8_t> &data,
             const std::string &name) {
    check(clEnqueueWriteBuffer(queue_.get(), m, CL_TRUE, 0, data.size(),
                               data.data(), 0, nullptr, nullptr),
          "clEnqueueWriteBuffer('" + name + "')");
  }
  std::vector<uint8_t> read(cl_mem m, size_t bytes, const std::string &name) {
    std::vector<uint8_t> out(bytes);
    check(clEnqueueReadBuffer(queue_.get(), m, CL_TRUE, 0, bytes, out.data(), 0,
                              nullptr, nullptr),
          "clEnqueueReadBuffer('" + name + "')");
    return out;
  }
  void finish(const std::string &after) {
    check(clFinish(queue_.get()), "clFinish (after " + after + ")");
  }

private:
  DeviceRef dev_;
  Context ctx_;
  Queue queue_;
};

// Host contents of an input or scalar buffer for one input set.
inline std::vector<uint8_t> materialize(const BufferSpec &b,
                                        const InitSpec &init) {
  if (!init.file.empty()) { // read here, one set at a time (issue 17)
    std::ifstream f(init.file, std::ios::binary);
    std::vector<uint8_t> v(b.bytes);
    f.read(reinterpret_cast<char *>(v.data()),
           static_cast<std::streamsize>(v.size()));
    if (!f || f.peek() != std::char_traits<char>::eof())
      throw WorkerError("job", "", CL_INVALID_VALUE,
                        "input file " + init.file + " does not hold " +
                            std::to_string(b.bytes) + " bytes of '" + b.name +
                            "'");
    return v;
  }
  if (!init.generate)
    return init.bytes;
  return gen::generateBytes(b.dtype, init.dist, init.seed, init.domain,
                            b.bytes);
}

// Nanoseconds between two profiling points of events.
inline double eventSpanNs(cl_event first, cl_event last) {
  cl_ulong start = 0, end = 0;
  check(clGetEventProfilingInfo(first, CL_PROFILING_COMMAND_START, sizeof start,
                                &start, nullptr),
        "clGetEventProfilingInfo(COMMAND_START)");
  check(clGetEventProfilingInfo(last, CL_PROFILING_COMMAND_END, sizeof end,
                                &end, nullptr),
        "clGetEventProfilingInfo(COMMAND_END)");
  return static_cast<double>(end) - static_cast<double>(start);
}

} // namespace ksynth::worker
