#pragma once
// Generic long-range order parameter: the overlap of a configuration with the closest
// symmetry-equivalent variant of a reference ordered structure (honeycomb Ni2/3Sb1/3,
// the Mn/Al "queue" order, or any ordering given as a decorated supercell).
#include <span>
#include <string>
#include <vector>

#include "tmorder/ce/local_energy.hpp"
#include "tmorder/clusters/cluster_space.hpp"
#include "tmorder/lattice/supercell.hpp"

namespace tmorder::observables {

/// Overlap order parameter
///
///   Q(occ) = max_v (f_v - f0) / (1 - f0),
///
/// where v runs over the distinct variants of the reference ordering on the simulation cell,
/// f_v is the fraction of the chosen sublattice's sites whose species equals variant v's, and
/// f0 = sum_s c_s^2 is the expected match fraction of a random arrangement at the reference
/// composition c_s (the probability that two independent sites drawn at that composition
/// agree). Q = 1 for perfect order in some variant, Q ~ 0 for a random arrangement (it can be
/// slightly negative, and its finite-size noise is positive-biased by the max over variants).
///
/// Variants. The reference pattern (species of reference site s) is carried to
/// g(s) + t for every space-group operation g and parent translation t. Because the pattern
/// is periodic in the reference cell, the translations modulo the reference lattice are
/// enough, and {g(s + t')} over all g, t' is the same set as {g(s) + t}. Each variant is
/// evaluated on the simulation cell by the inverse map (simulation site p takes the species
/// of reference site g^-1(p) - t'), and it is kept only if it is commensurate: the species so
/// assigned must be periodic under the three simulation-cell vectors, i.e. every simulation
/// site receives one consistent species from all its periodic images. Identical variants are
/// stored once. Commensurability and identity are judged on the chosen sublattice only:
/// the order parameter looks only there, and another sublattice of the reference may carry
/// an arbitrary (e.g. random) decoration.
class OrderOverlap {
 public:
  /// `reference_cell` and `simulation_cell` are supercells of space.parent() (n_basis equal
  /// to the parent's number of sites); `reference_occ` holds one species index per reference
  /// site. Throws InputError for an unknown sublattice name, a reference occupation of the
  /// wrong size or with an index outside a site's species list, and when no variant is
  /// commensurate with the simulation cell.
  OrderOverlap(const clusters::ClusterSpace& space, const lattice::Supercell& reference_cell,
               std::vector<ce::Occupation> reference_occ, const lattice::Supercell& simulation_cell,
               std::string sublattice_name);

  /// Q(occ) as defined above; occ has one entry per simulation-cell site. No allocation:
  /// a pass over (variants x sublattice sites) byte comparisons.
  [[nodiscard]] double compute(std::span<const ce::Occupation> occ) const;
  /// Overlap (f_v - f0)/(1 - f0) with each variant (for diagnostics: which domain wins).
  [[nodiscard]] std::vector<double> overlaps(std::span<const ce::Occupation> occ) const;

  [[nodiscard]] int n_variants() const { return n_variants_; }
  /// Species indices of variant v on the simulation cell's sublattice sites, in the order of
  /// sites().
  [[nodiscard]] std::span<const ce::Occupation> variant(int v) const;
  /// Simulation-cell indices of the chosen sublattice's sites.
  [[nodiscard]] const std::vector<int>& sites() const { return sites_; }
  /// Expected match fraction of a random arrangement, sum_s c_s^2.
  [[nodiscard]] double random_match() const { return f0_; }
  [[nodiscard]] const std::string& sublattice_name() const { return sublattice_name_; }

 private:
  std::string sublattice_name_;
  std::vector<int> sites_;                   // simulation-cell sites of the sublattice
  std::vector<ce::Occupation> variants_;     // [v * sites_.size() + k]
  int n_variants_ = 0;
  int n_simulation_sites_ = 0;
  double f0_ = 0.0;
};

}  // namespace tmorder::observables
