// The job's launches as kernel objects: argument binding (buffers, integer
// and float scalars, __local sizes, 0-d tensors by value) and enqueueing on
// an in-order queue.
#pragma once

#include "ClCheck.h"
#include "JobSpec.h"

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace ksynth::worker {

class Launcher {
public:
  Launcher(cl_program program, const Job &job) : job_(job) {
    for (size_t li = 0; li < job.launches.size(); ++li) {
      const LaunchSpec &l = job.launches[li];
      cl_int err = CL_SUCCESS;
      Kernel k(clCreateKernel(program, l.kernel.c_str(), &err));
      check(err, "clCreateKernel('" + l.kernel + "')", "launch");
      cl_uint n = 0;
      check(clGetKernelInfo(k.get(), CL_KERNEL_NUM_ARGS, sizeof n, &n, nullptr),
            "clGetKernelInfo(NUM_ARGS)", "launch");
      if (n != l.args.size())
        throw WorkerError("launch", "clGetKernelInfo(NUM_ARGS)",
                          CL_INVALID_KERNEL_ARGS,
                          "launch " + std::to_string(li) + ": kernel '" +
                              l.kernel + "' takes " + std::to_string(n) +
                              " arguments, the manifest gives " +
                              std::to_string(l.args.size()));
      kernels_.push_back(std::move(k));
    }
  }

  // Sets every argument; `mems` maps device buffer names to cl_mem,
  // `scalars` maps scalar (0-d) names to their bytes.
  void bind(const std::map<std::string, cl_mem> &mems,
            const std::map<std::string, std::vector<uint8_t>> &scalars) {
    for (size_t li = 0; li < job_.launches.size(); ++li) {
      const LaunchSpec &l = job_.launches[li];
      cl_kernel k = kernels_[li].get();
      for (size_t ai = 0; ai < l.args.size(); ++ai) {
        const ArgSpec &a = l.args[ai];
        cl_uint idx = static_cast<cl_uint>(ai);
        std::string what =
            "clSetKernelArg('" + l.kernel + "', " + std::to_string(ai) + ")";
        switch (a.kind) {
        case ArgSpec::Kind::Buffer: {
          cl_mem m = mems.at(a.name);
          check(clSetKernelArg(k, idx, sizeof(cl_mem), &m),
                what + " buffer '" + a.name + "'", "launch");
          break;
        }
        case ArgSpec::Kind::ValueOf: {
          const std::vector<uint8_t> &v = scalars.at(a.name);
          check(clSetKernelArg(k, idx, v.size(), v.data()),
                what + " value of '" + a.name + "'", "launch");
          break;
        }
        case ArgSpec::Kind::Float:
          check(clSetKernelArg(k, idx, 4, &a.fbits), what + " float", "launch");
          break;
        case ArgSpec::Kind::Local:
          check(clSetKernelArg(k, idx, static_cast<size_t>(a.i), nullptr),
                what + " __local " + std::to_string(a.i) + " bytes", "launch");
          break;
        case ArgSpec::Kind::Int:
          setInt(k, idx, a.i, what);
          break;
        }
      }
    }
  }

  // Enqueues every launch in order. With profiling, *first and *last get
  // the events of the first and last launch (the same event for one).
  void enqueue(cl_command_queue q, Event *first = nullptr,
               Event *last = nullptr) {
    for (size_t li = 0; li < job_.launches.size(); ++li) {
      const LaunchSpec &l = job_.launches[li];
      cl_event ev = nullptr;
      bool want = (first && li == 0) || (last && li + 1 == kernels_.size());
      cl_int err = clEnqueueNDRangeKernel(
          q, kernels_[li].get(), static_cast<cl_uint>(l.global.size()), nullptr,
          l.global.data(), l.local.empty() ? nullptr : l.local.data(), 0,
          nullptr, want ? &ev : nullptr);
      check(err, "clEnqueueNDRangeKernel('" + l.kernel + "', " + dims(l) + ")",
            "launch");
      if (want) {
        if (first && li == 0 && last && li + 1 == kernels_.size()) {
          clRetainEvent(ev);
          *first = Event(ev);
          *last = Event(ev);
        } else if (first && li == 0) {
          *first = Event(ev);
        } else {
          *last = Event(ev);
        }
      }
    }
  }

private:
  static std::string dims(const LaunchSpec &l) {
    std::string s = "global ";
    for (size_t i = 0; i < l.global.size(); ++i)
      s += (i ? "x" : "") + std::to_string(l.global[i]);
    if (!l.local.empty()) {
      s += ", local ";
      for (size_t i = 0; i < l.local.size(); ++i)
        s += (i ? "x" : "") + std::to_string(l.local[i]);
    }
    return s;
  }

  // Integer scalars: the parameter's width from its type name where the
  // driver reports argument info, else 4 bytes, then 8 if that is refused.
  static void setInt(cl_kernel k, cl_uint idx, int64_t v,
                     const std::string &what) {
    size_t width = 0;
    char type[64] = {0};
    if (clGetKernelArgInfo(k, idx, CL_KERNEL_ARG_TYPE_NAME, sizeof type - 1,
                           type, nullptr) == CL_SUCCESS) {
      std::string t = type;
      if (t == "long" || t == "ulong")
        width = 8;
      else if (t == "int" || t == "uint")
        width = 4;
      else if (t == "short" || t == "ushort")
        width = 2;
      else if (t == "char" || t == "uchar")
        width = 1;
      else
        throw WorkerError("launch", "clGetKernelArgInfo", CL_INVALID_ARG_VALUE,
                          what +
                              ": the manifest passes an integer, the "
                              "kernel parameter is '" +
                              t + "'");
    }
    auto set = [&](size_t w) -> cl_int {
      if (w == 8)
        return clSetKernelArg(k, idx, 8, &v);
      int64_t lo = w == 4 ? INT32_MIN : w == 2 ? INT16_MIN : INT8_MIN;
      uint64_t hi = w == 4 ? UINT32_MAX : w == 2 ? UINT16_MAX : UINT8_MAX;
      if (v < lo || (v > 0 && static_cast<uint64_t>(v) > hi))
        throw WorkerError("launch", "clSetKernelArg", CL_INVALID_ARG_VALUE,
                          what + ": " + std::to_string(v) + " does not fit a " +
                              std::to_string(w) + "-byte parameter");
      uint8_t bytes[8];
      std::memcpy(bytes, &v, 8); // little-endian: the low bytes first
      return clSetKernelArg(k, idx, w, bytes);
    };
    if (width) {
      check(set(width), what + " int", "launch");
      return;
    }
    cl_int err = set(4);
    if (err == CL_INVALID_ARG_SIZE)
      err = set(8);
    check(err, what + " int", "launch");
  }

  const Job &job_;
  std::vector<Kernel> kernels_;
};

} // namespace ksynth::worker
