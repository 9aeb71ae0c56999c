#include "spec/IntExpr.h"

#include "support/Error.h"

#include <gtest/gtest.h>

#include <limits>

using namespace ksynth;
using namespace ksynth::spec;

namespace {

int64_t ev(const std::string &text, std::map<std::string, int64_t> env = {}) {
  return IntExpr::parse(text).eval(env);
}

std::string parseError(const std::string &text) {
  try {
    IntExpr::parse(text);
  } catch (const UserError &e) {
    EXPECT_EQ(e.code(), ExitCode::InputError);
    return e.what();
  }
  return "";
}

std::string evalError(const std::string &text,
                      std::map<std::string, int64_t> env = {}) {
  try {
    IntExpr::parse(text).eval(env);
  } catch (const UserError &e) {
    return e.what();
  }
  return "";
}

#define EXPECT_CONTAINS(haystack, needle)                                      \
  do {                                                                         \
    std::string h_ = (haystack);                                               \
    EXPECT_NE(h_.find(needle), std::string::npos)                              \
        << "message: '" << h_ << "'\nexpected to contain: '" << (needle)       \
        << "'";                                                                \
  } while (0)

} // namespace

TEST(IntExpr, DefaultAndConstant) {
  EXPECT_EQ(IntExpr().eval({}), 0);
  EXPECT_EQ(IntExpr().text(), "0");
  EXPECT_EQ(IntExpr::constant(-7).eval({}), -7);
  EXPECT_EQ(IntExpr::constant(64).text(), "64");
  EXPECT_TRUE(IntExpr::constant(3).symbols().empty());
}

TEST(IntExpr, Arithmetic) {
  EXPECT_EQ(ev("1+2*3"), 7);
  EXPECT_EQ(ev("(1+2)*3"), 9);
  EXPECT_EQ(ev("10-4-3"), 3); // left associative
  EXPECT_EQ(ev("100/10/5"), 2);
  EXPECT_EQ(ev("17 % 5"), 2);
  EXPECT_EQ(ev("-3 + 5"), 2);
  EXPECT_EQ(ev("--3"), 3);
  EXPECT_EQ(ev("2*-3"), -6);
  EXPECT_EQ(ev("  ( 7 )  "), 7);
  EXPECT_EQ(ev("7/2"), 3);
  EXPECT_EQ(ev("-7/2"), -3); // C-style truncation
  EXPECT_EQ(ev("-7%2"), -1);
  EXPECT_EQ(ev("9223372036854775807"), std::numeric_limits<int64_t>::max());
}

TEST(IntExpr, Symbols) {
  EXPECT_EQ(ev("(N+3)/4", {{"N", 67}}), 17);
  EXPECT_EQ(ev("(N+3)/4", {{"N", 64}}), 16);
  EXPECT_EQ(ev("2*N+M", {{"N", 5}, {"M", 1}}), 11);
  EXPECT_EQ(ev("_a1*b_", {{"_a1", 3}, {"b_", 4}}), 12);
  auto syms = IntExpr::parse("min(N, K) + roundup(M, 4) * N").symbols();
  EXPECT_EQ(syms, (std::set<std::string>{"K", "M", "N"}));
  EXPECT_EQ(IntExpr::parse("N + 1").text(), "N + 1");
}

TEST(IntExpr, Functions) {
  EXPECT_EQ(ev("min(N, 256)", {{"N", 67}}), 67);
  EXPECT_EQ(ev("min(N, 256)", {{"N", 1000}}), 256);
  EXPECT_EQ(ev("max(3, 9, 4)"), 9);
  EXPECT_EQ(ev("min(3, 9, -4)"), -4);
  EXPECT_EQ(ev("ceildiv(N, 4)", {{"N", 67}}), 17);
  EXPECT_EQ(ev("ceildiv(N, 4)", {{"N", 64}}), 16);
  EXPECT_EQ(ev("ceildiv(0, 4)"), 0);
  EXPECT_EQ(ev("ceildiv(-7, 2)"), -3); // exact ceiling of -3.5
  EXPECT_EQ(ev("roundup(N, 64)", {{"N", 67}}), 128);
  EXPECT_EQ(ev("roundup(N, 64)", {{"N", 128}}), 128);
  EXPECT_EQ(ev("roundup(1, 1)"), 1);
  EXPECT_EQ(ev("max(min(N, 8), 2) * 2", {{"N", 5}}), 10);
}

TEST(IntExpr, SyntaxErrors) {
  EXPECT_CONTAINS(parseError("N+"), "bad expression 'N+'");
  EXPECT_CONTAINS(parseError("N+"), "at the end");
  EXPECT_CONTAINS(parseError(""), "empty expression");
  EXPECT_CONTAINS(parseError("   "), "empty expression");
  EXPECT_CONTAINS(parseError("(N"), "expected ')'");
  EXPECT_CONTAINS(parseError("N)"), "unexpected ')' at position 2");
  EXPECT_CONTAINS(parseError("2 N"), "unexpected 'N'");
  EXPECT_CONTAINS(parseError("2N"), "after a number");
  EXPECT_CONTAINS(parseError("1.5"), "after a number");
  EXPECT_CONTAINS(parseError("N**2"), "expected a number, a symbol or '('");
  EXPECT_CONTAINS(parseError("+N"), "found '+'");
  EXPECT_CONTAINS(parseError("N$"), "unexpected '$'");
  EXPECT_CONTAINS(parseError("min(N)"), "min takes 2 or more arguments, got 1");
  EXPECT_CONTAINS(parseError("ceildiv(N, 2, 3)"),
                  "ceildiv takes 2 arguments, got 3");
  EXPECT_CONTAINS(parseError("roundup + 1"), "'roundup' is a function");
  EXPECT_CONTAINS(parseError("min(N, )"), "expected a number");
  EXPECT_CONTAINS(parseError("99999999999999999999"), "does not fit in int64");
}

TEST(IntExpr, EvalErrors) {
  EXPECT_CONTAINS(evalError("N+1"), "unbound symbol 'N'");
  EXPECT_CONTAINS(evalError("N+M", {{"N", 1}}), "unbound symbol 'M'");
  EXPECT_CONTAINS(evalError("N/0", {{"N", 1}}), "division by zero");
  EXPECT_CONTAINS(evalError("N%(N-N)", {{"N", 1}}), "division by zero");
  EXPECT_CONTAINS(evalError("ceildiv(4, 0)"), "division by zero");
  EXPECT_CONTAINS(evalError("roundup(4, N-1)", {{"N", 1}}), "division by zero");
  EXPECT_CONTAINS(evalError("9223372036854775807 + 1"), "int64 overflow");
  EXPECT_CONTAINS(evalError("-9223372036854775807 - 2"), "int64 overflow");
  EXPECT_CONTAINS(evalError("N*N*N", {{"N", int64_t{1} << 22}}),
                  "int64 overflow");
  EXPECT_CONTAINS(evalError("-N", {{"N", std::numeric_limits<int64_t>::min()}}),
                  "int64 overflow");
  EXPECT_CONTAINS(
      evalError("N/(0-1)", {{"N", std::numeric_limits<int64_t>::min()}}),
      "int64 overflow");
  EXPECT_CONTAINS(evalError("roundup(9223372036854775807, 2)"),
                  "int64 overflow");
  // The message names the expression.
  EXPECT_CONTAINS(evalError("N/0", {{"N", 1}}), "'N/0'");
}
