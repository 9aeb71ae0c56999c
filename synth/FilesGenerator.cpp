// Candidates from a folder, feedback to a JSON-lines file (FilesGenerator.h).
#include "synth/FilesGenerator.h"

#include "support/Error.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ksynth::synth {

namespace fs = std::filesystem;

std::vector<Candidate> FilesGenerator::propose(const Problem &,
                                               const std::vector<Outcome> &,
                                               size_t max) {
  if (!listed_) {
    listed_ = true;
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto &e : fs::directory_iterator(dir_, ec))
      if (e.path().extension() == ".json")
        files.push_back(e.path());
    if (ec)
      throw UserError(ExitCode::InputError,
                      "--from " + dir_ + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const fs::path &f : files) {
      nlohmann::json m = spec::readJsonFile(f.string());
      if (!m.is_object() || !m.contains("source") ||
          !m.at("source").is_string())
        continue; // not a manifest (e.g. candidates.json)
      fs::path src = f.parent_path() / m.at("source").get<std::string>();
      std::ifstream in(src, std::ios::binary);
      if (!in)
        throw UserError(ExitCode::InputError,
                        f.string() + ": cannot read source " + src.string());
      std::stringstream ss;
      ss << in.rdbuf();
      Candidate c;
      c.kind = "file";
      c.params = {{"manifest", f.filename().string()}};
      c.source = ss.str();
      m.erase("source");
      c.manifest = m;
      pending_.push_back(c);
    }
  }
  std::vector<Candidate> out;
  while (!pending_.empty() && out.size() < max) {
    out.push_back(pending_.front());
    pending_.erase(pending_.begin());
  }
  return out;
}

void FilesGenerator::observe(const Outcome &o) {
  std::ofstream f(feedbackPath_, std::ios::app);
  f << o.toJson().dump() << "\n";
}

} // namespace ksynth::synth
