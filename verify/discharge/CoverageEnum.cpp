// firstUnwritten (CoverageEnum.h): coverage by running the store terms
// over every id.
#include "verify/discharge/CoverageEnum.h"

#include "solver/ConcreteProgram.h"

namespace ksynth::verify {

using smt::ConcreteProgram;
using smt::Expr;

std::optional<int64_t>
firstUnwritten(const std::vector<StoreTerms> &stores,
               const std::vector<Expr> &ids, const std::vector<uint64_t> &range,
               int64_t n, uint64_t maxWork,
               std::chrono::steady_clock::time_point deadline) {
  if (n <= 0 || ids.size() != range.size())
    return std::nullopt;
  uint64_t points = 1;
  for (uint64_t r : range) {
    if (r == 0 || points > maxWork / r)
      return std::nullopt;
    points *= r;
  }
  if (stores.empty() || points > maxWork / stores.size())
    return std::nullopt;
  struct Compiled {
    ConcreteProgram pc, index;
  };
  std::vector<Compiled> progs;
  for (const StoreTerms &s : stores) {
    if (!s.pc.selects().empty() || !s.index.selects().empty())
      return std::nullopt; // depends on data
    std::optional<ConcreteProgram> pc = ConcreteProgram::compile(s.pc, ids),
                                   ix = ConcreteProgram::compile(s.index, ids);
    if (!pc || !ix)
      return std::nullopt;
    progs.push_back({std::move(*pc), std::move(*ix)});
  }
  auto noReads = [](const std::string &, uint64_t) -> uint64_t { return 0; };
  std::vector<bool> written(static_cast<size_t>(n), false);
  std::vector<uint64_t> g(ids.size(), 0);
  for (uint64_t step = 0; step < points; ++step) {
    if ((step & 0xffff) == 0 && std::chrono::steady_clock::now() > deadline)
      return std::nullopt;
    for (const Compiled &c : progs)
      if (c.pc.run(g, noReads)) {
        uint64_t e = c.index.run(g, noReads);
        if (e < static_cast<uint64_t>(n))
          written[static_cast<size_t>(e)] = true;
      }
    for (size_t d = 0; d < g.size(); ++d) { // next ids (odometer)
      if (++g[d] < range[d])
        break;
      g[d] = 0;
    }
  }
  for (int64_t e = 0; e < n; ++e)
    if (!written[static_cast<size_t>(e)])
      return e;
  return -1;
}

} // namespace ksynth::verify
