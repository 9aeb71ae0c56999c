// Forked execution of a Z3 check: see ForkedZ3.h.
//
// The model crosses the pipe as an SMT-LIB script that the parent parses
// against the query's own declarations (so the rebuilt model speaks of the
// parent's variables, arrays and uninterpreted functions), one assertion per
// model item, tagged:
//   c  (= x VALUE)                      constant x := VALUE
//   e  (= (f a0 .. an) ELSE)            function f, its else value; Z3's
//                                       bound variable i is written as the
//                                       constant ksynth!v<i>!<k>
//   n  (= (f v0 .. vn) VALUE)           an entry of the last 'e' function
// Declarations the query does not have (Z3's auxiliary functions such as
// the k!0 of an (_ as-array k!0), the placeholders) are declared in the
// script. Ground values are simplified after parsing, so that numerals are
// numerals again ((fp #b0 #x7f #b0..) -> 1.0).
#include "solver/ForkedZ3.h"
#include "solver/ForkWire.h"

#include "solver/Context.h"

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cxxabi.h>
#include <exception>
#include <fcntl.h>
#include <new>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unordered_set>

namespace ksynth::smt::detail {

namespace {

constexpr uint32_t kMagic = 0x6b73f0a7u;
constexpr int kExitMemout = 97;    // the child's operator new failed
constexpr int kExitException = 98; // a C++ exception escaped in the child

// ---- process and descriptor ownership ----

class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }

private:
  int fd_ = -1;
};

// A forked child: killed and reaped when it goes out of scope unreaped.
class ChildProcess {
public:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;
  ~ChildProcess() {
    if (!reaped_) {
      kill();
      reap();
    }
  }
  void kill() { ::kill(pid_, SIGKILL); }
  // Hands the child over (to a Reaper).
  pid_t release() {
    reaped_ = true;
    return pid_;
  }
  // Waits for the child to end; its wait status.
  int reap() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    return status;
  }

private:
  pid_t pid_;
  bool reaped_ = false;
};

// ---- the child ----

// Every uninterpreted declaration (variables, arrays, uninterpreted
// functions) occurring in the terms, first occurrence first.
std::vector<Z3_func_decl> uninterpretedDecls(const std::vector<Z3_ast> &roots) {
  Z3_context c = ctx();
  std::vector<Z3_ast> stack(roots.rbegin(), roots.rend());
  std::unordered_set<unsigned> seen, seenDecl;
  std::vector<Z3_func_decl> out;
  auto addDecl = [&](Z3_func_decl d) {
    if (Z3_get_decl_kind(c, d) == Z3_OP_UNINTERPRETED &&
        seenDecl.insert(Z3_get_func_decl_id(c, d)).second)
      out.push_back(d);
  };
  while (!stack.empty()) {
    Z3_ast t = stack.back();
    stack.pop_back();
    if (!seen.insert(Z3_get_ast_id(c, t)).second)
      continue;
    Z3_ast_kind k = Z3_get_ast_kind(c, t);
    if (k == Z3_APP_AST) {
      Z3_app app = Z3_to_app(c, t);
      addDecl(Z3_get_app_decl(c, app));
      if (Z3_is_as_array(c, t))
        addDecl(Z3_get_as_array_func_decl(c, t));
      unsigned n = Z3_get_app_num_args(c, app);
      for (unsigned i = n; i-- > 0;)
        stack.push_back(Z3_get_app_arg(c, app, i));
    } else if (k == Z3_QUANTIFIER_AST) {
      stack.push_back(Z3_get_quantifier_body(c, t));
    }
  }
  return out;
}

std::vector<Z3_ast> raws(const std::vector<Expr> &xs) {
  std::vector<Z3_ast> r;
  r.reserve(xs.size());
  for (const Expr &x : xs)
    r.push_back(x.raw());
  return r;
}

// References taken while a model is written out, released at the end.
struct Held {
  std::vector<Z3_ast> asts;
  std::vector<Z3_func_interp> interps;
  std::vector<Z3_func_entry> entries;
  Held() = default;
  Held(const Held &) = delete;
  Held &operator=(const Held &) = delete;
  ~Held() {
    Z3_context c = ctx();
    for (Z3_func_entry e : entries)
      Z3_func_entry_dec_ref(c, e);
    for (Z3_func_interp f : interps)
      Z3_func_interp_dec_ref(c, f);
    for (Z3_ast a : asts)
      Z3_dec_ref(c, a);
  }
};

