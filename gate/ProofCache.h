// The gate's proof cache (issue 15, docs/gate.md "Proof cache"): verdicts
// stored on disk under a key that covers everything that decides them.
//
// A key is a hash of its *material* (a JSON document: the canonical spec,
// the kernel's compiled IR without debug info or file names, the manifest
// without its source path, the options that change meaning, the ksynth,
// LLVM and Z3 versions and the ksynth build); the material is stored with
// the entry and compared on every hit, so a hash collision is a miss, never
// a wrong verdict. Only final verdicts are stored (proved or refuted; never
// unknown, so never a timeout). Entries are written to a temporary file and
// renamed into place, so concurrent gates sharing a directory see either
// nothing or a whole entry; an entry that does not parse or whose material
// differs is a miss (and counted as corrupt) and is recomputed.
//
// A second, cheaper index (aliases) maps the exact bytes of the spec,
// manifest and kernel source (with the same options and versions) to a
// full key, so a warm run over an unchanged tree needs no compile. Sources
// that #include other files never get an alias.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace ksynth::gate {

struct CacheKey {
  std::string hash; // 32 hex digits
  nlohmann::json material;
};

// The key of a material document.
CacheKey makeCacheKey(const nlohmann::json &material);

// The full material of a pair: parses the spec and manifest (MANIFESTJSON
// as read, MANIFESTPATH where it lives, for its relative source path) and
// compiles the kernel. CONTEXT holds the options and versions. Throws
// UserError when the pair does not parse or compile (then it is not
// cached: the verifier reports it).
nlohmann::json fullMaterial(const std::string &specPath,
                            const std::string &manifestPath,
                            const nlohmann::json &context);

// The alias material: the exact texts of the spec, manifest and source,
// and CONTEXT. Empty (no alias) when the source #includes anything or a
// file cannot be read.
std::optional<nlohmann::json> aliasMaterial(const std::string &specPath,
                                            const std::string &manifestPath,
                                            const nlohmann::json &context);

// Whether a verdict document (verify --json) may be stored: proved or
// refuted, with the matching exit code, and no failed self-check.
bool isFinalVerdict(const nlohmann::json &verdict);

// Source lines in cached refutations (the counterexample's "location" and
// "other_location", docs/verdict-format.md): the key ignores whitespace and
// comments, so a hit may come from a kernel text whose lines have moved.
// A verdict is stored with a digest of the source text it was computed on
// (withSourceDigest); on a hit, sourceDigestChecked removes that digest and,
// when the current text differs, the locations (the counterexample then
// says "location_stale": true; reports fall back to the kernel's line).
nlohmann::json withSourceDigest(nlohmann::json verdict,
                                const std::string &sourcePath);
nlohmann::json sourceDigestChecked(nlohmann::json verdict,
                                   const std::string &sourcePath);

class ProofCache {
public:
  explicit ProofCache(std::string dir);
  const std::string &dir() const { return dir_; }

  // The stored verdict for KEY, if an intact entry with equal material
  // exists. Sets *corrupt when an entry was there but unusable.
  std::optional<nlohmann::json> lookup(const CacheKey &key,
                                       bool *corrupt = nullptr) const;
  // Stores VERDICT (only if isFinalVerdict) under KEY. False when the
  // write failed (the gate goes on without the cache).
  bool store(const CacheKey &key, const nlohmann::json &verdict) const;

  // The full key hash an alias points to.
  std::optional<std::string> lookupAlias(const CacheKey &alias) const;
  bool storeAlias(const CacheKey &alias, const std::string &fullHash) const;
  // The entry for a full hash whose material is not recomputed (reached
  // through an alias, whose material was compared).
  std::optional<nlohmann::json> lookupByHash(const std::string &hash,
                                             bool *corrupt = nullptr) const;

  struct Stats {
    uint64_t entries = 0, aliases = 0, bytes = 0, corrupt = 0;
    uint64_t proved = 0, refuted = 0;
  };
  Stats stats() const;
  // Removes every entry and alias; returns how many files were removed.
  uint64_t clear() const;

  // The default directory: $KSYNTH_CACHE_DIR, else $XDG_CACHE_HOME/ksynth,
  // else ~/.cache/ksynth (with "/gate" appended to the last two).
  static std::string defaultDir();

private:
  std::string entryPath(const std::string &hash) const;
  std::string aliasPath(const std::string &hash) const;
  std::string dir_;
};

} // namespace ksynth::gate
