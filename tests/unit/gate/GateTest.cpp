// The gate's pure parts: the proof-cache key (what changes it and what does
// not) and the hash-based shards (issue 15).
#include "gate/Pairs.h"
#include "gate/ProofCache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace ksynth::gate;

namespace {

struct Scratch {
  fs::path dir;
  Scratch() {
    char t[] = "/tmp/ksynth-gate-unit-XXXXXX";
    dir = ::mkdtemp(t);
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string write(const std::string &name, const std::string &text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
};

const char *kSpec = R"({"name": "relu", "inputs": {"x": {"dtype": "float32",
  "shape": ["N"]}}, "ops": [{"op": "relu", "inputs": ["x"], "output": "y"}],
  "outputs": ["y"], "shapes": [{"N": 5}]})";
const char *kKernel =
    "__kernel void k(__global const float *x, __global float *y) {\n"
    "  size_t i = get_global_id(0);\n"
    "  y[i] = x[i] < 0 ? 0 : x[i];\n"
    "}\n";
const char *kManifest = R"({"source": "k.cl", "launches": [{"kernel": "k",
  "args": ["x", "y"], "global": ["N"]}]})";

nlohmann::json ctx(const std::string &opt = "") {
  return {{"options", opt.empty() ? nlohmann::json::array()
                                  : nlohmann::json::array({opt})},
          {"versions", {{"ksynth_version", "0.1.0"}, {"z3", "4.8.12"}}}};
}

} // namespace

TEST(GateCacheKey, SameMeaningSameKeyWhitespaceAndFileName) {
  Scratch s;
  std::string spec = s.write("spec.json", kSpec);
  s.write("k.cl", kKernel);
  std::string m = s.write("m.json", kManifest);
  CacheKey a = makeCacheKey(fullMaterial(spec, m, ctx()));
  // Whitespace, a comment and another file name: the same compiled IR.
  std::string k2 = kKernel;
  k2.insert(0, "// a comment\n\n");
  s.write("renamed.cl", k2);
  std::string m2 = s.write(
      "m2.json", R"({"source": "renamed.cl", "launches": [{"kernel": "k",
      "args": ["x", "y"], "global": ["N"]}]})");
  CacheKey b = makeCacheKey(fullMaterial(spec, m2, ctx()));
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(a.material, b.material);
  EXPECT_EQ(a.hash.size(), 32u);
}

TEST(GateCacheKey, KernelOptionSpecAndVersionChangeTheKey) {
  Scratch s;
  std::string spec = s.write("spec.json", kSpec);
  s.write("k.cl", kKernel);
  std::string m = s.write("m.json", kManifest);
  CacheKey base = makeCacheKey(fullMaterial(spec, m, ctx()));
  std::string k2 = kKernel;
  k2.replace(k2.find("x[i] < 0"), 8, "x[i] <= 0");
  s.write("k.cl", k2);
  EXPECT_NE(makeCacheKey(fullMaterial(spec, m, ctx())).hash, base.hash);
  s.write("k.cl", kKernel);
  EXPECT_EQ(makeCacheKey(fullMaterial(spec, m, ctx())).hash, base.hash);
  EXPECT_NE(makeCacheKey(fullMaterial(spec, m, ctx("--fmuladd=unfused"))).hash,
            base.hash);
  nlohmann::json v = ctx();
  v["versions"]["z3"] = "4.12.0";
  EXPECT_NE(makeCacheKey(fullMaterial(spec, m, v)).hash, base.hash);
  std::string spec2 = kSpec;
  spec2.replace(spec2.find("\"N\": 5"), 6, "\"N\": 6");
  std::string sp2 = s.write("spec2.json", spec2);
  EXPECT_NE(makeCacheKey(fullMaterial(sp2, m, ctx())).hash, base.hash);
}

TEST(GateCacheKey, OnlyFinalVerdictsAreStoredAndMaterialIsCompared) {
  Scratch s;
  ProofCache cache((s.dir / "c").string());
  CacheKey k = makeCacheKey({{"x", 1}});
  nlohmann::json proved = {{"verdict", "proved"}, {"exit_code", 0}};
  nlohmann::json timeout = {{"verdict", "unknown"},
                            {"unknown_kind", "timeout"},
                            {"exit_code", 5}};
  EXPECT_FALSE(cache.store(k, timeout));
  EXPECT_FALSE(cache.lookup(k).has_value());
  EXPECT_TRUE(cache.store(k, proved));
  ASSERT_TRUE(cache.lookup(k).has_value());
  EXPECT_EQ((*cache.lookup(k))["verdict"], "proved");
  // Same hash, other material (a collision): a miss.
  CacheKey other{k.hash, {{"x", 2}}};
  EXPECT_FALSE(cache.lookup(other).has_value());
  // A truncated entry: a miss, reported as corrupt.
  for (auto &e : fs::recursive_directory_iterator(s.dir / "c"))
    if (e.is_regular_file())
      fs::resize_file(e.path(), 10);
  bool corrupt = false;
  EXPECT_FALSE(cache.lookup(k, &corrupt).has_value());
  EXPECT_TRUE(corrupt);
  EXPECT_EQ(cache.stats().corrupt, 1u);
  EXPECT_GE(cache.clear(), 1u);
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST(GateShard, EveryIdInExactlyOneShardAndStable) {
  std::vector<std::string> ids;
  for (int i = 0; i < 500; ++i)
    ids.push_back("tests/corpus/g" + std::to_string(i % 7) + "/k" +
                  std::to_string(i));
  for (unsigned n : {1u, 2u, 3u, 8u}) {
    std::vector<int> sizes(n, 0);
    for (const std::string &id : ids) {
      int in = 0;
      for (unsigned i = 1; i <= n; ++i)
        if (inShard(id, Shard{i, n})) {
          ++in;
          ++sizes[i - 1];
        }
      EXPECT_EQ(in, 1) << id;
    }
    for (int sz : sizes) // roughly even
      EXPECT_GT(sz, static_cast<int>(ids.size() / n / 2));
  }
  // A pair's shard depends on its id only (not on the other pairs).
  EXPECT_EQ(inShard("examples/relu/relu", Shard{2, 4}),
            inShard("examples/relu/relu", Shard{2, 4}));
  EXPECT_EQ(stableHash("abc"), 0xe16801510db89efdULL); // FNV-1a 64
}

TEST(GateShard, ParseShard) {
  Shard s = parseShard("2/5");
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 5u);
  for (const char *bad : {"0/3", "4/3", "1", "a/b", "1/0", "1/2x", ""})
    EXPECT_THROW(parseShard(bad), std::exception) << bad;
}
