// ksynth: verification-first GPU kernel synthesizer (CLI).
#include "Commands.h"

#include "support/Error.h"

#include <pthread.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace {

const char *kUsage =
    "usage: ksynth <command> [options]\n"
    "\n"
    "commands:\n"
    "  import MODEL.py        a PyTorch model file (KernelBench style) to a "
    "spec\n"
    "  verify SPEC MANIFEST   prove or refute a candidate against a spec\n"
    "  eval SPEC --inputs F   run the reference interpreter on given inputs\n"
    "  run SPEC MANIFEST      differential test on an OpenCL device\n"
    "  bench SPEC MANIFEST    time a candidate on an OpenCL device\n"
    "  devices                list OpenCL platforms and devices\n"
    "  synth SPEC             find the fastest proven kernel for a spec\n"
    "  gate [PATHS...]        verify every pair of a tree (CI gate, reports)\n"
    "  gate merge REPORTS...  merge sharded gate reports\n"
    "  cache stats|clear      the gate's proof cache\n"
    "\n"
    "SPEC may be a model file (MODEL.py): it is imported (cached by\n"
    "content; see 'ksynth import --help').\n"
    "'ksynth <command> --help' describes a command's options.\n"
    "exit codes: 0 proved/ok, 10 refuted, 5 unknown, 7 candidate failed on\n"
    "the device, 1 usage, 2 bad spec/manifest/kernel, 6 internal error\n";

} // namespace

namespace {

int realMain(int argc, char **argv);

struct MainCall {
  int argc;
  char **argv;
  int rc;
};

void *mainThread(void *p) {
  auto *c = static_cast<MainCall *>(p);
  c->rc = realMain(c->argc, c->argv);
  return nullptr;
}

} // namespace

// The commands run on a thread with a 1 GiB stack (reserved address space;
// pages are touched only as used): the verifier's terms are as deep as the
// folds they model (a work-group's 16384-term row sum is a chain of 16384
// additions), and walking them recursively overflowed the 8 MiB default
// stack (a SIGSEGV, where the answer must be a verdict).
int main(int argc, char **argv) {
  pthread_attr_t attr;
  pthread_t thread;
  MainCall call{argc, argv, 6};
  if (pthread_attr_init(&attr) == 0 &&
      pthread_attr_setstacksize(&attr, size_t{1} << 30) == 0 &&
      pthread_create(&thread, &attr, mainThread, &call) == 0) {
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
    return call.rc;
  }
  return realMain(argc, argv);
}

namespace {

int realMain(int argc, char **argv) {
  using namespace ksynth;
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return toInt(ExitCode::Usage);
  }
  std::string cmd = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (cmd == "verify")
      return cli::cmdVerify(args);
    if (cmd == "eval")
      return cli::cmdEval(args);
    if (cmd == "run")
      return cli::cmdRun(args);
    if (cmd == "bench")
      return cli::cmdBench(args);
    if (cmd == "gate")
      return cli::cmdGate(args);
    if (cmd == "cache")
      return cli::cmdCache(args);
    if (cmd == "import")
      return cli::cmdImport(args);
    if (cmd == "devices")
      return cli::cmdDevices(args);
    if (cmd == "synth")
      return cli::cmdSynth(args);
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (cmd == "--version") {
      std::puts("ksynth " KSYNTH_VERSION);
      return 0;
    }
    std::fprintf(stderr, "ksynth: unknown command '%s'\n%s", cmd.c_str(),
                 kUsage);
    return toInt(ExitCode::Usage);
  } catch (const UserError &e) {
    std::fprintf(stderr, "ksynth: %s\n", e.what());
    return toInt(e.code());
  } catch (const std::bad_alloc &) {
    std::fprintf(stderr, "ksynth: internal error: out of memory\n");
    return toInt(ExitCode::Internal);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "ksynth: internal error: %s\n", e.what());
    return toInt(ExitCode::Internal);
  }
}

} // namespace
