// The research side of the gate (issue 15 items 6 and 7): the queries a
// verification dumped (`ksynth verify --dump-smt DIR`: one SMT-LIB2 file
// per query with its label, solver config and answer), read back as
// per-query statistics (--stats), and re-solved by a second solver
// (--crosscheck: Debian's cvc5, or any SMT-LIB2 solver binary that takes a
// file argument and prints sat / unsat / unknown).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ksynth::gate {

struct QueryRecord {
  std::string file;       // the dumped query
  std::string label;      // what it serves: "equivalence y[3] N=67", ...
  std::string obligation; // the obligation it serves (or "other"), by label
  // The encoding level: structural (bit-vectors and Booleans only),
  // rounding (real arithmetic), bit-exact (IEEE floating point); a level
  // the label names wins.
  std::string level;
  std::string result; // sat | unsat | unknown | none (no answer logged)
  std::string solver; // z3 | cache (answered from the query cache)
  double seconds = 0;
  size_t terms = 0;     // sub-terms of the assertions (let-bound ones once)
  size_t variables = 0; // declared constants and functions
  std::string text;     // the query without the Z3-only set-option
};

// The queries of a dump directory, in the order they were asked.
std::vector<QueryRecord> readQueryDump(const std::string &dir);

// Per-query statistics line (one JSON object per query).
nlohmann::json statsLine(const QueryRecord &q, const std::string &pairId);

struct CrossCheck {
  std::string solver;         // the second solver's command
  unsigned timeoutMs = 10000; // per query
};

// Re-solves every query Z3 answered sat or unsat (each distinct query
// once; answers from the query cache are the same query again) with the
// second solver. Returns {"solver", "queries", "agreed", "undecided",
// "disagreements": [{"query", "label", "z3", "second"}]}; each record's
// `crosscheck` answer is also returned through RECORDS.
nlohmann::json crossCheck(std::vector<QueryRecord> &records,
                          const CrossCheck &cc, const std::string &workDir,
                          std::vector<std::string> *secondAnswers);

} // namespace ksynth::gate
