// Reads at a data-dependent element (a gather such as cross_entropy's
// x[t[r]], the index an input value): the value is an if-then-else over
// every element the offset may name, and the read violates memory safety
// where the offset is out of bounds or misaligned. Only for regions no
// work-item writes (inputs, constants): a read of every candidate element
// would otherwise over-approximate the accesses the race and
// uninitialised-read obligations see.
//
// Engineer C's executor calls it from Executor::Impl::load (see
// Executor.cpp) for a non-constant pointer into such a region.
#pragma once

#include "verify/core/Memory.h"
#include "verify/core/Value.h"

#include <cstdint>
#include <functional>

namespace ksynth::verify {

struct GatherRead {
  Val value;           // the element at the offset (where it is valid)
  smt::Expr violation; // Bool: the offset is out of bounds or misaligned
};

// Whether a data-dependent read of region `r` can be executed as a gather
// (read-only region, at most `maxElems` elements: the term grows with it).
bool gatherable(const Region &r, int64_t maxElems = 4096);

// `offset`: the byte offset (Int 64, symbolic); `cell(k)`: the value of
// element k as the load converts it. Elements are read in increasing order.
GatherRead gatherRead(const Region &r, const Val &offset, uint64_t elemBytes,
                      const std::function<Val(int64_t)> &cell);

} // namespace ksynth::verify
