// Mode "bench": time the job's launches the way the timing literature says
// (runtime/README.md, "Timing method"):
//  1. device copy bandwidth: the best of clEnqueueCopyBuffer and a float4
//     copy kernel over a large buffer, event-timed, counting bytes read plus
//     bytes written; and the device's float32 peak: long independent
//     multiply-add chains, event-timed (measurePeak);
//  2. every input set gets its own device buffers (rotated, so nothing
//     keyed on a pointer or on cached contents can hit);
//  3. check: each set is run once with poisoned outputs and the outputs'
//     canonical digests are compared with the job's "expect" digests (the
//     reference, computed by ksynth): a wrong kernel is never timed;
//  4. warm-up launches, then `iters` timed iterations, each preceded by a
//     write of a flush buffer at least twice the device's global cache
//     (and >= 256 MiB) and a clFinish; each iteration records the event time
//     (start of the first launch to end of the last, in-order queue with
//     profiling) and the host wall time around enqueue + clFinish.
#pragma once

#include "Digest.h"
#include "JobSpec.h"
#include "Launcher.h"
#include "Poison.h"
#include "Session.h"
#include "Stats.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace ksynth::worker {

inline uint64_t capBytes(uint64_t want, const json &dev, uint64_t divisor) {
  uint64_t maxAlloc = dev.at("max_alloc_bytes").get<uint64_t>();
  uint64_t mem = dev.at("global_mem_bytes").get<uint64_t>();
  return std::min({want, maxAlloc, mem / divisor}) & ~uint64_t(4095);
}

// Median event time (ns) of `reps` runs of enqueue(), after 2 warm-ups.
template <class Enqueue>
json timeEvents(Session &s, int reps, const std::string &what,
                Enqueue enqueue) {
  std::vector<double> ns;
  for (int i = 0; i < 2 + reps; ++i) {
    cl_event ev = nullptr;
    check(enqueue(&ev), what);
    Event e(ev);
    s.finish(what);
    if (i >= 2)
      ns.push_back(eventSpanNs(e.get(), e.get()));
  }
  return summarize(ns);
}

// The device's copy bandwidth, the best of two event-timed measurements:
// clEnqueueCopyBuffer, and a float4 copy kernel built from source (on some
// drivers, e.g. PoCL's, the copy command is a single-threaded memcpy that a
// kernel beats). GB/s counts bytes read plus bytes written.
inline json measureCopy(Session &s, const Job &job, const json &dev) {
  uint64_t cache = dev.at("global_cache_bytes").get<uint64_t>();
  uint64_t want = job.bench.copyBytes
                      ? job.bench.copyBytes
                      : std::max<uint64_t>(4 * cache, uint64_t(256) << 20);
  uint64_t bytes = capBytes(want, dev, 8) & ~uint64_t(63);
  Mem a = s.buffer(bytes, "copy source"), b = s.buffer(bytes, "copy dest");
  cl_uint pattern = 0x3f800000u;
  check(clEnqueueFillBuffer(s.queue(), a.get(), &pattern, sizeof pattern, 0,
                            bytes, 0, nullptr, nullptr),
        "clEnqueueFillBuffer(copy source)");
  s.finish("the copy source fill");
  int reps = job.bench.copyReps;
  json cmd = timeEvents(s, reps, "clEnqueueCopyBuffer", [&](cl_event *ev) {
    return clEnqueueCopyBuffer(s.queue(), a.get(), b.get(), 0, 0, bytes, 0,
                               nullptr, ev);
  });
  auto gbps = [&](const json &t) {
    double med = t.at("median").get<double>();
    return med > 0 ? 2.0 * double(bytes) / med : 0.0;
  };
  json out{{"bytes", bytes},
           {"reps", reps},
           {"copy_buffer", {{"ns", cmd}, {"gbps", gbps(cmd)}}}};
  double best = gbps(cmd);
  std::string method = "clEnqueueCopyBuffer";
  // The copy kernel (skipped, with a note, if it does not build).
  const char *src = "__kernel void ksynth_copy(__global const float4 *a, "
                    "__global float4 *b) { size_t i = get_global_id(0); "
                    "b[i] = a[i]; }";
  size_t len = std::strlen(src);
  cl_int err = CL_SUCCESS;
  Program prog(clCreateProgramWithSource(s.context(), 1, &src, &len, &err));
  cl_device_id d = s.device().device;
  if (err == CL_SUCCESS)
    err = clBuildProgram(prog.get(), 1, &d, "", nullptr, nullptr);
  Kernel k;
  if (err == CL_SUCCESS)
    k = Kernel(clCreateKernel(prog.get(), "ksynth_copy", &err));
  if (err == CL_SUCCESS) {
    cl_mem am = a.get(), bm = b.get();
    check(clSetKernelArg(k.get(), 0, sizeof am, &am), "clSetKernelArg(copy)");
    check(clSetKernelArg(k.get(), 1, sizeof bm, &bm), "clSetKernelArg(copy)");
    size_t global = bytes / 16;
    json kt = timeEvents(
        s, reps, "clEnqueueNDRangeKernel(ksynth_copy)", [&](cl_event *ev) {
          return clEnqueueNDRangeKernel(s.queue(), k.get(), 1, nullptr, &global,
                                        nullptr, 0, nullptr, ev);
        });
    out["copy_kernel"] = {{"ns", kt}, {"gbps", gbps(kt)}};
    if (gbps(kt) > best) {
      best = gbps(kt);
      method = "float4 copy kernel";
    }
  } else {
    out["copy_kernel"] = {{"error", clErrorText(err)}};
  }
  out["gbps_read_plus_write"] = best;
  out["method"] = "best of clEnqueueCopyBuffer and a float4 copy kernel "
                  "(here: " +
                  method +
                  "), event-timed medians; GB/s counts bytes read plus "
                  "bytes written";
  return out;
}

