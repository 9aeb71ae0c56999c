// The gate's proof cache: see ProofCache.h.
#include "gate/ProofCache.h"

#include "gate/Pairs.h"
#include "spec/Manifest.h"
#include "spec/Spec.h"
#include "support/Error.h"
#include "verify/CacheKey.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ksynth::gate {

namespace {

constexpr int kFormat = 1;

std::optional<std::string> readText(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string hex64(uint64_t v) {
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(v));
  return b;
}

// Writes through a unique temporary file in the same directory and a
// rename, so readers see the old file, or the whole new one.
bool writeAtomically(const std::string &path, const std::string &text) {
  std::string tmpl = path + ".tmp.XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back(0);
  int fd = ::mkstemp(buf.data());
  if (fd < 0)
    return false;
  size_t done = 0;
  while (done < text.size()) {
    ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      ::close(fd);
      ::unlink(buf.data());
      return false;
    }
    done += static_cast<size_t>(w);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 ||
      ::rename(buf.data(), path.c_str()) != 0) {
    ::unlink(buf.data());
    return false;
  }
  return true;
}

std::optional<nlohmann::json> readJson(const std::string &path, bool *corrupt) {
  std::optional<std::string> text = readText(path);
  if (!text)
    return std::nullopt;
  try {
    return nlohmann::json::parse(*text);
  } catch (const nlohmann::json::exception &) {
    if (corrupt)
      *corrupt = true;
    return std::nullopt;
  }
}

nlohmann::json withoutSource(nlohmann::json m) {
  if (m.is_object())
    m.erase("source");
  return m;
}

} // namespace

namespace {
// A digest of a file's bytes ("" if it cannot be read).
std::string fileDigest(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return "";
  std::ostringstream text;
  text << in.rdbuf();
  return makeCacheKey(nlohmann::json(text.str())).hash;
}
} // namespace

nlohmann::json withSourceDigest(nlohmann::json verdict,
                                const std::string &sourcePath) {
  std::string d = fileDigest(sourcePath);
  if (!d.empty() && verdict.is_object())
    verdict["gate_source_digest"] = d;
  return verdict;
}

nlohmann::json sourceDigestChecked(nlohmann::json verdict,
                                   const std::string &sourcePath) {
  if (!verdict.is_object())
    return verdict;
  std::string stored = verdict.value("gate_source_digest", "");
  verdict.erase("gate_source_digest");
  if (!verdict.contains("counterexample") ||
      !verdict["counterexample"].is_object())
    return verdict;
  nlohmann::json &cx = verdict["counterexample"];
  if (!cx.contains("location") && !cx.contains("other_location"))
    return verdict;
  if (!stored.empty() && stored == fileDigest(sourcePath))
    return verdict;
  cx.erase("location");
  cx.erase("other_location");
  cx["location_stale"] = true;
  return verdict;
}

CacheKey makeCacheKey(const nlohmann::json &material) {
  std::string text = material.dump();
  return {hex64(stableHash(text)) + hex64(stableHash("ksynth-gate\n" + text)),
          material};
}

nlohmann::json fullMaterial(const std::string &specPath,
                            const std::string &manifestPath,
                            const nlohmann::json &context) {
  std::optional<std::string> specText = readText(specPath);
  std::optional<std::string> manifestText = readText(manifestPath);
  if (!specText || !manifestText)
    throw UserError("cannot read " + (specText ? manifestPath : specPath));
  nlohmann::json specJson, manifestJson;
  try {
    specJson = nlohmann::json::parse(*specText);
    manifestJson = nlohmann::json::parse(*manifestText);
  } catch (const nlohmann::json::exception &e) {
    throw UserError(std::string("not JSON: ") + e.what());
  }
  spec::Spec s = spec::parseSpecFile(specPath);
  spec::Manifest m = spec::parseManifestFile(manifestPath, s);
  return {{"format", kFormat},
          {"spec", specJson},
          {"manifest", withoutSource(manifestJson)},
          {"kernel_ir", verify::kernelIrForCache(m)},
          {"context", context}};
}

std::optional<nlohmann::json> aliasMaterial(const std::string &specPath,
                                            const std::string &manifestPath,
                                            const nlohmann::json &context) {
  std::optional<std::string> specText = readText(specPath);
  std::optional<std::string> manifestText = readText(manifestPath);
  if (!specText || !manifestText)
    return std::nullopt;
  nlohmann::json mj;
  try {
    mj = nlohmann::json::parse(*manifestText);
  } catch (const nlohmann::json::exception &) {
    return std::nullopt;
  }
  if (!mj.is_object() || !mj.contains("source") || !mj["source"].is_string())
    return std::nullopt;
  fs::path src = fs::path(mj["source"].get<std::string>());
  if (src.is_relative())
    src = fs::path(manifestPath).parent_path() / src;
  std::optional<std::string> source = readText(src.string());
  if (!source || source->find("#include") != std::string::npos)
    return std::nullopt;
  return nlohmann::json{
      {"format", kFormat},      {"alias", true},
      {"spec_text", *specText}, {"manifest", withoutSource(mj)},
      {"source_text", *source}, {"context", context}};
}

