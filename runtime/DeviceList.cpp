#include "runtime/DeviceList.h"

#include "runtime/Failure.h"
#include "support/Error.h"

#include <cstdio>
#include <sstream>

namespace ksynth::runtime {

using nlohmann::json;

json listDevices(const WorkerOptions &opt) {
  WorkerOutcome o = listDevicesWithWorker(opt);
  if (std::optional<Failure> f = classifyOutcome(o))
    throw UserError(ExitCode::Failed,
                    "cannot list OpenCL devices: " + f->message);
  return o.result;
}

namespace {

std::string mib(uint64_t b) {
  char buf[32];
  if (b >= (uint64_t(1) << 30))
    std::snprintf(buf, sizeof buf, "%.1f GiB", double(b) / double(1u << 30));
  else
    std::snprintf(buf, sizeof buf, "%.0f KiB", double(b) / 1024.0);
  return buf;
}

} // namespace

std::string formatDevices(const json &listing) {
  std::ostringstream o;
  const json &devs = listing.value("devices", json::array());
  if (devs.empty()) {
    o << "no OpenCL devices (is an ICD registered in /etc/OpenCL/vendors?)\n";
    return o.str();
  }
  int dflt = listing.value("default", json()).is_number()
                 ? listing.at("default").get<int>()
                 : -1;
  for (const json &d : devs) {
    int idx = d.value("index", 0);
    o << "[" << idx << "] " << d.value("name", "?") << "  ("
      << d.value("type", "?") << (idx == dflt ? ", default" : "") << ")\n";
    o << "    platform " << d.value("platform_index", 0) << ": "
      << d.value("platform", "?") << " (" << d.value("platform_version", "")
      << ")\n";
    o << "    vendor " << d.value("vendor", "?") << ", driver "
      << d.value("driver_version", "?") << ", " << d.value("device_version", "")
      << "\n";
    o << "    " << d.value("compute_units", 0) << " compute units, "
      << d.value("max_clock_mhz", 0) << " MHz, global memory "
      << mib(d.value("global_mem_bytes", uint64_t(0))) << " (max alloc "
      << mib(d.value("max_alloc_bytes", uint64_t(0))) << "), local memory "
      << mib(d.value("local_mem_bytes", uint64_t(0))) << ", global cache "
      << mib(d.value("global_cache_bytes", uint64_t(0))) << ", max work-group "
      << d.value("max_work_group_size", 0) << ", SPIR "
      << (d.value("spir", false) ? "yes" : "no") << "\n";
  }
  return o.str();
}

} // namespace ksynth::runtime
