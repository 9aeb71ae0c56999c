// Mode "bench": time the job's launches the way the timing literature says
// (runtime/README.md, "Timing method"):
//  1. device copy bandwidth: the best of clEnqueueCopyBuffer and a float4
//     copy kernel over a large buffer, event-timed, counting bytes read plus
//     bytes written;
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

inline json benchMode(Session &s, const Job &job, Launcher &launcher,
                      const json &dev) {
  json out;
  out["copy"] = measureCopy(s, job, dev);

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
