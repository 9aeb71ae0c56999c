// The LLM agent swarm (AgentGenerator.h): turns, concurrent requests,
// reply parsing, de-duplication, feedback, spend limits, record/replay.
#include "synth/AgentGenerator.h"

#include "spec/Manifest.h"
#include "support/Error.h"
#include "synth/Prompt.h"
#include "verify/CacheKey.h"

#include <filesystem>
#include <fstream>
#include <thread>

namespace ksynth::synth {

namespace fs = std::filesystem;
using nlohmann::json;

const std::vector<std::string> kStrategies = {
    "fusion (fewer launches, no intermediate buffers)",
    "vectorisation (float2/float4 loads and stores with scalar tails, "
    "several elements per work-item)",
    "tiling and local memory (work-group tiles in __local memory, register "
    "blocking)",
    "algebraic rewrite (an equivalent formulation that does less work, "
    "exactly as PyTorch rounds)",
    "reduction strategy (work-group or sub-group tree reductions, one "
    "work-group per row, grid-stride loops)"};

struct AgentGenerator::Agent {
  std::string id; // a1, a2, ...
  ProviderConfig provider;
  std::string strategy;
  bool stopped = false;
  std::string stopReason;
  uint64_t requests = 0, attempts = 0, inputTokens = 0, outputTokens = 0;
  int turn = 0, failedTurns = 0, refutedRepeats = 0;
  int candidates = 0, proved = 0, refuted = 0, unknown = 0, errors = 0;
  int malformed = 0, duplicates = 0, failedRequests = 0;
  int pending = 0; // candidates proposed, outcome not observed yet
  std::optional<Outcome> previous;
  std::string previousError;
  std::vector<std::string> ownHistory;
};

struct AgentGenerator::Turn {
  Agent *agent = nullptr;
  std::string prompt;
  http::Request req;
  bool ok = false, fatal = false, exhausted = false, promptMismatch = false;
  bool requested = false; // a request was made (or replayed)
  ChatReply reply;
  std::string error;
  int attempts = 0;
};

namespace {

std::string normalisedSource(const std::string &src) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < src.size(); ++i) {
    if (src.compare(i, 2, "//") == 0) {
      i = src.find('\n', i);
      if (i == std::string::npos)
        break;
      space = true;
      continue;
    }
    if (src.compare(i, 2, "/*") == 0) {
      size_t e = src.find("*/", i + 2);
      if (e == std::string::npos)
        break;
      i = e + 1;
      space = true;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(src[i]))) {
      space = true;
      continue;
    }
    if (space && !out.empty())
      out += ' ';
    space = false;
    out += src[i];
  }
  return out;
}

std::string signature(const Candidate &c) {
  return c.source + "\n" + c.manifest.dump();
}

} // namespace

AgentGenerator::AgentGenerator(AgentOptions opt) : opt_(std::move(opt)) {
  for (const ProviderConfig &p : opt_.providers)
    secrets_.push_back(p.apiKey);
  opt_.http.secrets = secrets_;
  opt_.http.cancel = opt_.stop;
  int n = std::max<int>(opt_.agents, int(opt_.providers.size()));
  for (int i = 0; i < n && !opt_.providers.empty(); ++i) {
    auto a = std::make_unique<Agent>();
    a->id = "a" + std::to_string(i + 1);
    a->provider = opt_.providers[size_t(i) % opt_.providers.size()];
    a->strategy = kStrategies[size_t(i) % kStrategies.size()];
    agents_.push_back(std::move(a));
  }
  if (!opt_.replayDir.empty())
    replay_ = std::make_unique<Replay>(opt_.replayDir);
  if (!opt_.scratchDir.empty())
    fs::create_directories(opt_.scratchDir);
}

AgentGenerator::~AgentGenerator() = default;