// The OpenCL C of the peak kernels: for each vector width W in kPeakWidths,
// ksynth_peakW(out, a, b, n) keeps 8 independent accumulators of floatW and
// updates each kPeakUnroll times per loop iteration with mad(x, a, b), so
// every work-item has 8 x W independent multiply-add chains (enough to hide
// the FMA latency) and the loop overhead is 1 in 32 operations. a = 0.999
// and b = 0.001 keep every value near 1 (no subnormals, no overflow); a and
// b are kernel arguments, so nothing folds, and the sum is stored, so
// nothing is dead.
constexpr int kPeakWidths[] = {1, 4, 16};
constexpr int kPeakAccumulators = 8;
constexpr int kPeakUnroll = 4;

inline std::string peakSource() {
  std::string src;
  for (int w : kPeakWidths) {
    std::string t = w == 1 ? "float" : "float" + std::to_string(w);
    src += "__kernel void ksynth_peak" + std::to_string(w) +
           "(__global float *out, float a, float b, int n) {\n"
           "  size_t i = get_global_id(0);\n"
           "  " +
           t + " x0 = (" + t + ")((float)(i & 1023) * 1e-4f)";
    for (int k = 1; k < kPeakAccumulators; ++k)
      src += ", x" + std::to_string(k) + " = x0 + " + std::to_string(k) + ".0f";
    src += ";\n  for (int k = 0; k < n; ++k) {\n";
    for (int u = 0; u < kPeakUnroll; ++u) {
      src += "   ";
      for (int k = 0; k < kPeakAccumulators; ++k) {
        std::string x = "x" + std::to_string(k);
        src += " " + x + " = mad(" + x + ", a, b);";
      }
      src += "\n";
    }
    src += "  }\n  " + t + " s = x0";
    for (int k = 1; k < kPeakAccumulators; ++k)
      src += " + x" + std::to_string(k);
    src += ";\n  out[i] = ";
    if (w == 1) {
      src += "s";
    } else {
      const char *hex = "0123456789abcdef";
      for (int k = 0; k < w; ++k)
        src += std::string(k ? " + " : "") + "s.s" + hex[k];
    }
    src += ";\n}\n";
  }
  return src;
}

