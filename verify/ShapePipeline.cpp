// The per-shape pipelines of verify(): see ShapePipeline.h. Also the
// launch set-up they share (arguments bound to regions, __constant tables,
// the __local limit, the output obligations).
#include "verify/ShapePipeline.h"

#include "solver/Solver.h"
#include "spec/OpTable.h"
#include "support/Error.h"
#include "support/ProcessMemory.h"
#include "verify/MethodChoice.h"
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
#include "verify/numerics/IntervalEval.h"
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

// The source location of an enumerated counterexample's element: the
// store that wrote its final value (the last store whose condition holds
// at the counterexample's inputs; the last one when that is not known);
// the kernel's definition where no store wrote it.
void locateElement(const ShapeRun &run,
                   const std::map<std::string, int> &regions,
                   const SourceLoc &kernel, Counterexample &cx) {
  if (cx.location.valid())
    return;
  auto rit = regions.find(cx.output);
  if (rit == regions.end() || cx.flatIndex < 0) {
    if (cx.obligation == toString(ObligationKind::Coverage))
      cx.location = kernel;
    return;
  }
  const Region &r = run.mem.at(rit->second);
  if (cx.flatIndex >= r.numElems)
    return;
  const Cell &c = r.cells[static_cast<size_t>(cx.flatIndex)];
  // The counterexample's input bits, for evaluating write conditions.
  std::map<std::string, uint64_t> bits;
  for (auto &[name, iv] : run.inputs) {
    auto it = cx.inputs.find(name);
    if (it == cx.inputs.end())
      continue;
    for (size_t k = 0; k < iv.bits.size(); ++k)
      if (iv.bits[k].isConstVar())
        bits[iv.bits[k].varName()] = it->second.at(static_cast<int64_t>(k));
  }
  IntervalEval ev([&](const Expr &v) -> std::optional<uint64_t> {
    auto it = bits.find(v.varName());
    if (it == bits.end())
      return std::nullopt;
    return it->second;
  });
  auto holds = [&](const Expr &cond) {
    IVal x = ev.eval(cond);
    return x.sort == IVal::Sort::Bool && x.mayTrue && !x.mayFalse;
  };
  auto fails = [&](const Expr &cond) {
    IVal x = ev.eval(cond);
    return x.sort == IVal::Sort::Bool && !x.mayTrue && x.mayFalse;
  };
  bool coverage = cx.obligation == toString(ObligationKind::Coverage);
  if (coverage || !c.store || fails(c.written)) {
    cx.location = kernel;
    cx.location.what =
        "kernel (no store writes " + cx.output + "[" +
        std::to_string(cx.flatIndex) + "]" +
        (c.store && !c.written.isFalse() ? " for these inputs" : "") + ")";
    return;
  }
  const llvm::Instruction *inst = c.store;
  auto later = r.laterStores.find(cx.flatIndex);
  if (later != r.laterStores.end()) {
    inst = later->second.back().second; // when no condition is known
    bool known = false;
    for (size_t k = later->second.size(); k-- > 0 && !known;) {
      if (holds(later->second[k].first)) {
        inst = later->second[k].second;
        known = true;
      } else if (!fails(later->second[k].first)) {
        break; // undecided: keep the last store
      }
    }
    if (!known && std::all_of(later->second.begin(), later->second.end(),
                              [&](const auto &st) { return fails(st.first); }))
      inst = c.store;
  }
  cx.location = accessLocOf(inst, true);
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
  Violation v{ObligationKind::LocalMemoryLimit, Expr::boolVal(true),
              label + " uses " + std::to_string(args + statics) +
                  " bytes of __local memory (" + std::to_string(args) +
                  " in arguments, " + std::to_string(statics) +
                  " in __local variables); the manifest allows " +
                  std::to_string(m.localMemBytes) + " (local_mem_bytes)",
              "", -1};
  v.loc = kernelLocOf(k);
  run.log.add(std::move(v));
  return false;
}

} // namespace

