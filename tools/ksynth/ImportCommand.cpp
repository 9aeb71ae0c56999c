// ksynth import MODEL.py [-o SPEC.json] [--eval] [--atol A --rtol R]: the
// PyTorch front end (issue 13; Import.h). The Python helper
// (frontend/pytorch/, run with the project's virtual environment in a
// child process with a deadline) writes the spec's JSON; this file finds
// the Python, runs the helper, sets the default tolerance from the op table
// (spec::toleranceReason), validates the spec with the spec parser, and
// caches the result by content.
#include "Commands.h"
#include "Import.h"

#include "spec/OpTable.h"
#include "support/Error.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef KSYNTH_SOURCE_DIR
#error "KSYNTH_SOURCE_DIR must be defined (tools/ksynth/CMakeLists.txt)"
#endif

namespace fs = std::filesystem;

namespace ksynth::cli {

namespace {

// The tolerance of a spec with an op PyTorch does not compute bit for bit
// (docs/semantics.md, "Which ops need a tolerance"): 1e-5 absolute and
// relative in float32 (frontend/pytorch/README.md).
constexpr double kDefaultTol = 1e-5;

const char *kUsage =
    "usage: ksynth import MODEL.py [-o SPEC.json] [--eval] [--atol A] "
    "[--rtol R] [--timeout SEC]\n"
    "  Turns a KernelBench-style PyTorch file (class Model, get_inputs(),\n"
    "  get_init_inputs()) into a spec (stdout, or -o FILE).\n"
    "  --eval        call model.eval() first (Dropout becomes identity; the\n"
    "                spec's name says so)\n"
    "  --atol A, --rtol R  the tolerance (default: bit-exact where every op\n"
    "                allows it, else 1e-5 and 1e-5)\n"
    "  --timeout SEC the helper's deadline (default 600)\n"
    "  --check-data FILE  also write random inputs and PyTorch's outputs at\n"
    "                the first shape (for tests; not cached)\n"
    "  Python: $KSYNTH_PYTHON, else $KSYNTH_VENV/bin/python, else the\n"
    "  project's .venv (scripts/install-python.sh).\n";

std::string helperDir() {
  return std::string(KSYNTH_SOURCE_DIR) + "/frontend/pytorch";
}

std::string findPython() {
  if (const char *p = std::getenv("KSYNTH_PYTHON"); p && *p) {
    if (::access(p, X_OK) != 0)
      throw UserError(std::string("KSYNTH_PYTHON=") + p +
                      " is not an executable: run "
                      "scripts/install-python.sh, or fix KSYNTH_PYTHON");
    return p;
  }
  std::string venv;
  if (const char *v = std::getenv("KSYNTH_VENV"); v && *v)
    venv = v;
  else
    venv = std::string(KSYNTH_SOURCE_DIR) + "/.venv";
  std::string py = venv + "/bin/python";
  if (::access(py.c_str(), X_OK) != 0)
    throw UserError("no Python environment with PyTorch (" + py +
                    " not found): run scripts/install-python.sh, or set "
                    "KSYNTH_PYTHON");
  return py;
}

std::string readFile(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

uint64_t fnv1a(const std::string &s, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string lastLine(const std::string &text) {
  std::string t = text;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' '))
    t.pop_back();
  size_t nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

// Runs argv with stdout and stderr to files; kills its process group at
// the deadline. Returns the exit status (or throws on timeout).
int runChild(const std::vector<std::string> &argv, const std::string &outPath,
             const std::string &errPath, unsigned timeoutSeconds) {
  pid_t pid = ::fork();
  if (pid < 0)
    throw UserError("import: cannot start the helper (fork failed)");
  if (pid == 0) {
    ::setpgid(0, 0);
    int o = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (o < 0 || e < 0)
      ::_exit(127);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::vector<char *> av;
    for (const std::string &a : argv)
      av.push_back(const_cast<char *>(a.c_str()));
    av.push_back(nullptr);
    ::execv(av[0], av.data());
    ::_exit(127);
  }
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds);
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status))
        return WEXITSTATUS(status);
      return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      throw UserError("import: the helper did not finish within " +
                      std::to_string(timeoutSeconds) + " s (--timeout SEC)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// The helper's spec with the tolerance set and validated.
nlohmann::json runHelper(const std::string &modelPath, const ImportOptions &o) {
  std::string py = findPython();
  std::string tmp = (fs::temp_directory_path() /
                     ("ksynth-import-" + std::to_string(::getpid())))
                        .string();
  std::vector<std::string> argv = {py, helperDir() + "/ksynth_import.py",
                                   fs::absolute(modelPath).string()};
  if (o.evalMode)
    argv.push_back("--eval");
  if (!o.checkData.empty())
    argv.insert(argv.end(), {"--check-data", o.checkData});
  int rc = runChild(argv, tmp + ".out", tmp + ".err", o.timeoutSeconds);
  std::string out = readFile(tmp + ".out"), err = readFile(tmp + ".err");
  std::remove((tmp + ".out").c_str());
  std::remove((tmp + ".err").c_str());
  if (rc == 127 && out.empty() && err.empty())
    throw UserError("import: cannot run " + py);
  if (rc != 0) {
    std::string msg = lastLine(err);
    if (msg.empty())
      msg = "the helper failed with exit code " + std::to_string(rc);
    throw UserError(modelPath + ": " + msg);
  }
  nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw UserError(modelPath + ": the import helper wrote no spec");
  // Default tolerance from the op table: bit-exact unless an op needs one
  // (or the helper wrote one: a composite PyTorch computes fused).
  bool exact = !j.contains("tolerance");
  j["tolerance"] = {{"atol", kDefaultTol}, {"rtol", kDefaultTol}};
  spec::Spec s = spec::parseSpec(j, modelPath);
  for (const spec::OpNode &op : s.ops)
    if (!spec::toleranceReason(op).empty())
      exact = false;
  double atol = exact ? 0 : kDefaultTol, rtol = atol;
  if (o.atol || o.rtol) {
    atol = o.atol.value_or(0);
    rtol = o.rtol.value_or(0);
  }
  j["tolerance"] = {{"atol", atol}, {"rtol", rtol}};
  (void)spec::parseSpec(j, modelPath); // names an op that needs a tolerance
  return j;
}

std::string cacheDir() {
  if (const char *d = std::getenv("KSYNTH_CACHE_DIR"); d && *d)
    return d;
  const char *home = std::getenv("HOME");
  return std::string(home && *home ? home : "/tmp") + "/.cache/ksynth/import";
}

std::string cacheKey(const std::string &modelPath, const ImportOptions &o) {
  std::ifstream f(modelPath, std::ios::binary);
  if (!f)
    throw UserError(modelPath + ": cannot open");
  uint64_t h = fnv1a(readFile(modelPath));
  // The helper's own sources: a changed helper never serves an old import.
  std::vector<std::string> helper;
  for (const auto &e : fs::directory_iterator(helperDir()))
    if (e.path().extension() == ".py")
      helper.push_back(e.path().string());
  std::sort(helper.begin(), helper.end());
  for (const std::string &p : helper)
    h = fnv1a(readFile(p), h);
  std::ostringstream opts;
  opts << "eval=" << o.evalMode << " atol=" << (o.atol ? *o.atol : -1)
       << " rtol=" << (o.rtol ? *o.rtol : -1);
  h = fnv1a(opts.str(), h);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

double parseTol(const std::string &flag, const std::string &v) {
  char *end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end || !(d >= 0) || d > 1e30)
    throw UserError(ExitCode::Usage, "import: " + flag +
                                         " needs a number >= 0, got '" + v +
                                         "'");
  return d;
}

} // namespace

bool isModelFile(const std::string &path) {
  return path.size() > 3 && path.compare(path.size() - 3, 3, ".py") == 0;
}

nlohmann::json importModel(const std::string &modelPath,
                           const ImportOptions &o) {
  if (!o.checkData.empty())
    return runHelper(modelPath, o);
  std::string key = cacheKey(modelPath, o);
  fs::path dir = cacheDir();
  fs::path file = dir / (key + ".json");
  std::error_code ec;
  if (fs::exists(file, ec)) {
    nlohmann::json j =
        nlohmann::json::parse(readFile(file.string()), nullptr, false);
    if (!j.is_discarded() && j.is_object())
      return j;
  }
  nlohmann::json j = runHelper(modelPath, o);
  fs::create_directories(dir, ec);
  if (!ec) { // a cache that cannot be written is only slower
    fs::path tmp = dir / (key + ".json.tmp" + std::to_string(::getpid()));
    {
      std::ofstream f(tmp);
      f << j.dump(1) << "\n";
    }
    fs::rename(tmp, file, ec);
    if (ec)
      fs::remove(tmp, ec);
  }
  return j;
}

spec::Spec loadSpecArg(const std::string &path) {
  if (!isModelFile(path))
    return spec::parseSpecFile(path);
  spec::Spec s = spec::parseSpec(importModel(path, ImportOptions{}), path);
  s.path = path;
  return s;
}

int cmdImport(const std::vector<std::string> &args) {
  ImportOptions o;
  std::string model, outPath;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= args.size())
        throw UserError(ExitCode::Usage, "import: " + a + " needs a value");
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "-o" || a == "--out")
      outPath = next();
    else if (a == "--eval")
      o.evalMode = true;
    else if (a == "--atol")
      o.atol = parseTol(a, next());
    else if (a == "--rtol")
      o.rtol = parseTol(a, next());
    else if (a == "--check-data")
      o.checkData = next();
    else if (a == "--timeout") {
      std::string v = next();
      char *end = nullptr;
      unsigned long t = std::strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end || t == 0 || t > 86400)
        throw UserError(ExitCode::Usage,
                        "import: --timeout needs seconds (1..86400)");
      o.timeoutSeconds = static_cast<unsigned>(t);
    } else if (model.empty() && !a.empty() && a[0] != '-')
      model = a;
    else
      throw UserError(ExitCode::Usage, "import: unexpected argument " + a);
  }
  if (model.empty())
    throw UserError(ExitCode::Usage,
                    std::string("import needs MODEL.py\n") + kUsage);
  nlohmann::json j = importModel(model, o);
  std::string text = j.dump(1) + "\n";
  if (outPath.empty()) {
    std::cout << text;
    return 0;
  }
  std::string tmp = outPath + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream f(tmp);
    if (!(f << text))
      throw UserError(outPath + ": cannot write");
  }
  if (std::rename(tmp.c_str(), outPath.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw UserError(outPath + ": cannot write");
  }
  return 0;
}

} // namespace ksynth::cli
