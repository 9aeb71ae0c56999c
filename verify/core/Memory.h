// The executor's memory: one region per buffer (spec tensor, temporary,
// private array, __local buffer of one work-group), element-granular cells
// holding executor values, the condition under which each cell has been
// written, and a per-launch access log for race detection.
#pragma once

#include "verify/core/Value.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace llvm {
class Instruction;
}

namespace ksynth::verify {

enum class Role { Input, Output, Temp, Private, Local, Constant };
const char *toString(Role r);

struct Access {
  uint32_t item; // flat global work-item id
  smt::Expr pc;  // path condition under which it happened
  bool write;
  uint32_t group = 0; // flat work-group id
  // Barriers that order this region's memory (local fences for __local,
  // global fences for global memory) the group had passed at the access:
  // two accesses of one group with different epochs cannot race.
  uint32_t epoch = 0;
  // The load or store (for the source lines of a race), if known.
  const llvm::Instruction *inst = nullptr;
};

struct Cell {
  Val value;               // Poison until written (or initialised)
  smt::Expr written;       // Bool: holds iff the cell has been written
  std::vector<Access> log; // accesses in the current launch
  // The first store that wrote the cell (output and temporary cells; the
  // source line of a wrong value). Stores by other instructions after it:
  // the region's laterStores.
  const llvm::Instruction *store = nullptr;
};

// The stores after a cell's first one by other instructions, in order, each
// with the condition of its write (consecutive writes by one instruction
// merged): the last whose condition holds wrote the final value, else the
// first store did (if the cell is written at all).
using LaterStores =
    std::vector<std::pair<smt::Expr, const llvm::Instruction *>>;

struct Region {
  std::string name;
  Role role = Role::Input;
  unsigned elemSize = 4; // bytes per cell
  bool isFloat = true;   // cells hold float32 (else integers of elemSize)
  int64_t numElems = 0;
  // __local buffers: 0 until the first access fixes the element size (then
  // numElems = lazyBytes / elemSize); a later access of another size is
  // unsupported.
  int64_t lazyBytes = 0;
  // Symbolic work-item mode: the buffer is an SMT array, no cells.
  bool symbolic = false;
  std::vector<Cell> cells;
  std::map<int64_t, LaterStores> laterStores; // by element (Cell::store)
  int64_t sizeBytes() const { return numElems * elemSize; }
};

class Memory {
public:
  int add(Region r); // returns the region id
  // A __local region of `bytes` bytes whose element size is fixed by its
  // first access (fixElement); its cells start unwritten.
  int addLocal(const std::string &name, int64_t bytes);
  // Fixes a lazy region's element size (no-op once fixed).
  void fixElement(int id, unsigned elemSize, bool isFloat);
  Region &at(int id) { return regions_.at(static_cast<size_t>(id)); }
  const Region &at(int id) const {
    return regions_.at(static_cast<size_t>(id));
  }
  size_t size() const { return regions_.size(); }
  void truncate(size_t n) { regions_.resize(n); }

private:
  std::vector<Region> regions_;
};

} // namespace ksynth::verify
