#pragma once
// Which supercell sites hold which species, per sublattice, kept current under moves so that
// a canonical swap can pick "a random site of species A and one of species B" in O(1).
#include <cstdint>
#include <span>
#include <vector>

#include "tmorder/ce/local_energy.hpp"
#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/lattice/supercell.hpp"

namespace tmorder::mc {

class SpeciesSites {
 public:
  SpeciesSites(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
               std::span<const ce::Occupation> occ);

  [[nodiscard]] int n_sublattices() const { return static_cast<int>(lists_.size()); }
  [[nodiscard]] int n_species(int sublattice) const { return static_cast<int>(lists_[static_cast<std::size_t>(sublattice)].size()); }
  /// Sublattice of a supercell site (-1 for fixed sites).
  [[nodiscard]] int sublattice_of(int site) const { return basis_sublattice_[static_cast<std::size_t>(site / n_cells_)]; }
  /// Number of sites of a sublattice.
  [[nodiscard]] int n_sites(int sublattice) const {
    return static_cast<int>(sublattice_basis_[static_cast<std::size_t>(sublattice)].size()) * n_cells_;
  }
  /// The k-th site of a sublattice (0 <= k < n_sites): sites of one parent basis site form a
  /// contiguous block, so no per-site list is stored.
  [[nodiscard]] int site(int sublattice, int k) const {
    return sublattice_basis_[static_cast<std::size_t>(sublattice)][static_cast<std::size_t>(k / n_cells_)] * n_cells_ + k % n_cells_;
  }
  /// Sites of one species on one sublattice (unordered).
  [[nodiscard]] const std::vector<int>& sites(int sublattice, int species) const {
    return lists_[static_cast<std::size_t>(sublattice)][static_cast<std::size_t>(species)];
  }
  [[nodiscard]] int count(int sublattice, int species) const { return static_cast<int>(sites(sublattice, species).size()); }

  /// Records that `site` changed from species `from` to `to` (same sublattice), O(1).
  void move(int site, int from, int to);

 private:
  // Memory per site: one list entry and one position (8 bytes); the rest is per basis site.
  int n_cells_;
  std::vector<int> basis_sublattice_;                      // [parent basis site] -> sublattice or -1
  std::vector<std::vector<int>> sublattice_basis_;         // [sublattice] -> parent basis sites
  std::vector<std::vector<std::vector<int>>> lists_;      // [sublattice][species] -> sites
  std::vector<int> position_;                              // index of a site within its species list
};

}  // namespace tmorder::mc
