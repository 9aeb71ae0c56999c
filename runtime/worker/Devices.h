// Platform and device enumeration, the device facts every result reports,
// and device selection (by flat index, platform:device, or name substring;
// by default the PoCL CPU device if present, else the first device).
#pragma once

#include "ClCheck.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace ksynth::worker {

struct DeviceRef {
  cl_platform_id platform = nullptr;
  cl_device_id device = nullptr;
  int index = 0;         // flat index over all platforms
  int platformIndex = 0; // index of the platform
  int deviceIndex = 0;   // index within the platform
};

inline std::string platformString(cl_platform_id p, cl_platform_info what,
                                  const char *name) {
  size_t n = 0;
  check(clGetPlatformInfo(p, what, 0, nullptr, &n),
        std::string("clGetPlatformInfo(") + name + ")", "device");
  std::string s(n, '\0');
  check(clGetPlatformInfo(p, what, n, s.data(), nullptr),
        std::string("clGetPlatformInfo(") + name + ")", "device");
  while (!s.empty() && s.back() == '\0')
    s.pop_back();
  return s;
}

inline std::string deviceString(cl_device_id d, cl_device_info what,
                                const char *name) {
  size_t n = 0;
  check(clGetDeviceInfo(d, what, 0, nullptr, &n),
        std::string("clGetDeviceInfo(") + name + ")", "device");
  std::string s(n, '\0');
  check(clGetDeviceInfo(d, what, n, s.data(), nullptr),
        std::string("clGetDeviceInfo(") + name + ")", "device");
  while (!s.empty() && s.back() == '\0')
    s.pop_back();
  return s;
}

template <class T>
T deviceValue(cl_device_id d, cl_device_info what, const char *name) {
  T v{};
  check(clGetDeviceInfo(d, what, sizeof v, &v, nullptr),
        std::string("clGetDeviceInfo(") + name + ")", "device");
  return v;
}

inline std::vector<DeviceRef> listDevices() {
  cl_uint np = 0;
  cl_int err = clGetPlatformIDs(0, nullptr, &np);
  if (err == -1001 /* CL_PLATFORM_NOT_FOUND_KHR: no ICD registered */ ||
      np == 0)
    return {};
  check(err, "clGetPlatformIDs", "device");
  std::vector<cl_platform_id> plats(np);
  check(clGetPlatformIDs(np, plats.data(), nullptr), "clGetPlatformIDs",
        "device");
  std::vector<DeviceRef> out;
  for (cl_uint p = 0; p < np; ++p) {
    cl_uint nd = 0;
    err = clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 0, nullptr, &nd);
    if (err == CL_DEVICE_NOT_FOUND || nd == 0)
      continue;
    check(err, "clGetDeviceIDs", "device");
    std::vector<cl_device_id> devs(nd);
    check(
        clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, nd, devs.data(), nullptr),
        "clGetDeviceIDs", "device");
    for (cl_uint d = 0; d < nd; ++d)
      out.push_back({plats[p], devs[d], static_cast<int>(out.size()),
                     static_cast<int>(p), static_cast<int>(d)});
  }
  return out;
}

inline bool deviceHasExtension(cl_device_id d, const std::string &ext) {
  std::string exts = deviceString(d, CL_DEVICE_EXTENSIONS, "EXTENSIONS");
  exts = " " + exts + " ";
  return exts.find(" " + ext + " ") != std::string::npos;
}

inline std::string deviceTypeName(cl_device_type t) {
  if (t & CL_DEVICE_TYPE_GPU)
    return "gpu";
  if (t & CL_DEVICE_TYPE_CPU)
    return "cpu";
  if (t & CL_DEVICE_TYPE_ACCELERATOR)
    return "accelerator";
  return "other";
}

