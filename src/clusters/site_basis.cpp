#include "tmorder/clusters/site_basis.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace tmorder::clusters {

PointFunctions::PointFunctions(int n_species) : m_(n_species) {
  if (n_species < 1) throw std::invalid_argument("PointFunctions: need at least one species");
  values_.assign(static_cast<std::size_t>(m_ * m_), 0.0);
  for (int sigma = 0; sigma < m_; ++sigma) values_[static_cast<std::size_t>(sigma)] = 1.0;
  for (int t = 1; t < m_; ++t) {
    const int k = (t + 1) / 2;
    const bool last_of_even = (m_ % 2 == 0) && (t == m_ - 1);
    for (int sigma = 0; sigma < m_; ++sigma) {
      const double angle = 2.0 * std::numbers::pi * k * sigma / m_;
      double v;
      if (last_of_even) v = -std::cos(angle);  // k = M/2: cos(pi sigma) = +-1, already normalised
      else if (t % 2 == 1) v = -std::sqrt(2.0) * std::cos(angle);
      else v = -std::sqrt(2.0) * std::sin(angle);
      // Exact zeros and +-1 keep symmetric configurations free of rounding noise.
      if (std::abs(v) < 1e-14) v = 0.0;
      values_[static_cast<std::size_t>(t * m_ + sigma)] = v;
    }
  }
}

}  // namespace tmorder::clusters
