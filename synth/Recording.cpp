// --record / --replay files (Recording.h).
#include "synth/Recording.h"

#include "spec/Spec.h"
#include "support/Error.h"
#include "synth/Http.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace ksynth::synth {

namespace fs = std::filesystem;
using nlohmann::json;

void recordExchange(const std::string &dir, const Exchange &e,
                    const std::vector<std::string> &secrets) {
  auto R = [&](const std::string &s) { return http::redact(s, secrets); };
  json headers = json::array();
  for (const auto &[k, v] : e.headers)
    headers.push_back({k, http::secretHeader(k) ? "[REDACTED]" : R(v)});
  json j = {
      {"agent", e.agent},
      {"turn", e.turn},
      {"provider", e.provider},
      {"model", R(e.model)},
      {"request",
       {{"url", R(e.url)}, {"headers", headers}, {"body", R(e.requestBody)}}},
      {"prompt", R(e.prompt)}};
  if (e.status)
    j["response"] = {{"status", e.status},
                     {"body", R(e.responseBody)},
                     {"attempts", e.attempts}};
  else
    j["error"] = R(e.transportError);
  fs::path d = fs::path(dir) / e.agent;
  fs::create_directories(d);
  char name[32];
  std::snprintf(name, sizeof name, "%04d.json", e.turn);
  fs::path p = d / name;
  fs::path tmp = p;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << j.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    if (!f)
      throw UserError(ExitCode::InputError, "cannot write " + tmp.string());
  }
  fs::rename(tmp, p);
}

Replay::Replay(const std::string &dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw UserError(ExitCode::InputError,
                    "--replay " + dir + ": not a directory");
  for (const auto &agentDir : fs::directory_iterator(dir)) {
    if (!agentDir.is_directory())
      continue;
    std::vector<fs::path> files;
    for (const auto &f : fs::directory_iterator(agentDir.path()))
      if (f.path().extension() == ".json")
        files.push_back(f.path());
    std::sort(files.begin(), files.end());
    std::vector<Exchange> xs;
    for (const fs::path &f : files) {
      json j = spec::readJsonFile(f.string());
      Exchange e;
      try {
        e.agent = j.at("agent").get<std::string>();
        e.turn = j.at("turn").get<int>();
        e.provider = j.value("provider", "");
        e.model = j.value("model", "");
        e.url = j.at("request").value("url", "");
        e.requestBody = j.at("request").value("body", "");
        e.prompt = j.value("prompt", "");
        if (j.contains("response")) {
          e.status = j["response"].at("status").get<long>();
          e.responseBody = j["response"].at("body").get<std::string>();
          e.attempts = j["response"].value("attempts", 1);
        } else {
          e.transportError = j.value("error", "no response recorded");
        }
      } catch (const std::exception &ex) {
        throw UserError(ExitCode::InputError,
                        f.string() + ": not an exchange recording (" +
                            ex.what() + ")");
      }
      xs.push_back(std::move(e));
    }
    if (!xs.empty())
      byAgent_[agentDir.path().filename().string()] = std::move(xs);
  }
  if (byAgent_.empty())
    throw UserError(ExitCode::InputError, "--replay " + dir +
                                              ": no recorded exchanges "
                                              "(DIR/<agent>/<turn>.json)");
}

std::optional<Exchange> Replay::next(const std::string &agent) {
  std::lock_guard<std::mutex> g(mu_);
  auto it = byAgent_.find(agent);
  if (it == byAgent_.end())
    return std::nullopt;
  size_t &p = pos_[agent];
  if (p >= it->second.size())
    return std::nullopt;
  return it->second[p++];
}

} // namespace ksynth::synth