// The model as a script (see the top of this file).
bool modelScript(Z3_model m, const std::vector<Expr> &assertions,
                 std::string &tags, std::string &script) {
  Z3_context c = ctx();
  Held held;
  auto keep = [c, &held](Z3_ast a) {
    Z3_inc_ref(c, a);
    held.asts.push_back(a);
    return a;
  };
  std::unordered_set<unsigned> known;
  for (Z3_func_decl d : uninterpretedDecls(raws(assertions)))
    known.insert(Z3_get_func_decl_id(c, d));
  std::string decls, asserts;
  auto declare = [&](Z3_func_decl d) {
    if (known.insert(Z3_get_func_decl_id(c, d)).second)
      decls += std::string(Z3_func_decl_to_string(c, d)) + "\n";
  };
  auto declareIn = [&](Z3_ast t) {
    for (Z3_func_decl d : uninterpretedDecls({t}))
      declare(d);
  };
  auto add = [&](char tag, Z3_ast lhs, Z3_ast rhs) {
    Z3_ast eq = keep(Z3_mk_eq(c, lhs, rhs));
    declareIn(eq);
    asserts += "(assert " + std::string(Z3_ast_to_string(c, eq)) + ")\n";
    tags += tag;
  };

  unsigned nc = Z3_model_get_num_consts(c, m);
  for (unsigned i = 0; i < nc; ++i) {
    Z3_func_decl d = Z3_model_get_const_decl(c, m, i);
    Z3_ast v = Z3_model_get_const_interp(c, m, d);
    if (!v)
      continue;
    keep(v);
    add('c', keep(Z3_mk_app(c, d, 0, nullptr)), v);
  }
  unsigned nf = Z3_model_get_num_funcs(c, m);
  for (unsigned k = 0; k < nf; ++k) {
    Z3_func_decl f = Z3_model_get_func_decl(c, m, k);
    Z3_func_interp fi = Z3_model_get_func_interp(c, m, f);
    if (!fi)
      return false;
    Z3_func_interp_inc_ref(c, fi);
    held.interps.push_back(fi);
    Z3_ast els = Z3_func_interp_get_else(c, fi);
    if (!els)
      return false;
    keep(els);
    // Bound variables of the else value -> placeholder constants.
    std::vector<Z3_ast> to;
    {
      std::vector<Z3_ast> stack{els};
      std::unordered_set<unsigned> seen;
      while (!stack.empty()) {
        Z3_ast t = stack.back();
        stack.pop_back();
        if (!seen.insert(Z3_get_ast_id(c, t)).second)
          continue;
        Z3_ast_kind kind = Z3_get_ast_kind(c, t);
        if (kind == Z3_VAR_AST) {
          unsigned idx = Z3_get_index_value(c, t);
          if (idx >= 4096)
            return false;
          if (to.size() <= idx)
            to.resize(idx + 1, nullptr);
          std::string name =
              "ksynth!v" + std::to_string(idx) + "!" + std::to_string(k);
          to[idx] = keep(Z3_mk_const(c, Z3_mk_string_symbol(c, name.c_str()),
                                     Z3_get_sort(c, t)));
        } else if (kind == Z3_APP_AST) {
          Z3_app app = Z3_to_app(c, t);
          for (unsigned i = 0; i < Z3_get_app_num_args(c, app); ++i)
            stack.push_back(Z3_get_app_arg(c, app, i));
        } else if (kind == Z3_QUANTIFIER_AST) {
          return false; // binders inside an else value: not transferred
        }
      }
    }
    for (Z3_ast &t : to)
      if (!t)
        t = keep(Z3_mk_true(c)); // an index that does not occur
    if (!to.empty())
      els = keep(Z3_substitute_vars(c, els, static_cast<unsigned>(to.size()),
                                    to.data()));
    unsigned arity = Z3_get_arity(c, f);
    std::vector<Z3_ast> args;
    for (unsigned i = 0; i < arity; ++i) {
      std::string name =
          "ksynth!a" + std::to_string(i) + "!" + std::to_string(k);
      args.push_back(keep(Z3_mk_const(c, Z3_mk_string_symbol(c, name.c_str()),
                                      Z3_get_domain(c, f, i))));
    }
    add('e', keep(Z3_mk_app(c, f, arity, args.data())), els);
    unsigned ne = Z3_func_interp_get_num_entries(c, fi);
    for (unsigned j = 0; j < ne; ++j) {
      Z3_func_entry e = Z3_func_interp_get_entry(c, fi, j);
      Z3_func_entry_inc_ref(c, e);
      held.entries.push_back(e);
      std::vector<Z3_ast> eargs;
      for (unsigned i = 0; i < Z3_func_entry_get_num_args(c, e); ++i)
        eargs.push_back(keep(Z3_func_entry_get_arg(c, e, i)));
      if (eargs.size() != arity)
        return false;
      Z3_ast v = keep(Z3_func_entry_get_value(c, e));
      add('n', keep(Z3_mk_app(c, f, arity, eargs.data())), v);
    }
  }
  script = decls + asserts;
  return true;
}

