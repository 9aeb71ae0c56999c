// A private temporary directory, removed with everything in it when the
// owner goes out of scope.
#pragma once

#include <string>

namespace ksynth::runtime {

class TempDir {
public:
  // Creates $TMPDIR/ksynth-XXXXXX (or /tmp/...). Throws std::runtime_error.
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::string &path() const { return path_; }
  std::string file(const std::string &name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

} // namespace ksynth::runtime