bool isFinalVerdict(const nlohmann::json &v) {
  if (!v.is_object() || !v.contains("verdict") || !v["verdict"].is_string())
    return false;
  std::string o = v["verdict"];
  int code = v.value("exit_code", -1);
  if (v.contains("self_check") && v["self_check"].is_object() &&
      v["self_check"].value("status", "") == "failed")
    return false;
  return (o == "proved" && code == 0) || (o == "refuted" && code == 10);
}

ProofCache::ProofCache(std::string dir) : dir_(std::move(dir)) {}

std::string ProofCache::defaultDir() {
  if (const char *d = std::getenv("KSYNTH_CACHE_DIR"); d && *d)
    return d;
  if (const char *x = std::getenv("XDG_CACHE_HOME"); x && *x)
    return std::string(x) + "/ksynth/gate";
  if (const char *h = std::getenv("HOME"); h && *h)
    return std::string(h) + "/.cache/ksynth/gate";
  return ".ksynth-cache";
}

std::string ProofCache::entryPath(const std::string &hash) const {
  return dir_ + "/v1/" + hash.substr(0, 2) + "/" + hash + ".json";
}

std::string ProofCache::aliasPath(const std::string &hash) const {
  return dir_ + "/v1/alias/" + hash + ".json";
}

std::optional<nlohmann::json> ProofCache::lookupByHash(const std::string &hash,
                                                       bool *corrupt) const {
  std::optional<nlohmann::json> e = readJson(entryPath(hash), corrupt);
  if (!e)
    return std::nullopt;
  if (!e->is_object() || e->value("key", "") != hash ||
      !e->contains("verdict") || !isFinalVerdict((*e)["verdict"]) ||
      !e->contains("material")) {
    if (corrupt)
      *corrupt = true;
    return std::nullopt;
  }
  return (*e)["verdict"];
}

std::optional<nlohmann::json> ProofCache::lookup(const CacheKey &key,
                                                 bool *corrupt) const {
  std::optional<nlohmann::json> e = readJson(entryPath(key.hash), corrupt);
  if (!e)
    return std::nullopt;
  if (!e->is_object() || e->value("key", "") != key.hash ||
      !e->contains("material") || !e->contains("verdict") ||
      !isFinalVerdict((*e)["verdict"])) {
    if (corrupt)
      *corrupt = true;
    return std::nullopt;
  }
  if ((*e)["material"] != key.material)
    return std::nullopt; // a hash collision: a miss, never a wrong verdict
  return (*e)["verdict"];
}

bool ProofCache::store(const CacheKey &key,
                       const nlohmann::json &verdict) const {
  if (!isFinalVerdict(verdict))
    return false;
  std::error_code ec;
  fs::create_directories(fs::path(entryPath(key.hash)).parent_path(), ec);
  nlohmann::json e = {{"format", kFormat},
                      {"key", key.hash},
                      {"material", key.material},
                      {"verdict", verdict}};
  return writeAtomically(entryPath(key.hash), e.dump() + "\n");
}

std::optional<std::string>
ProofCache::lookupAlias(const CacheKey &alias) const {
  std::optional<nlohmann::json> a = readJson(aliasPath(alias.hash), nullptr);
  if (!a || !a->is_object() || a->value("key", "") != alias.hash ||
      !a->contains("material") || (*a)["material"] != alias.material ||
      !a->contains("entry") || !(*a)["entry"].is_string())
    return std::nullopt;
  return (*a)["entry"].get<std::string>();
}

bool ProofCache::storeAlias(const CacheKey &alias,
                            const std::string &fullHash) const {
  std::error_code ec;
  fs::create_directories(fs::path(aliasPath(alias.hash)).parent_path(), ec);
  nlohmann::json a = {{"format", kFormat},
                      {"key", alias.hash},
                      {"material", alias.material},
                      {"entry", fullHash}};
  return writeAtomically(aliasPath(alias.hash), a.dump() + "\n");
}

ProofCache::Stats ProofCache::stats() const {
  Stats s;
  std::error_code ec;
  fs::path root = fs::path(dir_) / "v1";
  if (!fs::is_directory(root, ec))
    return s;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".json")
      continue;
    s.bytes += it->file_size();
    if (it->path().parent_path().filename() == "alias") {
      ++s.aliases;
      continue;
    }
    ++s.entries;
    bool corrupt = false;
    std::string hash = it->path().stem().string();
    std::optional<nlohmann::json> v = lookupByHash(hash, &corrupt);
    if (!v) {
      ++s.corrupt;
      continue;
    }
    std::string o = (*v)["verdict"];
    (o == "proved" ? s.proved : s.refuted)++;
  }
  return s;
}

uint64_t ProofCache::clear() const {
  std::error_code ec;
  fs::path root = fs::path(dir_) / "v1";
  uint64_t n = 0;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file())
      ++n;
  fs::remove_all(root, ec);
  return n;
}

} // namespace ksynth::gate
