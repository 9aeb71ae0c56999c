// The verifier's variable protocol: the names of every SMT variable the
// verifier creates, and the only place that reads meaning back out of a
// name. A variable's name says what it stands for:
//  - an input's bits: the element "x[5]" of tensor x (enumeration), the
//    scalar "N", or the whole tensor as an array "in:x" (symbolic methods);
//  - a choice the model leaves open: an approximation ("approx#...": any
//    value an accuracy allowance permits; a proof through it is unknown,
//    listed in abstractions) or an implementation choice ("nd#...": any
//    value the OpenCL specification permits; a counterexample through it
//    says depends_on_implementation_choice);
//  - the stale contents of memory never written ("stale:..."), symbolic
//    work-item and group ids, coverage witnesses, loop-summary states, and
//    the real-valued twins of the rounding analysis.
// Spec and manifest names are identifiers ([A-Za-z_][A-Za-z0-9_]*), so
// they never collide with a name holding '#', ':', '@' or '.'.
#pragma once

#include "solver/Expr.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ksynth::verify {

// What an open choice is (see the file comment).
enum class Choice { Approx, Nondet };

namespace var {

// "approx#<tag><n>" or "nd#<tag><n>".
std::string choice(Choice c, std::string_view tag, uint64_t n);
// The prefix every name of that choice starts with ("approx#", "nd#").
const char *choicePrefix(Choice c);
bool isChoice(std::string_view name, Choice c);
// Whether a term mentions a variable of that choice.
bool mentionsChoice(const smt::Expr &e, Choice c);

// Inputs.
std::string inputElement(std::string_view tensor, int64_t flat); // "x[5]"
std::string inputArray(std::string_view tensor);                 // "in:x"
// "in:x" -> "x"; nullopt for any other name.
std::optional<std::string> inputArrayTensor(std::string_view name);
// "x[12]" -> "x"; "N" -> "N".
std::string baseName(std::string_view name);

// Memory never written: "stale:<what>".
std::string stale(std::string_view what);
// Symbolic work-item and work-group ids: "gid<tag>.<dim>", "grp<tag>.<dim>".
std::string workItemId(std::string_view tag, unsigned dim);
std::string groupId(std::string_view tag, unsigned dim);
// A coverage witness for output o: "cover#o", or "cover#o#<n>" for helper
// variables of the same query.
std::string coverage(std::string_view output);
std::string coverageAux(std::string_view output, uint64_t n);
// A loop summary's iteration count and state: "fold<n>.k",
// "summary-state#<id>".
std::string loopCount(uint64_t n);
std::string summaryState(uint64_t id);
// The n-th symbolic leaf read of a tensor in the one-work-item method:
// "x[@3]".
std::string symbolicLeaf(std::string_view tensor, uint64_t n);
// The real-valued twin of a float variable in the rounding analysis.
std::string real(std::string_view name);

// What a variable stands for, in the user's language (input and element
// names, never an internal prefix), for unknown reasons and messages:
// "x[5]" and "N" as they are, "x[@3]" "an element of x", "in:x" "x",
// "stale:y[0]" "the contents of y[0] before it is written", choices, ids
// and loop states by what they are.
std::string describe(std::string_view name);
// The same as a value's subject: "input x[5]", "input N", or the stale
// contents as above.
std::string describeValue(std::string_view name);
// Whether the name is (the real twin of) never-written memory.
bool isStale(std::string_view name);

} // namespace var
} // namespace ksynth::verify
