// Text and Google Benchmark JSON forms of a BenchReport (`ksynth bench`,
// `ksynth bench --json FILE`).
#include "runtime/Bench.h"

#include <cstdio>
#include <sstream>

namespace ksynth::runtime {

using nlohmann::json;

namespace {

std::string fmt(double v, int prec = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

std::string bytesText(uint64_t b) {
  if (b >= (uint64_t(1) << 30) && b % (uint64_t(1) << 30) == 0)
    return std::to_string(b >> 30) + " GiB";
  if (b >= (uint64_t(1) << 20))
    return fmt(double(b) / double(1 << 20), 0) + " MiB";
  return std::to_string(b) + " B";
}

} // namespace

std::string formatBenchReport(const BenchReport &r) {
  std::ostringstream o;
  o << "ksynth bench: " << r.name << "\n";
  if (r.result.is_object() && r.result.contains("device")) {
    const json &d = r.result.at("device");
    o << "device: " << d.value("name", "?") << " (" << d.value("platform", "?")
      << ", driver " << d.value("driver_version", "?") << ", "
      << d.value("compute_units", 0) << " compute units, "
      << bytesText(d.value("global_mem_bytes", uint64_t(0))) << ", cache "
      << bytesText(d.value("global_cache_bytes", uint64_t(0))) << ")\n";
    const json &p = r.result.value("program", json::object());
    o << "program: "
      << (p.value("from", "") == "binary"
              ? "SPIR bitcode (the module the verifier analyses)"
              : "built from OpenCL C source");
    if (p.contains("note"))
      o << " [" << p.value("note", "") << "]";
    o << "\n";
  }
  if (r.verdict != "timed") {
    o << "error: " << r.message << "\n";
    if (r.failure && !r.failure->buildLog.empty())
      o << "build log:\n" << r.failure->buildLog << "\n";
    if (r.failure && !r.failure->stderrTail.empty())
      o << "worker stderr:\n" << r.failure->stderrTail << "\n";
    return o.str();
  }
  const json &b = r.result.at("bench");
  o << "method: " << b.value("warmup", 0) << " warm-ups, "
    << b.value("iters", 0) << " timed iterations, " << b.value("rotate", 0)
    << " rotated input sets, " << bytesText(b.value("flush_bytes", uint64_t(0)))
    << " cache-flush write before each; in-order queue, event times\n";
  o << "outputs checked against the reference on every input set before "
       "timing: "
    << (b.at("check").value("performed", false) ? "yes" : "NO") << "\n";
  const json &cp = b.at("copy");
  const json &ck = cp.value("copy_kernel", json::object());
  o << "copy bandwidth (" << bytesText(cp.value("bytes", uint64_t(0)))
    << ", read + write): " << fmt(r.copyGBps, 1)
    << " GB/s, the best of clEnqueueCopyBuffer "
    << fmt(cp.value("copy_buffer", json::object()).value("gbps", 0.0), 1)
    << " and a copy kernel "
    << (ck.contains("gbps") ? fmt(ck.value("gbps", 0.0), 1)
                            : std::string("n/a"))
    << "\n";
  const json &pk = b.value("peak", json::object());
  o << "float32 peak: ";
  if (r.peakGflops > 0)
    o << fmt(r.peakGflops, 1) << " GFLOP/s, "
      << pk.value("method", std::string("?")) << "\n";
  else
    o << "not measured ("
      << pk.value("error", std::string("the result has none")) << ")\n";
  o << "bytes moved (inputs read once + outputs written once): " << r.bytes
    << "\n";
  o << "flops (the spec's ops at this shape, runtime/FlopCount.h): "
    << fmt(r.flops.total, 0) << "\n";
  for (const std::string &n : r.flops.notes)
    o << "note: " << n << "\n";
  o << "floor = max(bytes floor " << fmt(r.bytesFloorUs, 2)
    << " us, flops floor " << fmt(r.flopsFloorUs, 2)
    << " us) = " << fmt(r.floorUs, 2) << " us (" << r.floorBound
    << " bound)\n\n";
  o << "            median      mean       min       IQR      GB/s   GFLOP/s  "
       "bytes fl  flops fl     floor   ratio\n";
  char line[256];
  std::snprintf(
      line, sizeof line,
      "event us %9.2f %9.2f %9.2f %9.2f %9.1f %9.1f %9.2f %9.2f %9.2f %7.2f\n",
      r.medianUs, r.meanUs, r.minUs, r.iqrUs, r.achievedGBps, r.achievedGflops,
      r.bytesFloorUs, r.flopsFloorUs, r.floorUs, r.ratio);
  o << line;
  const json &w = b.at("wall_us");
  std::snprintf(line, sizeof line, "wall  us %9.2f %9.2f %9.2f %9.2f\n",
                w.value("median", 0.0), w.value("mean", 0.0),
                w.value("min", 0.0), w.value("iqr", 0.0));
  o << line;
  for (const std::string &f : r.flags)
    o << "flag: " << f << "\n";
  return o.str();
}

json googleBenchmarkJson(const BenchReport &r) {
  json ctx;
  const json &res = r.result;
  const json &d = res.value("device", json::object());
  const json &b = res.value("bench", json::object());
  ctx["date"] = res.value("date", "");
  ctx["host_name"] = res.value("host_name", "");
  ctx["executable"] = "ksynth bench";
  ctx["num_cpus"] = res.value("num_cpus", 0);
  ctx["mhz_per_cpu"] = 0;
  ctx["cpu_scaling_enabled"] = false;
  ctx["caches"] = json::array();
  ctx["library_build_type"] = "release";
  ctx["ksynth_device"] = d.value("name", "");
  ctx["ksynth_device_vendor"] = d.value("vendor", "");
  ctx["ksynth_driver_version"] = d.value("driver_version", "");
  ctx["ksynth_platform"] = d.value("platform", "");
  ctx["ksynth_compute_units"] = d.value("compute_units", 0);
  ctx["ksynth_global_mem_bytes"] = d.value("global_mem_bytes", uint64_t(0));
  ctx["ksynth_global_cache_bytes"] = d.value("global_cache_bytes", uint64_t(0));
  ctx["ksynth_max_work_group_size"] = d.value("max_work_group_size", 0);
  ctx["ksynth_program_from"] =
      res.value("program", json::object()).value("from", "");
  ctx["ksynth_copy_bandwidth_gbps"] = r.copyGBps;
  ctx["ksynth_bytes_moved"] = r.bytes;
  ctx["ksynth_peak_gflops"] = r.peakGflops;
  ctx["ksynth_flops"] = r.flops.total;
  ctx["ksynth_flop_notes"] = r.flops.notes;
  ctx["ksynth_bytes_floor_us"] = r.bytesFloorUs;
  ctx["ksynth_flops_floor_us"] = r.flopsFloorUs;
  ctx["ksynth_floor_us"] = r.floorUs;
  ctx["ksynth_floor_bound"] = r.floorBound;
  ctx["ksynth_warmup"] = b.value("warmup", 0);
  ctx["ksynth_rotate"] = b.value("rotate", 0);
  ctx["ksynth_flush_bytes"] = b.value("flush_bytes", uint64_t(0));
  ctx["ksynth_flags"] = r.flags;
  json benches = json::array();
  std::vector<double> ev, wall;
  if (b.contains("samples")) {
    ev = b.at("samples").at("event_us").get<std::vector<double>>();
    wall = b.at("samples").at("wall_us").get<std::vector<double>>();
  }
  int reps = static_cast<int>(ev.size());
  auto bps = [&](double us) {
    return us > 0 ? double(r.bytes) / (us * 1e-6) : 0.0;
  };
  auto fps = [&](double us) {
    return us > 0 ? r.flops.total / (us * 1e-6) : 0.0;
  };
  for (int i = 0; i < reps; ++i)
    benches.push_back({{"name", r.name},
                       {"family_index", 0},
                       {"per_family_instance_index", 0},
                       {"run_name", r.name},
                       {"run_type", "iteration"},
                       {"repetitions", reps},
                       {"repetition_index", i},
                       {"threads", 1},
                       {"iterations", 1},
                       {"real_time", ev[i]},
                       {"cpu_time", wall[i]},
                       {"time_unit", "us"},
                       {"bytes_per_second", bps(ev[i])},
                       {"flops_per_second", fps(ev[i])}});
  auto aggregate = [&](const std::string &agg, double real, double cpu,
                       const std::string &unit) {
    json a{{"name", r.name + "_" + agg},
           {"family_index", 0},
           {"per_family_instance_index", 0},
           {"run_name", r.name},
           {"run_type", "aggregate"},
           {"repetitions", reps},
           {"threads", 1},
           {"aggregate_name", agg},
           {"aggregate_unit", unit},
           {"iterations", reps},
           {"real_time", real},
           {"cpu_time", cpu},
           {"time_unit", "us"}};
    if (agg == "mean" || agg == "median") {
      a["bytes_per_second"] = bps(real);
      a["flops_per_second"] = fps(real);
    }
    return a;
  };
  const json &e = b.value("event_us", json::object());
  const json &w = b.value("wall_us", json::object());
  benches.push_back(
      aggregate("mean", e.value("mean", 0.0), w.value("mean", 0.0), "time"));
  json med = aggregate("median", e.value("median", 0.0), w.value("median", 0.0),
                       "time");
  med["floor_us"] = r.floorUs;
  med["bytes_floor_us"] = r.bytesFloorUs;
  med["flops_floor_us"] = r.flopsFloorUs;
  med["ratio_to_floor"] = r.ratio;
  med["copy_bandwidth_gbps"] = r.copyGBps;
  med["peak_gflops"] = r.peakGflops;
  med["flops"] = r.flops.total;
  benches.push_back(med);
  benches.push_back(aggregate("stddev", e.value("stddev", 0.0),
                              w.value("stddev", 0.0), "time"));
  double em = e.value("mean", 0.0), wm = w.value("mean", 0.0);
  benches.push_back(aggregate("cv", em > 0 ? e.value("stddev", 0.0) / em : 0.0,
                              wm > 0 ? w.value("stddev", 0.0) / wm : 0.0,
                              "percentage"));
  return {{"context", ctx}, {"benchmarks", benches}};
}

} // namespace ksynth::runtime
