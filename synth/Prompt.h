// What a model-driven agent (AgentGenerator.h) is told and how its reply is
// read (issue 16): the spec rendered as PyTorch-like code (and the original
// model file when the spec was imported), shapes, domain, tolerance, the
// device, the manifest format with an example, the best proven kernel and
// the naive baseline's time, the strategy and the user's hint, and the
// verifier's feedback on the agent's previous candidate (counterexample,
// failed obligation, compile error) or why its previous reply was unusable.
// The reply must hold the kernel in a ```c (or ```opencl) block and its
// manifest in a ```json block.
#pragma once

#include "synth/Generator.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ksynth::synth {

// The spec as PyTorch-like Python: a function of the inputs, one line per
// op (in dependency order), with the shapes, domains and tolerance as
// comments.
std::string renderSpecPytorch(const spec::Spec &s);

struct PromptContext {
  const Problem *problem = nullptr;
  std::string strategy; // "fusion", "vectorisation", ...
  // The naive baseline and the best proven timed candidate (null: none).
  const Outcome *naive = nullptr;
  const Outcome *best = nullptr;
  // An example candidate (the naive baseline's where there is one).
  const Candidate *example = nullptr;
  // This agent's previous turn: the outcome of its candidate, or why its
  // reply was not used (malformed, duplicate, HTTP error).
  const Outcome *previous = nullptr;
  std::string previousError;
  // One line per earlier candidate of this agent ("c004: refuted ...").
  std::vector<std::string> ownHistory;
};

// The fixed system prompt (the role and the reply format).
std::string systemPrompt();
// The user message of one turn.
std::string userPrompt(const PromptContext &c);
// The verifier's feedback on one outcome, as the prompt shows it.
std::string describeOutcome(const Outcome &o);

struct ParsedReply {
  std::string source;
  nlohmann::json manifest; // without "source"
  std::string error;       // non-empty: the reply is unusable (why)
  bool ok() const { return error.empty(); }
};

// The last ```c/```opencl/```cl block (or an untagged block containing
// "__kernel") and the last ```json block of a reply. Never throws.
ParsedReply parseReply(const std::string &text);

} // namespace ksynth::synth
