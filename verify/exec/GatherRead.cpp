#include "verify/exec/GatherRead.h"

#include "verify/exec/ValueOps.h"

namespace ksynth::verify {

using smt::Expr;

bool gatherable(const Region &r, int64_t maxElems) {
  return (r.role == Role::Input || r.role == Role::Constant) && !r.symbolic &&
         r.numElems > 0 && r.numElems <= maxElems &&
         static_cast<int64_t>(r.cells.size()) == r.numElems;
}

GatherRead gatherRead(const Region &r, const Val &offset, uint64_t elemBytes,
                      const std::function<Val(int64_t)> &cell) {
  Expr off = offset.expr();
  unsigned w = off.bvWidth();
  auto num = [&](int64_t v) {
    return Expr::bvVal(static_cast<uint64_t>(v), w);
  };
  int64_t eb = static_cast<int64_t>(elemBytes);
  GatherRead g;
  // Valid: 0 <= off < size, a multiple of the element size (an access of
  // another element size is rejected by the caller).
  Expr inBounds = num(0).sle(off) && off.slt(num(r.sizeBytes()));
  Expr aligned = off.urem(num(eb)).eq(num(0));
  g.violation = !(inBounds && aligned);
  std::vector<Val> cells;
  for (int64_t k = 0; k < r.numElems; ++k)
    cells.push_back(cell(k));
  // Where the read is invalid the value does not matter (memory safety is
  // refuted first): the last element.
  Val v = cells.back();
  for (int64_t k = r.numElems - 1; k-- > 0;)
    v = ops::select(ops::fromTruth(off.eq(num(k * eb))), cells[k], v);
  g.value = v;
  return g;
}

} // namespace ksynth::verify
