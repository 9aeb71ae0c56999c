// The byte protocol between a forked solver child and its parent (internal
// to solver/, shared by ForkedZ3.cpp and ForkedCheck.cpp): length-prefixed
// fields written to a pipe, read back with Reader; plus the two process
// helpers both sides use (virtual size, wait status in words).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace ksynth::smt::detail {

void putU32(std::string &out, uint32_t v);
void putStr(std::string &out, const std::string &s); // u32 length + bytes
// Writes all of `s` to `fd` (retrying EINTR); false on error.
bool writeAll(int fd, const std::string &s);

class Reader {
public:
  explicit Reader(const std::string &s) : s_(s) {}
  bool u32(uint32_t &v) {
    if (s_.size() - pos_ < sizeof v)
      return false;
    std::memcpy(&v, s_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return true;
  }
  bool str(std::string &out) {
    uint32_t n;
    if (!u32(n) || s_.size() - pos_ < n)
      return false;
    out.assign(s_, pos_, n);
    pos_ += n;
    return true;
  }
  bool atEnd() const { return pos_ == s_.size(); }

private:
  const std::string &s_;
  size_t pos_ = 0;
};

// The process's virtual size now (0 if unknown).
uint64_t addressSpaceBytes();
// "killed by signal 9 (Killed)", "exited with status 1", ...
std::string describeStatus(int status);

} // namespace ksynth::smt::detail