// The device's float32 peak: each peak kernel over enough work-items to
// fill the device (4 x compute units x maximum work-group size, 4096 to
// 2^22), its iteration count calibrated so that one launch takes about
// `peak_ms`, then event-timed: 2 warm-ups and `copy_reps` runs, median.
// A multiply-add counts 2 flops. The best width is the peak (a CPU device
// reaches its vector units only through wide types; a GPU through many
// scalar threads).
inline json measurePeak(Session &s, const Job &job, const json &dev) {
  uint64_t cu = dev.value("compute_units", uint64_t(1));
  uint64_t wg = dev.value("max_work_group_size", uint64_t(256));
  size_t global = static_cast<size_t>(
      std::clamp<uint64_t>(4 * cu * wg, 4096, uint64_t(1) << 22));
  json out{{"global", global},
           {"accumulators", kPeakAccumulators},
           {"target_ms", job.bench.peakMs},
           {"reps", job.bench.copyReps}};
  std::string text = peakSource();
  const char *src = text.c_str();
  size_t len = text.size();
  cl_int err = CL_SUCCESS;
  Program prog(clCreateProgramWithSource(s.context(), 1, &src, &len, &err));
  cl_device_id d = s.device().device;
  if (err == CL_SUCCESS)
    err = clBuildProgram(prog.get(), 1, &d, "", nullptr, nullptr);
  if (err != CL_SUCCESS) {
    // Without a peak there is no flops floor; the bytes floor remains.
    out["error"] = "the peak kernels do not build: " + clErrorText(err);
    out["gflops"] = 0.0;
    out["flops_per_second"] = 0.0;
    return out;
  }
  Mem res = s.buffer(global * sizeof(float), "peak output");
  cl_mem rm = res.get();
  float a = 0.999f, b = 0.001f;
  double best = 0;
  int bestWidth = 0;
  json widths = json::object();
  double target = job.bench.peakMs * 1e6; // ns
  for (int w : kPeakWidths) {
    std::string name = "ksynth_peak" + std::to_string(w);
    std::string key = w == 1 ? "float" : "float" + std::to_string(w);
    // A width the device refuses (e.g. too many registers for its
    // work-group size) is noted and skipped; the others still count.
    try {
      Kernel k(clCreateKernel(prog.get(), name.c_str(), &err));
      check(err, "clCreateKernel('" + name + "')");
      std::string what = "clSetKernelArg('" + name + "')";
      check(clSetKernelArg(k.get(), 0, sizeof rm, &rm), what);
      check(clSetKernelArg(k.get(), 1, sizeof a, &a), what);
      check(clSetKernelArg(k.get(), 2, sizeof b, &b), what);
      cl_int n = 1;
      std::string launch = "clEnqueueNDRangeKernel('" + name + "')";
      auto enqueue = [&](cl_event *ev) {
        cl_int e = clSetKernelArg(k.get(), 3, sizeof n, &n);
        if (e != CL_SUCCESS)
          return e;
        return clEnqueueNDRangeKernel(s.queue(), k.get(), 1, nullptr, &global,
                                      nullptr, 0, nullptr, ev);
      };
      auto once = [&]() {
        cl_event ev = nullptr;
        check(enqueue(&ev), launch);
        Event e(ev);
        s.finish(launch);
        return eventSpanNs(e.get(), e.get());
      };
      once(); // first launch: compilation for the work-group size and so on
      // Calibrate: grow n 4x at a time until a launch takes an eighth of the
      // target, then scale it to the target.
      double ns = once();
      while (ns < target / 8 && n < (cl_int(1) << 22)) {
        n *= 4;
        ns = once();
      }
      double scaled = double(n) * target / std::max(ns, 1.0);
      n = static_cast<cl_int>(std::clamp(scaled, 1.0, double(1 << 24)));
      json t = timeEvents(s, job.bench.copyReps, launch, enqueue);
      double flops = 2.0 * kPeakAccumulators * kPeakUnroll * w * double(n) *
                     double(global);
      double med = t.at("median").get<double>();
      double gflops = med > 0 ? flops / med : 0.0;
      widths[key] = {
          {"iterations", n}, {"flops", flops}, {"ns", t}, {"gflops", gflops}};
      if (gflops > best) {
        best = gflops;
        bestWidth = w;
      }
    } catch (const WorkerError &e) {
      widths[key] = {{"error", e.what()}};
    }
  }
  if (bestWidth == 0) {
    out["kernels"] = widths;
    out["error"] = "no peak kernel ran";
    out["gflops"] = 0.0;
    out["flops_per_second"] = 0.0;
    return out;
  }
  out["kernels"] = widths;
  out["gflops"] = best;
  out["flops_per_second"] = best * 1e9;
  out["method"] =
      "best of mad() chains in float, float4 and float16 (here: " +
      (bestWidth == 1 ? std::string("float")
                      : "float" + std::to_string(bestWidth)) +
      "), " + std::to_string(kPeakAccumulators) +
      " independent accumulators per work-item, " + std::to_string(global) +
      " work-items, event-timed medians; a multiply-add counts 2 flops";
  return out;
}

