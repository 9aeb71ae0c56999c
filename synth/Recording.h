// Recording and replaying the agents' exchanges with their models (issue
// 16, --record DIR / --replay DIR): one JSON file per exchange,
// DIR/<agent>/<turn>.json, holding the request (URL, headers with secret
// values redacted, body) and the response (status, body, attempts) or the
// transport error, every API key's value redacted everywhere. A replay
// takes each agent's responses in order without any network.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ksynth::synth {

struct Exchange {
  std::string agent; // "a1"
  int turn = 0;      // 1, 2, ... per agent
  std::string provider, model, url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string requestBody;
  std::string prompt; // the user message (for comparing on replay)
  long status = 0;    // 0: no response (transportError)
  std::string responseBody;
  std::string transportError;
  int attempts = 1;
};

// Writes one exchange to DIR/<agent>/<turn, 4 digits>.json with the
// secrets' values and the values of secret headers redacted.
void recordExchange(const std::string &dir, const Exchange &e,
                    const std::vector<std::string> &secrets);

// A recording read back: each agent's exchanges in turn order.
class Replay {
public:
  // Throws UserError (InputError) when DIR has no recording or a file does
  // not parse.
  explicit Replay(const std::string &dir);
  // The agent's next exchange, or nullopt when its recording is exhausted.
  std::optional<Exchange> next(const std::string &agent);
  size_t agents() const { return byAgent_.size(); }

private:
  std::mutex mu_;
  std::map<std::string, std::vector<Exchange>> byAgent_;
  std::map<std::string, size_t> pos_;
};

} // namespace ksynth::synth
