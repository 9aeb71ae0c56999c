// Integer expressions over shape symbols: a recursive-descent parser and an
// overflow-checked evaluator.
//
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/' | '%') unary)*
//   unary   := '-' unary | primary
//   primary := INT | SYMBOL | FUNC '(' expr (',' expr)* ')' | '(' expr ')'
//   FUNC    := min | max (2 or more arguments) | ceildiv | roundup (2)
//
// '/' and '%' truncate toward zero as in C (on the non-negative values that
// sizes are, this is floor division); ceildiv(a, b) is the exact ceiling of
// a/b and roundup(a, b) = ceildiv(a, b) * b.
#include "spec/IntExpr.h"

#include "support/Error.h"

#include <cctype>
#include <limits>
#include <vector>

namespace ksynth::spec {

struct IntExpr::Node {
  enum class Kind { Const, Sym, Neg, Add, Sub, Mul, Div, Mod, Call } kind;
  int64_t value = 0; // Const
  std::string name;  // Sym, Call (function name)
  std::vector<std::shared_ptr<const Node>> kids;
};

namespace {

using NodeP = std::shared_ptr<const IntExpr::Node>;
using Kind = IntExpr::Node::Kind;

bool isFunction(const std::string &s) {
  return s == "min" || s == "max" || s == "ceildiv" || s == "roundup";
}

NodeP make(Kind k, std::vector<NodeP> kids = {}, int64_t v = 0,
           std::string name = {}) {
  auto n = std::make_shared<IntExpr::Node>();
  n->kind = k;
  n->value = v;
  n->name = std::move(name);
  n->kids = std::move(kids);
  return n;
}

class Parser {
public:
  explicit Parser(const std::string &text) : s_(text) {}

  NodeP parseAll() {
    skipSpace();
    if (pos_ == s_.size())
      fail("empty expression");
    NodeP e = expr();
    skipSpace();
    if (pos_ != s_.size())
      fail("unexpected '" + std::string(1, s_[pos_]) + "'");
    return e;
  }

private:
  [[noreturn]] void fail(const std::string &why) const {
    std::string where = pos_ < s_.size()
                            ? " at position " + std::to_string(pos_ + 1)
                            : " at the end";
    throw UserError("bad expression '" + s_ + "': " + why + where);
  }
  void skipSpace() {
    while (pos_ < s_.size() &&
           std::isspace(static_cast<unsigned char>(s_[pos_])))
      ++pos_;
  }
  bool accept(char c) {
    skipSpace();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!accept(c)) {
      if (pos_ < s_.size())
        fail(std::string("expected '") + c + "', found '" + s_[pos_] + "'");
      fail(std::string("expected '") + c + "'");
    }
  }

  NodeP expr() {
    NodeP l = term();
    for (;;) {
      if (accept('+'))
        l = make(Kind::Add, {l, term()});
      else if (accept('-'))
        l = make(Kind::Sub, {l, term()});
      else
        return l;
    }
  }
  NodeP term() {
    NodeP l = unary();
    for (;;) {
      if (accept('*'))
        l = make(Kind::Mul, {l, unary()});
      else if (accept('/'))
        l = make(Kind::Div, {l, unary()});
      else if (accept('%'))
        l = make(Kind::Mod, {l, unary()});
      else
        return l;
    }
  }
  NodeP unary() {
    if (accept('-'))
      return make(Kind::Neg, {unary()});
    return primary();
  }
  NodeP primary() {
    skipSpace();
    if (pos_ == s_.size())
      fail("expected a number, a symbol or '('");
    char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      NodeP e = expr();
      expect(')');
      return e;
    }
    if (std::isdigit(static_cast<unsigned char>(c)))
      return number();
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = pos_;
      while (pos_ < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
              s_[pos_] == '_'))
        ++pos_;
      std::string name = s_.substr(start, pos_ - start);
      if (isFunction(name))
        return call(name, start);
      return make(Kind::Sym, {}, 0, name);
    }
    fail("expected a number, a symbol or '(', found '" + std::string(1, c) +
         "'");
  }
  NodeP number() {
    size_t start = pos_;
    int64_t v = 0;
    while (pos_ < s_.size() &&
           std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      int d = s_[pos_] - '0';
      if (__builtin_mul_overflow(v, int64_t{10}, &v) ||
          __builtin_add_overflow(v, int64_t{d}, &v)) {
        pos_ = start;
        fail("integer literal does not fit in int64");
      }
      ++pos_;
    }
    if (pos_ < s_.size() &&
        (std::isalpha(static_cast<unsigned char>(s_[pos_])) ||
         s_[pos_] == '_' || s_[pos_] == '.'))
      fail("unexpected '" + std::string(1, s_[pos_]) + "' after a number");
    return make(Kind::Const, {}, v);
  }
  NodeP call(const std::string &name, size_t start) {
    if (!accept('(')) {
      pos_ = start;
      fail("'" + name + "' is a function and needs arguments");
    }
    std::vector<NodeP> args{expr()};
    while (accept(','))
      args.push_back(expr());
    expect(')');
    bool variadic = name == "min" || name == "max";
    if (variadic ? args.size() < 2 : args.size() != 2) {
      pos_ = start;
      fail(name + " takes " + (variadic ? "2 or more" : "2") +
           " arguments, got " + std::to_string(args.size()));
    }
    return make(Kind::Call, std::move(args), 0, name);
  }

  const std::string &s_;
  size_t pos_ = 0;
};

