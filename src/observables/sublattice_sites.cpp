#include "tmorder/observables/sublattice_sites.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "tmorder/util/error.hpp"

namespace tmorder::observables {

int find_sublattice(const lattice::ParentLattice& parent, const std::string& name) {
  return parent.sublattice_index(name, "observable");
}

int find_species(const lattice::ParentLattice& parent, int sublattice, const std::string& species) {
  return parent.species_index(sublattice, species, "observable");
}

std::vector<int> sublattice_sites(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                                  int sublattice) {
  std::vector<int> sites;
  const int n_cells = supercell.n_cells();
  for (int b = 0; b < supercell.n_basis(); ++b) {
    if (parent.site_sublattice[static_cast<std::size_t>(b)] != sublattice) continue;
    for (int c = 0; c < n_cells; ++c) sites.push_back(b * n_cells + c);
  }
  return sites;
}

void check_parent(const lattice::ParentLattice& parent, const lattice::Supercell& supercell, const char* who) {
  if (static_cast<int>(parent.n_sites()) != supercell.n_basis() || parent.site_sublattice.size() != parent.n_sites())
    throw std::invalid_argument(fmt::format("{}: the supercell has {} basis sites but the parent lattice has {}", who,
                                            supercell.n_basis(), parent.n_sites()));
}

void check_occupation(const lattice::Supercell& supercell, std::span<const ce::Occupation> occ, const char* who) {
  if (occ.size() != static_cast<std::size_t>(supercell.n_sites()))
    throw std::invalid_argument(
        fmt::format("{}: occupation has {} entries, the supercell has {} sites", who, occ.size(), supercell.n_sites()));
}

}  // namespace tmorder::observables
