// ksynth verify SPEC MANIFEST [--json] [--timeout MS] [--dump-smt DIR] ...
#include "Commands.h"

#include "solver/SolverConfig.h"
#include "spec/Manifest.h"
#include "spec/Spec.h"
#include "support/Error.h"
#include "verify/Verifier.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

namespace ksynth::cli {

namespace {

const char *kHelp =
    "usage: ksynth verify SPEC MANIFEST [options]\n"
    "  --json               print the verdict as JSON "
    "(docs/verdict-format.md)\n"
    "  --out FILE           also write the JSON verdict to FILE\n"
    "  --timeout MS         per-query solver time limit (default 20000)\n"
    "  --seed N             solver random seed (default 0)\n"
    "  --memory MB          solver memory cap (default 4096)\n"
    "  --max-memory MB      stop with unknown when ksynth itself holds more\n"
    "                       (default: half of physical memory)\n"
    "  --dump-smt DIR       write every solver query as SMT-LIB2 into DIR\n"
    "  --no-cache           disable the query cache\n"
    "  --no-hunt            do not try concrete inputs before the solver\n"
    "  --no-fork-solver     run Z3 in this process (default: a killable "
    "child)\n"
    "  --deadline SEC       whole-verification limit (default 600); then "
    "unknown\n"
    "  --fmuladd MODE       fused (default: what PoCL/GPUs do) or unfused\n"
    "  --unroll-bound N     instructions per work-item path (default 1048576)\n"
    "  --summarize-above N  symbolic mode: summarise accumulation loops that\n"
    "                       may run N times or more (default 4096; 0: never)\n"
    "  --shape K=V[,K=V]    verify at this shape instead of the spec's list\n"
    "  --symbolic-above N   above N work-items or output elements, one "
    "arbitrary\n"
    "                       symbolic work-item where it applies (default "
    "4096)\n"
    "exit codes: 0 proved, 10 refuted, 5 unknown, 1 usage, 2 input error, "
    "6 internal\n";

unsigned parseUnsigned(const std::string &flag, const std::string &v) {
  try {
    size_t pos = 0;
    unsigned long x = std::stoul(v, &pos);
    if (pos != v.size() || x > 0xffffffffUL)
      throw std::invalid_argument(v);
    return static_cast<unsigned>(x);
  } catch (const std::exception &) {
    throw UserError(ExitCode::Usage,
                    flag + " needs a non-negative integer, got '" + v + "'");
  }
}

spec::ShapeBinding parseShape(const std::string &s) {
  spec::ShapeBinding b;
  size_t start = 0;
  while (start < s.size()) {
    size_t comma = s.find(',', start);
    std::string kv = s.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UserError(ExitCode::Usage,
                      "--shape expects K=V[,K=V], got '" + s + "'");
    b[kv.substr(0, eq)] = parseUnsigned("--shape", kv.substr(eq + 1));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return b;
}

} // namespace

int cmdVerify(const std::vector<std::string> &args) {
  std::vector<std::string> pos;
  bool json = false;
  std::string out;
  verify::VerifyOptions o;
  std::optional<spec::ShapeBinding> shape;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= args.size())
        throw UserError(ExitCode::Usage, a + " needs a value");
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      std::fputs(kHelp, stdout);
      return 0;
    } else if (a == "--json") {
      json = true;
    } else if (a == "--out") {
      out = next();
    } else if (a == "--timeout") {
      o.solver.timeoutMs = parseUnsigned(a, next());
    } else if (a == "--seed") {
      o.solver.seed = parseUnsigned(a, next());
    } else if (a == "--max-memory") {
      o.maxMemoryMb = parseUnsigned(a, next());
    } else if (a == "--memory") {
      o.solver.memoryMb = parseUnsigned(a, next());
    } else if (a == "--dump-smt") {
      o.solver.dumpDir = next();
    } else if (a == "--no-cache") {
      o.solver.cache = false;
    } else if (a == "--deadline") {
      o.deadlineSeconds = parseUnsigned(a, next());
    } else if (a == "--no-hunt") {
      o.solver.hunt = false;
    } else if (a == "--no-fork-solver") {
      o.solver.fork = false;
    } else if (a == "--fmuladd") {
      std::string m = next();
      if (m == "fused")
        o.fma = verify::FmaMode::Fused;
      else if (m == "unfused")
        o.fma = verify::FmaMode::Unfused;
      else
        throw UserError(ExitCode::Usage, "--fmuladd is fused or unfused");
    } else if (a == "--unroll-bound") {
      o.limits.maxStepsPerItem = parseUnsigned(a, next());
    } else if (a == "--summarize-above") {
      o.limits.summarizeAbove = parseUnsigned(a, next());
    } else if (a == "--shape") {
      shape = parseShape(next());
    } else if (a == "--symbolic-above") {
      o.symbolicAbove = parseUnsigned(a, next());
    } else if (!a.empty() && a[0] == '-') {
      throw UserError(ExitCode::Usage, "verify: unknown option " + a);
    } else {
      pos.push_back(a);
    }
  }
  if (pos.size() != 2)
    throw UserError(
        ExitCode::Usage,
        "verify needs SPEC and MANIFEST (see 'ksynth verify --help')");

  verify::Verdict v;
  try {
    spec::Spec s = spec::parseSpecFile(pos[0]);
    if (shape) {
      s.shapes = {*shape};
      (void)spec::inferTypes(s, *shape); // validates the binding
    }
    spec::Manifest m = spec::parseManifestFile(pos[1], s);
    v = verify::verify(s, m, o);
  } catch (const UserError &e) {
    if (e.code() == ExitCode::Usage)
      throw;
    v = verify::errorVerdict(pos[0], pos[1], e);
    std::fprintf(stderr, "ksynth: %s\n", e.what());
  }
  if (!out.empty()) {
    std::ofstream f(out);
    f << v.toJson().dump(2) << "\n";
    if (!f)
      throw UserError(ExitCode::Usage, "cannot write " + out);
  }
  if (json)
    std::cout << v.toJson().dump(2) << "\n";
  else
    std::cout << v.toText();
  return toInt(v.exitCode());
}

} // namespace ksynth::cli
