// The executor's memory: one region per buffer (spec tensor, temporary,
// private array), element-granular cells holding executor values, the
// condition under which each cell has been written, and a per-launch access
// log for race detection.
#pragma once

#include "verify/Value.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ksynth::verify {

enum class Role { Input, Output, Temp, Private, Local, Constant };
const char *toString(Role r);

struct Access {
  uint32_t item; // flat global work-item id
  smt::Expr pc;  // path condition under which it happened
  bool write;
};

struct Cell {
  Val value;            // Poison until written (or initialised)
  smt::Expr written;    // Bool: holds iff the cell has been written
  std::vector<Access> log; // accesses in the current launch
};

struct Region {
  std::string name;
  Role role = Role::Input;
  unsigned elemSize = 4; // bytes per cell
  bool isFloat = true;   // cells hold float32 (else integers of elemSize)
  int64_t numElems = 0;
  std::vector<Cell> cells;
  int64_t sizeBytes() const { return numElems * elemSize; }
};

class Memory {
public:
  int add(Region r); // returns the region id
  Region &at(int id) { return regions_.at(static_cast<size_t>(id)); }
  const Region &at(int id) const { return regions_.at(static_cast<size_t>(id)); }
  size_t size() const { return regions_.size(); }
  void truncate(size_t n) { regions_.resize(n); }

private:
  std::vector<Region> regions_;
};

} // namespace ksynth::verify
