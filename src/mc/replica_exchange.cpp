#include "tmorder/mc/replica_exchange.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <utility>

#include "tmorder/mc/monte_carlo.hpp"

namespace tmorder::mc {

namespace {

// Adaptive-ladder tuning (see the header for the algorithms).
constexpr double kDamping = 0.5;           // fraction of the way from the old to the proposed ladder
constexpr double kMinGapFraction = 0.02;   // gaps never fall below this fraction of the mean gap
constexpr double kMinWeightFraction = 0.1; // round-trip weights floored at this fraction of the mean

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool strictly_increasing(const std::vector<double>& t) {
  for (std::size_t k = 0; k < t.size(); ++k)
    if (!std::isfinite(t[k]) || (k > 0 && !(t[k] > t[k - 1]))) return false;
  return true;
}

double beta(double kelvin) { return 1.0 / (kBoltzmann * kelvin); }

double ratio(std::uint64_t numerator, std::uint64_t denominator) {
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

// x with erfc(x) = a, for 0 < a < 1 (x > 0): bisection, erfc being decreasing.
double erfc_inverse(double a) {
  double lo = 0.0;
  double hi = 1.0;
  while (std::erfc(hi) > a) hi *= 2.0;
  for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (std::erfc(mid) > a)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

// Raises every gap to at least `floor_value`, taking the difference proportionally from the
// gaps above it, so the sum is kept. Needs gaps.size() * floor_value < sum(gaps).
void floor_gaps(std::vector<double>& gaps, double floor_value) {
  double total = 0.0;
  for (const double g : gaps) total += g;
  std::vector<bool> pinned(gaps.size(), false);
  for (std::size_t pass = 0; pass <= gaps.size(); ++pass) {
    double free_sum = 0.0;
    double pinned_sum = 0.0;
    for (std::size_t k = 0; k < gaps.size(); ++k) (pinned[k] ? pinned_sum : free_sum) += gaps[k];
    const double scale = free_sum > 0.0 ? (total - pinned_sum) / free_sum : 1.0;
    bool changed = false;
    for (std::size_t k = 0; k < gaps.size(); ++k) {
      if (pinned[k]) continue;
      gaps[k] *= scale;
      if (gaps[k] < floor_value) {
        gaps[k] = floor_value;
        pinned[k] = true;
        changed = true;
      }
    }
    if (!changed) return;
  }
}

}  // namespace

std::vector<double> geometric_ladder(double t_min, double t_max, int n) {
  const bool single = n == 1 && t_min == t_max;
  if (!(std::isfinite(t_min) && std::isfinite(t_max) && t_min > 0.0) || !(single || (n >= 2 && t_min < t_max)))
    throw std::invalid_argument("geometric_ladder: need 0 < t_min < t_max and n >= 2 (or n == 1 and t_min == t_max)");
  std::vector<double> t(static_cast<std::size_t>(n));
  const double ratio = t_max / t_min;
  for (int k = 1; k + 1 < n; ++k)
    t[static_cast<std::size_t>(k)] = t_min * std::pow(ratio, static_cast<double>(k) / (n - 1));
  t.front() = t_min;  // the ends exactly
  t.back() = t_max;
  return t;
}

ReplicaExchange::ReplicaExchange(std::vector<double> temperatures, Rng exchange_rng)
    : temperatures_(std::move(temperatures)), rng_(exchange_rng) {
  if (temperatures_.empty() || !strictly_increasing(temperatures_) || !(temperatures_.front() > 0.0))
    throw std::invalid_argument("replica exchange: the temperatures must be positive, finite and strictly increasing");
  const std::size_t n = temperatures_.size();
  replica_at_.resize(n);
  index_of_.resize(n);
  for (std::size_t k = 0; k < n; ++k) replica_at_[k] = index_of_[k] = static_cast<int>(k);
  pair_attempts_.assign(n - 1, 0);
  pair_accepted_.assign(n - 1, 0);
  window_attempts_.assign(n - 1, 0);
  window_accepted_.assign(n - 1, 0);
  label_.assign(n, 0);
  visited_min_.assign(n, 0);
  round_trips_.assign(n, 0);
  up_visits_.assign(n, 0);
  down_visits_.assign(n, 0);
  if (n >= 2) {
    label_.front() = +1;
    visited_min_.front() = 1;
    label_.back() = -1;
  }
  ladder_history_.push_back(temperatures_);
}

int ReplicaExchange::temperature_index(int replica) const {
  if (replica < 0 || replica >= n_temperatures())
    throw std::out_of_range("replica exchange: replica index out of range");
  return index_of_[static_cast<std::size_t>(replica)];
}

int ReplicaExchange::replica_at(int temperature_index) const {
  if (temperature_index < 0 || temperature_index >= n_temperatures())
    throw std::out_of_range("replica exchange: temperature index out of range");
  return replica_at_[static_cast<std::size_t>(temperature_index)];
}

double ReplicaExchange::temperature_of(int replica) const {
  return temperatures_[static_cast<std::size_t>(temperature_index(replica))];
}

int ReplicaExchange::attempt(std::span<const double> energies) {
  const std::size_t n = temperatures_.size();
  if (energies.size() != n) throw std::invalid_argument("replica exchange: need one energy per replica");
  for (const double e : energies)
    if (!std::isfinite(e)) throw std::invalid_argument("replica exchange: energies must be finite");
  int accepted = 0;
  for (std::size_t k = rounds_ % 2; k + 1 < n; k += 2) {
    const int i = replica_at_[k];
    const int j = replica_at_[k + 1];
    const double x = (beta(temperatures_[k]) - beta(temperatures_[k + 1])) *
                     (energies[static_cast<std::size_t>(i)] - energies[static_cast<std::size_t>(j)]);
    ++pair_attempts_[k];
    ++window_attempts_[k];
    if (x >= 0.0 || rng_.uniform() < std::exp(x)) {
      replica_at_[k] = j;
      replica_at_[k + 1] = i;
      index_of_[static_cast<std::size_t>(i)] = static_cast<int>(k + 1);
      index_of_[static_cast<std::size_t>(j)] = static_cast<int>(k);
      ++pair_accepted_[k];
      ++window_accepted_[k];
      ++accepted;
    }
  }
  ++rounds_;
  update_labels();
  return accepted;
}

void ReplicaExchange::update_labels() {
  const std::size_t n = temperatures_.size();
  if (n < 2) return;
  const auto bottom = static_cast<std::size_t>(replica_at_.front());
  if (label_[bottom] == -1 && visited_min_[bottom] != 0) ++round_trips_[bottom];
  label_[bottom] = +1;
  visited_min_[bottom] = 1;
  label_[static_cast<std::size_t>(replica_at_.back())] = -1;
  for (std::size_t k = 0; k < n; ++k) {
    const int label = label_[static_cast<std::size_t>(replica_at_[k])];
    if (label > 0) ++up_visits_[k];
    if (label < 0) ++down_visits_[k];
  }
}

std::vector<double> ReplicaExchange::pair_acceptance() const {
  std::vector<double> a(pair_attempts_.size());
  for (std::size_t k = 0; k < a.size(); ++k)
    a[k] = pair_attempts_[k] == 0 ? kNaN : ratio(pair_accepted_[k], pair_attempts_[k]);
  return a;
}

std::uint64_t ReplicaExchange::total_round_trips() const {
  std::uint64_t total = 0;
  for (const auto r : round_trips_) total += r;
  return total;
}

std::vector<double> ReplicaExchange::up_fraction() const {
  std::vector<double> f(up_visits_.size());
  for (std::size_t k = 0; k < f.size(); ++k) {
    const std::uint64_t labelled = up_visits_[k] + down_visits_[k];
    f[k] = labelled == 0 ? kNaN : ratio(up_visits_[k], labelled);
  }
  return f;
}

void ReplicaExchange::adapt(const std::string& target) {
  std::vector<double> ladder;
  if (target == "acceptance")
    ladder = acceptance_ladder();
  else if (target == "round-trip")
    ladder = round_trip_ladder();
  else
    throw std::invalid_argument("replica exchange: unknown adaptive target '" + target +
                                "' (expected \"acceptance\" or \"round-trip\")");
  // Safety net: only a strictly increasing ladder with the old ends replaces the old one.
  if (ladder.size() == temperatures_.size() && strictly_increasing(ladder) && ladder.front() == temperatures_.front() &&
      ladder.back() == temperatures_.back())
    temperatures_ = std::move(ladder);
  ladder_history_.push_back(temperatures_);
  std::fill(window_attempts_.begin(), window_attempts_.end(), 0);
  std::fill(window_accepted_.begin(), window_accepted_.end(), 0);
  std::fill(up_visits_.begin(), up_visits_.end(), 0);
  std::fill(down_visits_.begin(), down_visits_.end(), 0);
}

std::vector<double> ReplicaExchange::acceptance_ladder() const {
  const std::size_t n = temperatures_.size();
  if (n < 3) return temperatures_;
  // Gaps in ln T of the pairs measured in this window, and their local densities of
  // thermodynamic distance.
  std::vector<std::size_t> measured;
  std::vector<double> gaps, inverse_density;
  double measured_sum = 0.0;
  double inverse_sum = 0.0;
  for (std::size_t k = 0; k + 1 < n; ++k) {
    if (window_attempts_[k] == 0) continue;
    const double gap = std::log(temperatures_[k + 1] / temperatures_[k]);
    const auto attempts = static_cast<double>(window_attempts_[k]);
    const double a = (static_cast<double>(window_accepted_[k]) + 0.5) / (attempts + 1.0);  // never 0 or 1
    const double distance = 2.0 * erfc_inverse(a);
    measured.push_back(k);
    gaps.push_back(gap);
    inverse_density.push_back(gap / distance);
    measured_sum += gap;
    inverse_sum += gap / distance;
  }
  if (measured.size() < 2) return temperatures_;
  for (std::size_t m = 0; m < measured.size(); ++m) {
    const double proposed = measured_sum * inverse_density[m] / inverse_sum;
    gaps[m] = (1.0 - kDamping) * gaps[m] + kDamping * proposed;
  }
  floor_gaps(gaps, kMinGapFraction * measured_sum / static_cast<double>(gaps.size()));
  std::vector<double> log_gap(n - 1);
  for (std::size_t k = 0; k + 1 < n; ++k) log_gap[k] = std::log(temperatures_[k + 1] / temperatures_[k]);
  for (std::size_t m = 0; m < measured.size(); ++m) log_gap[measured[m]] = gaps[m];
  std::vector<double> t(temperatures_);
  double log_t = std::log(t.front());
  for (std::size_t k = 1; k + 1 < n; ++k) {
    log_t += log_gap[k - 1];
    t[k] = std::exp(log_t);
  }
  return t;
}

std::vector<double> ReplicaExchange::round_trip_ladder() const {
  const std::size_t n = temperatures_.size();
  std::vector<double> t(temperatures_);
  if (n < 3) return t;
  const std::vector<double> f = up_fraction();
  // Frozen: the ends, temperatures without f and their neighbours. Between two frozen
  // temperatures every f is defined, and the feedback redistributes the inner ones.
  std::vector<bool> frozen(n, false);
  frozen.front() = frozen.back() = true;
  for (std::size_t k = 0; k < n; ++k) {
    if (!std::isnan(f[k])) continue;
    frozen[k] = true;
    if (k > 0) frozen[k - 1] = true;
    if (k + 1 < n) frozen[k + 1] = true;
  }
  std::size_t a = 0;
  for (std::size_t b = 1; b < n; ++b) {
    if (!frozen[b]) continue;
    const std::size_t intervals = b - a;
    if (intervals >= 2) {
      std::vector<double> weight(intervals);
      double total = 0.0;
      for (std::size_t i = 0; i < intervals; ++i) {
        weight[i] = std::sqrt(std::max(f[a + i] - f[a + i + 1], 0.0));
        total += weight[i];
      }
      if (total > 0.0) {
        const double weight_floor = kMinWeightFraction * total / static_cast<double>(intervals);
        total = 0.0;
        for (double& w : weight) total += (w = std::max(w, weight_floor));
        // Inner points at equal steps of the cumulative weight, linear in T per interval.
        std::vector<double> gaps(intervals);
        double previous = temperatures_[a];
        double cumulative = 0.0;  // weight of the intervals before `i`
        std::size_t i = 0;
        for (std::size_t j = 1; j < intervals; ++j) {
          const double s = total * static_cast<double>(j) / static_cast<double>(intervals);
          while (i + 1 < intervals && cumulative + weight[i] <= s) cumulative += weight[i++];
          const double lo = temperatures_[a + i];
          const double hi = temperatures_[a + i + 1];
          const double proposed = lo + std::min((s - cumulative) / weight[i], 1.0) * (hi - lo);
          const double damped = (1.0 - kDamping) * temperatures_[a + j] + kDamping * proposed;
          gaps[j - 1] = damped - previous;
          previous = damped;
        }
        gaps[intervals - 1] = temperatures_[b] - previous;
        const double span = temperatures_[b] - temperatures_[a];
        floor_gaps(gaps, kMinGapFraction * span / static_cast<double>(intervals));
        for (std::size_t j = 1; j < intervals; ++j) t[a + j] = t[a + j - 1] + gaps[j - 1];
      }
    }
    a = b;
  }
  return t;
}

}  // namespace tmorder::mc
