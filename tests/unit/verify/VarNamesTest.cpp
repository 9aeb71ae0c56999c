// The verifier's variable protocol (verify/core/VarNames.h): names built by one
// function are read back by its partner, and no name of one kind is taken
// for another.
#include "verify/core/VarNames.h"

#include <gtest/gtest.h>

using namespace ksynth;
using namespace ksynth::verify;

TEST(VarNames, ChoicesAreToldApart) {
  std::string a = var::choice(Choice::Approx, "rfold", 3);
  std::string n = var::choice(Choice::Nondet, "nanbits", 3);
  EXPECT_TRUE(var::isChoice(a, Choice::Approx));
  EXPECT_FALSE(var::isChoice(a, Choice::Nondet));
  EXPECT_TRUE(var::isChoice(n, Choice::Nondet));
  EXPECT_FALSE(var::isChoice(n, Choice::Approx));
  // An input never reads as a choice (spec names are identifiers).
  EXPECT_FALSE(var::isChoice(var::inputElement("nd", 0), Choice::Nondet));
  EXPECT_FALSE(var::isChoice(var::inputArray("approx"), Choice::Approx));
}

TEST(VarNames, MentionsChoiceLooksAtEveryVariable) {
  smt::Expr x = smt::Expr::bvVar(var::inputElement("x", 4), 32);
  smt::Expr c = smt::Expr::bvVar(var::choice(Choice::Nondet, "", 0), 32);
  EXPECT_FALSE(var::mentionsChoice(x.add(x), Choice::Nondet));
  EXPECT_TRUE(var::mentionsChoice(x.add(c), Choice::Nondet));
  EXPECT_FALSE(var::mentionsChoice(x.add(c), Choice::Approx));
}

TEST(VarNames, InputArraysRoundTrip) {
  EXPECT_EQ(var::inputArrayTensor(var::inputArray("w_1")), "w_1");
  EXPECT_FALSE(var::inputArrayTensor("x[3]"));
  EXPECT_FALSE(var::inputArrayTensor(var::stale("x[3]")));
  EXPECT_EQ(var::baseName(var::inputElement("x", 12)), "x");
  EXPECT_EQ(var::baseName("N"), "N");
  EXPECT_EQ(var::baseName(var::symbolicLeaf("y", 2)), "y");
}
