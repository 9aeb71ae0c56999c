// A store at a data-dependent offset into a private array, such as a write
// of one element of a vector through a pointer (`((float *)&v4)[k] = x`):
// every element of the array becomes an if-then-else between the stored
// value (where the offset names it) and its previous value; an offset out
// of bounds or misaligned is a memory-safety violation (checked before any
// obligation that uses the values). Only when every element of the array
// has been written on the path, so that no uninitialised element is made
// to look written.
#include "verify/exec/ExecutorImpl.h"

namespace ksynth::verify {

using smt::Expr;

namespace {
constexpr int64_t kMaxScatterElems = 256; // the terms grow with it
} // namespace

bool Executor::Impl::scatterPrivate(Path &p, const Val &ptr, const Val &v,
                                    const llvm::Type *t, uint64_t align) {
  if (!ptr.isPtr() || ptr.region < 0 || ptr.isConst)
    return false;
  Region &r = mem.at(ptr.region);
  if (r.role != Role::Private || r.symbolic)
    return false;
  const llvm::Type *scalar = t->getScalarType();
  uint64_t eb = dl.getTypeStoreSize(const_cast<llvm::Type *>(scalar));
  if (eb != r.elemSize || r.numElems <= 0 || r.numElems > kMaxScatterElems)
    return false; // resolve() rejects it with its reason
  for (int64_t k = 0; k < r.numElems; ++k)
    if (!p.writes.count({ptr.region, k}) &&
        !r.cells.at(static_cast<size_t>(k)).written.isTrue())
      throw CannotDecide(UnknownKind::Unsupported,
                         "data-dependent write into " + r.name +
                             " before all its elements are written in " +
                             where());
  unsigned lanes = v.isVec() ? static_cast<unsigned>(v.elems.size()) : 1;
  Expr off = ptr.offset().expr();
  auto num = [](int64_t x) {
    return Expr::bvVal(static_cast<uint64_t>(x), 64);
  };
  Expr bad = Expr::boolVal(false);
  if (align > 1)
    bad = off.urem(num(static_cast<int64_t>(align))).ne(num(0));
  std::vector<Val> cells;
  for (int64_t k = 0; k < r.numElems; ++k)
    cells.push_back(readCell(p, ptr.region, k));
  for (unsigned i = 0; i < lanes; ++i) {
    Expr lo = off.add(num(static_cast<int64_t>(i * eb)));
    bad = bad || !(num(0).sle(lo) && lo.slt(num(r.sizeBytes())) &&
                   lo.urem(num(static_cast<int64_t>(eb))).eq(num(0)));
    Val x = unpoison(v.isVec() ? v.elems[i] : v, scalar);
    for (int64_t k = 0; k < r.numElems; ++k) {
      Expr here = lo.eq(num(k * static_cast<int64_t>(eb))).simplify();
      if (here.isFalse())
        continue;
      cells[static_cast<size_t>(k)] =
          ops::select(ops::fromTruth(here), x, cells[static_cast<size_t>(k)]);
    }
  }
  if (!bad.simplify().isFalse())
    note({ObligationKind::MemorySafety, p.pc && bad,
          "data-dependent write of " + r.name + " (" + toString(r.role) +
              " array of " + std::to_string(r.numElems) +
              " elements) out of bounds or misaligned in " + where(),
          r.name, -1});
  for (int64_t k = 0; k < r.numElems; ++k)
    p.writes[{ptr.region, k}] = cells[static_cast<size_t>(k)];
  return true;
}

} // namespace ksynth::verify
