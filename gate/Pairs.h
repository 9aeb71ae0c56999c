// The pairs `ksynth gate` verifies (docs/gate.md "Pairs"): where they come
// from (candidates.json indexes, corpus .cl headers, --pairs FILE), their
// stable ids, and the hash-based shards (--shard I/N).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ksynth::gate {

// One (spec, manifest) pair and what it is expected to give.
struct Pair {
  std::string id;       // stable name: "<index dir>/<name>" or "<.cl path>"
  std::string spec;     // path of the spec
  std::string manifest; // path of the manifest file; empty: inlineManifest
  nlohmann::json inlineManifest; // corpus: the header's MANIFEST + "source"
  std::string source;            // the kernel source (for reports)
  std::string expect;            // "" (none), proved, refuted, unknown, error
  std::string obligation;        // refuted: the expected obligation, or ""
  std::string unknownKind;       // unknown: the expected kind, or ""
  std::string origin;            // file (and line) that declares the pair
};

// Reads the pairs under PATHS (directories are walked: every
// candidates.json / ksynth-pairs.json index and every .cl file with an
// `// EXPECT:` header; files are read as such an index or .cl) and in the
// index files PAIRFILES. Sorted by id. Throws UserError (exit 2) naming the
// file for a malformed index, a missing spec or manifest, or a duplicate
// id.
std::vector<Pair> discoverPairs(const std::vector<std::string> &paths,
                                const std::vector<std::string> &pairFiles);

// A stable 64-bit hash (FNV-1a) of text, the same on every machine.
uint64_t stableHash(const std::string &text);

struct Shard {
  unsigned index = 1; // 1-based
  unsigned count = 1;
};
// Parses "I/N" (1 <= I <= N); throws UserError (usage) otherwise.
Shard parseShard(const std::string &text);
// Whether the pair with this id belongs to the shard: stableHash(id) mod N
// is I-1, so a pair's shard does not change when other pairs are added.
bool inShard(const std::string &id, const Shard &s);

} // namespace ksynth::gate
