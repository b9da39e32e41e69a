#pragma once
// Name resolution and site lists shared by the structural observables: every observable
// is built once per (parent, supercell) and addresses sublattices and species by name.
#include <span>
#include <string>
#include <vector>

#include "tmorder/ce/local_energy.hpp"
#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/lattice/supercell.hpp"

namespace tmorder::observables {

/// Index of the sublattice called `name` in parent.sublattices. Throws tmorder::InputError
/// naming `name` and listing the sublattices that exist.
[[nodiscard]] int find_sublattice(const lattice::ParentLattice& parent, const std::string& name);

/// Occupation index of `species` on sublattice `sublattice` (its position in
/// Sublattice::species). Throws tmorder::InputError naming the species and listing the
/// species allowed on that sublattice.
[[nodiscard]] int find_species(const lattice::ParentLattice& parent, int sublattice, const std::string& species);

/// Supercell indices of every site on the sublattice, ascending. With the supercell's
/// basis-major numbering these are whole blocks [b * n_cells, (b + 1) * n_cells).
[[nodiscard]] std::vector<int> sublattice_sites(const lattice::ParentLattice& parent,
                                                const lattice::Supercell& supercell, int sublattice);

/// Throws std::invalid_argument (prefixed by `who`) unless the supercell was built on this
/// parent (same basis size): a mismatch would silently misread every site.
void check_parent(const lattice::ParentLattice& parent, const lattice::Supercell& supercell, const char* who);

/// Throws std::invalid_argument (prefixed by `who`) unless `occ` has one entry per site.
void check_occupation(const lattice::Supercell& supercell, std::span<const ce::Occupation> occ, const char* who);

}  // namespace tmorder::observables