// One arbitrary work-item or work-group (MethodChoice): true when the
// shape is settled (proved, refuted, or unknown with no enumeration to fall
// back on); false when it is to be enumerated instead (mc.whyNotSymbolic
// then says why, and `run` is fresh).
bool runSymbolicShape(VerifyRun &R, ShapeRun &run, MethodChoice &mc) {
  const spec::Spec &s = R.s;
  const spec::Manifest &m = R.m;
  const VerifyOptions &opts = R.opts;
  const llvm::Module *mod = &R.mod;
  const std::vector<const llvm::Function *> &kernels = R.kernels;
  smt::QuerySolver *solver = &R.solver;
  Verdict &v = R.v;
  std::string &unknownReason = R.unknownReason, &unknownKind = R.unknownKind;
  uint64_t &steps = R.steps;
  std::set<std::string> &approximations = R.approximations;
  const uint64_t items = mc.items;
  std::map<std::string, int> regions;
  std::map<const llvm::GlobalVariable *, int> constRegions;
  const uint64_t groupItems = mc.groupItems;
  const spec::ShapeBinding shape = run.shape;
  bool groupMethod = mc.method == Method::OneWorkGroup;
  bool &canEnumerate = mc.canEnumerate;
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
    ex.setSolver(solver);
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
      cx.location = kernelLocOf(*kernels[0]);
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
      v.obligations.push_back({cx.obligation, run.shape, "refuted", "", 0, 0});
      v.outcome = Outcome::Refuted;
      v.counterexample = std::move(cx);
      return true;
    }
    SymbolicOutcome so =
        groupMethod
            ? verifySymbolicGroupShape(s, ex, *kernels[0], b.args, b.geom,
                                       b.locals, label, run, opts, *solver,
                                       v.obligations)
            : verifySymbolicShape(s, ex, *kernels[0], b.args, b.geom, label,
                                  run, opts, *solver, v.obligations);
    steps += so.steps;
    approximations.insert(so.approximations.begin(), so.approximations.end());
    // Enumeration would unroll the summarised loops in every work-item:
    // hopeless past the step budget.
    if (so.shortestSummarisedLoop &&
        items * so.shortestSummarisedLoop > opts.limits.maxTotalSteps)
      canEnumerate = false;
    if (so.counterexample) {
      if (!so.counterexample->location.valid()) {
        // Coverage: no store writes the element; the kernel's definition.
        so.counterexample->location = kernelLocOf(*kernels[0]);
        if (so.counterexample->obligation ==
                toString(ObligationKind::Coverage) &&
            !so.counterexample->output.empty())
          so.counterexample->location.what =
              "kernel (no store writes " + so.counterexample->output + "[" +
              std::to_string(so.counterexample->flatIndex) + "])";
      }
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
    return true; // proved or refuted
  if (!canEnumerate || v.outcome == Outcome::Refuted) {
    if (unknownReason.empty()) {
      unknownReason = symUnknown;
      unknownKind = symKind;
    }
    return true;
  }
  v.obligations.resize(obligationsBefore);
  run = ShapeRun();
  run.shape = shape;
  run.types = spec::inferTypes(s, run.shape);

  mc.whyNotSymbolic = "undecided: " + symUnknown;
  return false;
}

// Every work-item with concrete ids, launch after launch, then the
// discharger (Discharge.h) on what they logged.
void runEnumeratedShape(VerifyRun &R, ShapeRun &run, const MethodChoice &mc) {
  const spec::Spec &s = R.s;
  const spec::Manifest &m = R.m;
  const VerifyOptions &opts = R.opts;
  const llvm::Module *mod = &R.mod;
  const std::vector<const llvm::Function *> &kernels = R.kernels;
  smt::QuerySolver *solver = &R.solver;
  Verdict &v = R.v;
  std::string &unknownReason = R.unknownReason, &unknownKind = R.unknownKind;
  uint64_t &steps = R.steps;
  std::set<std::string> &approximations = R.approximations;
  const uint64_t items = mc.items, outElems = mc.outElems;
  std::map<std::string, int> regions;
  std::map<const llvm::GlobalVariable *, int> constRegions;
  const std::string &symbolicWhy = mc.whyNotSymbolic;
  v.assumptions["work_items"][shapeLabel(run.shape)] =
      "all " + std::to_string(items) + " work-items enumerated" +
      (m.launches.size() > 1 ? " (largest launch)" : "") +
      (items > opts.symbolicAbove || outElems > opts.symbolicAbove
           ? " (symbolic work-item method not used: " + symbolicWhy + ")"
           : "");
  try {
    // Before making one variable per element (MethodChoice's limits).
    if (!mc.tooLarge.empty())
      throw CannotDecide(UnknownKind::TooLarge, mc.tooLarge);
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
    ex.setSolver(solver);
    ex.setCertainViolationCheck([&](const Expr &c) {
      smt::Query q{{domainFor(s, run, c), c},
                   "certain violation " + shapeLabel(run.shape),
                   opts.budgets.certainViolationMs};
      return solver->check(q).status == smt::SatResult::Sat;
    });
    for (auto &[gv, id] : constRegions)
      ex.addConstantRegion(gv, id);
    bool stopped = false; // a launch over the __local limit or divergent
    for (size_t li = 0; li < m.launches.size() && !stopped; ++li) {
      Bound b = bindLaunch(m, li, *kernels[li], run, regions);
      if (b.geom.items() > opts.limits.maxEnumeratedItems)
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
      return;
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
      return;
    }
    addOutputObligations(s, run, regions);
    Discharger d{s, opts, *solver, v.obligations, "", ""};
    if (auto cx = d.run(run)) {
      locateElement(run, regions, kernelLocOf(*kernels.back()), *cx);
      if (!cx->location.valid())
        cx->location = kernelLocOf(*kernels.back());
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
      return;
    }
    if (unknownReason.empty()) {
      unknownReason = std::string(e.what()) + " at " + shapeLabel(run.shape);
      unknownKind = toString(e.kind);
    }
    v.obligations.push_back({"all", run.shape, "unknown", "", 0, 0});
  }
}

} // namespace ksynth::verify
