#pragma once
// An orbit: the set of clusters related by the space group, and its cluster functions.
#include <vector>

#include "tmorder/lattice/supercell.hpp"

namespace tmorder::clusters {

/// Decoration: one point-function index (1..M_i-1) per site of a cluster.
using Decoration = std::vector<int>;

/// A class of decorations that the cluster's own symmetry maps onto each other: they share
/// one effective cluster interaction (ECI) and one correlation.
using ClusterFunction = std::vector<Decoration>;

struct Orbit {
  int order = 0;               ///< number of sites
  double max_distance = 0.0;   ///< longest site-site distance (the quantity cutoffs apply to), Angstrom
  double radius = 0.0;         ///< mean distance of the sites from their centroid, Angstrom
  std::vector<int> sublattices;  ///< sublattice of each site, in cluster order
  /// The symmetry-distinct translations of the cluster per parent cell: clusters[0] is the
  /// representative; every clusters[j] lists its sites in the order of the representative
  /// under one operation that maps it there, with the smallest site in the home cell.
  std::vector<std::vector<lattice::LatticeSite>> clusters;
  /// Decoration classes under the cluster's stabiliser (site permutations); one ECI each.
  std::vector<ClusterFunction> functions;

  /// Clusters of this orbit per parent cell.
  [[nodiscard]] int multiplicity() const { return static_cast<int>(clusters.size()); }
};

}  // namespace tmorder::clusters
