// The builtin handler table's interface (verify/ internals): one call of an
// OpenCL builtin or LLVM intrinsic as a handler sees it, and the table that
// maps names to handlers. Builtins.cpp dispatches (exact OpenCL names, then
// substrings, then prefixes; LLVM intrinsics by their base name) and holds
// the work-item and synchronisation handlers; BuiltinsMath.cpp the math,
// common, integer, conversion and vector load/store handlers and the LLVM
// intrinsics. A handler returns false where the call is not its own (e.g. a
// float-only function called on integers), and dispatch goes on.
// Still outside the table: extraBuiltin (BuiltinsExtra.cpp: mul24/mad24,
// saturating and explicit-rounding conversions, half loads and stores, the
// build options' forms), an if-chain tried before it.
#pragma once

#include "verify/exec/ExecutorImpl.h"

#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Instructions.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ksynth::verify {

struct BuiltinCall {
  Executor::Impl &ex;
  Path &p;
  const llvm::CallInst &call;
  const std::string &mangled; // "_Z4fminff", "llvm.fabs.f32"
  const std::string &name;    // "fmin", "llvm.fabs.f32"
  std::vector<Val> a;         // argument values
  const llvm::Type *rt;       // return type
  size_t lanes;               // vector lanes of the result, 0 if scalar
  char code;                  // mangled code of the first parameter
  bool floatArgs;             // code == 'f'
  Val &result;

  // Lane-wise application (scalar arguments broadcast to the lanes).
  template <class F> Val lanes1(F f) const {
    if (lanes == 0)
      return f(a[0]);
    std::vector<Val> out;
    for (size_t i = 0; i < lanes; ++i)
      out.push_back(f(a[0].elems[i]));
    return Val::vec(std::move(out));
  }
  template <class F> Val lanes2(F f) const {
    if (lanes == 0)
      return f(a[0], a[1]);
    std::vector<Val> out;
    Val x = broadcast(a[0]), y = broadcast(a[1]);
    for (size_t i = 0; i < lanes; ++i)
      out.push_back(f(x.elems[i], y.elems[i]));
    return Val::vec(std::move(out));
  }
  template <class F> Val lanes3(F f) const {
    if (lanes == 0)
      return f(a[0], a[1], a[2]);
    std::vector<Val> out;
    Val x = broadcast(a[0]), y = broadcast(a[1]), z = broadcast(a[2]);
    for (size_t i = 0; i < lanes; ++i)
      out.push_back(f(x.elems[i], y.elems[i], z.elems[i]));
    return Val::vec(std::move(out));
  }
  Val broadcast(const Val &v) const {
    if (v.isVec() || lanes == 0)
      return v;
    return Val::vec(std::vector<Val>(lanes, v));
  }
};

using BuiltinHandler = bool (*)(BuiltinCall &);

struct BuiltinTable {
  // LLVM intrinsics by base name ("fabs" for llvm.fabs.v4f32).
  std::unordered_map<std::string, BuiltinHandler> intrinsics;
  // OpenCL builtins by demangled name.
  std::unordered_map<std::string, BuiltinHandler> exact;
  // Then by a substring of the name, then by a prefix, in order.
  std::vector<std::pair<std::string, BuiltinHandler>> containing, prefixed;
};

// BuiltinsMath.cpp: math, common, relational, integer, conversion, vector
// load/store handlers and the LLVM intrinsics.
void addMathBuiltins(BuiltinTable &t);

} // namespace ksynth::verify
