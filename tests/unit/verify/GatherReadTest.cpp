// Data-dependent reads of read-only regions (verify/exec/GatherRead.h): the
// value is the element the offset names, the violation holds exactly where
// the offset is out of bounds or misaligned.
#include "verify/exec/GatherRead.h"

#include "support/Float.h"
#include "verify/numerics/IntervalEval.h"

#include <gtest/gtest.h>

using ksynth::floatBits;
using ksynth::smt::Expr;
using namespace ksynth::verify;

namespace {

Region inputOf(std::vector<float> xs) {
  Region r;
  r.name = "x";
  r.role = Role::Input;
  r.elemSize = 4;
  r.isFloat = true;
  r.numElems = static_cast<int64_t>(xs.size());
  for (float f : xs) {
    Cell c;
    c.value = Val::floatConstF(f);
    c.written = Expr::boolVal(true);
    r.cells.push_back(c);
  }
  return r;
}

IVal at(const Expr &e, int64_t offset) {
  IntervalEval ev([&](const Expr &) -> std::optional<uint64_t> {
    return static_cast<uint64_t>(offset);
  });
  return ev.eval(e);
}

} // namespace

TEST(GatherRead, ReadsTheElementTheOffsetNames) {
  Region r = inputOf({1.5f, -2.0f, 3.0f, 7.0f});
  Val off = Val::intSym(Expr::bvVar("off", 64));
  std::vector<int64_t> read;
  GatherRead g = gatherRead(r, off, 4, [&](int64_t k) {
    read.push_back(k);
    return r.cells[static_cast<size_t>(k)].value;
  });
  EXPECT_EQ(read.size(), 4u);
  const float want[] = {1.5f, -2.0f, 3.0f, 7.0f};
  for (int64_t k = 0; k < 4; ++k) {
    IVal v = at(g.value.expr(), 4 * k);
    ASSERT_TRUE(v.known());
    EXPECT_EQ(floatBits(v.f.lo), floatBits(want[k]));
    IVal bad = at(g.violation, 4 * k);
    EXPECT_TRUE(bad.mayFalse && !bad.mayTrue);
  }
  for (int64_t o : {16, 2, -4, 1000}) {
    IVal bad = at(g.violation, o);
    EXPECT_TRUE(bad.mayTrue && !bad.mayFalse) << o;
  }
}

TEST(GatherRead, OnlyReadOnlyRegions) {
  Region r = inputOf({1.0f, 2.0f});
  EXPECT_TRUE(gatherable(r));
  r.role = Role::Output;
  EXPECT_FALSE(gatherable(r));
  r.role = Role::Constant;
  EXPECT_TRUE(gatherable(r));
  EXPECT_FALSE(gatherable(r, 1)); // too many elements
}
