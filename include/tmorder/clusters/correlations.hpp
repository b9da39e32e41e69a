#pragma once
// Correlation vectors of configurations on a supercell.
#include <Eigen/Core>
#include <span>
#include <vector>

#include "tmorder/clusters/cluster_space.hpp"
#include "tmorder/lattice/supercell.hpp"

namespace tmorder::clusters {

/// Compiles a cluster space for one supercell into flat tables, then evaluates correlation
/// vectors. The cluster functions of each orbit become a table over occupation tuples
/// (already averaged over the decorations of each function), and every cluster site
/// becomes (basis, Smith-coordinate offset), so the loop over cells does integer adds and
/// table look-ups only.
///
/// An occupation vector holds, for each supercell site (index basis * n_cells + cell), the
/// index of its species in the site's allowed list (0 for fixed sites).
class CorrelationCalculator {
 public:
  CorrelationCalculator(const ClusterSpace& space, const lattice::Supercell& supercell);

  /// Correlation vector: [1 (empty cluster), then each orbit's functions in order].
  [[nodiscard]] Eigen::VectorXd compute(std::span<const int> occupation) const;

  [[nodiscard]] const lattice::Supercell& supercell() const { return supercell_; }

 private:
  struct CompiledOrbit {
    int order = 0;
    int n_clusters = 0;
    int n_functions = 0;
    std::vector<int> basis;          // [cluster * order + i]
    std::vector<IVec3> snf_offset;   // [cluster * order + i], reduced to [0, d)
    std::vector<int> stride;         // occupation-tuple strides per site
    std::vector<double> table;       // [tuple * n_functions + f], decoration-averaged
    std::size_t offset = 0;          // first index in the correlation vector
  };

  lattice::Supercell supercell_;
  std::size_t n_functions_ = 0;
  std::vector<CompiledOrbit> orbits_;
  std::vector<int> n_species_of_site_;  // per supercell site, for input validation
};

/// Convenience: compile and evaluate once.
Eigen::VectorXd correlations(const ClusterSpace& space, const lattice::Supercell& supercell,
                             std::span<const int> occupation);

}  // namespace tmorder::clusters