[[noreturn]] void runChild(int fd, Z3_solver s,
                           const std::vector<Expr> &assertions, rlim_t cap,
                           unsigned memoryMb, bool z3MemoryLimit) {
  // Async-signal-safe-ish from here on: Z3, malloc (fork-safe in glibc),
  // write and _exit. Never return, never run atexit handlers.
  std::set_new_handler([] { ::_exit(kExitMemout); });
  // Z3 throws its out_of_memory_error from places no API call catches
  // (seen under RLIMIT_AS: std::terminate); that is a memout too.
  std::set_terminate([] {
    std::type_info *t = abi::__cxa_current_exception_type();
    const char *name = t ? t->name() : "";
    ::_exit(std::strstr(name, "out_of_memory") || std::strstr(name, "bad_alloc")
                ? kExitMemout
                : kExitException);
  });
  if (cap != RLIM_INFINITY) {
    struct rlimit rl;
    rl.rlim_cur = cap;
    rl.rlim_max = cap;
    ::setrlimit(RLIMIT_AS, &rl);
  }
  try {
    Z3_context c = ctx();
    if (z3MemoryLimit)
      Z3_global_param_set("memory_max_size", std::to_string(memoryMb).c_str());
    std::string msg;
    putU32(msg, kMagic);
    Z3_lbool status;
    std::string tags, script, reason, errorMessage;
    Z3_error_code error;
    {
      SoftErrors errors; // memout inside Z3 is an answer, not a bug
      status = Z3_solver_check(c, s);
      error = errors.code();
      errorMessage = errors.message();
    }
    if (error == Z3_OK && status == Z3_L_UNDEF)
      reason = Z3_solver_get_reason_unknown(c, s);
    if (error == Z3_OK && status == Z3_L_TRUE) {
      SoftErrors errors;
      Z3_model m = Z3_solver_get_model(c, s);
      if (m) {
        Z3_model_inc_ref(c, m);
        if (!modelScript(m, assertions, tags, script) || errors.any())
          tags.clear(), script.clear(); // the parent re-solves in process
      }
    }
    putU32(msg, static_cast<uint32_t>(static_cast<int32_t>(status)));
    putU32(msg, static_cast<uint32_t>(error));
    putStr(msg, errorMessage);
    putStr(msg, reason);
    putStr(msg, tags);
    putStr(msg, script);
    putU32(msg, kMagic);
    ::_exit(writeAll(fd, msg) ? 0 : 1);
  } catch (const std::bad_alloc &) {
    ::_exit(kExitMemout);
  } catch (...) {
    ::_exit(kExitException);
  }
}

// ---- the parent ----

bool parseAnswer(const std::string &buf, ChildOutcome &o) {
  Reader r(buf);
  uint32_t magic = 0, status = 0, error = 0, end = 0;
  if (!r.u32(magic) || magic != kMagic || !r.u32(status) || !r.u32(error) ||
      !r.str(o.errorMessage) || !r.str(o.reasonUnknown) ||
      !r.str(o.modelTags) || !r.str(o.modelScript) || !r.u32(end) ||
      end != kMagic || !r.atEnd())
    return false;
  int32_t st = static_cast<int32_t>(status);
  if (st < -1 || st > 1)
    return false;
  o.status = static_cast<Z3_lbool>(st);
  o.error = static_cast<Z3_error_code>(error);
  return true;
}

} // namespace