std::string AgentGenerator::dedupKey(const Problem &p, const Candidate &c) {
  json m = c.manifest;
  m.erase("source");
  std::string launch = m.dump();
  if (!opt_.scratchDir.empty()) {
    try {
      fs::path dir = opt_.scratchDir;
      {
        std::ofstream f(dir / "dedup.cl", std::ios::binary);
        f << c.source;
      }
      json mj = m;
      mj["source"] = "dedup.cl";
      spec::Manifest man =
          spec::parseManifest(mj, (dir / "dedup.json").string(), *p.spec);
      return "ir:" + fnv1aHex(verify::kernelIrForCache(man) + "\n" + launch);
    } catch (const std::exception &) {
      // Does not compile or the manifest does not validate: the verifier
      // will say why; de-duplicate by the normalised source.
    }
  }
  return "src:" + fnv1aHex(normalisedSource(c.source) + "\n" + launch);
}

std::string AgentGenerator::spendStop() const {
  if (opt_.maxRequests && requests_ >= opt_.maxRequests)
    return "--max-requests " + std::to_string(opt_.maxRequests) +
           " reached: no more requests";
  if (opt_.maxTokens && tokens_ >= opt_.maxTokens)
    return "--max-tokens " + std::to_string(opt_.maxTokens) + " reached (" +
           std::to_string(tokens_) + " used): no more requests";
  return "";
}

void AgentGenerator::exchange(Agent &a, Turn &t) {
  const ProviderConfig &p = a.provider;
  Exchange ex;
  ex.agent = a.id;
  ex.turn = a.turn;
  ex.provider = p.kind;
  ex.model = p.model;
  ex.url = t.req.url;
  ex.headers = t.req.headers;
  ex.requestBody = t.req.body;
  ex.prompt = t.prompt;
  try {
    if (replay_) {
      std::optional<Exchange> rec = replay_->next(a.id);
      if (!rec) {
        t.exhausted = true;
        t.error = "the recording has no more exchanges for agent " + a.id;
        return;
      }
      t.requested = true;
      t.attempts = rec->attempts;
      t.promptMismatch = rec->prompt != http::redact(t.prompt, secrets_);
      if (!rec->status)
        throw http::Error(rec->transportError, false, false);
      t.reply = parseChatResponse(p, rec->status, rec->responseBody);
      t.ok = true;
      return;
    }
    t.requested = true;
    http::Response r;
    try {
      r = http::post(t.req, opt_.http);
    } catch (const http::Error &e) {
      ex.transportError = e.what();
      if (!opt_.recordDir.empty())
        recordExchange(opt_.recordDir, ex, secrets_);
      throw;
    }
    t.attempts = r.attempts;
    ex.status = r.status;
    ex.responseBody = r.body;
    ex.attempts = r.attempts;
    if (!opt_.recordDir.empty())
      recordExchange(opt_.recordDir, ex, secrets_);
    t.reply = parseChatResponse(p, r.status, r.body);
    t.ok = true;
  } catch (const ProviderError &e) {
    t.error = http::redact(e.what(), secrets_);
    t.fatal = e.fatal();
  } catch (const std::exception &e) {
    t.error = http::redact(e.what(), secrets_);
  }
}

