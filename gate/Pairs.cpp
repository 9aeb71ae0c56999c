// Finding the gate's pairs and splitting them into shards: see Pairs.h.
#include "gate/Pairs.h"

#include "support/Error.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace ksynth::gate {

namespace {

const std::set<std::string> kExpect = {"proved", "refuted", "unknown", "error"};

std::string readFile(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  if (!in)
    throw UserError(ExitCode::InputError, p.string() + ": cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A path as the user would type it from the current directory.
std::string shown(const fs::path &p) {
  std::error_code ec;
  fs::path rel = fs::relative(p, fs::current_path(), ec);
  if (ec || rel.empty() || *rel.begin() == "..")
    return p.lexically_normal().string();
  return rel.lexically_normal().string();
}

void checkExpect(const Pair &p) {
  if (!p.expect.empty() && !kExpect.count(p.expect))
    throw UserError(ExitCode::InputError,
                    p.origin +
                        ": expect must be proved, refuted, unknown or "
                        "error, not '" +
                        p.expect + "'");
}

// An index: {"problem": ..., "candidates": [{"name", "spec", "manifest",
// "expect", "obligation", "unknown_kind"}]} (examples/README.md).
void readIndex(const fs::path &file, std::vector<Pair> &out) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(readFile(file));
  } catch (const nlohmann::json::exception &e) {
    throw UserError(ExitCode::InputError,
                    file.string() + ": not JSON: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("candidates") ||
      !doc["candidates"].is_array())
    throw UserError(ExitCode::InputError,
                    file.string() + ": an index needs a \"candidates\" array");
  fs::path dir = file.parent_path();
  for (const nlohmann::json &c : doc["candidates"]) {
    for (const char *k : {"name", "spec", "manifest"})
      if (!c.is_object() || !c.contains(k) || !c[k].is_string())
        throw UserError(ExitCode::InputError,
                        file.string() + ": a candidate has no \"" + k + "\"");
    Pair p;
    std::string name = c["name"];
    p.id = shown(dir / name);
    p.origin = shown(file) + " (" + name + ")";
    p.spec = shown(dir / c["spec"].get<std::string>());
    p.manifest = shown(dir / c["manifest"].get<std::string>());
    p.expect = c.value("expect", "");
    p.obligation = c.value("obligation", "");
    p.unknownKind = c.value("unknown_kind", "");
    checkExpect(p);
    for (const std::string &f : {p.spec, p.manifest})
      if (!fs::is_regular_file(f))
        throw UserError(ExitCode::InputError,
                        p.origin + ": " + f + " not found");
    try {
      nlohmann::json m = nlohmann::json::parse(readFile(p.manifest));
      if (m.contains("source") && m["source"].is_string())
        p.source = shown(fs::path(p.manifest).parent_path() /
                         m["source"].get<std::string>());
    } catch (const nlohmann::json::exception &) {
      // the verifier reports a manifest that is not JSON
    }
    out.push_back(std::move(p));
  }
}

// A corpus kernel (tests/corpus/README.md): `// KEY: value` lines at the
// top. Returns false when the file has no EXPECT line (not a pair).
bool readCorpusKernel(const fs::path &file, std::vector<Pair> &out) {
  std::ifstream in(file);
  std::string line;
  std::map<std::string, std::pair<std::string, int>> h;
  static const std::regex kLine(R"(^\s*//\s*([A-Z_]+):\s*(.*?)\s*$)");
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::string s = line;
    s.erase(0, s.find_first_not_of(" \t"));
    if (s.rfind("//", 0) != 0)
      break;
    std::smatch m;
    if (std::regex_match(line, m, kLine) && !h.count(m[1]))
      h[m[1]] = {m[2], n};
  }
  if (!h.count("EXPECT"))
    return false;
  std::string where = shown(file);
  for (const char *k : {"SPEC", "MANIFEST"})
    if (!h.count(k))
      throw UserError(ExitCode::InputError,
                      where + ": header has no '// " + k + ":' line");
  Pair p;
  p.id = shown(fs::path(file).replace_extension());
  p.origin = where + ":" + std::to_string(h["EXPECT"].second);
  p.expect = h["EXPECT"].first;
  p.obligation = h.count("OBLIGATION") ? h["OBLIGATION"].first : "";
  p.unknownKind = h.count("UNKNOWN_KIND") ? h["UNKNOWN_KIND"].first : "";
  checkExpect(p);
  p.spec = shown(file.parent_path() / h["SPEC"].first);
  if (!fs::is_regular_file(p.spec))
    throw UserError(ExitCode::InputError,
                    where + ":" + std::to_string(h["SPEC"].second) + ": spec " +
                        p.spec + " not found");
  try {
    p.inlineManifest = nlohmann::json::parse(h["MANIFEST"].first);
  } catch (const nlohmann::json::exception &e) {
    throw UserError(ExitCode::InputError,
                    where + ":" + std::to_string(h["MANIFEST"].second) +
                        ": MANIFEST is not JSON: " + e.what());
  }
  if (!p.inlineManifest.is_object())
    throw UserError(ExitCode::InputError,
                    where + ":" + std::to_string(h["MANIFEST"].second) +
                        ": MANIFEST must be a JSON object");
  p.inlineManifest["source"] = fs::absolute(file).lexically_normal().string();
  p.source = where;
  out.push_back(std::move(p));
  return true;
}

bool isIndexName(const fs::path &p) {
  std::string n = p.filename().string();
  return n == "candidates.json" || n == "ksynth-pairs.json";
}

void walk(const fs::path &root, std::vector<Pair> &out) {
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(
      root, fs::directory_options::skip_permission_denied),
      end;
  for (; it != end; ++it) {
    std::string name = it->path().filename().string();
    if (it->is_directory() && ((!name.empty() && name[0] == '.') ||
                               name == "build" || name == "node_modules")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() &&
        (isIndexName(it->path()) || it->path().extension() == ".cl"))
      files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path &f : files) {
    if (isIndexName(f))
      readIndex(f, out);
    else
      readCorpusKernel(f, out);
  }
}

} // namespace

