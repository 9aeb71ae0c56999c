// Z3 terms (the ASTs inside Expr) as cvc5 terms, and cvc5's model back as
// a Z3 model (internal to solver/; only Cvc5*.cpp include <cvc5/cvc5.h>).
//
// Covers what Expr builds and what Z3's simplifier turns it into: Bool,
// bit-vectors, floating point (every rounding mode), reals, arrays and
// uninterpreted functions, quantifier-free. Anything else throws
// Cvc5Unsupported, which the back end reports as unknown.
//
// fp.to_ieee_bv is not SMT-LIB (cvc5 has no such operator): each distinct
// term fp.to_ieee_bv(x) becomes a fresh bit-vector b with the side
// constraint ((_ to_fp e s) b) = x. For a NaN x that allows every NaN
// pattern where Z3 fixes one, so the translation only ever widens what is
// satisfiable: cvc5's unsat is unsat for Z3 too, and a cvc5 model is
// accepted only if Z3's evaluation satisfies the query (ForkedCheck.h).
#pragma once

#include "solver/Expr.h"

#include <cvc5/cvc5.h>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>
#include <z3.h>

namespace ksynth::smt::detail {

struct Cvc5Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Whether the terms use a floating-point sort other than binary32/binary64
// (binary16): cvc5 1.0 handles those only with its experimental FP
// solver (option fp-exp, to be set before any term is made).
bool needsExperimentalFP(const std::vector<Expr> &terms);

class Cvc5Translator {
public:
  explicit Cvc5Translator(cvc5::Solver &s) : s_(s) {}
  // The cvc5 term of `e` (memoised over shared subterms).
  cvc5::Term term(const Expr &e);
  // Side constraints of the fresh variables made so far (assert them too).
  const std::vector<cvc5::Term> &sideConstraints() const { return side_; }
  // After a sat check: the model of every uninterpreted constant and
  // function met (functions: at the applications met), as a Z3 model.
  Z3_model model();

private:
  cvc5::Sort sort(Z3_sort z);
  cvc5::Term app(Z3_ast a, const std::vector<cvc5::Term> &args);
  cvc5::Term fpNumeral(Z3_ast a);
  cvc5::Term uninterpreted(Z3_func_decl d);
  Expr value(const cvc5::Term &v, Z3_sort z); // a cvc5 value as a Z3 term

  cvc5::Solver &s_;
  std::unordered_map<unsigned, cvc5::Term> memo_;      // Z3 AST id
  std::unordered_map<unsigned, cvc5::Term> declTerms_; // Z3 decl id
  std::vector<std::pair<Expr, cvc5::Term>> constants_; // arity 0
  std::vector<std::pair<Expr, cvc5::Term>> functions_; // UF applications
  std::vector<cvc5::Term> side_;
};

} // namespace ksynth::smt::detail
