// Model-driven generators for `ksynth synth` (issue 16): a swarm of LLM
// agents behind one Generator. Each agent talks to one provider
// (Providers.h) with a strategy hint of its own (fusion, vectorisation,
// tiling and local memory, algebraic rewrite, reduction strategy) plus the
// user's --hint; the agents of a round ask their models concurrently (one
// thread per request). Their candidates go through the supervisor's
// verify-before-time pipeline like any other; every agent sees the best
// proven kernel so far (shared between rounds) and the verifier's feedback
// on its own previous candidate (Prompt.h). Candidates are de-duplicated
// by compiled IR (verify/CacheKey.h; by normalised source where the kernel
// does not compile); an agent that proposes duplicates of refuted
// candidates twice, or fails three turns in a row, is stopped. Token usage
// and requests per agent are reported; --max-tokens / --max-requests bound
// the total spend. --record / --replay (Recording.h).
#pragma once

#include "synth/Generator.h"
#include "synth/Providers.h"
#include "synth/Recording.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ksynth::synth {

struct AgentOptions {
  // One entry per agent kind of --agent (openai, anthropic, local); agent i
  // talks to providers[i % size].
  std::vector<ProviderConfig> providers;
  int agents = 1;            // how many agents (-j, at least providers.size())
  uint64_t maxTokens = 0;    // prompt + reply tokens of all agents; 0: none
  uint64_t maxRequests = 40; // exchanges of all agents; 0: none
  int maxRefutedRepeats = 2; // duplicates of refuted candidates, then stop
  int maxFailedTurns = 3;    // turns in a row without a usable candidate
  http::Options http;
  std::string recordDir, replayDir;
  std::string scratchDir; // for compiling candidates (de-duplication)
  const std::atomic<bool> *stop = nullptr; // SIGINT: no more requests
  std::function<void(const std::string &)> log;
};

// The fixed list of strategy hints, agent i gets kStrategies[i % 5].
extern const std::vector<std::string> kStrategies;

class AgentGenerator : public Generator {
public:
  // Throws UserError (InputError) when --replay DIR cannot be read.
  explicit AgentGenerator(AgentOptions opt);
  ~AgentGenerator() override;
  std::string name() const override { return "agents"; }
  std::vector<Candidate> propose(const Problem &p,
                                 const std::vector<Outcome> &history,
                                 size_t max) override;
  void observe(const Outcome &o) override;
  std::string fatal() const override { return fatal_; }
  nlohmann::json report() const override;

  struct Agent;

private:
  struct Turn;
  void exchange(Agent &a, Turn &t);
  void finish(Agent &a, Turn &t, const Problem &p, std::vector<Candidate> &out);
  std::string dedupKey(const Problem &p, const Candidate &c);
  std::string spendStop() const;

  AgentOptions opt_;
  std::vector<std::unique_ptr<Agent>> agents_;
  std::unique_ptr<Replay> replay_;
  std::vector<std::string> secrets_;
  std::string fatal_;
  std::string budgetNote_; // why the spend limit stopped the agents
  size_t next_ = 0;        // round-robin start
  uint64_t requests_ = 0, tokens_ = 0;
  int replayPromptMismatches_ = 0;
  // De-duplication: key -> the first candidate's id (or "" while pending)
  // and its verdict once observed.
  std::map<std::string, std::pair<std::string, std::string>> keys_;
  std::map<std::string, std::string> pendingKey_; // source+manifest -> key
  std::map<std::string, std::string> historyKey_; // outcome hash -> key
};

} // namespace ksynth::synth
