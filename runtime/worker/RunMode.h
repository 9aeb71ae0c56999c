// Mode "run": every input set is run `repeats` times (default 2). Before
// each run the inputs are uploaded afresh and outputs and temporaries are
// filled with that run's poison pattern (Poison.h); after it the outputs and
// the inputs are read back. The result holds every run's outputs (inline
// base64, or files in run.output_dir) and a summary per set: unwritten
// elements, elements that differ between runs, modified inputs.
#pragma once

#include "Base64.h"
#include "Digest.h"
#include "JobSpec.h"
#include "Launcher.h"
#include "Poison.h"
#include "Session.h"

#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace ksynth::worker {

inline void writeFile(const std::string &path,
                      const std::vector<uint8_t> &data) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char *>(data.data()),
          static_cast<std::streamsize>(data.size()));
  if (!f)
    throw WorkerError("job", "", CL_INVALID_VALUE,
                      "cannot write output file " + path);
}

// Up to `limit` first element indices where pred(i) holds, and the count.
template <class Pred> json indexSummary(size_t n, Pred pred, size_t limit = 8) {
  json first = json::array();
  size_t count = 0;
  for (size_t i = 0; i < n; ++i)
    if (pred(i)) {
      if (count < limit)
        first.push_back(i);
      ++count;
    }
  return json{{"count", count}, {"first", first}};
}

inline json runMode(Session &s, const Job &job, Launcher &launcher) {
  std::map<std::string, Mem> mems;
  std::map<std::string, cl_mem> raw;
  for (const BufferSpec &b : job.buffers) {
    if (b.role == "scalar")
      continue;
    mems[b.name] = s.buffer(b.bytes, b.name);
    raw[b.name] = mems[b.name].get();
  }
  json sets = json::array();
  for (size_t k = 0; k < job.sets.size(); ++k) {
    std::map<std::string, std::vector<uint8_t>> host, scalars;
    json inputs = json::object();
    for (const BufferSpec &b : job.buffers) {
      if (b.role != "input" && b.role != "scalar")
        continue;
      std::vector<uint8_t> v = materialize(b, job.sets[k].at(b.name));
      inputs[b.name] = {{"digest", digest::ofBytes(v.data(), v.size())}};
      (b.role == "scalar" ? scalars : host)[b.name] = std::move(v);
    }
    std::vector<std::map<std::string, std::vector<uint8_t>>> outs(job.repeats);
    json runs = json::array();
    bool inputsUnchanged = true;
    for (int r = 0; r < job.repeats; ++r) {
      for (const BufferSpec &b : job.buffers) {
        if (b.role == "input") {
          s.write(raw[b.name], host[b.name], b.name);
        } else if (b.role == "output" || b.role == "temp") {
          std::vector<uint8_t> p(b.bytes);
          poison::fill(p.data(), p.size(), b.dtype, r);
          s.write(raw[b.name], p, b.name);
        }
      }
      launcher.bind(raw, scalars);
      auto t0 = std::chrono::steady_clock::now();
      launcher.enqueue(s.queue());
      s.finish("the launches");
      double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
              .count();
      json run;
      run["seconds"] = secs;
      run["outputs"] = json::object();
      run["inputs_modified"] = json::object();
      for (size_t bi = 0; bi < job.buffers.size(); ++bi) {
        const BufferSpec &b = job.buffers[bi];
        if (b.role == "output") {
          std::vector<uint8_t> v = s.read(raw[b.name], b.bytes, b.name);
          json o;
          if (job.outputDir.empty()) {
            o["base64"] = b64::encode(v);
          } else {
            std::string path = job.outputDir + "/s" + std::to_string(k) + "_r" +
                               std::to_string(r) + "_b" + std::to_string(bi) +
                               ".bin";
            writeFile(path, v);
            o["file"] = path;
          }
          o["digest"] = digest::ofBytes(v.data(), v.size());
          run["outputs"][b.name] = o;
          outs[r][b.name] = std::move(v);
        } else if (b.role == "input") {
          std::vector<uint8_t> v = s.read(raw[b.name], b.bytes, b.name);
          const std::vector<uint8_t> &orig = host[b.name];
          size_t eb = poison::elemBytes(b.dtype);
          json m = indexSummary(b.bytes / eb, [&](size_t i) {
            return std::memcmp(&v[i * eb], &orig[i * eb], eb) != 0;
          });
          if (m["count"].get<size_t>() > 0) {
            run["inputs_modified"][b.name] = m;
            inputsUnchanged = false;
          }
        }
      }
      runs.push_back(run);
    }
    // Summary: unwritten = poison in every run; differing = not unwritten
    // and not bit-identical to run 0.
    json summary;
    summary["inputs_unchanged"] = inputsUnchanged;
    bool identical = true;
    for (const BufferSpec &b : job.buffers) {
      if (b.role != "output")
        continue;
      size_t eb = poison::elemBytes(b.dtype), n = b.bytes / eb;
      auto unwritten = [&](size_t i) {
        for (int r = 0; r < job.repeats; ++r)
          if (!poison::isPoison(outs[r][b.name].data(), i, b.dtype, r))
            return false;
        return true;
      };
      auto differs = [&](size_t i) {
        if (unwritten(i))
          return false;
        for (int r = 1; r < job.repeats; ++r)
          if (std::memcmp(&outs[r][b.name][i * eb], &outs[0][b.name][i * eb],
                          eb) != 0)
            return true;
        return false;
      };
      json o;
      o["unwritten"] = indexSummary(n, unwritten);
      o["differing"] = indexSummary(n, differs);
      if (o["differing"]["count"].get<size_t>() > 0)
        identical = false;
      summary["outputs"][b.name] = o;
    }
    summary["identical"] = identical;
    sets.push_back({{"inputs", inputs}, {"runs", runs}, {"summary", summary}});
  }
  return sets;
}

} // namespace ksynth::worker