std::vector<Pair> discoverPairs(const std::vector<std::string> &paths,
                                const std::vector<std::string> &pairFiles) {
  std::vector<Pair> out;
  for (const std::string &p : paths) {
    fs::path path(p);
    if (fs::is_directory(path))
      walk(path, out);
    else if (fs::is_regular_file(path) && path.extension() == ".cl") {
      if (!readCorpusKernel(path, out))
        throw UserError(ExitCode::InputError,
                        p + ": no '// EXPECT:' header (not a gate pair)");
    } else if (fs::is_regular_file(path))
      readIndex(path, out);
    else
      throw UserError(ExitCode::InputError, p + ": no such file or directory");
  }
  for (const std::string &f : pairFiles)
    readIndex(f, out);
  std::sort(out.begin(), out.end(),
            [](const Pair &a, const Pair &b) { return a.id < b.id; });
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i].id == out[i - 1].id)
      throw UserError(ExitCode::InputError,
                      "pair " + out[i].id + " is declared twice (" +
                          out[i - 1].origin + ", " + out[i].origin + ")");
  return out;
}

uint64_t stableHash(const std::string &text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

Shard parseShard(const std::string &text) {
  Shard s;
  size_t slash = text.find('/');
  auto bad = [&] {
    return UserError(ExitCode::Usage,
                     "--shard expects I/N with 1 <= I <= N, got '" + text +
                         "'");
  };
  if (slash == std::string::npos)
    throw bad();
  try {
    size_t a = 0, b = 0;
    unsigned long i = std::stoul(text.substr(0, slash), &a);
    unsigned long n = std::stoul(text.substr(slash + 1), &b);
    if (a != slash || b != text.size() - slash - 1 || i < 1 || n < 1 || i > n ||
        n > 100000)
      throw bad();
    s.index = static_cast<unsigned>(i);
    s.count = static_cast<unsigned>(n);
  } catch (const std::logic_error &) {
    throw bad();
  }
  return s;
}

bool inShard(const std::string &id, const Shard &s) {
  // Mixed once more so that ids sharing a long prefix spread evenly.
  uint64_t h = stableHash(id);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h % s.count == s.index - 1;
}

} // namespace ksynth::gate
