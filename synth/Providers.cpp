// OpenAI Chat Completions and Anthropic Messages (Providers.h).
#include "synth/Providers.h"

#include "support/Error.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

namespace ksynth::synth {

namespace {

using nlohmann::json;

std::string env(const char *name) {
  const char *v = std::getenv(name);
  return v ? v : "";
}

std::string lower(std::string s) {
  for (char &c : s)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string oneLine(std::string s, size_t max = 300) {
  for (char &c : s)
    if (c == '\n' || c == '\r' || c == '\t')
      c = ' ';
  if (s.size() > max)
    s = s.substr(0, max) + "...";
  return s;
}

// The provider's error message in a JSON error body, or "".
std::string errorMessage(const std::string &body) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("error"))
    return "";
  const json &e = j.at("error");
  if (e.is_string())
    return e.get<std::string>();
  if (e.is_object()) {
    std::string m = e.value("message", "");
    std::string code = e.contains("code") && e.at("code").is_string()
                           ? e.at("code").get<std::string>()
                           : e.value("type", "");
    return code.empty() ? m : code + ": " + m;
  }
  return "";
}

} // namespace

ProviderConfig providerConfig(const std::string &kind, const std::string &model,
                              const std::string &baseUrl, bool requireKey) {
  ProviderConfig p;
  p.kind = kind;
  p.model = model;
  if (kind == "openai") {
    p.baseUrl = "https://api.openai.com";
    p.keyEnv = "OPENAI_API_KEY";
  } else if (kind == "anthropic") {
    p.baseUrl = "https://api.anthropic.com";
    p.keyEnv = "ANTHROPIC_API_KEY";
  } else if (kind == "local") {
    p.baseUrl = "http://127.0.0.1:8080"; // llama.cpp's server
    p.keyEnv = "OPENAI_API_KEY";
    if (p.model.empty())
      p.model = "local";
  } else {
    throw UserError(ExitCode::Usage,
                    "--agent: unknown agent '" + kind +
                        "' (builtin, openai, anthropic or local)");
  }
  if (!baseUrl.empty())
    p.baseUrl = baseUrl;
  while (!p.baseUrl.empty() && p.baseUrl.back() == '/')
    p.baseUrl.pop_back();
  if (p.baseUrl.size() >= 3 && p.baseUrl.substr(p.baseUrl.size() - 3) == "/v1")
    p.baseUrl.resize(p.baseUrl.size() - 3);
  if (p.baseUrl.rfind("http://", 0) != 0 && p.baseUrl.rfind("https://", 0) != 0)
    throw UserError(ExitCode::Usage, "--base-url must start with http:// or "
                                     "https://, got '" +
                                         p.baseUrl + "'");
  if (p.model.empty())
    throw UserError(ExitCode::Usage, "--agent " + kind + " needs --model NAME");
  p.apiKey = env(p.keyEnv.c_str());
  if (p.apiKey.empty() && kind != "local" && requireKey)
    throw UserError(ExitCode::Usage, "--agent " + kind +
                                         " needs the API key in the "
                                         "environment variable " +
                                         p.keyEnv +
                                         " (never on the command line)");
  return p;
}

http::Request chatRequest(const ProviderConfig &p, const std::string &system,
                          const std::vector<ChatMessage> &messages) {
  http::Request r;
  r.headers.push_back({"Content-Type", "application/json"});
  json msgs = json::array();
  if (p.kind == "anthropic") {
    r.url = p.baseUrl + "/v1/messages";
    r.headers.push_back({"x-api-key", p.apiKey});
    r.headers.push_back({"anthropic-version", "2023-06-01"});
    for (const ChatMessage &m : messages)
      msgs.push_back({{"role", m.role}, {"content", m.content}});
    json body = {{"model", p.model},
                 {"max_tokens", p.maxReplyTokens},
                 {"system", system},
                 {"messages", msgs}};
    // Invalid UTF-8 (from a compiler message) is replaced, never thrown.
    r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
  }
  r.url = p.baseUrl + "/v1/chat/completions";
  if (!p.apiKey.empty())
    r.headers.push_back({"Authorization", "Bearer " + p.apiKey});
  msgs.push_back({{"role", "system"}, {"content", system}});
  for (const ChatMessage &m : messages)
    msgs.push_back({{"role", m.role}, {"content", m.content}});
  json body = {{"model", p.model}, {"messages", msgs}};
  // max_completion_tokens is what current OpenAI models take; local
  // servers read max_tokens.
  body[p.kind == "openai" ? "max_completion_tokens" : "max_tokens"] =
      p.maxReplyTokens;
  // Invalid UTF-8 (from a compiler message) is replaced, never thrown.
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

ChatReply parseChatResponse(const ProviderConfig &p, long status,
                            const std::string &body) {
  std::vector<std::string> secrets = {p.apiKey};
  std::string msg = http::redact(oneLine(errorMessage(body)), secrets);
  if (status == 401 || status == 403)
    throw ProviderError(ProviderError::Kind::Auth,
                        "authentication failed for " + p.kind + " (check " +
                            p.keyEnv + "; HTTP " + std::to_string(status) +
                            ")");
  std::string lm = lower(msg);
  bool namesModel = lm.find("model") != std::string::npos &&
                    (lm.find("not found") != std::string::npos ||
                     lm.find("not_found") != std::string::npos ||
                     lm.find("does not exist") != std::string::npos ||
                     lm.find("unknown") != std::string::npos ||
                     lm.find("invalid model") != std::string::npos);
  if (status == 404 || (status >= 400 && namesModel))
    throw ProviderError(ProviderError::Kind::UnknownModel,
                        "unknown model " + p.model + " at " +
                            http::redact(p.baseUrl, secrets) + " (HTTP " +
                            std::to_string(status) +
                            (msg.empty() ? "" : ": " + msg) + ")");
  if (status < 200 || status >= 300)
    throw ProviderError(ProviderError::Kind::Http,
                        p.kind + ": HTTP " + std::to_string(status) +
                            (msg.empty() ? "" : ": " + msg));
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw ProviderError(
        ProviderError::Kind::Malformed,
        p.kind + ": the response is not JSON (" + std::to_string(body.size()) +
            " bytes: " + http::redact(oneLine(body, 80), secrets) + ")");
  ChatReply r;
  try {
    if (p.kind == "anthropic") {
      for (const json &c : j.at("content"))
        if (c.value("type", "") == "text")
          r.text += c.at("text").get<std::string>();
      if (j.contains("usage")) {
        r.inputTokens = j["usage"].value("input_tokens", uint64_t(0));
        r.outputTokens = j["usage"].value("output_tokens", uint64_t(0));
      }
    } else {
      const json &m = j.at("choices").at(0).at("message");
      if (m.contains("content") && m.at("content").is_string())
        r.text = m.at("content").get<std::string>();
      if (j.contains("usage") && j.at("usage").is_object()) {
        r.inputTokens = j["usage"].value("prompt_tokens", uint64_t(0));
        r.outputTokens = j["usage"].value("completion_tokens", uint64_t(0));
      }
    }
  } catch (const std::exception &e) {
    throw ProviderError(ProviderError::Kind::Malformed,
                        p.kind + ": unexpected response JSON (" +
                            oneLine(e.what(), 120) + ")");
  }
  return r;
}

} // namespace ksynth::synth
