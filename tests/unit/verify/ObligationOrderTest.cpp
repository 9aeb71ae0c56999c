// The discharge order is written once (verify/core/Obligation.h) and documented
// once (docs/verdict-format.md, "Order:"): the two must agree.
#include "verify/core/Obligation.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

using namespace ksynth::verify;

TEST(ObligationOrder, MatchesTheDocumentedOrder) {
  std::ifstream f(std::string(KSYNTH_SOURCE_DIR) + "/docs/verdict-format.md");
  ASSERT_TRUE(f) << "docs/verdict-format.md";
  std::stringstream ss;
  ss << f.rdbuf();
  std::string doc = ss.str();
  size_t at = doc.find("Order: ");
  ASSERT_NE(at, std::string::npos);
  std::string order = doc.substr(at, doc.find("; the first", at) - at);
  std::vector<std::string> names;
  std::regex name("`([a-z-]+)`");
  for (auto it = std::sregex_iterator(order.begin(), order.end(), name);
       it != std::sregex_iterator(); ++it)
    names.push_back((*it)[1]);
  std::vector<ObligationKind> all = obligationsFrom(
      ObligationKind::ProgramScopeState, ObligationKind::Equivalence);
  ASSERT_EQ(names.size(), all.size()) << order;
  for (size_t i = 0; i < all.size(); ++i)
    EXPECT_EQ(names[i], toString(all[i])) << i;
}

TEST(ObligationOrder, OnePathSettlesMemorySafetyUndefinedBehaviourInputs) {
  std::vector<ObligationKind> one;
  for (ObligationKind k : obligationsFrom(ObligationKind::ProgramScopeState,
                                          ObligationKind::Equivalence))
    if (settledByOnePath(k))
      one.push_back(k);
  EXPECT_EQ(one,
            (std::vector<ObligationKind>{ObligationKind::MemorySafety,
                                         ObligationKind::UndefinedBehaviour,
                                         ObligationKind::InputModified}));
}
