// One substitution applied to many terms in one pass
// (verify/exec/SubstituteAll.h).
#include "verify/exec/SubstituteAll.h"

namespace ksynth::verify {

using smt::Expr;

void substituteAll(const std::vector<Expr *> &terms,
                   const std::vector<std::pair<Expr, Expr>> &map) {
  if (map.empty() || terms.empty())
    return;
  // Chunks keep each application's arity moderate.
  constexpr size_t kChunk = 4096;
  for (size_t b = 0; b < terms.size(); b += kChunk) {
    size_t e = std::min(terms.size(), b + kChunk);
    std::vector<Expr> args{Expr::boolVal(true)};
    for (size_t i = b; i < e; ++i)
      args.push_back(*terms[i]);
    Expr app = Expr::uf("ksynth#substitute-all", args);
    std::vector<Expr> out = app.substitute(map).args();
    if (out.size() != args.size()) { // not an application any more: one by one
      for (size_t i = b; i < e; ++i)
        *terms[i] = terms[i]->substitute(map);
      continue;
    }
    for (size_t i = b; i < e; ++i)
      *terms[i] = out[i - b + 1];
  }
}

} // namespace ksynth::verify
