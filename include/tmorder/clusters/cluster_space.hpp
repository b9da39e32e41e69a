#pragma once
// The cluster space of a parent lattice: orbits up to per-order cutoffs, the site basis and
// the cluster functions whose averages form the correlation vector.
#include <vector>

#include "tmorder/clusters/orbit.hpp"
#include "tmorder/clusters/site_basis.hpp"
#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/symmetry/space_group.hpp"

namespace tmorder::clusters {

class ClusterSpace {
 public:
  /// Finds the space group of the coloured parent and enumerates every orbit of clusters
  /// whose longest site-site distance is <= cutoffs[k - 2] for order k (cutoffs[0] for
  /// pairs, [1] for triplets, ...). Point clusters are always included.
  ClusterSpace(lattice::ParentLattice parent, std::vector<double> cutoffs, double symprec);

  /// Rebuilds a cluster space from stored parts (the model file) without enumeration.
  ClusterSpace(lattice::ParentLattice parent, std::vector<double> cutoffs, double symprec,
               symmetry::SpaceGroup space_group, std::vector<Orbit> orbits);

  [[nodiscard]] const lattice::ParentLattice& parent() const { return parent_; }
  [[nodiscard]] const symmetry::SpaceGroup& space_group() const { return space_group_; }
  [[nodiscard]] const std::vector<Orbit>& orbits() const { return orbits_; }
  [[nodiscard]] const std::vector<double>& cutoffs() const { return cutoffs_; }
  [[nodiscard]] double symprec() const { return symprec_; }
  [[nodiscard]] const PointFunctions& basis(int sublattice) const { return bases_[static_cast<std::size_t>(sublattice)]; }

  /// Length of the correlation vector: 1 (empty cluster) + all cluster functions.
  [[nodiscard]] std::size_t n_functions() const { return offsets_.back(); }
  /// Index of the first function of orbit `k` in the correlation vector (orbit 0 -> 1).
  [[nodiscard]] std::size_t function_offset(std::size_t k) const { return offsets_[k]; }
  /// Cartesian position of a parent site.
  [[nodiscard]] Vec3 position(const lattice::LatticeSite& s) const;

 private:
  void finish_setup();

  lattice::ParentLattice parent_;
  std::vector<double> cutoffs_;
  double symprec_;
  symmetry::SpaceGroup space_group_;
  std::vector<PointFunctions> bases_;
  std::vector<Orbit> orbits_;
  std::vector<std::size_t> offsets_;
};

}  // namespace tmorder::clusters
