// The verifier's variable protocol (VarNames.h): building names and reading
// their meaning back.
#include "verify/core/VarNames.h"

namespace ksynth::verify::var {

namespace {
constexpr std::string_view kInputArray = "in:";

bool startsWith(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
} // namespace

const char *choicePrefix(Choice c) {
  return c == Choice::Approx ? "approx#" : "nd#";
}

std::string choice(Choice c, std::string_view tag, uint64_t n) {
  return std::string(choicePrefix(c)) + std::string(tag) + std::to_string(n);
}

bool isChoice(std::string_view name, Choice c) {
  return startsWith(name, choicePrefix(c));
}

bool mentionsChoice(const smt::Expr &e, Choice c) {
  for (const smt::Expr &v : e.vars())
    if (isChoice(v.varName(), c))
      return true;
  return false;
}

std::string inputElement(std::string_view tensor, int64_t flat) {
  return std::string(tensor) + "[" + std::to_string(flat) + "]";
}

std::string inputArray(std::string_view tensor) {
  return std::string(kInputArray) + std::string(tensor);
}

std::optional<std::string> inputArrayTensor(std::string_view name) {
  if (!startsWith(name, kInputArray))
    return std::nullopt;
  return std::string(name.substr(kInputArray.size()));
}

std::string baseName(std::string_view name) {
  size_t b = name.find('[');
  return std::string(b == std::string_view::npos ? name : name.substr(0, b));
}

std::string stale(std::string_view what) {
  return "stale:" + std::string(what);
}

std::string workItemId(std::string_view tag, unsigned dim) {
  return "gid" + std::string(tag) + "." + std::to_string(dim);
}

std::string groupId(std::string_view tag, unsigned dim) {
  return "grp" + std::string(tag) + "." + std::to_string(dim);
}

std::string coverage(std::string_view output) {
  return "cover#" + std::string(output);
}

std::string coverageAux(std::string_view output, uint64_t n) {
  return coverage(output) + "#" + std::to_string(n);
}

std::string loopCount(uint64_t n) { return "fold" + std::to_string(n) + ".k"; }

std::string summaryState(uint64_t id) {
  return "summary-state#" + std::to_string(id);
}

std::string symbolicLeaf(std::string_view tensor, uint64_t n) {
  return std::string(tensor) + "[@" + std::to_string(n) + "]";
}

std::string real(std::string_view name) { return "real:" + std::string(name); }

bool isStale(std::string_view name) {
  return startsWith(name, "stale:") || startsWith(name, "real:stale:");
}

std::string describeValue(std::string_view name) {
  return (isStale(name) ? "" : "input ") + describe(name);
}

std::string describe(std::string_view name) {
  if (startsWith(name, "real:"))
    return describe(name.substr(5));
  if (startsWith(name, "stale:"))
    return "the contents of " + describe(name.substr(6)) +
           " before it is written";
  if (std::optional<std::string> t = inputArrayTensor(name))
    return *t;
  if (isChoice(name, Choice::Approx))
    return "the result of an approximate operation";
  if (isChoice(name, Choice::Nondet))
    return "a value the OpenCL specification leaves to the implementation";
  if (startsWith(name, "cover#"))
    return "an output element";
  if (startsWith(name, "summary-state#") ||
      (startsWith(name, "fold") && name.find('.') != std::string_view::npos))
    return "a loop summary's state";
  if ((startsWith(name, "gid") || startsWith(name, "grp")) &&
      name.find('.') != std::string_view::npos)
    return startsWith(name, "gid") ? "the work-item id" : "the work-group id";
  size_t at = name.find("[@");
  if (at != std::string_view::npos)
    return "an element of " + std::string(name.substr(0, at));
  return std::string(name);
}

} // namespace ksynth::verify::var
