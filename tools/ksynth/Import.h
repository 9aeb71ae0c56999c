// The PyTorch front end (issue 13) as the commands see it: a model file
// (MODEL.py, KernelBench style) is imported to a spec by the Python helper
// frontend/pytorch/ksynth_import.py, run in a child process with a
// deadline; verify, run, bench, eval and synth accept a model file wherever they
// accept a spec (loadSpecArg), imported on the fly and cached by content.
#pragma once

#include "spec/Spec.h"

#include <optional>
#include <string>

namespace ksynth::cli {

struct ImportOptions {
  bool evalMode = false;            // --eval: model.eval() first
  std::optional<double> atol, rtol; // override the default tolerance
  std::string checkData;            // --check-data FILE (tests)
  unsigned timeoutSeconds = 600;    // the helper's deadline
};

// Is this argument a model file (ends in ".py")?
bool isModelFile(const std::string &path);

// The spec JSON for a model file: from the cache ($KSYNTH_CACHE_DIR or
// ~/.cache/ksynth/import; key: the file's content, the helper's sources
// and the options) or imported now and cached (written atomically).
// Throws UserError (exit 2) with the helper's one-line message.
nlohmann::json importModel(const std::string &modelPath,
                           const ImportOptions &o);

// A spec argument of any command: a spec file, or a model file imported
// with the default options.
spec::Spec loadSpecArg(const std::string &path);

} // namespace ksynth::cli
