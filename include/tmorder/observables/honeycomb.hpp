#pragma once
// Layer-resolved sqrt3 x sqrt3 (honeycomb) order parameter, e.g. Sb in the Ni2/3Sb1/3
// transition-metal layers of Na3Ni2SbO6-type cathodes.
#include <complex>
#include <span>
#include <string>
#include <vector>

#include "tmorder/ce/local_energy.hpp"
#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/lattice/supercell.hpp"

namespace tmorder::observables {

struct HoneycombResult {
  std::vector<double> psi;                            ///< per layer, in [0, 1]
  std::vector<std::complex<double>> amplitude;        ///< per layer: sum_j n_j exp(i K.r_j)
  std::vector<long long> count;                       ///< per layer: number of sites holding the species
  double mean = 0.0;                                  ///< unweighted mean of psi over layers
};

/// psi_L = |sum_{j in L} n_j exp(i K.r_j)| / (c_L N_L) for each layer L of the sublattice,
/// with n_j the indicator of the species and c_L N_L the number of its atoms in the layer
/// (psi_L = 0 when the layer holds none).
///
/// Layers: planes perpendicular to `layer_normal` (Cartesian). a1, a2 are the shortest
/// in-plane parent lattice vectors, |a1| = |a2| at 120 degrees (a triangular layer is
/// required); K = 2 pi (b1 + b2) / 3 with b1, b2 the in-plane duals (a_i . b_j = delta_ij), so
/// K.a1 = K.a2 = 2 pi / 3: K is the zone-corner wavevector of the triangular layer, whose
/// phase exp(i K.r) takes the three values 1, w, w^2 (w = e^{2 pi i / 3}) on the three
/// sqrt3 x sqrt3 sublattices. Hence psi = 1 exactly when every atom of the species in a
/// layer sits on one sqrt3 x sqrt3 sublattice (perfect honeycomb order at c = 1/3, any of
/// the three translational variants, and either chirality of K), and psi ~ sqrt((1-c)/(c N_L))
/// for a random layer.
///
/// A layer is found as the set of sites connected by +-a1, +-a2 steps in the supercell
/// (exact integer connectivity rather than a height tolerance), and exp(i K.r_j) is
/// accumulated along those steps from one site's Cartesian position, so the phase is that of
/// the unwrapped layer and the result does not depend on how sites are wrapped into the
/// supercell. Layers are listed by ascending height (r . n of their lowest wrapped site).
///
/// Throws tmorder::InputError for an unknown sublattice or species, a non-triangular in-plane
/// lattice, two basis sites of the sublattice in one plane (a non-Bravais layer is not
/// supported), or a supercell whose in-plane periodicity is not a multiple of sqrt3 x sqrt3
/// (a step around the periodic layer would change the sublattice: psi is then undefined).
class HoneycombOrder {
 public:
  HoneycombOrder(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                 const std::string& sublattice_name, const std::string& species_name, const Vec3& layer_normal);

  [[nodiscard]] int n_layers() const { return static_cast<int>(layer_size_.size()); }
  [[nodiscard]] const std::vector<int>& layer_sizes() const { return layer_size_; }
  [[nodiscard]] const std::vector<double>& layer_heights() const { return layer_height_; }
  /// The wavevector K, Cartesian (1/Angstrom).
  [[nodiscard]] const Vec3& wavevector() const { return K_; }

  /// psi per layer and their mean; O(N_sub), allocating only the result.
  [[nodiscard]] HoneycombResult compute(std::span<const ce::Occupation> occ) const;

 private:
  int n_sites_;
  int species_;
  Vec3 K_;
  std::vector<int> sites_;
  std::vector<int> layer_;                        // per entry of sites_
  std::vector<std::complex<double>> phase_;       // per entry of sites_: exp(i K.r_j)
  std::vector<int> layer_size_;
  std::vector<double> layer_height_;
};

}  // namespace tmorder::observables
