// The bytes of one device output as ksynth analyses them (issue 17: host
// memory). A worker output file is mapped read-only instead of read into a
// vector, and a sequential scan drops the pages behind it (release()), so
// comparing two runs of a 4 GiB output against the reference holds about
// the reference's copy, not three. Outputs that arrive inline (a result
// made on another machine) are owned bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ksynth::runtime {

class OutputBytes {
public:
  OutputBytes() = default;
  // Maps `path`, which must hold exactly `size` bytes (else UserError).
  static OutputBytes mapFile(const std::string &path, size_t size);
  static OutputBytes owned(std::vector<uint8_t> bytes);
  ~OutputBytes();
  OutputBytes(OutputBytes &&o) noexcept { *this = std::move(o); }
  OutputBytes &operator=(OutputBytes &&o) noexcept;
  OutputBytes(const OutputBytes &) = delete;
  OutputBytes &operator=(const OutputBytes &) = delete;

  const uint8_t *data() const { return data_; }
  size_t size() const { return size_; }
  // Drops the resident pages of a mapping below byte `upTo` (they are read
  // again from the file if touched later). No effect on owned bytes.
  void release(size_t upTo) const;

private:
  std::vector<uint8_t> owned_;
  const uint8_t *data_ = nullptr;
  size_t size_ = 0;
  void *map_ = nullptr;
};

} // namespace ksynth::runtime
