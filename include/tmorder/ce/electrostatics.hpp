#pragma once
// The optional electrostatic energy term: formal point charges per species, an Ewald sum
// over the supercell, and its own coefficient, added to the cluster-expansion energy.
#include <map>
#include <span>
#include <string>
#include <vector>

#include "tmorder/ce/ewald.hpp"
#include "tmorder/ce/local_energy.hpp"
#include "tmorder/lattice/parent_lattice.hpp"

namespace tmorder::ce {

/// E_es = coefficient * (k_e / 2) sum_ij q_i q_j phi(i, j). Shared (read-only) by every
/// replica on one supercell; each replica keeps its own site potentials V_i = sum_j phi q_j,
/// so that a trial costs O(1) and an accepted move O(N) (the potential update).
class Electrostatics {
 public:
  /// `charges` maps every species that can occur (fixed ones such as O included) to its
  /// formal charge in e. Throws tmorder::InputError if a species has no charge or the
  /// coefficient is not finite.
  Electrostatics(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                 const std::map<std::string, double>& charges, double coefficient, EwaldSettings settings = {});

  [[nodiscard]] double coefficient() const { return coefficient_; }
  /// Charge of species index `species` on parent basis site `basis`.
  [[nodiscard]] double charge(int basis, int species) const {
    return charge_[static_cast<std::size_t>(basis)][static_cast<std::size_t>(species)];
  }
  [[nodiscard]] std::vector<double> site_charges(std::span<const Occupation> occ) const;
  [[nodiscard]] std::vector<double> potentials(std::span<const Occupation> occ) const;
  /// Total electrostatic energy (coefficient included), eV.
  [[nodiscard]] double energy(std::span<const Occupation> occ) const;
  /// Energy change of site i -> species a and site j -> species b (j may equal -1 for a
  /// single flip), from the potentials of the current configuration, O(1).
  [[nodiscard]] double pair_delta(std::span<const Occupation> occ, std::span<const double> potentials, int i, int a, int j,
                                  int b) const;
  /// Updates the potentials after site `site` changed from species `from` to `to`.
  void update(std::span<double> potentials, int site, int from, int to) const;

 private:
  int n_cells_;
  double coefficient_;
  std::vector<std::vector<double>> charge_;  // [basis][species index]
  EwaldTable table_;
};

}  // namespace tmorder::ce
