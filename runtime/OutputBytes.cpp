// Mapped or owned output bytes: see OutputBytes.h.
#include "runtime/OutputBytes.h"

#include "support/Error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ksynth::runtime {

OutputBytes OutputBytes::mapFile(const std::string &path, size_t size) {
  OutputBytes b;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0 ||
      static_cast<size_t>(st.st_size) != size) {
    if (fd >= 0)
      ::close(fd);
    throw UserError(ExitCode::Internal, "worker output " + path +
                                            " is missing or not " +
                                            std::to_string(size) + " bytes");
  }
  void *p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  int e = errno;
  ::close(fd);
  if (p == MAP_FAILED)
    throw UserError(ExitCode::Internal,
                    "cannot map " + path + ": " + std::strerror(e));
  b.map_ = p;
  b.data_ = static_cast<const uint8_t *>(p);
  b.size_ = size;
  return b;
}

OutputBytes OutputBytes::owned(std::vector<uint8_t> bytes) {
  OutputBytes b;
  b.owned_ = std::move(bytes);
  b.data_ = b.owned_.data();
  b.size_ = b.owned_.size();
  return b;
}

OutputBytes::~OutputBytes() {
  if (map_)
    ::munmap(map_, size_);
}

OutputBytes &OutputBytes::operator=(OutputBytes &&o) noexcept {
  if (this == &o)
    return *this;
  if (map_)
    ::munmap(map_, size_);
  owned_ = std::move(o.owned_);
  map_ = o.map_;
  size_ = o.size_;
  data_ = map_ ? static_cast<const uint8_t *>(map_) : owned_.data();
  o.map_ = nullptr;
  o.data_ = nullptr;
  o.size_ = 0;
  return *this;
}

void OutputBytes::release(size_t upTo) const {
  if (!map_)
    return;
  long page = ::sysconf(_SC_PAGESIZE);
  size_t len = upTo < size_ ? upTo : size_;
  len -= len % static_cast<size_t>(page > 0 ? page : 4096);
  if (len)
    ::madvise(map_, len, MADV_DONTNEED);
}

} // namespace ksynth::runtime
