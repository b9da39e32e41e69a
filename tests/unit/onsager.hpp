#pragma once
// Exact thermodynamic-limit results for the 2D square-lattice Ising model,
// H = -J sum_<ij> s_i s_j with J = 1, k_B = 1 (nearest-neighbour pairs counted once, so the
// ground state has u = -2 per site). Reference values for validating the Monte Carlo engine.
//
//  * Tc = 2 / ln(1 + sqrt 2) (Kramers-Wannier / Onsager).
//  * Energy per site (Onsager 1944):
//      u = -coth(2K) [ 1 + (2/pi) (2 tanh^2(2K) - 1) K1(k) ],  K = 1/T,  k = 2 sinh(2K)/cosh^2(2K),
//    with K1 the complete elliptic integral of the first kind, K1(k) = pi / (2 AGM(1, k')),
//    k' = sqrt(1 - k^2). Written with t = tanh(2K): k^2 = 4 t^2 (1 - t^2), so
//    k' = |1 - 2 t^2| exactly, and (2/pi)(2t^2 - 1) K1 = (2t^2 - 1) / AGM(1, |2t^2 - 1|).
//    This form is used: it has no cancellation in k' near Tc, no overflow of cosh at low T,
//    and at Tc (2t^2 - 1 = 0, where K1 diverges) the product is 0, giving u(Tc) = -sqrt 2.
//  * Specific heat per site, closed form (du/dT of the above, in the form given e.g. in
//    Huang, Statistical Mechanics; checked numerically against Onsager's integral):
//      c = (4/pi) (K coth 2K)^2 { K1 - E1 - (1 - tanh^2 2K) [ pi/2 + (2 tanh^2 2K - 1) K1 ] },
//    E1 the complete elliptic integral of the second kind (also from the AGM). It diverges
//    logarithmically at Tc (returns +inf exactly at k' = 0). The unit test checks it against
//    a central difference of u and against u(T2) - u(T1) = int c dT. At T below ~0.3 the
//    braces cancel to ~1e-16 relative, i.e. c carries an absolute error ~1e-15 there.
//  * Spontaneous magnetisation per site (Onsager 1949 / Yang 1952):
//      m = (1 - sinh^-4(2K))^(1/8) for T < Tc, 0 for T >= Tc.
// All functions throw std::invalid_argument unless T is finite and > 0.
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace tmorder::exact {

namespace detail {

inline void check_temperature(double T) {
  if (!(T > 0.0) || !std::isfinite(T)) {
    throw std::invalid_argument("Onsager solution: temperature must be finite and > 0");
  }
}

/// Arithmetic-geometric mean of a >= b >= 0; with sum != nullptr also accumulates
/// sum_{n>=1} 2^(n-1) c_n^2, c_{n+1} = (a_n - b_n) / 2 (for the elliptic integral E).
inline double agm(double a, double b, double* sum = nullptr) {
  if (b == 0.0) {
    if (sum != nullptr) *sum = std::numeric_limits<double>::quiet_NaN();
    return 0.0;
  }
  double weight = 1.0;  // 2^(n-1) for n = 1
  double acc = 0.0;
  for (int i = 0; i < 100 && std::abs(a - b) > 4.0 * std::numeric_limits<double>::epsilon() * a; ++i) {
    const double c = 0.5 * (a - b);
    acc += weight * c * c;
    weight *= 2.0;
    const double mean = 0.5 * (a + b);
    b = std::sqrt(a * b);
    a = mean;
  }
  if (sum != nullptr) *sum = acc;
  return 0.5 * (a + b);
}

/// K(k) from the complementary modulus k' (k^2 = 1 - k'^2 passed separately for accuracy).
inline double elliptic_k_from(double kprime) {
  return 0.5 * std::numbers::pi / agm(1.0, kprime);  // +inf at k' = 0
}

/// E(k) = K(k) [1 - k^2/2 - sum_{n>=1} 2^(n-1) c_n^2] with a_0 = 1, b_0 = k'.
inline double elliptic_e_from(double k2, double kprime) {
  if (kprime == 0.0) return 1.0;
  double sum = 0.0;
  const double m = agm(1.0, kprime, &sum);
  return 0.5 * std::numbers::pi / m * (1.0 - 0.5 * k2 - sum);
}

}  // namespace detail

/// Complete elliptic integral of the first kind K(k) = int_0^{pi/2} dθ / sqrt(1 - k^2 sin^2 θ),
/// modulus 0 <= k <= 1 (+inf at k = 1).
inline double elliptic_k(double k) {
  return detail::elliptic_k_from(std::sqrt((1.0 - k) * (1.0 + k)));
}

/// Complete elliptic integral of the second kind E(k) = int_0^{pi/2} sqrt(1 - k^2 sin^2 θ) dθ.
inline double elliptic_e(double k) {
  return detail::elliptic_e_from(k * k, std::sqrt((1.0 - k) * (1.0 + k)));
}

/// Critical temperature 2 / ln(1 + sqrt 2) = 2.269185314213022...
inline double onsager_tc() { return 2.0 / std::log(1.0 + std::numbers::sqrt2); }

/// Internal energy per site u(T) (see the header comment); -2 as T -> 0, -sqrt 2 at Tc.
inline double onsager_energy_per_site(double T) {
  detail::check_temperature(T);
  const double K = 1.0 / T;
  const double t = std::tanh(2.0 * K);
  const double x = 2.0 * t * t - 1.0;  // 2 tanh^2(2K) - 1 = ±k'
  const double term = (x == 0.0) ? 0.0 : x / detail::agm(1.0, std::abs(x));
  return -(1.0 / t) * (1.0 + term);
}

/// Specific heat per site c(T) = du/dT, closed form (see the header comment).
inline double onsager_specific_heat_per_site(double T) {
  detail::check_temperature(T);
  const double K = 1.0 / T;
  const double t = std::tanh(2.0 * K);
  const double x = 2.0 * t * t - 1.0;
  const double kprime = std::abs(x);
  if (kprime == 0.0) return std::numeric_limits<double>::infinity();
  const double k2 = 4.0 * t * t * (1.0 - t * t);
  const double K1 = detail::elliptic_k_from(kprime);
  const double E1 = detail::elliptic_e_from(k2, kprime);
  const double pref = K / t;
  return (4.0 / std::numbers::pi) * pref * pref *
         (K1 - E1 - (1.0 - t * t) * (0.5 * std::numbers::pi + x * K1));
}

/// Spontaneous magnetisation per site: (1 - sinh^-4(2K))^(1/8) below Tc, 0 at and above.
inline double onsager_magnetisation(double T) {
  detail::check_temperature(T);
  if (T >= onsager_tc()) return 0.0;
  const double s = std::sinh(2.0 / T);
  const double s2 = s * s;
  const double inner = 1.0 - 1.0 / (s2 * s2);
  return inner > 0.0 ? std::pow(inner, 0.125) : 0.0;
}

}  // namespace tmorder::exact