class Evaluator {
public:
  Evaluator(const std::map<std::string, int64_t> &env, const std::string &text)
      : env_(env), text_(text) {}

  int64_t eval(const IntExpr::Node &n) const {
    switch (n.kind) {
    case Kind::Const:
      return n.value;
    case Kind::Sym: {
      auto it = env_.find(n.name);
      if (it == env_.end())
        fail("unbound symbol '" + n.name + "'");
      return it->second;
    }
    case Kind::Neg: {
      int64_t a = eval(*n.kids[0]), r;
      if (__builtin_sub_overflow(int64_t{0}, a, &r))
        overflow();
      return r;
    }
    case Kind::Add: {
      int64_t r;
      if (__builtin_add_overflow(eval(*n.kids[0]), eval(*n.kids[1]), &r))
        overflow();
      return r;
    }
    case Kind::Sub: {
      int64_t r;
      if (__builtin_sub_overflow(eval(*n.kids[0]), eval(*n.kids[1]), &r))
        overflow();
      return r;
    }
    case Kind::Mul: {
      int64_t r;
      if (__builtin_mul_overflow(eval(*n.kids[0]), eval(*n.kids[1]), &r))
        overflow();
      return r;
    }
    case Kind::Div:
      return div(eval(*n.kids[0]), eval(*n.kids[1]));
    case Kind::Mod: {
      int64_t a = eval(*n.kids[0]), b = eval(*n.kids[1]);
      div(a, b); // division by zero, INT64_MIN % -1
      return a % b;
    }
    case Kind::Call:
      return call(n);
    }
    KSYNTH_UNREACHABLE("bad IntExpr node");
  }

private:
  [[noreturn]] void fail(const std::string &why) const {
    throw UserError("expression '" + text_ + "': " + why);
  }
  [[noreturn]] void overflow() const { fail("int64 overflow"); }

  int64_t div(int64_t a, int64_t b) const {
    if (b == 0)
      fail("division by zero");
    if (a == std::numeric_limits<int64_t>::min() && b == -1)
      overflow();
    return a / b;
  }
  int64_t ceildiv(int64_t a, int64_t b) const {
    int64_t q = div(a, b), r = a % b;
    if (r != 0 && ((r > 0) == (b > 0)))
      ++q; // cannot overflow: |q| < |a| here
    return q;
  }
  int64_t call(const IntExpr::Node &n) const {
    std::vector<int64_t> v;
    for (const auto &k : n.kids)
      v.push_back(eval(*k));
    if (n.name == "min" || n.name == "max") {
      int64_t r = v[0];
      for (int64_t x : v)
        r = n.name == "min" ? std::min(r, x) : std::max(r, x);
      return r;
    }
    int64_t q = ceildiv(v[0], v[1]);
    if (n.name == "ceildiv")
      return q;
    int64_t r; // roundup
    if (__builtin_mul_overflow(q, v[1], &r))
      overflow();
    return r;
  }

  const std::map<std::string, int64_t> &env_;
  const std::string &text_;
};

void collectSymbols(const IntExpr::Node &n, std::set<std::string> &out) {
  if (n.kind == Kind::Sym)
    out.insert(n.name);
  for (const auto &k : n.kids)
    collectSymbols(*k, out);
}

} // namespace

IntExpr::IntExpr() : root_(make(Kind::Const)), text_("0") {}

IntExpr IntExpr::constant(int64_t v) {
  IntExpr e;
  e.root_ = make(Kind::Const, {}, v);
  e.text_ = std::to_string(v);
  return e;
}

IntExpr IntExpr::parse(const std::string &text) {
  IntExpr e;
  e.root_ = Parser(text).parseAll();
  e.text_ = text;
  return e;
}

int64_t IntExpr::eval(const std::map<std::string, int64_t> &env) const {
  return Evaluator(env, text_).eval(*root_);
}

std::set<std::string> IntExpr::symbols() const {
  std::set<std::string> out;
  collectSymbols(*root_, out);
  return out;
}

} // namespace ksynth::spec
