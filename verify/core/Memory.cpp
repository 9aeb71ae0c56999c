#include "verify/core/Memory.h"

namespace ksynth::verify {

const char *toString(Role r) {
  switch (r) {
  case Role::Input:
    return "input";
  case Role::Output:
    return "output";
  case Role::Temp:
    return "temporary";
  case Role::Private:
    return "private";
  case Role::Local:
    return "local";
  case Role::Constant:
    return "constant";
  }
  return "?";
}

int Memory::add(Region r) {
  if (r.cells.empty() && !r.symbolic) {
    r.cells.resize(static_cast<size_t>(r.numElems));
    for (Cell &c : r.cells)
      c.written =
          smt::Expr::boolVal(r.role == Role::Input || r.role == Role::Constant);
  }
  regions_.push_back(std::move(r));
  return static_cast<int>(regions_.size() - 1);
}

int Memory::addLocal(const std::string &name, int64_t bytes) {
  Region r;
  r.name = name;
  r.role = Role::Local;
  r.elemSize = 0;
  r.lazyBytes = bytes;
  regions_.push_back(std::move(r));
  return static_cast<int>(regions_.size() - 1);
}

void Memory::fixElement(int id, unsigned elemSize, bool isFloat) {
  Region &r = at(id);
  if (r.elemSize != 0 || elemSize == 0)
    return;
  r.elemSize = elemSize;
  r.isFloat = isFloat;
  r.numElems = r.lazyBytes / elemSize;
  r.cells.resize(static_cast<size_t>(r.numElems));
  for (Cell &c : r.cells)
    c.written = smt::Expr::boolVal(false);
}

} // namespace ksynth::verify
