#include "tmorder/ce/cluster_expansion.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace tmorder::ce {

ClusterExpansion::ClusterExpansion(const clusters::ClusterSpace& space, std::vector<double> ecis)
    : space_(&space), ecis_(std::move(ecis)) {
  if (ecis_.size() != space.n_functions())
    throw std::invalid_argument("cluster expansion: " + std::to_string(ecis_.size()) + " ECIs for " +
                                std::to_string(space.n_functions()) + " cluster functions");
  for (double j : ecis_)
    if (!std::isfinite(j)) throw std::invalid_argument("cluster expansion: non-finite ECI");
}

double ClusterExpansion::energy_per_cell(const Eigen::VectorXd& correlations) const {
  if (static_cast<std::size_t>(correlations.size()) != ecis_.size())
    throw std::invalid_argument("cluster expansion: correlation vector has the wrong length");
  return Eigen::Map<const Eigen::VectorXd>(ecis_.data(), correlations.size()).dot(correlations);
}

}  // namespace tmorder::ce
