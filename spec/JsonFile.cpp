// Reading JSON files with one-line errors, refusing repeated object keys
// (nlohmann keeps the last one silently, which would hide a typo).
#include "spec/JsonCheck.h"
#include "spec/Spec.h"

#include "support/Error.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace ksynth::spec {

namespace {

struct DuplicateKey {
  std::string key;
};

} // namespace

nlohmann::json readJsonFile(const std::string &path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw UserError(path + ": is a directory, not a JSON file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw UserError(path + ": cannot read file");
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad())
    throw UserError(path + ": cannot read file");
  std::string text = ss.str();

  std::vector<std::set<std::string>> keys; // one set per open object
  auto cb = [&](int, nlohmann::json::parse_event_t ev, nlohmann::json &j) {
    using E = nlohmann::json::parse_event_t;
    if (ev == E::object_start)
      keys.emplace_back();
    else if (ev == E::object_end)
      keys.pop_back();
    else if (ev == E::key && !keys.empty() &&
             !keys.back().insert(j.get<std::string>()).second)
      throw DuplicateKey{j.get<std::string>()};
    return true;
  };
  try {
    return nlohmann::json::parse(text, cb);
  } catch (const DuplicateKey &d) {
    throw UserError(path + ": malformed JSON: key '" + d.key +
                    "' appears twice in one object");
  } catch (const nlohmann::json::exception &e) {
    std::string msg = e.what();
    if (msg.rfind("[json.exception.", 0) == 0 &&
        msg.find("] ") != std::string::npos)
      msg = msg.substr(msg.find("] ") + 2); // "parse error at line 3, ..."
    for (char &c : msg)
      if (c == '\n' || c == '\r')
        c = ' ';
    throw UserError(path + ": malformed JSON: " + msg);
  }
}

} // namespace ksynth::spec

namespace ksynth::spec {

std::optional<std::string>
unknownKey(const nlohmann::json &obj, const std::string &where,
           std::initializer_list<const char *> allowed) {
  for (const auto &[key, value] : obj.items()) {
    bool ok = false;
    for (const char *a : allowed)
      ok = ok || key == a;
    if (ok)
      continue;
    std::string list;
    for (const char *a : allowed)
      list += (list.empty() ? "" : ", ") + std::string(a);
    return (where.empty() ? "unknown top-level key '"
                          : where + ": unknown key '") +
           key + "' (expected one of: " + list + ")";
  }
  return std::nullopt;
}

} // namespace ksynth::spec