// The facts every worker result reports about its device.
inline nlohmann::json deviceInfo(const DeviceRef &r) {
  cl_device_id d = r.device;
  nlohmann::json j;
  j["index"] = r.index;
  j["platform_index"] = r.platformIndex;
  j["device_index"] = r.deviceIndex;
  j["name"] = deviceString(d, CL_DEVICE_NAME, "NAME");
  j["vendor"] = deviceString(d, CL_DEVICE_VENDOR, "VENDOR");
  j["driver_version"] = deviceString(d, CL_DRIVER_VERSION, "DRIVER_VERSION");
  j["device_version"] = deviceString(d, CL_DEVICE_VERSION, "VERSION");
  j["platform"] = platformString(r.platform, CL_PLATFORM_NAME, "NAME");
  j["platform_vendor"] =
      platformString(r.platform, CL_PLATFORM_VENDOR, "VENDOR");
  j["platform_version"] =
      platformString(r.platform, CL_PLATFORM_VERSION, "VERSION");
  j["type"] =
      deviceTypeName(deviceValue<cl_device_type>(d, CL_DEVICE_TYPE, "TYPE"));
  j["compute_units"] =
      deviceValue<cl_uint>(d, CL_DEVICE_MAX_COMPUTE_UNITS, "MAX_COMPUTE_UNITS");
  j["max_clock_mhz"] = deviceValue<cl_uint>(d, CL_DEVICE_MAX_CLOCK_FREQUENCY,
                                            "MAX_CLOCK_FREQUENCY");
  j["global_mem_bytes"] =
      deviceValue<cl_ulong>(d, CL_DEVICE_GLOBAL_MEM_SIZE, "GLOBAL_MEM_SIZE");
  j["max_alloc_bytes"] = deviceValue<cl_ulong>(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE,
                                               "MAX_MEM_ALLOC_SIZE");
  j["local_mem_bytes"] =
      deviceValue<cl_ulong>(d, CL_DEVICE_LOCAL_MEM_SIZE, "LOCAL_MEM_SIZE");
  j["global_cache_bytes"] = deviceValue<cl_ulong>(
      d, CL_DEVICE_GLOBAL_MEM_CACHE_SIZE, "GLOBAL_MEM_CACHE_SIZE");
  j["global_cache_line_bytes"] = deviceValue<cl_uint>(
      d, CL_DEVICE_GLOBAL_MEM_CACHELINE_SIZE, "GLOBAL_MEM_CACHELINE_SIZE");
  j["max_work_group_size"] = deviceValue<size_t>(
      d, CL_DEVICE_MAX_WORK_GROUP_SIZE, "MAX_WORK_GROUP_SIZE");
  j["profiling_timer_resolution_ns"] = deviceValue<size_t>(
      d, CL_DEVICE_PROFILING_TIMER_RESOLUTION, "PROFILING_TIMER_RESOLUTION");
  j["spir"] = deviceHasExtension(d, "cl_khr_spir");
  return j;
}

inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

inline bool isPoclCpu(const DeviceRef &r) {
  std::string plat =
      lower(platformString(r.platform, CL_PLATFORM_NAME, "NAME"));
  cl_device_type t =
      deviceValue<cl_device_type>(r.device, CL_DEVICE_TYPE, "TYPE");
  return (plat.find("portable computing language") != std::string::npos ||
          plat.find("pocl") != std::string::npos) &&
         (t & CL_DEVICE_TYPE_CPU);
}

// Selection: absent/null -> default; {"index": i}; {"platform": p,
// "device": d}; {"name": "substring"} (case-insensitive, matched against
// "PLATFORM / DEVICE NAME / VENDOR").
inline DeviceRef selectDevice(const nlohmann::json &sel) {
  std::vector<DeviceRef> all = listDevices();
  if (all.empty())
    throw WorkerError("device", "clGetPlatformIDs", CL_DEVICE_NOT_FOUND,
                      "no OpenCL platform or device found (is an ICD "
                      "registered in /etc/OpenCL/vendors?)");
  if (sel.is_null() || (sel.is_object() && sel.empty())) {
    for (const DeviceRef &r : all)
      if (isPoclCpu(r))
        return r;
    return all.front();
  }
  if (sel.contains("index")) {
    int i = sel.at("index").get<int>();
    if (i < 0 || i >= static_cast<int>(all.size()))
      throw WorkerError("device", "", CL_DEVICE_NOT_FOUND,
                        "no device with index " + std::to_string(i) + " (" +
                            std::to_string(all.size()) + " devices)");
    return all[i];
  }
  if (sel.contains("platform")) {
    int p = sel.at("platform").get<int>();
    int d = sel.value("device", 0);
    for (const DeviceRef &r : all)
      if (r.platformIndex == p && r.deviceIndex == d)
        return r;
    throw WorkerError("device", "", CL_DEVICE_NOT_FOUND,
                      "no device " + std::to_string(d) + " on platform " +
                          std::to_string(p));
  }
  if (sel.contains("name")) {
    std::string want = lower(sel.at("name").get<std::string>());
    for (const DeviceRef &r : all) {
      std::string hay =
          lower(platformString(r.platform, CL_PLATFORM_NAME, "NAME") + " / " +
                platformString(r.platform, CL_PLATFORM_VENDOR, "VENDOR") +
                " / " + deviceString(r.device, CL_DEVICE_NAME, "NAME") + " / " +
                deviceString(r.device, CL_DEVICE_VENDOR, "VENDOR"));
      if (hay.find(want) != std::string::npos)
        return r;
    }
    throw WorkerError("device", "", CL_DEVICE_NOT_FOUND,
                      "no device matches '" +
                          sel.at("name").get<std::string>() + "'");
  }
  throw WorkerError("job", "", CL_INVALID_VALUE,
                    "job: 'device' must be {index}, {platform, device} or "
                    "{name}");
}

} // namespace ksynth::worker
