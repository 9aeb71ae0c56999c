// Exact rationals of 128-bit numerator and denominator (RealNormal.h),
// the coefficients of the real normal form: every operation says when it
// would overflow (nullopt) instead of rounding.
#include "verify/numerics/RealNormal.h"

#include <string>

namespace ksynth::verify {

namespace {

__int128 gcd128(__int128 a, __int128 b) {
  if (a < 0)
    a = -a;
  if (b < 0)
    b = -b;
  while (b != 0) {
    __int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// |x| below 2^125: keeps negation and the sums below from overflowing.
bool small(__int128 x) {
  const __int128 lim = static_cast<__int128>(1) << 125;
  return x < lim && x > -lim;
}

std::string i128str(__int128 x) {
  if (x == 0)
    return "0";
  bool negative = x < 0;
  std::string s;
  while (x != 0) {
    int digit = static_cast<int>(x % 10);
    s.push_back(static_cast<char>('0' + (digit < 0 ? -digit : digit)));
    x /= 10;
  }
  if (negative)
    s.push_back('-');
  return std::string(s.rbegin(), s.rend());
}

} // namespace

std::optional<Rational> Rational::make(__int128 n, __int128 d) {
  if (d == 0 || !small(n) || !small(d))
    return std::nullopt;
  if (d < 0) {
    n = -n;
    d = -d;
  }
  __int128 g = gcd128(n, d);
  if (g > 1) {
    n /= g;
    d /= g;
  }
  if (n == 0)
    d = 1;
  return Rational{n, d};
}

std::optional<Rational> Rational::add(const Rational &o) const {
  __int128 g = gcd128(den, o.den);
  __int128 a, b, n, d;
  if (__builtin_mul_overflow(num, o.den / g, &a) ||
      __builtin_mul_overflow(o.num, den / g, &b) ||
      __builtin_add_overflow(a, b, &n) ||
      __builtin_mul_overflow(den, o.den / g, &d))
    return std::nullopt;
  return make(n, d);
}

std::optional<Rational> Rational::mul(const Rational &o) const {
  __int128 g1 = gcd128(num, o.den), g2 = gcd128(o.num, den);
  if (g1 == 0)
    g1 = 1;
  if (g2 == 0)
    g2 = 1;
  __int128 n, d;
  if (__builtin_mul_overflow(num / g1, o.num / g2, &n) ||
      __builtin_mul_overflow(den / g2, o.den / g1, &d))
    return std::nullopt;
  return make(n, d);
}

std::optional<Rational> Rational::inverse() const {
  if (num == 0)
    return std::nullopt;
  return make(den, num);
}

std::string Rational::str() const {
  return den == 1 ? i128str(num) : i128str(num) + "/" + i128str(den);
}

// ------------------------------------------------------- numeral parsing

} // namespace ksynth::verify
