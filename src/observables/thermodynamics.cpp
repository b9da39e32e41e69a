#include "tmorder/observables/thermodynamics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "tmorder/mc/monte_carlo.hpp"
#include "tmorder/util/error.hpp"

namespace tmorder::observables {

ThermodynamicAverages::ThermodynamicAverages(double temperature_K, int n_sites, int n_formula_units)
    : temperature_(temperature_K), n_sites_(n_sites), n_formula_units_(n_formula_units) {
  if (!(temperature_K > 0.0) || !std::isfinite(temperature_K))
    throw InputError("thermodynamic averages: temperature must be positive (K), got " + std::to_string(temperature_K));
  if (n_sites <= 0 || n_formula_units <= 0)
    throw InputError("thermodynamic averages: the numbers of sites and formula units must be positive, got " +
                     std::to_string(n_sites) + " and " + std::to_string(n_formula_units));
}

void ThermodynamicAverages::add(double total_energy) {
  energy_.add(total_energy);
  if (n_ == 0) shift_ = total_energy;
  ++n_;
  const double d = total_energy - shift_;
  sum_ += d;
  sum_sq_ += d * d;
  partial_.sum += d;
  partial_.sum_sq += d * d;
  if (++partial_count_ < block_length_) return;
  blocks_[static_cast<std::size_t>(n_blocks_++)] = partial_;
  partial_ = {};
  partial_count_ = 0;
  if (n_blocks_ == kMaxBlocks) {
    // Merge neighbours: 32 blocks of length L -> 16 of length 2L (fixed memory).
    for (int k = 0; k < kMinBlocks; ++k) {
      const Block& a = blocks_[static_cast<std::size_t>(2 * k)];
      const Block& b = blocks_[static_cast<std::size_t>(2 * k + 1)];
      blocks_[static_cast<std::size_t>(k)] = {a.sum + b.sum, a.sum_sq + b.sum_sq};
    }
    n_blocks_ = kMinBlocks;
    block_length_ *= 2;
  }
}

Estimate ThermodynamicAverages::energy() const {
  return {energy_.mean(), energy_.standard_error()};
}

Estimate ThermodynamicAverages::energy_per_site() const { return per(n_sites_, energy()); }

Estimate ThermodynamicAverages::energy_per_formula_unit() const { return per(n_formula_units_, energy()); }

Estimate ThermodynamicAverages::energy_variance() const {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (n_ == 0) return {nan, nan};
  const double n = static_cast<double>(n_);
  const double m = sum_ / n;
  // max(0, .): rounding can make a zero variance a tiny negative number.
  const double value = std::max(0.0, sum_sq_ / n - m * m);
  if (n_blocks_ < 2) return {value, nan};
  // Delete-one-block jackknife over the complete blocks only (equal lengths).
  double s1 = 0.0, s2 = 0.0;
  for (int k = 0; k < n_blocks_; ++k) {
    s1 += blocks_[static_cast<std::size_t>(k)].sum;
    s2 += blocks_[static_cast<std::size_t>(k)].sum_sq;
  }
  const double kb = n_blocks_;
  const double n_rest = (kb - 1.0) * static_cast<double>(block_length_);
  std::array<double, kMaxBlocks> theta{};
  double mean_theta = 0.0;
  for (int k = 0; k < n_blocks_; ++k) {
    const Block& b = blocks_[static_cast<std::size_t>(k)];
    const double mk = (s1 - b.sum) / n_rest;
    theta[static_cast<std::size_t>(k)] = (s2 - b.sum_sq) / n_rest - mk * mk;
    mean_theta += theta[static_cast<std::size_t>(k)] / kb;
  }
  double ss = 0.0;
  for (int k = 0; k < n_blocks_; ++k) {
    const double d = theta[static_cast<std::size_t>(k)] - mean_theta;
    ss += d * d;
  }
  return {value, std::sqrt((kb - 1.0) / kb * ss)};
}

Estimate ThermodynamicAverages::heat_capacity_per_site() const {
  const double kt = mc::kBoltzmann * temperature_;
  const Estimate v = energy_variance();
  return per(kt * kt * n_sites_, v);
}

Estimate ThermodynamicAverages::heat_capacity_per_formula_unit() const {
  const double kt = mc::kBoltzmann * temperature_;
  const Estimate v = energy_variance();
  return per(kt * kt * n_formula_units_, v);
}

}  // namespace tmorder::observables