void AgentGenerator::finish(Agent &a, Turn &t, const Problem &p,
                            std::vector<Candidate> &out) {
  auto log = [&](const std::string &what) {
    if (opt_.log)
      opt_.log(http::redact("agent " + a.id + " (" + a.provider.kind + " " +
                                a.provider.model + ") turn " +
                                std::to_string(a.turn) + ": " + what,
                            secrets_));
  };
  if (t.exhausted) {
    a.stopped = true;
    a.stopReason = t.error;
    log("stopped: " + t.error);
    return;
  }
  if (t.requested) {
    ++a.requests;
    ++requests_;
    a.attempts += uint64_t(std::max(1, t.attempts));
  }
  if (t.promptMismatch)
    ++replayPromptMismatches_;
  a.inputTokens += t.reply.inputTokens;
  a.outputTokens += t.reply.outputTokens;
  tokens_ += t.reply.inputTokens + t.reply.outputTokens;
  if (!t.ok) {
    ++a.failedRequests;
    if (t.fatal) {
      if (fatal_.empty())
        fatal_ = t.error;
      for (auto &b : agents_) {
        b->stopped = true;
        b->stopReason = t.error;
      }
      log("fatal: " + t.error);
      return;
    }
    a.previousError = "the request failed: " + t.error;
    ++a.failedTurns;
    log("request failed: " + t.error);
  } else {
    ParsedReply r = parseReply(t.reply.text);
    if (!r.ok()) {
      ++a.malformed;
      ++a.failedTurns;
      a.previousError = r.error;
      log("unusable reply: " + r.error);
    } else {
      Candidate c;
      c.generator = name();
      c.kind = "llm";
      c.source = r.source;
      c.manifest = r.manifest;
      c.params = {{"agent", a.id},
                  {"provider", a.provider.kind},
                  {"model", a.provider.model},
                  {"strategy", a.strategy.substr(0, a.strategy.find(" ("))},
                  {"turn", a.turn}};
      std::string key = dedupKey(p, c);
      auto it = keys_.find(key);
      if (it != keys_.end()) {
        ++a.duplicates;
        ++a.failedTurns;
        const auto &[id, verdict] = it->second;
        std::string which = id.empty() ? "a candidate of this round" : id;
        if (verdict == "refuted") {
          ++a.refutedRepeats;
          a.previousError = "your kernel is the same (same compiled IR and "
                            "launches) as the refuted candidate " +
                            which + ": propose a different kernel";
        } else {
          a.previousError = "your kernel is the same (same compiled IR and "
                            "launches) as " +
                            which +
                            (verdict.empty() ? "" : " (" + verdict + ")") +
                            ": propose a different kernel";
        }
        log("duplicate of " + which +
            (verdict.empty() ? "" : " (" + verdict + ")"));
        if (a.refutedRepeats >= opt_.maxRefutedRepeats) {
          a.stopped = true;
          a.stopReason = "repeated refuted candidates " +
                         std::to_string(a.refutedRepeats) + " times";
          log("stopped: " + a.stopReason);
        }
      } else {
        keys_[key] = {"", ""};
        pendingKey_[signature(c)] = key;
        a.failedTurns = 0;
        a.previousError.clear();
        ++a.candidates;
        ++a.pending;
        log("candidate (" + std::to_string(t.reply.inputTokens) + "+" +
            std::to_string(t.reply.outputTokens) + " tokens)");
        out.push_back(std::move(c));
      }
    }
  }
  if (!a.stopped && a.failedTurns >= opt_.maxFailedTurns) {
    a.stopped = true;
    a.stopReason = std::to_string(a.failedTurns) +
                   " turns in a row without a usable candidate";
    log("stopped: " + a.stopReason);
  }
}

std::vector<Candidate>
AgentGenerator::propose(const Problem &p, const std::vector<Outcome> &history,
                        size_t max) {
  std::vector<Candidate> out;
  if (!fatal_.empty() || max == 0)
    return out;
  // Other generators' candidates take part in the de-duplication.
  const Outcome *naive = nullptr, *best = nullptr;
  const Candidate *example = nullptr;
  for (const Outcome &o : history) {
    if (o.cand.generator != name() && !historyKey_.count(o.hash)) {
      std::string k = dedupKey(p, o.cand);
      historyKey_[o.hash] = k;
      keys_.emplace(k, std::make_pair(o.cand.id, o.verdict));
    }
    if (o.cand.baseline && o.proved()) {
      if (!naive)
        naive = &o;
      if (!example)
        example = &o.cand;
    }
    if (o.proved() && o.timed() && !o.unverified &&
        (!best || o.medianUs < best->medianUs))
      best = &o;
  }
  if (!example)
    for (const Outcome &o : history)
      if (o.proved()) {
        example = &o.cand;
        break;
      }
  for (int wave = 0; wave < 3 && out.empty() && fatal_.empty(); ++wave) {
    if (opt_.stop && opt_.stop->load())
      break;
    std::string spend = spendStop();
    if (!spend.empty()) {
      if (budgetNote_.empty()) {
        budgetNote_ = spend;
        if (opt_.log)
          opt_.log("agents: " + spend);
      }
      for (auto &a : agents_)
        if (!a->stopped) {
          a->stopped = true;
          a->stopReason = spend;
        }
      break;
    }
    std::vector<Agent *> chosen;
    size_t n = agents_.size();
    size_t room = max;
    if (opt_.maxRequests)
      room = std::min<size_t>(room, opt_.maxRequests - requests_);
    for (size_t k = 0; k < n && chosen.size() < room; ++k) {
      Agent *a = agents_[(next_ + k) % n].get();
      // One candidate in flight per agent: its next turn sees the verdict.
      if (!a->stopped && a->pending == 0)
        chosen.push_back(a);
    }
    if (chosen.empty())
      break;
    next_ = (next_ + chosen.size()) % n;
    std::vector<Turn> turns(chosen.size());
    for (size_t i = 0; i < chosen.size(); ++i) {
      Agent &a = *chosen[i];
      ++a.turn;
      PromptContext ctx;
      ctx.problem = &p;
      ctx.strategy = a.strategy;
      ctx.naive = naive;
      ctx.best = best;
      ctx.example = example;
      ctx.previous = a.previous ? &*a.previous : nullptr;
      ctx.previousError = a.previousError;
      ctx.ownHistory = a.ownHistory;
      turns[i].agent = &a;
      turns[i].prompt = userPrompt(ctx);
      turns[i].req =
          chatRequest(a.provider, systemPrompt(), {{"user", turns[i].prompt}});
    }
    std::vector<std::thread> pool;
    for (Turn &t : turns)
      pool.emplace_back([this, &t] { exchange(*t.agent, t); });
    for (auto &th : pool)
      th.join();
    for (Turn &t : turns)
      finish(*t.agent, t, p, out);
  }
  return out;
}

