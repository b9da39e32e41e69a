#pragma once
// A cluster expansion: effective cluster interactions (ECIs) on a cluster space.
#include <Eigen/Core>
#include <vector>

#include "tmorder/clusters/cluster_space.hpp"

namespace tmorder::ce {

/// Energy per parent cell E = sum_alpha J_alpha Pi_alpha (eV), one ECI per entry of the
/// correlation vector, J_0 being the empty-cluster (constant) term. The ECI of a function
/// therefore already contains its orbit's multiplicity.
class ClusterExpansion {
 public:
  /// Throws std::invalid_argument unless there is one finite ECI per cluster function.
  ClusterExpansion(const clusters::ClusterSpace& space, std::vector<double> ecis);

  [[nodiscard]] const clusters::ClusterSpace& space() const { return *space_; }
  [[nodiscard]] const std::vector<double>& ecis() const { return ecis_; }
  /// Energy per parent cell of a configuration with these correlations.
  [[nodiscard]] double energy_per_cell(const Eigen::VectorXd& correlations) const;

 private:
  const clusters::ClusterSpace* space_;  // non-owning: the space outlives the expansion
  std::vector<double> ecis_;
};

}  // namespace tmorder::ce
