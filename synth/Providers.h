// LLM providers for the synthesizer's agents (issue 16): OpenAI Chat
// Completions (also local OpenAI-compatible servers: llama.cpp's server,
// vLLM, Ollama, through a base URL) and Anthropic Messages. Builds the
// request, classifies the answer (authentication failure, unknown model,
// HTTP error, malformed JSON) and reads the reply text and token usage.
// Keys come from the environment only and are redacted from every message.
#pragma once

#include "synth/Http.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ksynth::synth {

struct ProviderConfig {
  std::string kind;    // openai | anthropic | local
  std::string baseUrl; // without a trailing "/" or "/v1"
  std::string model;
  std::string apiKey; // from the environment; "" for a local server
  std::string keyEnv; // OPENAI_API_KEY, ANTHROPIC_API_KEY
  int maxReplyTokens = 4096;
};

// The configuration of provider `kind` from the environment and the flags
// (--model, --base-url). Throws UserError (Usage) for an unknown kind, a
// missing --model (openai, anthropic) or a missing key (openai, anthropic;
// the key is optional for local, where OPENAI_API_KEY is sent if set;
// `requireKey` false for a replay, which sends nothing).
ProviderConfig providerConfig(const std::string &kind, const std::string &model,
                              const std::string &baseUrl,
                              bool requireKey = true);

struct ChatMessage {
  std::string role; // user | assistant
  std::string content;
};

// The request for a conversation with a system prompt.
http::Request chatRequest(const ProviderConfig &p, const std::string &system,
                          const std::vector<ChatMessage> &messages);

struct ChatReply {
  std::string text;
  uint64_t inputTokens = 0, outputTokens = 0;
};

// Why a reply could not be used. Fatal kinds (authentication failed,
// unknown model) stop every agent of the provider; the others are a failed
// turn fed back to the agent.
class ProviderError : public std::runtime_error {
public:
  enum class Kind { Auth, UnknownModel, Http, Transport, Malformed };
  ProviderError(Kind k, const std::string &msg)
      : std::runtime_error(msg), kind(k) {}
  bool fatal() const {
    return kind == Kind::Auth || kind == Kind::UnknownModel;
  }
  Kind kind;
};

// Reads a response: 401/403 -> Auth ("authentication failed for openai
// (check OPENAI_API_KEY)"), 404 or an error naming the model ->
// UnknownModel ("unknown model NAME"), other non-2xx -> Http, a body that
// is not the provider's JSON -> Malformed. Messages are one line, redacted.
ChatReply parseChatResponse(const ProviderConfig &p, long status,
                            const std::string &body);

} // namespace ksynth::synth
