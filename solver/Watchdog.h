// Enforces a solver deadline from outside Z3 (internal to solver/). Z3's own
// timeout was seen to overrun by 40 s, so a thread of ours interrupts the
// running check at the deadline, and again every few milliseconds until the
// check returns (an interrupt that lands before Z3 installed its handler is
// lost).
//
// It uses Z3_solver_interrupt, not Z3_interrupt: measured on Z3 4.8.12, a
// Z3_interrupt that arrives when no check is running leaves the whole
// context cancelled (the next Z3_simplify fails with "canceled"), and a
// watchdog cannot avoid that race. Z3_solver_interrupt only reaches the
// check of that solver, if one is running.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <z3.h>

namespace ksynth::smt::detail {

class Watchdog {
public:
  using Clock = std::chrono::steady_clock;

  Watchdog();
  ~Watchdog();
  Watchdog(const Watchdog &) = delete;
  Watchdog &operator=(const Watchdog &) = delete;

  // From now until disarm(), interrupt `s` once `deadline` has passed.
  void arm(Z3_solver s, Clock::time_point deadline);
  // Stops interrupting (no interrupt is sent after it returns); returns
  // whether the deadline passed and interrupts were sent.
  bool disarm();

private:
  void loop();

  std::mutex mu_;
  std::condition_variable cv_;
  Z3_solver solver_ = nullptr;
  Clock::time_point deadline_;
  bool armed_ = false;
  bool fired_ = false;
  bool stop_ = false;
  std::thread thread_;
};

} // namespace ksynth::smt::detail
