#pragma once
// Warren-Cowley short-range order parameters on one sublattice, shell by shell.
#include <span>
#include <string>
#include <vector>

#include "tmorder/ce/local_energy.hpp"
#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/lattice/supercell.hpp"

namespace tmorder::observables {

/// alpha[shell][a][b] = 1 - P(b at shell distance | a) / c_b, where
///   P(b | a) = N_ab / sum_b' N_ab'  (N_ab: ordered pairs (i, j) with i holding a, j one of
///              i's shell neighbours on the same sublattice, holding b),
///   c_b      = fraction of the sublattice's sites holding b in this configuration,
/// with a, b indices into the sublattice's species list. alpha = 0 for an uncorrelated
/// (random) arrangement, alpha_ab < 0 when a attracts b, and alpha_aa = 1 when an a never has
/// an a in that shell. Where the ratio is undefined (c_b = 0, or no site holds a) alpha is
/// reported as 0 rather than NaN, so an absent species reads as "no order" and averages over
/// a Monte Carlo run stay finite.
///
/// Shells: distinct distances from a sublattice site to the other sites of the same
/// sublattice in the parent lattice (periodic images included), grouped with a 1e-4 A
/// tolerance; shell 0 is the nearest. For a sublattice with several parent basis sites the
/// shell list is the union over them. A supercell smaller than a shell counts a periodic
/// image as a neighbour (possibly the site itself), as the energy model does.
class WarrenCowley {
 public:
  using Alpha = std::vector<std::vector<std::vector<double>>>;

  /// Throws tmorder::InputError for an unknown sublattice, std::invalid_argument for
  /// n_shells < 1 or a supercell not built on this parent.
  WarrenCowley(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
               const std::string& sublattice_name, int n_shells);

  [[nodiscard]] int n_shells() const { return static_cast<int>(shell_distance_.size()); }
  [[nodiscard]] const std::vector<double>& shell_distances() const { return shell_distance_; }
  /// Mean number of same-sublattice neighbours per site in each shell.
  [[nodiscard]] const std::vector<double>& coordination() const { return coordination_; }
  [[nodiscard]] const std::vector<std::string>& species() const { return species_; }

  /// alpha[shell][a][b]; O(N_sub * sum of shell sizes), allocating only the result.
  [[nodiscard]] Alpha compute(std::span<const ce::Occupation> occ) const;

 private:
  int n_sites_;
  std::vector<std::string> species_;
  std::vector<int> sites_;                     // supercell indices of the sublattice's sites
  std::vector<double> shell_distance_;
  std::vector<double> coordination_;
  std::vector<std::vector<int>> begin_;        // per shell: CSR offsets over sites_ (size N_sub + 1)
  std::vector<std::vector<int>> neighbours_;   // per shell: supercell indices of neighbours
};

}  // namespace tmorder::observables