inline json benchMode(Session &s, const Job &job, Launcher &launcher,
                      const json &dev) {
  json out;
  out["copy"] = measureCopy(s, job, dev);
  out["peak"] = measurePeak(s, job, dev);

  // Device buffers: inputs per set, outputs and temporaries shared.
  size_t K = job.sets.size();
  std::vector<std::map<std::string, Mem>> inputMems(K);
  std::vector<std::map<std::string, cl_mem>> raws(K);
  std::vector<std::map<std::string, std::vector<uint8_t>>> scalars(K);
  std::map<std::string, Mem> shared;
  for (const BufferSpec &b : job.buffers)
    if (b.role == "output" || b.role == "temp")
      shared[b.name] = s.buffer(b.bytes, b.name);
  json inputDigests = json::array();
  for (size_t k = 0; k < K; ++k) {
    json d = json::object();
    for (const BufferSpec &b : job.buffers) {
      if (b.role == "input" || b.role == "scalar") {
        std::vector<uint8_t> v = materialize(b, job.sets[k].at(b.name));
        d[b.name] = digest::ofBytes(v.data(), v.size());
        if (b.role == "scalar") {
          scalars[k][b.name] = std::move(v);
          continue;
        }
        inputMems[k][b.name] = s.buffer(b.bytes, b.name);
        s.write(inputMems[k][b.name].get(), v, b.name);
      }
    }
    inputDigests.push_back(d);
    for (auto &[name, m] : inputMems[k])
      raws[k][name] = m.get();
    for (auto &[name, m] : shared)
      raws[k][name] = m.get();
  }
  out["input_digests"] = inputDigests;

  // Check every set against the reference digests before timing anything.
  json checks = json::array();
  bool allMatch = true;
  for (size_t k = 0; k < K; ++k) {
    for (const BufferSpec &b : job.buffers) {
      if (b.role == "output" || b.role == "temp") {
        std::vector<uint8_t> p(b.bytes);
        poison::fill(p.data(), p.size(), b.dtype, 0);
        s.write(shared[b.name].get(), p, b.name);
      }
    }
    launcher.bind(raws[k], scalars[k]);
    launcher.enqueue(s.queue());
    s.finish("the check launches");
    json c = json::object();
    for (const BufferSpec &b : job.buffers) {
      if (b.role != "output")
        continue;
      std::vector<uint8_t> v = s.read(shared[b.name].get(), b.bytes, b.name);
      const ExpectSpec *e = nullptr;
      if (k < job.expect.size() && job.expect[k].count(b.name))
        e = &job.expect[k].at(b.name);
      std::string got = digest::canonical(b.dtype, v.data(), v.size(),
                                          e ? e->ignoreZeroSign : false);
      json entry{{"digest", got}};
      if (e) {
        entry["expected"] = e->digest;
        entry["match"] = got == e->digest;
        allMatch = allMatch && got == e->digest;
      }
      c[b.name] = entry;
    }
    checks.push_back(c);
  }
  out["check"] = {{"performed", !job.expect.empty()}, {"sets", checks}};
  if (!allMatch) {
    out["refused"] = "an output differs from the reference digest: refusing "
                     "to time a wrong kernel (run `ksynth run` at this shape "
                     "to see where)";
    return out;
  }

  uint64_t cache = dev.at("global_cache_bytes").get<uint64_t>();
  uint64_t flushWant = job.bench.flushBytes
                           ? job.bench.flushBytes
                           : std::max<uint64_t>(2 * cache, uint64_t(256) << 20);
  uint64_t flushBytes = capBytes(flushWant, dev, 4);
  Mem flush = s.buffer(flushBytes, "cache flush");
  out["flush_bytes"] = flushBytes;

  std::vector<double> eventUs, wallUs;
  int total = job.bench.warmup + job.bench.iters;
  for (int i = 0; i < total; ++i) {
    size_t k = static_cast<size_t>(i) % K;
    cl_uint pattern = static_cast<cl_uint>(i) * 2654435761u;
    check(clEnqueueFillBuffer(s.queue(), flush.get(), &pattern, sizeof pattern,
                              0, flushBytes, 0, nullptr, nullptr),
          "clEnqueueFillBuffer(cache flush)");
    s.finish("the cache flush");
    launcher.bind(raws[k], scalars[k]);
    Event first, last;
    auto t0 = std::chrono::steady_clock::now();
    launcher.enqueue(s.queue(), &first, &last);
    s.finish("the timed launches");
    auto t1 = std::chrono::steady_clock::now();
    if (i < job.bench.warmup)
      continue;
    eventUs.push_back(eventSpanNs(first.get(), last.get()) / 1e3);
    wallUs.push_back(
        std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  out["warmup"] = job.bench.warmup;
  out["iters"] = job.bench.iters;
  out["rotate"] = K;
  out["event_us"] = summarize(eventUs);
  out["wall_us"] = summarize(wallUs);
  out["samples"] = {{"event_us", eventUs}, {"wall_us", wallUs}};

  // Event and wall clocks must tell one story: a device span longer than
  // the host interval around it is impossible, and a wall time far above
  // the event time means work (or waiting) outside the timed events.
  json flags = json::array();
  size_t impossible = 0;
  for (size_t i = 0; i < eventUs.size(); ++i)
    if (eventUs[i] > wallUs[i] * 1.02 + 2.0)
      ++impossible;
  if (impossible)
    flags.push_back("event time exceeds host wall time in " +
                    std::to_string(impossible) + " of " +
                    std::to_string(eventUs.size()) +
                    " iterations (timer disagreement)");
  double me = out["event_us"]["median"].get<double>();
  double mw = out["wall_us"]["median"].get<double>();
  out["wall_over_event"] = me > 0 ? mw / me : 0;
  if (me > 0 && mw > 1.5 * me && mw - me > 50.0)
    flags.push_back("median wall time " + std::to_string(mw) +
                    " us is over 1.5x the event time " + std::to_string(me) +
                    " us (launch overhead or work outside the events)");
  out["flags"] = flags;
  return out;
}

} // namespace ksynth::worker
