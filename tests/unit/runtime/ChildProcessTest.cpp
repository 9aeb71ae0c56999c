// The child-process wrapper: deadlines, signals, exit codes.
#include "runtime/ChildProcess.h"
#include "runtime/TempDir.h"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

namespace ksynth::runtime {
namespace {

TEST(ChildProcess, HangIsKilledAtItsDeadline) {
  TempDir d;
  ChildProcess c({"/bin/sleep", "30"}, d.file("o"), d.file("e"), {});
  ChildExit ex = c.wait(0.3);
  EXPECT_EQ(ex.how, ChildExit::How::Killed);
  EXPECT_LT(ex.seconds, 3.0);
}

TEST(ChildProcess, CrashReportsTheSignal) {
  TempDir d;
  ChildProcess c({"/bin/sh", "-c", "kill -SEGV $$"}, d.file("o"), d.file("e"),
                 {});
  ChildExit ex = c.wait(10);
  EXPECT_EQ(ex.how, ChildExit::How::Signaled);
  EXPECT_EQ(ex.signal, SIGSEGV);
  EXPECT_EQ(signalName(ex.signal), "SIGSEGV");
}

TEST(ChildProcess, ExitStatusAndOutputFiles) {
  TempDir d;
  ChildProcess c({"/bin/sh", "-c", "echo hi; echo err >&2; exit 3"},
                 d.file("o"), d.file("e"), {});
  ChildExit ex = c.wait(10);
  EXPECT_EQ(ex.how, ChildExit::How::Exited);
  EXPECT_EQ(ex.code, 3);
  EXPECT_EQ(std::filesystem::file_size(d.file("o")), 3u);
}

TEST(ChildProcess, DestructorKillsARunningChild) {
  TempDir d;
  pid_t pid;
  {
    ChildProcess c({"/bin/sleep", "30"}, d.file("o"), d.file("e"), {});
    pid = c.pid();
  }
  EXPECT_NE(::kill(pid, 0), 0); // reaped: no such process
}

TEST(ChildProcess, CpuLimitStopsABusyLoop) {
  TempDir d;
  ChildLimits l;
  l.cpuSeconds = 1;
  ChildProcess c({"/bin/sh", "-c", "while :; do :; done"}, d.file("o"),
                 d.file("e"), l);
  ChildExit ex = c.wait(20);
  EXPECT_EQ(ex.how, ChildExit::How::Signaled);
  EXPECT_TRUE(ex.signal == SIGXCPU || ex.signal == SIGKILL);
}

TEST(TempDir, IsRemovedWithItsContents) {
  std::string path;
  {
    TempDir d;
    path = d.path();
    std::ofstream(d.file("x")) << "data";
    EXPECT_TRUE(std::filesystem::exists(d.file("x")));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

} // namespace
} // namespace ksynth::runtime
