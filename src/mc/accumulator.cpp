#include "tmorder/mc/accumulator.hpp"

#include <cmath>
#include <limits>

namespace tmorder::mc {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

void Accumulator::add(double x) {
  double value = x;
  for (std::size_t k = 0;; ++k) {
    if (k == n_.size()) {
      n_.push_back(0);
      mean_.push_back(0.0);
      m2_.push_back(0.0);
      pending_.push_back(0.0);
      has_pending_.push_back(0);
    }
    // Welford update of level k with one completed bin mean.
    const std::uint64_t n = ++n_[k];
    const double delta = value - mean_[k];
    mean_[k] += delta / static_cast<double>(n);
    m2_[k] += delta * (value - mean_[k]);
    // Pair it with the waiting bin, if any, to form a bin of level k + 1.
    if (has_pending_[k] == 0) {
      pending_[k] = value;
      has_pending_[k] = 1;
      return;
    }
    has_pending_[k] = 0;
    value = 0.5 * pending_[k] + 0.5 * value;  // exact for a constant series, no overflow
  }
}

std::size_t Accumulator::count() const noexcept {
  return n_.empty() ? 0 : static_cast<std::size_t>(n_[0]);
}

double Accumulator::mean() const noexcept { return n_.empty() ? kNaN : mean_[0]; }

double Accumulator::variance() const noexcept {
  if (count() < 2) return kNaN;
  return m2_[0] / static_cast<double>(n_[0] - 1);
}

double Accumulator::naive_error() const noexcept { return level_error(0); }

std::uint64_t Accumulator::bin_count(std::size_t k) const noexcept {
  return k < n_.size() ? n_[k] : 0;
}

double Accumulator::level_error(std::size_t k) const noexcept {
  const std::uint64_t n = bin_count(k);
  if (n < 2) return kNaN;
  const double nd = static_cast<double>(n);
  return std::sqrt(m2_[k] / (nd * (nd - 1.0)));
}

std::size_t Accumulator::plateau_level() const noexcept {
  std::size_t level = 0;
  for (std::size_t k = 0; k < n_.size(); ++k) {
    if (n_[k] >= kMinBins) level = k;
  }
  return level;
}

double Accumulator::standard_error() const noexcept { return level_error(plateau_level()); }

double Accumulator::autocorrelation_time() const noexcept {
  const double naive = naive_error();
  if (std::isnan(naive)) return kNaN;
  if (naive == 0.0) return 0.5;
  const double ratio = standard_error() / naive;
  return 0.5 * ratio * ratio;
}

bool Accumulator::converged() const noexcept {
  std::size_t top = 0;
  bool found = false;
  for (std::size_t k = 0; k < n_.size(); ++k) {
    if (n_[k] >= kMinConvergedBins) {
      top = k;
      found = true;
    }
  }
  if (!found || top == 0) return false;
  const double upper = level_error(top);
  const double lower = level_error(top - 1);
  if (lower == 0.0) return upper == 0.0;
  return std::abs(upper - lower) < kConvergedTolerance * lower;
}

}  // namespace tmorder::mc
