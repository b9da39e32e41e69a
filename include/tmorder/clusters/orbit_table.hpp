#pragma once
// The cluster functions of one orbit tabulated over occupation tuples: the shared kernel of
// correlation vectors and of local Monte Carlo energies.
#include <vector>

#include "tmorder/clusters/cluster_space.hpp"

namespace tmorder::clusters {

/// values[tuple * n_functions + f] = (1/|class f|) sum over decorations t in class f of
/// prod_i phi_{t_i}(sigma_i), where tuple = sum_i sigma_i * stride[i] encodes the species
/// indices sigma_i of the cluster's sites (in the representative's order).
struct OrbitTable {
  std::vector<int> n_species;  ///< per cluster site
  std::vector<int> stride;     ///< per cluster site; the last site has stride 1
  int n_tuples = 0;
  int n_functions = 0;
  std::vector<double> values;
};

OrbitTable orbit_table(const ClusterSpace& space, std::size_t orbit);

}  // namespace tmorder::clusters
