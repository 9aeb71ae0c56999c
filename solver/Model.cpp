#include "solver/Context.h"
#include "solver/ExprCheck.h"
#include "solver/Solver.h"

namespace ksynth::smt {

using detail::ctx;

Model::Model(Z3_model m, std::vector<std::pair<Expr, Expr>> rename)
    : model_(m), rename_(std::move(rename)) {
  if (model_)
    Z3_model_inc_ref(ctx(), model_);
}

Model::Model(const Model &o) : model_(o.model_), rename_(o.rename_) {
  if (model_)
    Z3_model_inc_ref(ctx(), model_);
}

Model &Model::operator=(const Model &o) {
  if (o.model_)
    Z3_model_inc_ref(ctx(), o.model_);
  if (model_)
    Z3_model_dec_ref(ctx(), model_);
  model_ = o.model_;
  rename_ = o.rename_;
  return *this;
}

Model::~Model() {
  if (model_)
    Z3_model_dec_ref(ctx(), model_);
}

// The value a variable that the model does not mention stands for.
static Expr defaultValue(const Expr &v) {
  if (v.isBool())
    return Expr::boolVal(false);
  if (v.isBV())
    return Expr::bvVal(0, v.bvWidth());
  if (v.isFP())
    return Expr::fpVal(0.0f);
  return Expr();
}

Expr Model::eval(const Expr &e) const {
  KSYNTH_SMT_CHECK(model_, "Model::eval: null model");
  detail::requireNonNull("Model::eval", e);
  Z3_context c = ctx();
  Expr t = e.substitute(rename_);
  std::vector<std::pair<Expr, Expr>> defaults;
  for (const Expr &v : t.vars()) {
    Z3_func_decl d = Z3_get_app_decl(c, Z3_to_app(c, v.raw()));
    if (Z3_model_has_interp(c, model_, d))
      continue;
    Expr dv = defaultValue(v);
    if (!dv.isNull())
      defaults.emplace_back(v, dv);
  }
  t = t.substitute(defaults);
  Z3_ast r = nullptr;
  bool ok = Z3_model_eval(c, model_, t.raw(), /*model_completion=*/true, &r);
  KSYNTH_SMT_CHECK(ok && r, "Model::eval failed on " + e.str().substr(0, 200));
  return Expr(r);
}

std::optional<uint64_t> Model::bv(const Expr &e) const {
  return eval(e).asUInt();
}

std::optional<uint32_t> Model::fpBits(const Expr &e) const {
  return eval(e).asFPBits();
}

std::optional<bool> Model::boolean(const Expr &e) const {
  return eval(e).asBool();
}

Model Model::withRename(std::vector<std::pair<Expr, Expr>> rename) const {
  for (auto &[from, to] : rename)
    to = to.substitute(rename_);
  return Model(model_, std::move(rename));
}

} // namespace ksynth::smt
