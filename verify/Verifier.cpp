// verify(): the kernel compiled, program-scope state checked, then shape
// by shape the method chosen (MethodChoice.h) and its pipeline run
// (ShapePipeline.h); the verdict assembled with its assumptions.
#include "verify/Verifier.h"

#include "solver/Solver.h"
#include "spec/OpTable.h"
#include "support/Error.h"
#include "support/ProcessMemory.h"
#include "verify/MethodChoice.h"
#include "verify/ShapePipeline.h"
#include "verify/compile/CompileInternal.h"
#include "verify/core/BuildOptions.h"
#include "verify/core/Unknown.h"
#include "verify/core/VarNames.h"
#include "verify/discharge/Discharge.h"
#include "verify/discharge/WorkGroupObligations.h"
#include "verify/exec/Executor.h"
#include "verify/exec/ValueOps.h"
#include "verify/methods/SymbolicGroup.h"
#include "verify/methods/SymbolicItem.h"
#include "verify/numerics/SymbolicReference.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <chrono>

namespace ksynth::verify {

using smt::Expr;

namespace {

std::string kernelList(const llvm::Module &m) {
  std::string s;
  for (const llvm::Function &f : m)
    if (f.getCallingConv() == llvm::CallingConv::SPIR_KERNEL)
      s += (s.empty() ? "" : ", ") + f.getName().str();
  return s.empty() ? "none" : s;
}

nlohmann::json assumptionsJson(const spec::Spec &s, const spec::Manifest &m,
                               const VerifyOptions &o) {
  nlohmann::json a;
  a["shapes"] = s.shapes;
  a["fp"] = "IEEE-754 binary32, round-to-nearest-even, subnormals preserved "
            "(no flush-to-zero)";
  a["fmuladd"] = o.fma == FmaMode::Fused
                     ? "fused (one rounding), as PoCL and GPU compilers "
                       "execute llvm.fmuladd"
                     : "unfused (multiply and add each rounded)";
  a["fp_contract"] = m.fpContract;
  a["nan"] = "float inputs range over every encoding their domain allows "
             "(NaNs of both signs, quiet and signalling, every payload); "
             "reinterpretations of float bits are exact; a NaN computed by "
             "an arithmetic operation has any encoding (a nondeterministic "
             "choice per operation); outputs compare all NaNs equal";
  nlohmann::json d = nlohmann::json::object();
  for (const spec::TensorDecl &t : s.inputs)
    d[t.name] = s.domainOf(t.name).describe();
  a["domain"] = d;
  a["tolerance"] = s.tolerance.describe();
  // The reference's transcendentals: PyTorch's float32 functions are not
  // correctly rounded; proofs and refutations allow each within 2 ulp.
  static const std::set<std::string> transcendental = {
      "exp",      "log",         "log1p",         "expm1", "tanh", "sigmoid",
      "softplus", "elu",         "selu",          "gelu",  "silu", "mish",
      "softmax",  "log_softmax", "cross_entropy", "erf"};
  for (const spec::OpNode &n : s.ops)
    if (transcendental.count(n.op) || n.op == "logsumexp" || n.op == "kl_div") {
      a["reference_functions"] =
          "PyTorch's float32 exp/log/log1p/expm1/tanh/erf are assumed within "
          "2 ulp of the exact value (the interpreter computes them correctly "
          "rounded); proofs hold and refutations are reported for every "
          "value in that range";
      break;
    }
  a["unroll_bound"] = o.limits.maxStepsPerItem;
  a["summarize_above"] = o.limits.summarizeAbove;
  a["deadline_s"] = o.deadlineSeconds;
  a["memory_limit_mb"] = o.limits.maxResidentBytes >> 20;
  a["path_bound"] = o.limits.maxPathsPerItem;
  a["method"] = "every work-item of every launch executed with concrete ids "
                "and symbolic data, work-group by work-group and barrier "
                "interval by barrier interval; loops unrolled up to the bound; "
                "concrete hunting before the solver; equivalence per output "
                "element by level (structural, rounding, bit-exact); above " +
                std::to_string(o.symbolicAbove) +
                " work-items or output elements, where the kernel's "
                "work-items do not communicate and the spec's ops are covered "
                "at a symbolic index (" +
                symbolicCoveredOpsText() +
                "), "
                "one arbitrary work-item with symbolic ids and two for races, "
                "and for kernels with barriers or __local memory one "
                "arbitrary work-group (its work-items enumerated) and two "
                "for races across groups "
                "(work_items says which, per shape), where accumulation loops "
                "that may run summarize_above times or more are summarised "
                "(one arbitrary iteration, the trip count proved) and matched "
                "to the reference's reductions by induction";
  a["work_items"] = nlohmann::json::object();
  a["local_mem_bytes"] = m.localMemBytes;
  a["abstractions"] = nlohmann::json::array();
  describeBuildOptions(m, a); // verify/core/BuildOptions.cpp
  return a;
}

} // namespace

std::string shapeLabel(const spec::ShapeBinding &b) {
  std::string s;
  for (auto &[k, v] : b)
    s += (s.empty() ? "" : ",") + k + "=" + std::to_string(v);
  return s.empty() ? "(no symbols)" : s;
}

Expr floatOf(const Expr &bits32) { return Expr::fpFromBits(bits32); }

Verdict verify(const spec::Spec &s, const spec::Manifest &m,
               const VerifyOptions &given) {
  auto t0 = std::chrono::steady_clock::now();
  VerifyOptions opts = given;
  opts.limits.deadline = t0 + std::chrono::milliseconds(static_cast<int64_t>(
                                  given.deadlineSeconds * 1000));
  opts.limits.maxResidentBytes =
      given.maxMemoryMb
          ? given.maxMemoryMb << 20
          : std::max<uint64_t>(uint64_t(1) << 30, physicalBytes() / 2);
  Verdict v;
  v.specPath = s.path;
  v.manifestPath = m.path;
  v.assumptions = assumptionsJson(s, m, opts);
  v.solver = opts.solver.toJson();

  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> mod = compileToModule(m, ctx);
  std::vector<const llvm::Function *> kernels;
  for (size_t li = 0; li < m.launches.size(); ++li) {
    const llvm::Function *k = mod->getFunction(m.launches[li].kernel);
    if (!k || k->isDeclaration() ||
        k->getCallingConv() != llvm::CallingConv::SPIR_KERNEL)
      throw UserError(m.path + ": launch " + std::to_string(li + 1) +
                      ": no kernel '" + m.launches[li].kernel + "' in " +
                      m.sourcePath + " (kernels: " + kernelList(*mod) + ")");
    kernels.push_back(k);
  }

  std::unique_ptr<smt::QuerySolver> solver = smt::makeSolverStack(opts.solver);
  VerifyRun R{s, m, opts, *mod, kernels, *solver, v, "", "", 0, {}};
  std::string &unknownReason = R.unknownReason, &unknownKind = R.unknownKind;
  uint64_t &steps = R.steps;
  std::set<std::string> &approximations = R.approximations;

  // State that survives launches is outside what a kernel may rely on.
  for (const llvm::GlobalVariable &gv : mod->globals()) {
    unsigned as = gv.getAddressSpace();
    if (as == kConstantAS || gv.isConstant() ||
        gv.getName().startswith("llvm."))
      continue;
    if (as == kLocalAS)
      continue; // one fresh copy per work-group (verify/exec/WorkGroup.cpp)
    Counterexample cx;
    cx.obligation = toString(ObligationKind::ProgramScopeState);
    cx.shape = s.shapes.front();
    cx.detail = "mutable program-scope variable '" + gv.getName().str() +
                "' keeps state between launches (any inputs show it)";
    for (const spec::TensorDecl &t : s.inputs) {
      TensorBits tb;
      tb.dtype = t.dtype;
      tb.shape = spec::inferTypes(s, cx.shape).at(t.name).dims;
      tb.bits.assign(
          static_cast<size_t>(spec::inferTypes(s, cx.shape).at(t.name).numel()),
          0);
      cx.inputs[t.name] = tb;
    }
    v.outcome = Outcome::Refuted;
    v.counterexample = cx;
    v.obligations.push_back({cx.obligation, cx.shape, "refuted", "", 0, 0});
  }

  for (size_t si = 0; si < s.shapes.size() && v.outcome != Outcome::Refuted;
       ++si) {
    ShapeRun run;
    run.shape = s.shapes[si];
    run.types = spec::inferTypes(s, run.shape);
    // The method (verify/MethodChoice.h), then the pipeline it feeds.
    MethodChoice mc =
        chooseMethod(s, m, *kernels[0], run.shape, run.types, opts);
    if (mc.method != Method::Enumerate && runSymbolicShape(R, run, mc))
      continue;
    runEnumeratedShape(R, run, mc);
  }

  for (const std::string &a : approximations)
    v.assumptions["abstractions"].push_back(a);
  if (v.outcome != Outcome::Refuted) {
    if (!unknownReason.empty()) {
      v.outcome = Outcome::Unknown;
      v.reason = unknownReason;
      v.unknownKind = unknownKind;
    } else {
      v.outcome = Outcome::Proved;
    }
  }
  const smt::SolverStats &st = solver->stats();
  v.stats["queries"] = st.queries;
  v.stats["cache_hits"] = st.cacheHits;
  v.stats["solver_seconds"] = st.solverSeconds;
  v.stats["decided_by"] = st.decidedBy;
  if (opts.solver.backend == "portfolio") {
    nlohmann::json pq = nlohmann::json::array();
    for (const smt::PortfolioQuery &p : st.portfolio)
      pq.push_back({{"label", p.label},
                    {"answer", p.answer},
                    {"decided_by", p.decidedBy},
                    {"seconds", p.seconds}});
    v.stats["portfolio_queries"] = pq;
  }
  v.stats["executed_instructions"] = steps;
  v.stats["total_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  return v;
}

} // namespace ksynth::verify
