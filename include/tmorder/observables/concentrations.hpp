#pragma once
// Per-sublattice composition of a Monte Carlo configuration, e.g. x in Na_x, or how much
// Cu (or any transition metal) has migrated into the Na layer.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tmorder/ce/local_energy.hpp"
#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/lattice/supercell.hpp"

namespace tmorder::observables {

/// A set of species on one sublattice, resolved once so that evaluating it is a table look-up.
struct SpeciesSelection {
  int sublattice = 0;
  std::vector<std::uint8_t> selected;  ///< per occupation index of the sublattice: 1 if in the set
};

/// Fractions of each species on each active sublattice.
///
/// fraction[s][k] = (number of sites of sublattice s holding its k-th species) / (number of
/// sites of sublattice s), with s in parent.sublattices order and k in Sublattice::species
/// order; each row sums to 1. Fixed (inactive) sites are not counted anywhere.
class SublatticeConcentrations {
 public:
  /// Throws std::invalid_argument if the supercell was not built on this parent.
  SublatticeConcentrations(const lattice::ParentLattice& parent, const lattice::Supercell& supercell);

  [[nodiscard]] int n_sublattices() const { return static_cast<int>(names_.size()); }
  [[nodiscard]] const std::string& sublattice_name(int s) const { return names_[static_cast<std::size_t>(s)]; }
  [[nodiscard]] const std::vector<std::string>& species(int s) const { return species_[static_cast<std::size_t>(s)]; }
  /// Number of supercell sites on sublattice s.
  [[nodiscard]] long long n_sites(int s) const;

  /// counts[s][k]: number of sites of sublattice s holding species k.
  [[nodiscard]] std::vector<std::vector<long long>> counts(std::span<const ce::Occupation> occ) const;
  /// fraction[s][k], defined above.
  [[nodiscard]] std::vector<std::vector<double>> compute(std::span<const ce::Occupation> occ) const;

  /// Resolves a species set on a sublattice. A species that the parent knows but that is not
  /// allowed on this sublattice (Ni on the Na sublattice of a parent that forbids it) is
  /// accepted and can never be found there; a species the parent does not know at all is a
  /// typo and throws tmorder::InputError, as does an unknown sublattice.
  [[nodiscard]] SpeciesSelection select(const std::string& sublattice, const std::vector<std::string>& species) const;

  /// Fraction of the sublattice's sites holding any species of the selection.
  [[nodiscard]] double fraction_on(std::span<const ce::Occupation> occ, const SpeciesSelection& selection) const;
  /// Same, resolving the names on each call (convenient outside hot loops).
  [[nodiscard]] double fraction_on(std::span<const ce::Occupation> occ, const std::string& sublattice,
                                   const std::vector<std::string>& species) const;

 private:
  int n_cells_;
  int n_sites_;  // of the whole supercell, to check occupation spans
  std::vector<std::string> names_;
  std::vector<std::vector<std::string>> species_;
  std::vector<std::vector<int>> bases_;   // per sublattice: parent basis sites (each a block of n_cells_ sites)
  std::vector<std::string> known_species_;  // every species name the parent mentions
};

}  // namespace tmorder::observables
