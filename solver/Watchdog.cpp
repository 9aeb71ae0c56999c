#include "solver/Watchdog.h"

#include "solver/Context.h"

namespace ksynth::smt::detail {

Watchdog::Watchdog() : thread_([this] { loop(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Watchdog::arm(Z3_solver s, Clock::time_point deadline) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    solver_ = s;
    deadline_ = deadline;
    armed_ = true;
    fired_ = false;
  }
  cv_.notify_all();
}

bool Watchdog::disarm() {
  std::lock_guard<std::mutex> lock(mu_);
  armed_ = false;
  solver_ = nullptr;
  return fired_;
}

void Watchdog::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (!armed_) {
      cv_.wait(lock);
    } else if (Clock::now() < deadline_) {
      cv_.wait_until(lock, deadline_);
    } else {
      // Under mu_: disarm() cannot return, nor the solver be released,
      // while this call runs.
      fired_ = true;
      Z3_solver_interrupt(ctx(), solver_);
      cv_.wait_for(lock, std::chrono::milliseconds(10));
    }
  }
}

} // namespace ksynth::smt::detail
