#pragma once
// Which supercell sites hold which species, per sublattice, kept current under moves so that
// a canonical swap can pick "a random site of species A and one of species B" in O(1).
#include <cstdint>
#include <span>
#include <vector>

#include "tmorder/ce/local_energy.hpp"
#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/lattice/supercell.hpp"
#include "tmorder/util/fast_divisor.hpp"

namespace tmorder::mc {

/// Per sublattice, one array of its sites grouped by species (segment k holds the sites of
/// species k) and, per site, its position in that array: 8 bytes per site, no allocation
/// after construction. Changing a site's species moves it across the segment boundaries
/// between the two species by swaps, O(number of species).
class SpeciesSites {
 public:
  SpeciesSites(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
               std::span<const ce::Occupation> occ);

  [[nodiscard]] int n_sublattices() const { return static_cast<int>(order_.size()); }
  [[nodiscard]] int n_species(int sublattice) const {
    return static_cast<int>(start_[static_cast<std::size_t>(sublattice)].size()) - 1;
  }
  /// Sublattice of a supercell site (-1 for fixed sites).
  [[nodiscard]] int sublattice_of(int site) const {
    return basis_sublattice_[by_cells_.divide(static_cast<std::uint32_t>(site))];
  }
  /// Sublattice of a parent basis site (-1 for fixed sites).
  [[nodiscard]] int sublattice_of_basis(int basis) const { return basis_sublattice_[static_cast<std::size_t>(basis)]; }
  /// Number of sites of a sublattice.
  [[nodiscard]] int n_sites(int sublattice) const {
    return static_cast<int>(sublattice_basis_[static_cast<std::size_t>(sublattice)].size()) * n_cells_;
  }
  /// The k-th site of a sublattice (0 <= k < n_sites): sites of one parent basis site form a
  /// contiguous block of the site index, so no per-site list is needed for this.
  [[nodiscard]] int site(int sublattice, int k) const {
    return sublattice_basis_[static_cast<std::size_t>(sublattice)][static_cast<std::size_t>(k / n_cells_)] * n_cells_ + k % n_cells_;
  }
  /// Sites of one species on one sublattice (unordered).
  [[nodiscard]] std::span<const int> sites(int sublattice, int species) const {
    const auto& st = start_[static_cast<std::size_t>(sublattice)];
    return std::span<const int>(order_[static_cast<std::size_t>(sublattice)]).subspan(
        static_cast<std::size_t>(st[static_cast<std::size_t>(species)]),
        static_cast<std::size_t>(st[static_cast<std::size_t>(species) + 1] - st[static_cast<std::size_t>(species)]));
  }
  [[nodiscard]] int count(int sublattice, int species) const {
    const auto& st = start_[static_cast<std::size_t>(sublattice)];
    return st[static_cast<std::size_t>(species) + 1] - st[static_cast<std::size_t>(species)];
  }

  /// Records that `site` changed from species `from` to `to` (same sublattice).
  void move(int site, int from, int to);

  /// Per sublattice, its sites in their current order (grouped by species). The order
  /// decides which site a random draw picks, so a checkpoint stores it to continue a chain
  /// bit for bit.
  [[nodiscard]] const std::vector<std::vector<int>>& order() const { return order_; }
  /// Restores an order saved by order() for the occupation `occ` this object was built
  /// with. Throws std::invalid_argument unless every sublattice's list is a permutation of
  /// its sites with the species segments of `occ`.
  void set_order(const std::vector<std::vector<int>>& order, std::span<const ce::Occupation> occ);

 private:
  void swap_positions(std::vector<int>& order, int p, int q);

  int n_cells_;
  FastDivisor by_cells_;
  std::vector<int> basis_sublattice_;               // [parent basis site] -> sublattice or -1
  std::vector<std::vector<int>> sublattice_basis_;  // [sublattice] -> parent basis sites
  std::vector<std::vector<int>> order_;             // [sublattice] -> sites grouped by species
  std::vector<std::vector<int>> start_;             // [sublattice][species] -> segment start (+ end)
  std::vector<int> position_;                       // per site: index in its sublattice's order_
};

}  // namespace tmorder::mc