void AgentGenerator::observe(const Outcome &o) {
  auto pk = pendingKey_.find(signature(o.cand));
  if (pk != pendingKey_.end()) {
    keys_[pk->second] = {o.cand.id, o.verdict};
    pendingKey_.erase(pk);
  }
  std::string id = o.cand.params.value("agent", "");
  for (auto &a : agents_) {
    if (a->id != id)
      continue;
    a->pending = std::max(0, a->pending - 1);
    a->previous = o;
    a->proved += o.verdict == "proved";
    a->refuted += o.verdict == "refuted";
    a->unknown += o.verdict == "unknown";
    a->errors += o.verdict == "error";
    std::string line = o.cand.id + ": " + o.verdict;
    if (o.verdict == "refuted")
      line += " (" + o.reason.substr(0, 120) + ")";
    else if (o.verdict != "proved" && !o.reason.empty())
      line += " (" + o.reason.substr(0, 120) + ")";
    if (o.timed()) {
      char b[48];
      std::snprintf(b, sizeof b, ", %.2f us", o.medianUs);
      line += b;
    }
    a->ownHistory.push_back(line);
  }
}

json AgentGenerator::report() const {
  json agents = json::array();
  uint64_t in = 0, outTok = 0;
  for (const auto &a : agents_) {
    in += a->inputTokens;
    outTok += a->outputTokens;
    agents.push_back(
        {{"id", a->id},
         {"provider", a->provider.kind},
         {"model", http::redact(a->provider.model, secrets_)},
         {"base_url", http::redact(a->provider.baseUrl, secrets_)},
         {"strategy", a->strategy.substr(0, a->strategy.find(" ("))},
         {"requests", a->requests},
         {"http_attempts", a->attempts},
         {"input_tokens", a->inputTokens},
         {"output_tokens", a->outputTokens},
         {"candidates", a->candidates},
         {"proved", a->proved},
         {"refuted", a->refuted},
         {"unknown", a->unknown},
         {"errors", a->errors},
         {"unusable_replies", a->malformed},
         {"duplicates", a->duplicates},
         {"failed_requests", a->failedRequests},
         {"stopped", a->stopped},
         {"stop_reason", http::redact(a->stopReason, secrets_)}});
  }
  json j = {{"agents", agents},
            {"requests", requests_},
            {"input_tokens", in},
            {"output_tokens", outTok},
            {"max_requests", opt_.maxRequests},
            {"max_tokens", opt_.maxTokens},
            {"spend_stop", budgetNote_},
            {"dedup", "compiled IR and launches (verify/CacheKey.h); "
                      "normalised source where the kernel does not compile"}};
  if (!fatal_.empty())
    j["fatal"] = fatal_;
  if (!opt_.recordDir.empty())
    j["record"] = opt_.recordDir;
  if (!opt_.replayDir.empty()) {
    j["replay"] = opt_.replayDir;
    j["replay_prompt_mismatches"] = replayPromptMismatches_;
  }
  return j;
}

} // namespace ksynth::synth
