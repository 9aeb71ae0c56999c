#include "verify/Verifier.h"

#include "solver/Solver.h"
#include "spec/OpTable.h"
#include "support/Error.h"
#include "support/ProcessMemory.h"
#include "verify/BuildOptions.h"
#include "verify/CompileInternal.h"
#include "verify/Executor.h"
#include "verify/Discharge.h"
#include "verify/SymbolicGroup.h"
#include "verify/SymbolicItem.h"
#include "verify/SymbolicReference.h"
#include "verify/Unknown.h"
#include "verify/ValueOps.h"
#include "verify/VarNames.h"
#include "verify/WorkGroupObligations.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <chrono>

namespace ksynth::verify {

using smt::Expr;

namespace {

// Most work-items of one launch that are enumerated.
constexpr uint64_t kMaxEnumerated = uint64_t(1) << 22;

// OpenCL address spaces in clang's SPIR output.
constexpr unsigned kGlobalAS = 1, kConstantAS = 2, kLocalAS = 3;

std::string kernelList(const llvm::Module &m) {
  std::string s;
  for (const llvm::Function &f : m)
    if (f.getCallingConv() == llvm::CallingConv::SPIR_KERNEL)
      s += (s.empty() ? "" : ", ") + f.getName().str();
  return s.empty() ? "none" : s;
}

// The scalar leaves of a constant table's initializer in memory order
// (arrays, vectors and arrays of vectors of one scalar type, zero
// initializers included); false for anything else (structs, pointers,
// half or double elements).
bool flattenConstant(const llvm::Constant *c, const llvm::Type *&scalar,
                     std::vector<uint64_t> &bits) {
  const llvm::Type *t = c->getType();
  if (t->isFloatTy() || t->isIntegerTy()) {
    if (scalar && scalar != t)
      return false;
    if (t->isIntegerTy() && t->getIntegerBitWidth() % 8 != 0)
      return false;
    scalar = t;
    if (auto *ci = llvm::dyn_cast<llvm::ConstantInt>(c))
      bits.push_back(ci->getZExtValue());
    else if (auto *cf = llvm::dyn_cast<llvm::ConstantFP>(c))
      bits.push_back(cf->getValueAPF().bitcastToAPInt().getZExtValue());
    else
      return false; // undef, constant expressions
    return true;
  }
  uint64_t n = 0;
  if (auto *at = llvm::dyn_cast<llvm::ArrayType>(t))
    n = at->getNumElements();
  else if (auto *vt = llvm::dyn_cast<llvm::FixedVectorType>(t))
    n = vt->getNumElements();
  else
    return false;
  if (llvm::isa<llvm::ConstantAggregateZero>(c) && n > (uint64_t(1) << 20))
    return false;
  for (uint64_t i = 0; i < n; ++i) {
    const llvm::Constant *e = c->getAggregateElement(static_cast<unsigned>(i));
    if (!e || !flattenConstant(e, scalar, bits))
      return false;
  }
  return true;
}

// Constant-address-space tables become read-only regions of their scalar
// elements (a table of float4 is a region of floats).
void addConstantRegions(const llvm::Module &m, Memory &mem,
                        std::map<const llvm::GlobalVariable *, int> &out) {
  for (const llvm::GlobalVariable &gv : m.globals()) {
    if (gv.getAddressSpace() != kConstantAS || !gv.hasInitializer())
      continue;
    const llvm::Type *scalar = nullptr;
    std::vector<uint64_t> bits;
    if (!flattenConstant(gv.getInitializer(), scalar, bits) || !scalar ||
        bits.empty())
      continue; // stays unsupported (reported if used)
    Region r;
    r.name = "constant:" + gv.getName().str();
    r.role = Role::Constant;
    r.isFloat = scalar->isFloatTy();
    r.elemSize = r.isFloat ? 4 : scalar->getIntegerBitWidth() / 8;
    r.numElems = static_cast<int64_t>(bits.size());
    r.cells.resize(bits.size());
    for (size_t i = 0; i < bits.size(); ++i) {
      r.cells[i].value =
          r.isFloat ? Val::floatConst(static_cast<uint32_t>(bits[i]))
                    : Val::intConst(bits[i], scalar->getIntegerBitWidth());
      r.cells[i].written = Expr::boolVal(true);
    }
    out[&gv] = mem.add(std::move(r));
  }
}

struct Bound {
  std::vector<Val> args; // placeholders (poison) at __local arguments
  std::vector<LocalArg> locals;
  Geometry geom;
};

Bound bindLaunch(const spec::Manifest &m, size_t li, const llvm::Function &k,
                 ShapeRun &run, const std::map<std::string, int> &regions) {
  const spec::Launch &l = m.launches[li];
  std::string where = m.path + ": launch " + std::to_string(li + 1) +
                      " (kernel " + l.kernel + ")";
  if (k.arg_size() != l.args.size())
    throw UserError(where + ": the kernel has " + std::to_string(k.arg_size()) +
                    " parameters, the manifest binds " +
                    std::to_string(l.args.size()));
  Bound b;
  unsigned i = 0;
  for (const llvm::Argument &a : k.args()) {
    const spec::ArgBinding &ab = l.args[i++];
    std::string pw = where + ": argument " + std::to_string(i) + " ('" +
                     a.getName().str() + "')";
    llvm::Type *t = a.getType();
    if (t->isPointerTy()) {
      unsigned as = t->getPointerAddressSpace();
      if (as == kLocalAS) {
        if (ab.kind != spec::ArgBinding::Kind::Local)
          throw UserError(pw + " is a __local pointer but is not bound to "
                               "{\"local\": bytes}");
        int64_t bytes = ab.value.eval(run.shape);
        if (bytes <= 0 || bytes > (int64_t(1) << 30))
          throw UserError(pw + ": __local size of " + std::to_string(bytes) +
                          " bytes at " + shapeLabel(run.shape));
        b.locals.push_back({i - 1, bytes, "local:arg" + std::to_string(i)});
        b.args.push_back(Val::poison());
        continue;
      }
      if (ab.kind == spec::ArgBinding::Kind::Local)
        throw UserError(pw + " is bound to {\"local\": ...} but is not a "
                             "__local pointer");
      if (as != kGlobalAS && as != kConstantAS)
        throw UserError(pw + ": pointer in an unsupported address space");
      if (ab.kind != spec::ArgBinding::Kind::Tensor &&
          ab.kind != spec::ArgBinding::Kind::Temporary)
        throw UserError(pw + " is a pointer but is bound to a scalar");
      auto it = regions.find(ab.name);
      if (it == regions.end())
        throw UserError(pw + ": '" + ab.name +
                        "' is a 0-d tensor (passed by value), not a buffer");
      b.args.push_back(Val::ptr(it->second, Val::intConst(0, 64)));
      continue;
    }
    if (t->isFloatTy()) {
      if (ab.kind == spec::ArgBinding::Kind::Float) {
        b.args.push_back(Val::floatConstF(static_cast<float>(ab.fvalue)));
      } else if (ab.kind == spec::ArgBinding::Kind::Tensor &&
                 run.inputs.count(ab.name) &&
                 run.inputs.at(ab.name).type.dims.empty() &&
                 run.inputs.at(ab.name).type.dtype == spec::DType::Float32) {
        b.args.push_back(
            Val::floatSym(floatOf(run.inputs.at(ab.name).bits[0])));
      } else {
        throw UserError(pw + " is a float but is bound to neither a 0-d "
                             "float32 input nor {\"float\": ...}");
      }
      continue;
    }
    if (t->isIntegerTy()) {
      unsigned w = t->getIntegerBitWidth();
      if (ab.kind != spec::ArgBinding::Kind::Int)
        throw UserError(pw +
                        " is an integer but is bound to a tensor or float");
      int64_t v = ab.value.eval(run.shape);
      if (w < 64 &&
          (v >= (int64_t(1) << (w - 1)) || v < -(int64_t(1) << (w - 1))))
        throw UserError(pw + ": value " + std::to_string(v) +
                        " does not fit in " + std::to_string(w) + " bits");
      b.args.push_back(Val::intConst(static_cast<uint64_t>(v), w));
      continue;
    }
    throw UserError(pw + ": unsupported parameter type");
  }
  b.geom.dims = static_cast<unsigned>(l.global.size());
  for (size_t d = 0; d < l.global.size(); ++d) {
    int64_t g = l.global[d].eval(run.shape);
    if (g <= 0)
      throw UserError(where + ": global size must be positive");
    b.geom.global[d] = static_cast<uint64_t>(g);
  }
  if (l.local) {
    b.geom.hasLocal = true;
    for (size_t d = 0; d < l.local->size(); ++d) {
      int64_t v = (*l.local)[d].eval(run.shape);
      if (v <= 0 || b.geom.global[d] % static_cast<uint64_t>(v) != 0)
        throw UserError(where + ": local size " + std::to_string(v) +
                        " does not divide global size " +
                        std::to_string(b.geom.global[d]) + " at " +
                        shapeLabel(run.shape));
      b.geom.local[d] = static_cast<uint64_t>(v);
    }
  }
  b.geom.subGroupSize = static_cast<uint64_t>(l.subGroupSize);
  return b;
}

// Bytes per element of a buffer of this dtype (bool: one byte, 0 or 1).
unsigned elemBytes(spec::DType t) {
  switch (t) {
  case spec::DType::Bool:
    return 1;
  case spec::DType::Int64:
    return 8;
  default:
    return 4;
  }
}

// Coverage and equivalence over the outputs.
void addOutputObligations(const spec::Spec &s, ShapeRun &run,
                          const std::map<std::string, int> &regions) {
  SymDomain sd;
  FloatBits outputBits; // float cells read as integer outputs
  std::map<std::string, spec::Tensor<Expr>> symIn;
  for (auto &[name, iv] : run.inputs) {
    spec::Tensor<Expr> t;
    t.type = iv.type;
    for (const Expr &b : iv.bits)
      t.data.push_back(iv.type.dtype == spec::DType::Bool
                           ? b.ne(Expr::bvVal(0, 8))
                       : iv.type.dtype == spec::DType::Int64 ? b
                                                             : floatOf(b));
    symIn[name] = std::move(t);
  }
  auto ref = spec::evaluate(s, run.shape, symIn, sd);
  for (const std::string &o : s.outputs) {
    Region &r = run.mem.at(regions.at(o));
    const spec::Tensor<Expr> &rt = ref.at(o);
    for (int64_t i = 0; i < r.numElems; ++i) {
      Cell &c = r.cells[static_cast<size_t>(i)];
      if (!c.written.isTrue())
        run.log.add({ObligationKind::Coverage, !c.written,
                     o + "[" + std::to_string(i) + "] is never written" +
                         (c.written.isFalse() ? "" : " for some inputs"),
                     o, i});
      EquivItem e;
      e.output = o;
      e.flat = i;
      e.reference = rt.data[static_cast<size_t>(i)];
      Val cv = c.value.isPoison()
                   ? Val::floatSym(floatOf(
                         Expr::bvVar(var::stale(var::inputElement(o, i)), 32)))
                   : c.value;
      if (rt.type.dtype == spec::DType::Bool ||
          rt.type.dtype == spec::DType::Int64) {
        unsigned w = rt.type.dtype == spec::DType::Bool ? 8 : 64;
        if (cv.isFloat()) // a float cell read as bytes: its encoding
          cv = ops::floatToBits(cv, outputBits);
        e.candidate = cv.expr();
        if (e.candidate.bvWidth() > w)
          e.candidate = e.candidate.trunc(w);
        else if (e.candidate.bvWidth() < w)
          e.candidate = e.candidate.zext(w);
      } else {
        e.candidate = (cv.isFloat() ? cv : ops::bitsToFloat(cv)).expr();
      }
      run.equiv.push_back(std::move(e));
    }
  }
}

// The launch's __local memory (arguments plus the static __local variables
// its kernel uses) against the manifest's limit; false (and a violation
// that holds for every input) when over it.
bool checkLocalLimit(const spec::Manifest &m, const llvm::Function &k,
                     const Bound &b, const std::string &label, ShapeRun &run) {
  int64_t args = 0, statics = 0;
  for (const LocalArg &la : b.locals)
    args += la.bytes;
  const llvm::DataLayout &dl = k.getParent()->getDataLayout();
  for (const llvm::GlobalVariable *gv : staticLocals(k))
    statics += static_cast<int64_t>(dl.getTypeAllocSize(gv->getValueType()));
  if (args + statics <= m.localMemBytes)
    return true;
  run.log.add({ObligationKind::LocalMemoryLimit, Expr::boolVal(true),
               label + " uses " + std::to_string(args + statics) +
                   " bytes of __local memory (" + std::to_string(args) +
                   " in arguments, " + std::to_string(statics) +
                   " in __local variables); the manifest allows " +
                   std::to_string(m.localMemBytes) + " (local_mem_bytes)",
               "", -1});
  return false;
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
    if (transcendental.count(n.op)) {
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
                "at a symbolic index (elementwise, reductions, softmax, "
                "cumsum, matmul, conv, pooling, norms, float losses, "
                "argmax/argmin), "
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
  describeBuildOptions(m, a); // verify/BuildOptions.cpp
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
  std::string unknownReason, unknownKind;
  uint64_t steps = 0;
  std::set<std::string> approximations;

  // State that survives launches is outside what a kernel may rely on.
  for (const llvm::GlobalVariable &gv : mod->globals()) {
    unsigned as = gv.getAddressSpace();
    if (as == kConstantAS || gv.isConstant() ||
        gv.getName().startswith("llvm."))
      continue;
    if (as == kLocalAS)
      continue; // one fresh copy per work-group (verify/WorkGroup.cpp)
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
    std::map<std::string, int> regions;
    std::map<const llvm::GlobalVariable *, int> constRegions;
    // Too large to enumerate: one arbitrary work-item, where that applies.
    uint64_t items = 0, outElems = 0;
    for (const spec::Launch &l : m.launches) {
      uint64_t n = 1;
      for (const spec::IntExpr &g : l.global)
        n *= static_cast<uint64_t>(std::max<int64_t>(1, g.eval(run.shape)));
      items = std::max(items, n);
    }
    for (const std::string &o : s.outputs)
      outElems =
          std::max(outElems, static_cast<uint64_t>(run.types.at(o).numel()));
    std::string symbolicWhy;
    bool symbolic =
        (items > opts.symbolicAbove || outElems > opts.symbolicAbove) &&
        symbolicQualifies(s, m, symbolicWhy);
    // Work-items that communicate (barriers, __local memory): one arbitrary
    // work-group (verify/SymbolicGroup.h), which needs the work-group size.
    bool groupMethod = false;
    uint64_t groupItems = 1;
    if (symbolic) {
      const spec::Launch &l = m.launches[0];
      for (const spec::ArgBinding &a : l.args)
        groupMethod = groupMethod || a.kind == spec::ArgBinding::Kind::Local;
      groupMethod = groupMethod || !staticLocals(*kernels[0]).empty() ||
                    usesBarrier(*kernels[0]);
      if (groupMethod && !l.local) {
        symbolic = false;
        symbolicWhy = "kernel " + l.kernel +
                      " uses __local memory or barriers and the manifest "
                      "gives no local size";
      } else if (groupMethod) {
        for (const spec::IntExpr &e : *l.local)
          groupItems *=
              static_cast<uint64_t>(std::max<int64_t>(1, e.eval(run.shape)));
      }
    }
    if (!symbolic && symbolicWhy.empty())
      symbolicWhy = "the shape is not above --symbolic-above " +
                    std::to_string(opts.symbolicAbove);
    // Where the symbolic method cannot decide, shapes small enough to
    // enumerate are enumerated instead.
    // (A reduction reads many input elements per work-item: enumeration
    // makes one variable per element, so those count too.)
    uint64_t inElems = 0;
    bool tensorOps = false;
    for (const spec::OpNode &op : s.ops)
      tensorOps = tensorOps || spec::isTensorOp(op);
    for (const spec::TensorDecl &t : s.inputs)
      inElems += static_cast<uint64_t>(run.types.at(t.name).numel());
    bool canEnumerate =
        items <= kMaxEnumerated && (!tensorOps || inElems <= kMaxEnumerated);
    if (symbolic) {
      size_t obligationsBefore = v.obligations.size();
      std::string symUnknown, symKind;
      v.assumptions["work_items"][shapeLabel(run.shape)] =
          groupMethod
              ? "one arbitrary work-group of " +
                    std::to_string(items / groupItems) +
                    " (symbolic group ids, its " + std::to_string(groupItems) +
                    " work-items enumerated), inter-group races by two "
                    "arbitrary work-groups"
              : "one arbitrary work-item of " + std::to_string(items) +
                    " (symbolic ids), races by two arbitrary work-items";
      try {
        for (const spec::TensorDecl &t : s.inputs) {
          InputVars iv;
          iv.type = run.types.at(t.name);
          if (iv.type.dims.empty()) {
            iv.bits.push_back(Expr::bvVar(t.name, 32));
          } else {
            Region r;
            r.name = t.name;
            r.role = Role::Input;
            r.elemSize = 4;
            r.isFloat = false; // raw bits, as in the enumeration
            r.numElems = iv.type.numel();
            r.symbolic = true;
            regions[t.name] = run.mem.add(std::move(r));
          }
          run.inputs[t.name] = std::move(iv);
        }
        for (const std::string &o : s.outputs) {
          Region r;
          r.name = o;
          r.role = Role::Output;
          // int64 (argmax / argmin, symbolicQualifies): 8-byte integers.
          bool i64 = run.types.at(o).dtype == spec::DType::Int64;
          r.elemSize = i64 ? 8 : 4;
          r.isFloat = !i64;
          r.numElems = run.types.at(o).numel();
          r.symbolic = true;
          regions[o] = run.mem.add(std::move(r));
        }
        addConstantRegions(*mod, run.mem, constRegions);
        Executor ex(*mod, run.mem, run.log, opts.fma, opts.limits);
        ex.setSolver(solver.get());
        for (auto &[gv, id] : constRegions)
          ex.addConstantRegion(gv, id);
        Bound b = bindLaunch(m, 0, *kernels[0], run, regions);
        std::string label = "launch 1 (" + m.launches[0].kernel + ")";
        if (!checkLocalLimit(m, *kernels[0], b, label, run)) {
          // Independent of the inputs: any input refutes it (all zeros,
          // in the sparse form used at shapes this large).
          Counterexample cx;
          cx.obligation = toString(ObligationKind::LocalMemoryLimit);
          cx.shape = run.shape;
          cx.detail = run.log.all().back().detail;
          for (const spec::TensorDecl &t : s.inputs) {
            TensorBits tb;
            tb.dtype = t.dtype;
            tb.shape = run.types.at(t.name).dims;
            if (tb.shape.empty())
              tb.bits.push_back(0);
            else
              tb.sparse = true;
            cx.inputs[t.name] = std::move(tb);
          }
          v.obligations.push_back(
              {cx.obligation, run.shape, "refuted", "", 0, 0});
          v.outcome = Outcome::Refuted;
          v.counterexample = std::move(cx);
          continue;
        }
        SymbolicOutcome so =
            groupMethod
                ? verifySymbolicGroupShape(s, ex, *kernels[0], b.args, b.geom,
                                           b.locals, label, run, opts, *solver,
                                           v.obligations)
                : verifySymbolicShape(s, ex, *kernels[0], b.args, b.geom, label,
                                      run, opts, *solver, v.obligations);
        steps += so.steps;
        approximations.insert(so.approximations.begin(),
                              so.approximations.end());
        // Enumeration would unroll the summarised loops in every work-item:
        // hopeless past the step budget.
        if (so.shortestSummarisedLoop &&
            items * so.shortestSummarisedLoop > opts.limits.maxTotalSteps)
          canEnumerate = false;
        if (so.counterexample) {
          v.outcome = Outcome::Refuted;
          v.counterexample = std::move(so.counterexample);
        } else {
          symUnknown = so.unknownReason;
          symKind = so.unknownKind;
        }
      } catch (const CannotDecide &e) {
        symUnknown = std::string(e.what()) + " at " + shapeLabel(run.shape);
        symKind = toString(e.kind);
        v.obligations.push_back({"all", run.shape, "unknown", "", 0, 0});
      }
      if (symUnknown.empty())
        continue; // proved or refuted
      if (!canEnumerate || v.outcome == Outcome::Refuted) {
        if (unknownReason.empty()) {
          unknownReason = symUnknown;
          unknownKind = symKind;
        }
        continue;
      }
      v.obligations.resize(obligationsBefore);
      run = ShapeRun();
      run.shape = s.shapes[si];
      run.types = spec::inferTypes(s, run.shape);
      regions.clear();
      constRegions.clear();
      symbolicWhy = "undecided: " + symUnknown;
    }
    v.assumptions["work_items"][shapeLabel(run.shape)] =
        "all " + std::to_string(items) + " work-items enumerated" +
        (m.launches.size() > 1 ? " (largest launch)" : "") +
        (items > opts.symbolicAbove || outElems > opts.symbolicAbove
             ? " (symbolic work-item method not used: " + symbolicWhy + ")"
             : "");
    try {
      if (items > kMaxEnumerated) // before making one variable per element
        throw CannotDecide(UnknownKind::TooLarge,
                           "a launch has " + std::to_string(items) +
                               " work-items at " + shapeLabel(run.shape) +
                               "; work-items are enumerated (the symbolic "
                               "work-item method does not apply: " +
                               symbolicWhy +
                               "), so verify at smaller listed shapes");
      // Inputs: one bit-vector variable per element.
      for (const spec::TensorDecl &t : s.inputs) {
        InputVars iv;
        iv.type = run.types.at(t.name);
        unsigned bytes = elemBytes(t.dtype);
        int64_t n = iv.type.numel();
        for (int64_t i = 0; i < n; ++i) {
          if ((i & 65535) == 65535)
            checkMemory(opts.limits,
                        [&] { return "making variables for input " + t.name; });
          iv.bits.push_back(Expr::bvVar(
              iv.type.dims.empty() ? t.name : var::inputElement(t.name, i),
              bytes * 8));
        }
        if (!iv.type.dims.empty()) {
          Region r;
          r.name = t.name;
          r.role = Role::Input;
          r.elemSize = bytes;
          r.isFloat = false; // cells hold the raw bits
          r.numElems = n;
          r.cells.resize(static_cast<size_t>(n));
          for (int64_t i = 0; i < n; ++i) {
            r.cells[static_cast<size_t>(i)].value =
                Val::intSym(iv.bits[static_cast<size_t>(i)]);
            r.cells[static_cast<size_t>(i)].written = Expr::boolVal(true);
          }
          regions[t.name] = run.mem.add(std::move(r));
        }
        run.inputs[t.name] = std::move(iv);
      }
      for (const std::string &o : s.outputs) {
        if (regions.count(o))
          continue; // an output that is also an input
        const spec::TensorType &tt = run.types.at(o);
        Region r;
        r.name = o;
        r.role = Role::Output;
        r.elemSize = elemBytes(tt.dtype);
        r.isFloat = tt.dtype == spec::DType::Float32;
        r.numElems = tt.numel();
        regions[o] = run.mem.add(std::move(r));
      }
      for (const spec::Temporary &t : m.temporaries) {
        Region r;
        r.name = t.name;
        r.role = Role::Temp;
        r.elemSize = elemBytes(t.dtype);
        r.isFloat = t.dtype == spec::DType::Float32;
        r.numElems = t.size.eval(run.shape);
        if (r.numElems <= 0 || r.numElems > (int64_t(1) << 28))
          throw UserError(m.path + ": temporary '" + t.name +
                          "' has an invalid size at " + shapeLabel(run.shape));
        regions[t.name] = run.mem.add(std::move(r));
      }
      addConstantRegions(*mod, run.mem, constRegions);

      Executor ex(*mod, run.mem, run.log, opts.fma, opts.limits);
      ex.setSolver(solver.get());
      ex.setCertainViolationCheck([&](const Expr &c) {
        smt::Query q{{domainFor(s, run, c), c},
                     "certain violation " + shapeLabel(run.shape),
                     5000};
        return solver->check(q).status == smt::SatResult::Sat;
      });
      for (auto &[gv, id] : constRegions)
        ex.addConstantRegion(gv, id);
      bool stopped = false; // a launch over the __local limit or divergent
      for (size_t li = 0; li < m.launches.size() && !stopped; ++li) {
        Bound b = bindLaunch(m, li, *kernels[li], run, regions);
        if (b.geom.items() > kMaxEnumerated)
          throw CannotDecide(UnknownKind::TooLarge,
                             "launch " + std::to_string(li + 1) + " has " +
                                 std::to_string(b.geom.items()) +
                                 " work-items at " + shapeLabel(run.shape) +
                                 "; work-items are enumerated (the symbolic "
                                 "work-item method does not apply: " +
                                 symbolicWhy +
                                 "), so verify at smaller listed shapes");
        std::string label = "launch " + std::to_string(li + 1) + " (" +
                            m.launches[li].kernel + ")";
        if (!checkLocalLimit(m, *kernels[li], b, label, run)) {
          stopped = true;
          break;
        }
        ex.runLaunch(*kernels[li], b.args, b.geom, label, b.locals);
        stopped = !ex.abandoned().empty();
      }
      steps += ex.totalSteps();
      approximations.insert(ex.approximations().begin(),
                            ex.approximations().end());

      std::string wgReason, wgKind;
      if (auto cx =
              dischargeWorkGroupObligations(s, *solver, run, ex.divergence(),
                                            v.obligations, wgReason, wgKind)) {
        v.outcome = Outcome::Refuted;
        v.counterexample = std::move(cx);
        continue;
      }
      if (stopped) {
        // Not refuted: the divergence condition is unsatisfiable (a
        // data-dependent but uniform barrier) or undecided.
        if (unknownReason.empty()) {
          unknownReason = (wgReason.empty() ? ex.abandoned() : wgReason) +
                          " at " + shapeLabel(run.shape);
          unknownKind =
              wgReason.empty() ? toString(UnknownKind::Unsupported) : wgKind;
        }
        v.obligations.push_back({"all", run.shape, "unknown", "", 0, 0});
        continue;
      }
      addOutputObligations(s, run, regions);
      Discharger d{s, opts, *solver, v.obligations, "", ""};
      if (auto cx = d.run(run)) {
        v.outcome = Outcome::Refuted;
        v.counterexample = std::move(cx);
      } else if (unknownReason.empty() &&
                 !(d.unknownReason.empty() && wgReason.empty())) {
        unknownReason = wgReason.empty() ? d.unknownReason : wgReason;
        unknownKind = wgReason.empty() ? d.unknownKind : wgKind;
      }
    } catch (const CannotDecide &e) {
      // Violations logged on the paths executed before the run stopped are
      // certain: a runaway loop's out-of-bounds read is refuted although
      // the loop never ends.
      Discharger d{s, opts, *solver, v.obligations, "", ""};
      if (auto cx = d.runCertain(run)) {
        v.outcome = Outcome::Refuted;
        v.counterexample = std::move(cx);
        continue;
      }
      if (unknownReason.empty()) {
        unknownReason = std::string(e.what()) + " at " + shapeLabel(run.shape);
        unknownKind = toString(e.kind);
      }
      v.obligations.push_back({"all", run.shape, "unknown", "", 0, 0});
    }
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
  v.stats["executed_instructions"] = steps;
  v.stats["total_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  return v;
}

} // namespace ksynth::verify
