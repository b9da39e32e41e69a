#pragma once
// The parent crystal of a cluster expansion: a structure whose sites are grouped into
// sublattices, each with the species allowed on it.
#include <string>
#include <vector>

#include "tmorder/lattice/structure.hpp"

namespace tmorder::lattice {

/// A set of symmetry-related (or user-grouped) sites sharing one list of allowed species.
/// The order of `species` fixes the occupation index 0..M-1 used everywhere.
struct Sublattice {
  std::string name;
  std::vector<std::string> species;
};

struct ParentLattice {
  Structure structure;                  ///< reference decoration (species of each site)
  std::vector<Sublattice> sublattices;  ///< active sublattices (>= 2 species each)
  std::vector<int> site_sublattice;     ///< per site: sublattice index, or -1 for a fixed site

  [[nodiscard]] std::size_t n_sites() const { return structure.size(); }
  [[nodiscard]] bool is_active(int site) const { return site_sublattice[static_cast<std::size_t>(site)] >= 0; }
  /// Species allowed on a site; a fixed site allows only its reference species.
  [[nodiscard]] std::vector<std::string> allowed_species(int site) const;
  [[nodiscard]] int n_species(int site) const { return static_cast<int>(allowed_species(site).size()); }
  /// Symmetry colours: active sites are coloured by sublattice, fixed sites by species,
  /// so no operation found with them maps a site onto one with other allowed species.
  [[nodiscard]] std::vector<int> colours() const;
  /// Index of the sublattice called `name`; throws tmorder::InputError "<context>: unknown
  /// sublattice 'X' (the model has: ...)".
  [[nodiscard]] int sublattice_index(const std::string& name, const std::string& context) const;
  /// Index of `species` in a sublattice's list, or -1 if it is not allowed there.
  [[nodiscard]] int find_species(int sublattice, const std::string& species) const;
  /// As find_species, but throws tmorder::InputError "<context>: species 'X' is not allowed on
  /// sublattice 'S' (allowed: ...)".
  [[nodiscard]] int species_index(int sublattice, const std::string& species, const std::string& context) const;
  /// Checks the invariants (sizes, indices, >= 2 distinct species per sublattice, every
  /// sublattice used); throws std::invalid_argument naming the problem.
  void validate() const;
};

}  // namespace tmorder::lattice
