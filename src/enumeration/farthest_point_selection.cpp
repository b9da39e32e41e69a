// Greedy farthest-point selection of a training set (see training_set.hpp).
#include "tmorder/enumeration/training_set.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

namespace tmorder::enumeration {

namespace {

// Index of the maximum of `score` over the unselected points; near-ties (within tol * scale)
// broken by `rng`.
std::size_t pick_max(const std::vector<double>& score, const std::vector<char>& taken, std::mt19937_64& rng) {
  double best = -std::numeric_limits<double>::infinity();
  double scale = 0.0;
  for (std::size_t i = 0; i < score.size(); ++i)
    if (!taken[i]) {
      best = std::max(best, score[i]);
      scale = std::max(scale, std::abs(score[i]));
    }
  const double tol = 1e-9 * std::max(scale, 1e-300);
  std::vector<std::size_t> ties;
  for (std::size_t i = 0; i < score.size(); ++i)
    if (!taken[i] && score[i] >= best - tol) ties.push_back(i);
  if (ties.size() == 1) return ties.front();
  return ties[static_cast<std::size_t>(rng() % ties.size())];
}

}  // namespace

std::vector<std::size_t> farthest_point_selection(const std::vector<Eigen::VectorXd>& points, std::size_t k,
                                                  const std::vector<std::size_t>& required, std::uint64_t seed) {
  const std::size_t n = points.size();
  if (k > n)
    throw std::invalid_argument("farthest_point_selection: k = " + std::to_string(k) + " exceeds the " +
                                std::to_string(n) + " points");
  if (required.size() > k)
    throw std::invalid_argument("farthest_point_selection: " + std::to_string(required.size()) +
                                " required points exceed k = " + std::to_string(k));
  for (std::size_t i = 1; i < n; ++i)
    if (points[i].size() != points[0].size())
      throw std::invalid_argument("farthest_point_selection: points of different dimensions");
  std::vector<char> taken(n, 0);
  std::vector<std::size_t> selected;
  selected.reserve(k);
  for (const std::size_t r : required) {
    if (r >= n) throw std::invalid_argument("farthest_point_selection: required index out of range");
    if (taken[r]) throw std::invalid_argument("farthest_point_selection: duplicate required index");
    taken[r] = 1;
    selected.push_back(r);
  }
  if (k == 0) return selected;

  std::mt19937_64 rng(seed);
  if (selected.empty()) {
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(points[0].size());
    for (const auto& p : points) mean += p;
    mean /= static_cast<double>(n);
    std::vector<double> closeness(n);
    for (std::size_t i = 0; i < n; ++i) closeness[i] = -(points[i] - mean).norm();
    const std::size_t first = pick_max(closeness, taken, rng);
    taken[first] = 1;
    selected.push_back(first);
  }

  // Distance of every point to its nearest selected point, updated as points are added.
  std::vector<double> nearest(n, std::numeric_limits<double>::infinity());
  for (const std::size_t s : selected)
    for (std::size_t i = 0; i < n; ++i) nearest[i] = std::min(nearest[i], (points[i] - points[s]).norm());
  while (selected.size() < k) {
    const std::size_t next = pick_max(nearest, taken, rng);
    taken[next] = 1;
    selected.push_back(next);
    for (std::size_t i = 0; i < n; ++i) nearest[i] = std::min(nearest[i], (points[i] - points[next]).norm());
  }
  return selected;
}

}  // namespace tmorder::enumeration
