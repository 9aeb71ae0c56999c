// ksynth-worker: runs one self-contained job on an OpenCL device and writes
// the result as JSON. Untrusted kernels run here, in a child process that
// ksynth can kill, never inside ksynth itself.
//
//   ksynth-worker JOB.json RESULT.json   ("-" for stdin / stdout)
//   ksynth-worker --devices [RESULT.json]
//   ksynth-worker --version
//
// Exit status: 0 when a result was written (its "ok" says whether the job
// succeeded), 2 on a bad command line, 3 when no result could be written.
// Depends only on a C++17 compiler, the OpenCL headers and ICD loader and
// nlohmann/json.hpp:
//   g++ -O2 -std=c++17 worker.cpp -lOpenCL -I<dir holding nlohmann/>
// Job and result formats: runtime/README.md.
#include "BenchMode.h"
#include "ClCheck.h"
#include "Devices.h"
#include "JobSpec.h"
#include "Launcher.h"
#include "Program.h"
#include "RunMode.h"
#include "Session.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

using ksynth::worker::json;
using ksynth::worker::WorkerError;

constexpr const char *kVersion = "ksynth-worker 1";

bool readAll(const std::string &path, std::string &out) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    out = ss.str();
    return true;
  }
  std::ifstream f(path, std::ios::binary);
  if (!f)
    return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

// Writes via a temporary file and rename, so a reader never sees half a
// result (a killed worker leaves no result at all).
bool writeResult(const std::string &path, const json &result) {
  std::string text = result.dump(1) + "\n";
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0;
  }
  std::string tmp = path + ".partial";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    if (!f)
      return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

json errorJson(const WorkerError &e) {
  json j{{"kind", e.kind},
         {"call", e.call},
         {"code", e.code == CL_SUCCESS
                      ? std::string()
                      : std::string(ksynth::worker::clErrorName(e.code))},
         {"code_value", e.code},
         {"message", e.what()}};
  if (!e.log.empty())
    j["build_log"] = e.log;
  return j;
}

// Where and when the job ran (for reports made from a result later).
void stamp(json &r) {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) == 0)
    r["host_name"] = host;
  std::time_t now = std::time(nullptr);
  char date[64];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S+00:00",
                std::gmtime(&now));
  r["date"] = date;
  r["num_cpus"] = std::thread::hardware_concurrency();
}

json listDevicesResult() {
  json r{{"ksynth_worker", 1}, {"version", kVersion}};
  stamp(r);
  try {
    json devs = json::array();
    for (const auto &d : ksynth::worker::listDevices())
      devs.push_back(ksynth::worker::deviceInfo(d));
    r["devices"] = devs;
    r["default"] = devs.empty()
                       ? json()
                       : json(ksynth::worker::selectDevice(json()).index);
    r["ok"] = true;
  } catch (const WorkerError &e) {
    r["ok"] = false;
    r["error"] = errorJson(e);
  }
  return r;
}

json runJob(const std::string &text) {
  using namespace ksynth::worker;
  json r{{"ksynth_worker", 1}, {"version", kVersion}, {"ok", false}};
  stamp(r);
  try {
    json doc;
    try {
      doc = json::parse(text);
    } catch (const json::exception &e) {
      jobError(std::string("not JSON: ") + e.what());
    }
    Job job = parseJob(doc);
    r["label"] = job.label;
    if (doc.contains("meta"))
      r["meta"] = doc.at("meta");
    r["mode"] = job.mode;
    DeviceRef dev = selectDevice(job.device);
    json info = deviceInfo(dev);
    r["device"] = info;
    Session session(dev);
    BuiltProgram prog = buildProgram(session.context(), dev, job.program);
    r["program"] = {{"from", prog.from},
                    {"options", prog.options},
                    {"build_seconds", prog.seconds}};
    if (!prog.note.empty())
      r["program"]["note"] = prog.note;
    if (!prog.log.empty())
      r["program"]["build_log"] = prog.log;
    Launcher launcher(prog.program.get(), job);
    if (job.mode == "run") {
      r["sets"] = runMode(session, job, launcher);
      r["poison"] = {
          {"float32",
           {ksynth::poison::kFloat32[0], ksynth::poison::kFloat32[1]}},
          {"bool", {ksynth::poison::kBool[0], ksynth::poison::kBool[1]}},
          {"int64", {ksynth::poison::kInt64[0], ksynth::poison::kInt64[1]}}};
      r["ok"] = true;
    } else {
      json b = benchMode(session, job, launcher, info);
      r["bench"] = b;
      if (b.contains("refused")) {
        r["error"] = {{"kind", "check"},
                      {"call", ""},
                      {"code", ""},
                      {"code_value", 0},
                      {"message", b["refused"]}};
      } else {
        r["ok"] = true;
      }
    }
  } catch (const WorkerError &e) {
    r["ok"] = false;
    r["error"] = errorJson(e);
  } catch (const std::exception &e) {
    r["ok"] = false;
    r["error"] = {{"kind", "internal"},
                  {"call", ""},
                  {"code", ""},
                  {"code_value", 0},
                  {"message", std::string("worker: ") + e.what()}};
  }
  return r;
}

int usage() {
  std::fprintf(stderr, "usage: ksynth-worker JOB.json RESULT.json   (- for "
                       "stdin/stdout)\n"
                       "       ksynth-worker --devices [RESULT.json]\n"
                       "       ksynth-worker --version\n");
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  if (argc == 2 && std::string(argv[1]) == "--version") {
    std::printf("%s\n", kVersion);
    return 0;
  }
  if (argc >= 2 && std::string(argv[1]) == "--devices") {
    if (argc > 3)
      return usage();
    return writeResult(argc == 3 ? argv[2] : "-", listDevicesResult()) ? 0 : 3;
  }
  if (argc != 3)
    return usage();
  std::string text;
  json result;
  if (!readAll(argv[1], text)) {
    result = {{"ksynth_worker", 1},
              {"version", kVersion},
              {"ok", false},
              {"error",
               {{"kind", "job"},
                {"call", ""},
                {"code", ""},
                {"code_value", 0},
                {"message", std::string("cannot read job ") + argv[1]}}}};
  } else {
    result = runJob(text);
  }
  return writeResult(argv[2], result) ? 0 : 3;
}
