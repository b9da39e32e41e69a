#include "tmorder/clusters/correlations.hpp"

#include "tmorder/clusters/orbit_table.hpp"

#include <stdexcept>
#include <string>

namespace tmorder::clusters {

CorrelationCalculator::CorrelationCalculator(const ClusterSpace& space, const lattice::Supercell& supercell)
    : supercell_(supercell), n_functions_(space.n_functions()) {
  const auto& parent = space.parent();
  if (supercell.n_basis() != static_cast<int>(parent.n_sites()))
    throw std::invalid_argument("CorrelationCalculator: supercell basis does not match the parent");
  n_species_of_site_.resize(static_cast<std::size_t>(supercell.n_sites()));
  for (int i = 0; i < supercell.n_sites(); ++i)
    n_species_of_site_[static_cast<std::size_t>(i)] = parent.n_species(i / supercell.n_cells());

  for (std::size_t k = 0; k < space.orbits().size(); ++k) {
    const Orbit& orbit = space.orbits()[k];
    CompiledOrbit c;
    c.order = orbit.order;
    c.n_clusters = orbit.multiplicity();
    c.n_functions = static_cast<int>(orbit.functions.size());
    c.offset = space.function_offset(k);
    for (const auto& cluster : orbit.clusters)
      for (const auto& s : cluster) {
        c.basis.push_back(s.basis);
        c.snf_offset.push_back(supercell_.snf_coordinates(s.cell));
      }
    OrbitTable table = orbit_table(space, k);
    c.stride = std::move(table.stride);
    c.table = std::move(table.values);
    orbits_.push_back(std::move(c));
  }
}

Eigen::VectorXd CorrelationCalculator::compute(std::span<const int> occupation) const {
  const int n_sites = supercell_.n_sites();
  if (occupation.size() != static_cast<std::size_t>(n_sites))
    throw std::invalid_argument("occupation has " + std::to_string(occupation.size()) + " entries, the supercell has " +
                                std::to_string(n_sites) + " sites");
  for (int i = 0; i < n_sites; ++i) {
    const int s = occupation[static_cast<std::size_t>(i)];
    if (s < 0 || s >= n_species_of_site_[static_cast<std::size_t>(i)])
      throw std::invalid_argument("occupation of site " + std::to_string(i) + " is " + std::to_string(s) +
                                  ", outside the species allowed there");
  }
  Eigen::VectorXd corr = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_functions_));
  corr[0] = 1.0;
  const IVec3 D = supercell_.snf_diagonal();
  const int n_cells = supercell_.n_cells();
  std::vector<double> acc;
  for (const CompiledOrbit& c : orbits_) {
    acc.assign(static_cast<std::size_t>(c.n_functions), 0.0);
    const std::size_t n_sites_total = c.basis.size();
    for (int u0 = 0; u0 < D[0]; ++u0)
      for (int u1 = 0; u1 < D[1]; ++u1)
        for (int u2 = 0; u2 < D[2]; ++u2) {
          for (std::size_t first = 0; first < n_sites_total; first += static_cast<std::size_t>(c.order)) {
            int tuple = 0;
            for (int i = 0; i < c.order; ++i) {
              const IVec3& o = c.snf_offset[first + static_cast<std::size_t>(i)];
              int v0 = u0 + o[0], v1 = u1 + o[1], v2 = u2 + o[2];
              if (v0 >= D[0]) v0 -= D[0];
              if (v1 >= D[1]) v1 -= D[1];
              if (v2 >= D[2]) v2 -= D[2];
              const int site = c.basis[first + static_cast<std::size_t>(i)] * n_cells + (v0 * D[1] + v1) * D[2] + v2;
              tuple += occupation[static_cast<std::size_t>(site)] * c.stride[static_cast<std::size_t>(i)];
            }
            const double* row = c.table.data() + static_cast<std::size_t>(tuple * c.n_functions);
            for (int f = 0; f < c.n_functions; ++f) acc[static_cast<std::size_t>(f)] += row[f];
          }
        }
    const double norm = static_cast<double>(n_cells) * c.n_clusters;
    for (int f = 0; f < c.n_functions; ++f)
      corr[static_cast<Eigen::Index>(c.offset) + f] = acc[static_cast<std::size_t>(f)] / norm;
  }
  return corr;
}

Eigen::VectorXd correlations(const ClusterSpace& space, const lattice::Supercell& supercell,
                             std::span<const int> occupation) {
  return CorrelationCalculator(space, supercell).compute(occupation);
}

}  // namespace tmorder::clusters
