// Integer expressions over shape symbols: "N", "(N+3)/4", "2*N+1", 64,
// "min(N, 256)", "ceildiv(N, 4)", "roundup(N, 64)". Used for shapes in specs
// and for sizes and scalar arguments in launch manifests.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace ksynth::spec {

class IntExpr {
public:
  IntExpr(); // the constant 0
  static IntExpr constant(int64_t v);
  // Throws UserError (InputError) on a syntax error: "bad expression 'N+':
  // ...".
  static IntExpr parse(const std::string &text);
  // Throws UserError if a symbol is unbound, on division by zero or on
  // overflow of int64.
  int64_t eval(const std::map<std::string, int64_t> &env) const;
  std::set<std::string> symbols() const;
  const std::string &text() const { return text_; }

  struct Node;

private:
  std::shared_ptr<const Node> root_;
  std::string text_;
};

} // namespace ksynth::spec
