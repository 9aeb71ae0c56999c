// Which verification method a shape gets: see MethodChoice.h.
#include "verify/MethodChoice.h"

#include "spec/OpTable.h"
#include "support/Error.h"
#include "verify/compile/CompileInternal.h"
#include "verify/exec/Executor.h"
#include "verify/methods/SymbolicGroup.h"
#include "verify/methods/SymbolicItem.h"

#include <llvm/IR/Function.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <algorithm>

namespace ksynth::verify {

const char *toString(Method m) {
  switch (m) {
  case Method::Enumerate:
    return "enumerate";
  case Method::OneWorkItem:
    return "one-work-item";
  case Method::OneWorkGroup:
    return "one-work-group";
  }
  return "?";
}

MethodChoice chooseMethod(const spec::Spec &s, const spec::Manifest &m,
                          const llvm::Function &kernel0,
                          const spec::ShapeBinding &shape,
                          const std::map<std::string, spec::TensorType> &types,
                          const VerifyOptions &opts) {
  MethodChoice c;
  for (const spec::Launch &l : m.launches) {
    uint64_t n = 1;
    for (const spec::IntExpr &g : l.global)
      n *= static_cast<uint64_t>(std::max<int64_t>(1, g.eval(shape)));
    c.items = std::max(c.items, n);
  }
  for (const std::string &o : s.outputs)
    c.outElems =
        std::max(c.outElems, static_cast<uint64_t>(types.at(o).numel()));
  bool large = c.items > opts.symbolicAbove || c.outElems > opts.symbolicAbove;
  bool symbolic = large && symbolicQualifies(s, m, c.whyNotSymbolic);
  // Work-items that communicate (barriers, __local memory): one arbitrary
  // work-group (verify/methods/SymbolicGroup.h), which needs the work-group
  // size.
  bool groupMethod = false;
  if (symbolic) {
    const spec::Launch &l = m.launches[0];
    for (const spec::ArgBinding &a : l.args)
      groupMethod = groupMethod || a.kind == spec::ArgBinding::Kind::Local;
    groupMethod =
        groupMethod || !staticLocals(kernel0).empty() || usesBarrier(kernel0);
    if (groupMethod && !l.local) {
      symbolic = false;
      c.whyNotSymbolic = "kernel " + l.kernel +
                         " uses __local memory or barriers and the manifest "
                         "gives no local size";
    } else if (groupMethod) {
      for (const spec::IntExpr &e : *l.local)
        c.groupItems *=
            static_cast<uint64_t>(std::max<int64_t>(1, e.eval(shape)));
    }
  }
  if (!symbolic && c.whyNotSymbolic.empty())
    c.whyNotSymbolic = "the shape is not above --symbolic-above " +
                       std::to_string(opts.symbolicAbove);
  if (symbolic)
    c.method = groupMethod ? Method::OneWorkGroup : Method::OneWorkItem;
  // A reduction reads many input elements per work-item: enumeration makes
  // one variable per element, so those count too.
  uint64_t inElems = 0;
  bool tensorOps = false;
  for (const spec::OpNode &op : s.ops)
    tensorOps = tensorOps || spec::isTensorOp(op);
  for (const spec::TensorDecl &t : s.inputs)
    inElems += static_cast<uint64_t>(types.at(t.name).numel());
  const ExecLimits &lim = opts.limits;
  bool tooManyItems = c.items > lim.maxEnumeratedItems;
  bool tooManyElems = tensorOps && inElems > lim.maxEnumeratedInputElems;
  c.canEnumerate = !tooManyItems && !tooManyElems;
  if (c.method == Method::Enumerate && !c.canEnumerate)
    c.tooLarge =
        (tooManyItems ? "a launch has " + std::to_string(c.items) +
                            " work-items, more than the " +
                            std::to_string(lim.maxEnumeratedItems) +
                            " that are enumerated"
                      : "the inputs have " + std::to_string(inElems) +
                            " elements, more than the " +
                            std::to_string(lim.maxEnumeratedInputElems) +
                            " that are enumerated where a tensor op reads "
                            "many per work-item") +
        " (the symbolic work-item method does not apply: " + c.whyNotSymbolic +
        "), so verify at smaller listed shapes";
  return c;
}

MethodChoice chooseMethod(const spec::Spec &s, const spec::Manifest &m,
                          const spec::ShapeBinding &shape,
                          const VerifyOptions &opts) {
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> mod = compileToModule(m, ctx);
  const llvm::Function *k = mod->getFunction(m.launches.at(0).kernel);
  if (!k || k->isDeclaration())
    throw UserError(m.path + ": no kernel '" + m.launches.at(0).kernel + "'");
  return chooseMethod(s, m, *k, shape, spec::inferTypes(s, shape), opts);
}

} // namespace ksynth::verify