Reaper::~Reaper() {
  for (pid_t pid : pids_) {
    ::kill(pid, SIGKILL);
    int status;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

void Reaper::reapExited() {
  std::vector<pid_t> left;
  for (pid_t pid : pids_) {
    int status;
    pid_t r;
    while ((r = ::waitpid(pid, &status, WNOHANG)) < 0 && errno == EINTR) {
    }
    if (r == 0)
      left.push_back(pid);
  }
  pids_.swap(left);
}

ChildOutcome checkInChild(Z3_solver s, const std::vector<Expr> &assertions,
                          Watchdog::Clock::time_point deadline,
                          unsigned memoryMb, const ForkTuning &tuning,
                          Reaper &reaper) {
  using Clock = Watchdog::Clock;
  reaper.reapExited();
  ChildOutcome o;
  rlim_t cap = RLIM_INFINITY;
  if (memoryMb) {
    if (uint64_t vm = addressSpaceBytes())
      cap = static_cast<rlim_t>(
          vm + (static_cast<uint64_t>(memoryMb) + tuning.addressSpaceSlackMb) *
                   (uint64_t(1) << 20));
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    o.kind = ChildOutcome::Kind::ForkFailed;
    o.detail = std::string("pipe: ") + std::strerror(errno);
    return o;
  }
  Fd readEnd(fds[0]), writeEnd(fds[1]);
  pid_t pid = ::fork();
  if (pid < 0) {
    o.kind = ChildOutcome::Kind::ForkFailed;
    o.detail = std::string("fork: ") + std::strerror(errno);
    return o;
  }
  if (pid == 0)
    runChild(fds[1], s, assertions, cap, memoryMb, tuning.z3MemoryLimit);
  ChildProcess child(pid);
  writeEnd.reset();

  std::string buf;
  bool killed = false;
  auto killAt = deadline + std::chrono::milliseconds(tuning.graceMs);
  for (;;) {
    auto now = Clock::now();
    if (now >= killAt) {
      child.kill();
      killed = true;
      break;
    }
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(killAt - now)
            .count() +
        1;
    struct pollfd pfd;
    pfd.fd = readEnd.get();
    pfd.events = POLLIN;
    pfd.revents = 0;
    int n = ::poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : int(left));
    if (n < 0 && errno != EINTR) {
      child.kill();
      break;
    }
    if (n <= 0)
      continue;
    char chunk[65536];
    ssize_t got = ::read(readEnd.get(), chunk, sizeof chunk);
    if (got > 0) {
      buf.append(chunk, static_cast<size_t>(got));
      // A complete answer: done, without waiting for the child's exit.
      if (buf.size() >= 2 * sizeof kMagic &&
          std::memcmp(buf.data() + buf.size() - sizeof kMagic, &kMagic,
                      sizeof kMagic) == 0 &&
          parseAnswer(buf, o)) {
        reaper.adopt(child.release());
        o.kind = ChildOutcome::Kind::Answered;
        return o;
      }
    } else if (got == 0 || (errno != EINTR && errno != EAGAIN))
      break; // end of file: the child is done (or the pipe failed)
  }
  int status = child.reap();

  if (killed) {
    o.kind = ChildOutcome::Kind::Killed;
    o.detail = describeStatus(status);
    return o;
  }
  o.detail = describeStatus(status);
  // Out of memory: our handler's exit, or a SIGKILL we did not send (the
  // kernel's OOM killer).
  bool memout = (WIFEXITED(status) && WEXITSTATUS(status) == kExitMemout) ||
                (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  o.kind = memout ? ChildOutcome::Kind::Memout : ChildOutcome::Kind::Crashed;
  return o;
}

Model rebuildModel(const ChildOutcome &o, const std::vector<Expr> &assertions) {
  if (o.status != Z3_L_TRUE || o.modelTags.empty())
    return Model();
  Z3_context c = ctx();
  SoftErrors errors; // a script this process cannot read is not a bug
  std::vector<Z3_func_decl> decls = uninterpretedDecls(raws(assertions));
  std::vector<Z3_symbol> names;
  for (Z3_func_decl d : decls)
    names.push_back(Z3_get_decl_name(c, d));
  Z3_ast_vector v = Z3_parse_smtlib2_string(
      c, o.modelScript.c_str(), 0, nullptr, nullptr,
      static_cast<unsigned>(decls.size()), names.data(), decls.data());
  if (errors.any() || !v)
    return Model();
  Z3_ast_vector_inc_ref(c, v);
  std::vector<Expr> items;
  for (unsigned i = 0; i < Z3_ast_vector_size(c, v); ++i)
    items.emplace_back(Z3_ast_vector_get(c, v, i));
  Z3_ast_vector_dec_ref(c, v);
  if (errors.any() || items.size() != o.modelTags.size())
    return Model();

  Z3_model m = Z3_mk_model(c);
  Z3_model_inc_ref(c, m);
  Z3_func_interp fi = nullptr;
  bool ok = true;
  for (size_t i = 0; ok && i < items.size(); ++i) {
    Z3_ast item = items[i].raw();
    if (!Z3_is_app(c, item) ||
        Z3_get_decl_kind(c, Z3_get_app_decl(c, Z3_to_app(c, item))) !=
            Z3_OP_EQ ||
        Z3_get_app_num_args(c, Z3_to_app(c, item)) != 2) {
      ok = false;
      break;
    }
    Expr lhs(Z3_get_app_arg(c, Z3_to_app(c, item), 0));
    Expr rhs(Z3_get_app_arg(c, Z3_to_app(c, item), 1));
    if (!Z3_is_app(c, lhs.raw())) {
      ok = false;
      break;
    }
    Z3_app app = Z3_to_app(c, lhs.raw());
    Z3_func_decl d = Z3_get_app_decl(c, app);
    switch (o.modelTags[i]) {
    case 'c':
      Z3_add_const_interp(c, m, d, rhs.simplify().raw());
      break;
    case 'e': {
      // Placeholders back to Z3's bound variables.
      std::vector<Expr> from, to;
      for (const Expr &x : rhs.vars()) {
        if (!x.isConstVar())
          continue;
        std::string name = x.varName();
        if (name.rfind("ksynth!v", 0) != 0)
          continue;
        unsigned idx = static_cast<unsigned>(
            std::strtoul(name.c_str() + std::strlen("ksynth!v"), nullptr, 10));
        from.push_back(x);
        to.emplace_back(Z3_mk_bound(c, idx, Z3_get_sort(c, x.raw())));
      }
      Expr els = rhs;
      if (!from.empty()) {
        std::vector<Z3_ast> f = raws(from), t = raws(to);
        els = Expr(Z3_substitute(c, rhs.raw(), static_cast<unsigned>(f.size()),
                                 f.data(), t.data()));
      }
      if (fi)
        Z3_func_interp_dec_ref(c, fi);
      fi = Z3_add_func_interp(c, m, d, els.raw());
      if (fi)
        Z3_func_interp_inc_ref(c, fi);
      break;
    }
    case 'n': {
      if (!fi) {
        ok = false;
        break;
      }
      Z3_ast_vector args = Z3_mk_ast_vector(c);
      Z3_ast_vector_inc_ref(c, args);
      std::vector<Expr> held;
      for (unsigned a = 0; a < Z3_get_app_num_args(c, app); ++a) {
        held.push_back(Expr(Z3_get_app_arg(c, app, a)).simplify());
        Z3_ast_vector_push(c, args, held.back().raw());
      }
      Z3_func_interp_add_entry(c, fi, args, rhs.simplify().raw());
      Z3_ast_vector_dec_ref(c, args);
      break;
    }
    default:
      ok = false;
    }
    ok = ok && !errors.any();
  }
  if (fi)
    Z3_func_interp_dec_ref(c, fi);
  Model r = ok && !errors.any() ? Model(m, {}) : Model();
  Z3_model_dec_ref(c, m);
  return r;
}

bool modelToScript(const Model &m, const std::vector<Expr> &assertions,
                   std::string &tags, std::string &script) {
  tags.clear();
  script.clear();
  return !m.isNull() && modelScript(m.raw(), assertions, tags, script);
}

Model modelFromScript(const std::string &tags, const std::string &script,
                      const std::vector<Expr> &assertions) {
  ChildOutcome o;
  o.status = Z3_L_TRUE;
  o.modelTags = tags;
  o.modelScript = script;
  return rebuildModel(o, assertions);
}

Model roundTripModel(const Model &m, const std::vector<Expr> &assertions) {
  ChildOutcome o;
  o.status = Z3_L_TRUE;
  if (m.isNull() ||
      !modelScript(m.raw(), assertions, o.modelTags, o.modelScript))
    return Model();
  return rebuildModel(o, assertions);
}

} // namespace ksynth::smt::detail
