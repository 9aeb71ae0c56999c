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

// Unknown reasons speak the user's language: no internal prefix survives
// (a kl_div kernel's reason once named "stale:y[0]").
TEST(VarNames, DescribedInTheUsersLanguage) {
  EXPECT_EQ(var::describe(var::inputElement("x", 5)), "x[5]");
  EXPECT_EQ(var::describe("N"), "N");
  EXPECT_EQ(var::describe(var::inputArray("x")), "x");
  EXPECT_EQ(var::describe(var::symbolicLeaf("t", 3)), "an element of t");
  EXPECT_EQ(var::describe(var::stale("y[0]")),
            "the contents of y[0] before it is written");
  EXPECT_EQ(var::describe(var::real(var::stale("y[0]"))),
            "the contents of y[0] before it is written");
  EXPECT_EQ(var::describeValue(var::stale("y[0]")),
            "the contents of y[0] before it is written");
  EXPECT_EQ(var::describeValue(var::inputElement("x", 5)), "input x[5]");
  for (const std::string &n :
       {var::stale("y[0]"), var::choice(Choice::Approx, "exp", 2),
        var::choice(Choice::Nondet, "", 0), var::workItemId("", 0),
        var::groupId("'", 1), var::coverage("y"), var::coverageAux("y", 2),
        var::loopCount(3), var::summaryState(7), var::inputArray("x"),
        var::real("x[2]")}) {
    std::string d = var::describe(n);
    for (const char *internal :
         {"stale:", "approx#", "nd#", "cover#", "summary-state#",
          "in:", "real:", "gid", "grp"})
      EXPECT_EQ(d.find(internal), std::string::npos) << n << " -> " << d;
  }
}
