// The launch manifest's "sub_group_size" (cl_khr_subgroups): parsed per
// launch, validated against its work-group size at every shape.
#include "spec/Manifest.h"

#include "support/Error.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace ksynth;
using namespace ksynth::spec;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

class ManifestSubGroupTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ksynth_manifest_sg_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "k.cl") << "__kernel void k() {}\n";
    spec_ = parseSpec(json::parse(R"({
      "inputs": { "x": { "dtype": "float32", "shape": ["N"] } },
      "ops": [ { "op": "relu", "inputs": ["x"], "output": "y" } ],
      "outputs": ["y"],
      "shapes": [ { "N": 64 }, { "N": 16 } ] })"),
                      "spec.json");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // One launch over N work-items in groups of `local` ("N" or a number).
  static json manifest(const json &local, const json &sg) {
    json l = {{"kernel", "k"}, {"args", {"x", "y"}}, {"global", {"N"}}};
    if (!local.is_null())
      l["local"] = {local};
    if (!sg.is_null())
      l["sub_group_size"] = sg;
    return {{"source", "k.cl"}, {"launches", {l}}};
  }

  Manifest parse(const json &j) {
    return parseManifest(j, (dir_ / "m.json").string(), spec_);
  }

  std::string err(const json &j) {
    try {
      parse(j);
    } catch (const UserError &e) {
      EXPECT_EQ(e.code(), ExitCode::InputError);
      return e.what();
    }
    ADD_FAILURE() << "no error for " << j.dump();
    return "";
  }

  fs::path dir_;
  Spec spec_;
};

TEST_F(ManifestSubGroupTest, AbsentMeansUndeclared) {
  EXPECT_EQ(parse(manifest(16, nullptr)).launches[0].subGroupSize, 0);
}

TEST_F(ManifestSubGroupTest, Parsed) {
  EXPECT_EQ(parse(manifest(16, 8)).launches[0].subGroupSize, 8);
  // At most the work-group size (16 at N = 16).
  EXPECT_EQ(parse(manifest("N", 16)).launches[0].subGroupSize, 16);
}

TEST_F(ManifestSubGroupTest, Errors) {
  for (const json &bad : {json(0), json(-4), json(2000), json("8"), json(4.5)})
    EXPECT_NE(err(manifest(16, bad))
                  .find("'sub_group_size' must be an integer "
                        "from 1 to 1024"),
              std::string::npos)
        << bad.dump();
  EXPECT_NE(err(manifest(nullptr, 8)).find("needs an explicit 'local'"),
            std::string::npos);
  std::string m = err(manifest("N", 32));
  EXPECT_NE(m.find("'sub_group_size' 32 exceeds the work-group size 16 at "
                   "N=16"),
            std::string::npos)
      << m;
}

} // namespace
