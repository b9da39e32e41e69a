// Lower convex hull of energy against one composition coordinate; DFT-vs-CE comparison.
#include "tmorder/fit/hull.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace tmorder::fit {

Hull lower_hull(const std::vector<double>& x, const std::vector<double>& energy, double x_tolerance,
                double energy_tolerance) {
  const std::size_t n = x.size();
  if (n == 0) throw std::invalid_argument("lower_hull: no structures");
  if (energy.size() != n)
    throw std::invalid_argument("lower_hull: " + std::to_string(n) + " compositions but " +
                                std::to_string(energy.size()) + " energies");
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i]) || !std::isfinite(energy[i]))
      throw std::invalid_argument("lower_hull: structure " + std::to_string(i) + " has a non-finite composition or energy");

  // Sort by x, then energy, then index; keep the lowest energy of each x group.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (std::abs(x[a] - x[b]) > x_tolerance) return x[a] < x[b];
    return energy[a] < energy[b];
  });
  std::vector<std::size_t> lowest;
  for (std::size_t k = 0; k < n; ++k)
    if (lowest.empty() || std::abs(x[order[k]] - x[lowest.back()]) > x_tolerance) lowest.push_back(order[k]);

  // End-member reference.
  const std::size_t lo = lowest.front(), hi = lowest.back();
  const double x_lo = x[lo], x_hi = x[hi];
  const double span = x_hi - x_lo;
  Hull h;
  h.formation_energy.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = span > x_tolerance ? (x[i] - x_lo) / span : 0.0;
    h.formation_energy[i] = energy[i] - ((1.0 - t) * energy[lo] + t * energy[hi]);
  }
  const auto& e = h.formation_energy;

  // Andrew's monotone chain, lower part; a point on or above the segment of its neighbours
  // (within energy_tolerance) is removed.
  std::vector<std::size_t>& v = h.vertices;
  for (const std::size_t p : lowest) {
    while (v.size() >= 2) {
      const std::size_t o = v[v.size() - 2], a = v.back();
      const double line = e[o] + (e[p] - e[o]) * (x[a] - x[o]) / (x[p] - x[o]);
      if (e[a] - line >= -energy_tolerance)
        v.pop_back();
      else
        break;
    }
    v.push_back(p);
  }

  h.distance.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    double hull_e = e[v.front()];
    if (v.size() >= 2) {
      std::size_t seg = 0;
      while (seg + 2 < v.size() && x[i] > x[v[seg + 1]]) ++seg;
      const std::size_t a = v[seg], b = v[seg + 1];
      hull_e = e[a] + (e[b] - e[a]) * (x[i] - x[a]) / (x[b] - x[a]);
    }
    h.distance[i] = std::max(0.0, e[i] - hull_e);
  }
  for (const std::size_t p : v) h.distance[p] = 0.0;
  return h;
}

HullComparison compare_hulls(const Hull& dft, const Hull& ce) {
  std::vector<std::size_t> a = dft.vertices, b = ce.vertices;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  HullComparison c;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(c.kept));
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(c.lost));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(c.added));
  return c;
}

}  // namespace tmorder::fit
