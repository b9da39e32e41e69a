#pragma once
// Orthonormal point functions of a site with M allowed species.
#include <vector>

namespace tmorder::clusters {

/// Point functions phi_t(sigma), t = 0..M-1, sigma = 0..M-1, orthonormal under the uniform
/// measure: (1/M) sum_sigma phi_s(sigma) phi_t(sigma) = delta_st, with phi_0 = 1.
///
/// The functions are the trigonometric basis of van de Walle (CALPHAD 33, 266 (2009), as
/// used by ATAT and icet) scaled to unit norm:
///   phi_t(sigma) = -sqrt(2) cos(2 pi k sigma / M) for odd t,
///                  -sqrt(2) sin(2 pi k sigma / M) for even t > 0,   k = ceil(t / 2),
/// except that for even M the last function is -cos(pi sigma) = (-1)^(sigma+1), whose norm is
/// already 1. A binary site therefore has the spin variable phi_1 = -1 (species 0), +1
/// (species 1).
class PointFunctions {
 public:
  explicit PointFunctions(int n_species);
  [[nodiscard]] int n_species() const { return m_; }
  [[nodiscard]] double operator()(int t, int sigma) const { return values_[static_cast<std::size_t>(t * m_ + sigma)]; }
  /// Row-major table values[t * M + sigma].
  [[nodiscard]] const std::vector<double>& table() const { return values_; }

 private:
  int m_;
  std::vector<double> values_;
};

}  // namespace tmorder::clusters
