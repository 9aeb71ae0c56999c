// The tensor ops covered at a symbolic index are one list, the op table's
// `atIndex` column (spec::tensorOpsAtIndex): symbolicTensorOpCovered reads
// it, and the messages and the verdict's method text are built from it.
#include "spec/Manifest.h"
#include "spec/OpTable.h"
#include "verify/methods/SymbolicItem.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

using namespace ksynth;

namespace {

spec::OpNode op(const std::string &name, size_t inputs) {
  spec::OpNode o;
  o.op = name;
  o.output = "y";
  for (size_t k = 0; k < inputs; ++k)
    o.inputs.push_back(std::string("x"));
  return o;
}

std::vector<std::string> split(const std::string &s, const std::string &sep) {
  std::vector<std::string> out;
  size_t at = 0;
  for (size_t next; (next = s.find(sep, at)) != std::string::npos;
       at = next + sep.size())
    out.push_back(s.substr(at, next - at));
  out.push_back(s.substr(at));
  return out;
}

TEST(CoveredOps, TextNamesExactlyTheTablesOps) {
  std::vector<std::string> listed =
      split(verify::symbolicCoveredOpsText(), ", ");
  ASSERT_FALSE(listed.empty());
  EXPECT_EQ(listed.front(), "elementwise ops");
  listed.erase(listed.begin());
  std::vector<std::string> table;
  for (const char *name : spec::tensorOpsAtIndex())
    table.push_back(name);
  EXPECT_EQ(listed, table);
  // max and min are reductions too (one input), and are listed.
  for (const char *name : {"max", "min", "sum", "matmul", "argmax"})
    EXPECT_NE(std::find(table.begin(), table.end(), name), table.end()) << name;
}

TEST(CoveredOps, CoveredIsTheTableColumn) {
  std::vector<std::string> names = {"max", "min"};
  for (const char *name : spec::tensorOpNames())
    names.push_back(name);
  for (const std::string &name : names)
    EXPECT_EQ(verify::symbolicTensorOpCovered(op(name, 1)),
              spec::tensorOpAtIndex(name))
        << name;
  EXPECT_FALSE(spec::tensorOpAtIndex("add"));
  EXPECT_FALSE(spec::tensorOpAtIndex("no_such_op"));
  // A literal first operand is not covered, whatever the op.
  spec::OpNode lit = op("sum", 0);
  lit.inputs.emplace_back(std::in_place_type<double>, 2.0);
  EXPECT_FALSE(verify::symbolicTensorOpCovered(lit));
}

TEST(CoveredOps, QualifiesSaysWhyALiteralOperandIsNotCovered) {
  spec::Spec s;
  spec::OpNode lit = op("sum", 0);
  lit.inputs.emplace_back(std::in_place_type<double>, 2.0);
  s.ops.push_back(lit);
  spec::Manifest m;
  std::string why;
  EXPECT_FALSE(verify::symbolicQualifies(s, m, why));
  EXPECT_EQ(why, "op 'sum' has a literal first operand, which the symbolic "
                 "reference does not cover");
}

} // namespace
