#include "tmorder/observables/honeycomb.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>

#include "tmorder/observables/sublattice_sites.hpp"
#include "tmorder/util/error.hpp"

namespace tmorder::observables {

namespace {

constexpr double kTol = 1e-6;  // Angstrom: in-plane and equal-length tests on exact lattice vectors
constexpr int kSearch = 6;     // parent translations searched per axis for in-plane vectors

struct InPlane {
  IVec3 a1, a2;  // parent translations (integer)
};

// The two shortest in-plane parent translations at 120 degrees, right-handed about n.
InPlane triangular_vectors(const Mat3& cell, const Vec3& n) {
  std::vector<IVec3> in_plane;
  for (int i = -kSearch; i <= kSearch; ++i)
    for (int j = -kSearch; j <= kSearch; ++j)
      for (int k = -kSearch; k <= kSearch; ++k) {
        const IVec3 m(i, j, k);
        if (m.isZero()) continue;
        const Vec3 t = cell.transpose() * m.cast<double>();
        if (std::abs(t.dot(n)) < kTol) in_plane.push_back(m);
      }
  if (in_plane.empty())
    throw InputError("honeycomb order: the parent lattice has no lattice vector perpendicular to the layer normal");
  auto cart = [&](const IVec3& m) -> Vec3 { return cell.transpose() * m.cast<double>(); };
  // Stable sort: ties keep the enumeration order, so the choice is deterministic.
  std::stable_sort(in_plane.begin(), in_plane.end(),
                   [&](const IVec3& x, const IVec3& y) { return cart(x).norm() < cart(y).norm() - kTol; });
  const IVec3 a1 = in_plane.front();
  const Vec3 t1 = cart(a1);
  const double len = t1.norm();
  for (const IVec3& m : in_plane) {
    const Vec3 t = cart(m);
    if (std::abs(t.norm() - len) > kTol) break;  // sorted: no more vectors of the shortest length
    if (std::abs(t.dot(t1) + 0.5 * len * len) < kTol * len && t1.cross(t).dot(n) > 0) return {a1, m};
  }
  throw InputError(fmt::format("honeycomb order: the in-plane lattice perpendicular to the layer normal is not "
                               "triangular (no lattice vector of the shortest length {:.6f} A at 120 degrees)",
                               len));
}

// Two basis sites of the sublattice in one plane would make a layer a non-Bravais net
// (e.g. a honeycomb parent), for which K below is not the right superstructure vector.
void check_one_basis_per_plane(const lattice::ParentLattice& parent, int sublattice, const Vec3& n) {
  const auto& s = parent.structure;
  for (std::size_t b = 0; b < s.size(); ++b)
    for (std::size_t c = b + 1; c < s.size(); ++c) {
      if (parent.site_sublattice[b] != sublattice || parent.site_sublattice[c] != sublattice) continue;
      const double dh = s.cartesian(s.frac[c] - s.frac[b]).dot(n);
      for (int i = -kSearch; i <= kSearch; ++i)
        for (int j = -kSearch; j <= kSearch; ++j)
          for (int k = -kSearch; k <= kSearch; ++k)
            if (std::abs(dh + s.cartesian(Vec3(i, j, k)).dot(n)) < kTol)
              throw InputError(fmt::format("honeycomb order: parent sites {} and {} of sublattice '{}' lie in one "
                                           "layer; only one sublattice site per parent cell per layer is supported",
                                           b, c, parent.sublattices[static_cast<std::size_t>(sublattice)].name));
    }
}

}  // namespace

HoneycombOrder::HoneycombOrder(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                               const std::string& sublattice_name, const std::string& species_name,
                               const Vec3& layer_normal)
    : n_sites_(supercell.n_sites()) {
  check_parent(parent, supercell, "HoneycombOrder");
  if (!(layer_normal.norm() > 0.0)) throw std::invalid_argument("HoneycombOrder: the layer normal is zero");
  const Vec3 n = layer_normal.normalized();
  const int sublattice = find_sublattice(parent, sublattice_name);
  species_ = find_species(parent, sublattice, species_name);
  sites_ = sublattice_sites(parent, supercell, sublattice);
  check_one_basis_per_plane(parent, sublattice, n);

  const Mat3& cell = parent.structure.cell;
  const InPlane v = triangular_vectors(cell, n);
  const Vec3 t1 = cell.transpose() * v.a1.cast<double>();
  const Vec3 t2 = cell.transpose() * v.a2.cast<double>();
  // In-plane duals: b_i = sum_j (G^-1)_ij a_j with the Gram matrix G_ij = a_i . a_j.
  Eigen::Matrix2d G;
  G << t1.dot(t1), t1.dot(t2), t2.dot(t1), t2.dot(t2);
  const Eigen::Matrix2d Gi = G.inverse();
  const Vec3 b1 = Gi(0, 0) * t1 + Gi(0, 1) * t2;
  const Vec3 b2 = Gi(1, 0) * t1 + Gi(1, 1) * t2;
  K_ = 2.0 * std::numbers::pi * (b1 + b2) / 3.0;

  // Layers by connectivity under +-a1, +-a2; each step multiplies the phase by w = e^{2 pi i/3}
  // (K.a1 = K.a2 = 2 pi / 3). The class k (phase = phase(start) * w^k) is tracked exactly in
  // integers, so a supercell that is not sqrt3-periodic in plane is detected, not rounded.
  std::vector<int> local(static_cast<std::size_t>(supercell.n_sites()), -1);
  for (std::size_t k = 0; k < sites_.size(); ++k) local[static_cast<std::size_t>(sites_[k])] = static_cast<int>(k);
  const std::array<std::pair<IVec3, int>, 4> steps{{{v.a1, 1}, {IVec3(-v.a1), 2}, {v.a2, 1}, {IVec3(-v.a2), 2}}};
  const std::array<std::complex<double>, 3> w{std::complex<double>(1.0, 0.0),
                                              std::polar(1.0, 2.0 * std::numbers::pi / 3.0),
                                              std::polar(1.0, 4.0 * std::numbers::pi / 3.0)};
  const std::size_t n_sub = sites_.size();
  layer_.assign(n_sub, -1);
  phase_.assign(n_sub, {0.0, 0.0});
  std::vector<int> cls(n_sub, 0);
  std::vector<double> height(n_sub, 0.0);
  std::vector<int> layer_size;
  std::deque<int> queue;
  for (std::size_t start = 0; start < n_sub; ++start) {
    if (layer_[start] >= 0) continue;
    const int id = static_cast<int>(layer_size.size());
    layer_size.push_back(0);
    const lattice::LatticeSite s0 = supercell.lattice_site(sites_[start]);
    const Vec3 r0 = parent.structure.cartesian(parent.structure.frac[static_cast<std::size_t>(s0.basis)] +
                                               s0.cell.cast<double>());
    const std::complex<double> phase0 = std::polar(1.0, K_.dot(r0));
    layer_[start] = id;
    cls[start] = 0;
    queue.push_back(static_cast<int>(start));
    while (!queue.empty()) {
      const auto k = static_cast<std::size_t>(queue.front());
      queue.pop_front();
      ++layer_size.back();
      phase_[k] = phase0 * w[static_cast<std::size_t>(cls[k])];
      const lattice::LatticeSite here = supercell.lattice_site(sites_[k]);
      height[k] = parent.structure
                      .cartesian(parent.structure.frac[static_cast<std::size_t>(here.basis)] + here.cell.cast<double>())
                      .dot(n);
      for (const auto& [step, dk] : steps) {
        const auto nb = static_cast<std::size_t>(local[static_cast<std::size_t>(
            supercell.site_index(here.basis, IVec3(here.cell + step)))]);
        const int want = (cls[k] + dk) % 3;
        if (layer_[nb] < 0) {
          layer_[nb] = id;
          cls[nb] = want;
          queue.push_back(static_cast<int>(nb));
        } else if (cls[nb] != want) {
          throw InputError(fmt::format("honeycomb order: the supercell's in-plane periodicity is not a multiple of "
                                       "the sqrt3 x sqrt3 cell (supercell rows [{}]), so K is not commensurate",
                                       fmt::format("{} {} {}; {} {} {}; {} {} {}", supercell.matrix()(0, 0),
                                                   supercell.matrix()(0, 1), supercell.matrix()(0, 2),
                                                   supercell.matrix()(1, 0), supercell.matrix()(1, 1),
                                                   supercell.matrix()(1, 2), supercell.matrix()(2, 0),
                                                   supercell.matrix()(2, 1), supercell.matrix()(2, 2))));
        }
      }
    }
  }

  // Order layers by height (lowest wrapped site of each), so that output follows the stacking.
  std::vector<double> low(layer_size.size(), std::numeric_limits<double>::infinity());
  for (std::size_t k = 0; k < n_sub; ++k)
    low[static_cast<std::size_t>(layer_[k])] = std::min(low[static_cast<std::size_t>(layer_[k])], height[k]);
  std::vector<int> order(layer_size.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    return low[static_cast<std::size_t>(x)] < low[static_cast<std::size_t>(y)];
  });
  std::vector<int> rank(order.size());
  for (std::size_t r = 0; r < order.size(); ++r) rank[static_cast<std::size_t>(order[r])] = static_cast<int>(r);
  for (int& l : layer_) l = rank[static_cast<std::size_t>(l)];
  for (const int old : order) {
    layer_size_.push_back(layer_size[static_cast<std::size_t>(old)]);
    layer_height_.push_back(low[static_cast<std::size_t>(old)]);
  }
}

HoneycombResult HoneycombOrder::compute(std::span<const ce::Occupation> occ) const {
  if (occ.size() != static_cast<std::size_t>(n_sites_))
    throw std::invalid_argument(
        fmt::format("HoneycombOrder: occupation has {} entries, the supercell has {}", occ.size(), n_sites_));
  HoneycombResult r;
  const std::size_t n_layers = layer_size_.size();
  r.amplitude.assign(n_layers, {0.0, 0.0});
  r.count.assign(n_layers, 0);
  r.psi.assign(n_layers, 0.0);
  for (std::size_t k = 0; k < sites_.size(); ++k) {
    if (occ[static_cast<std::size_t>(sites_[k])] != species_) continue;
    const auto l = static_cast<std::size_t>(layer_[k]);
    r.amplitude[l] += phase_[k];
    ++r.count[l];
  }
  for (std::size_t l = 0; l < n_layers; ++l)
    r.psi[l] = r.count[l] > 0 ? std::abs(r.amplitude[l]) / static_cast<double>(r.count[l]) : 0.0;
  r.mean = n_layers > 0 ? std::accumulate(r.psi.begin(), r.psi.end(), 0.0) / static_cast<double>(n_layers) : 0.0;
  return r;
}

}  // namespace tmorder::observables
