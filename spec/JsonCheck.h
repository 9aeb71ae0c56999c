// Shared validation of JSON objects in spec and manifest files (internal).
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ksynth::spec {

// The message for the first key of `obj` outside `allowed` ("unknown
// top-level key 'x' (expected one of: a, b)" or "<where>: unknown key ..."),
// or nullopt if every key is allowed. `where` is "" for the top level.
std::optional<std::string>
unknownKey(const nlohmann::json &obj, const std::string &where,
           std::initializer_list<const char *> allowed);

} // namespace ksynth::spec
