#pragma once
// Starting configurations and chemical potentials given by species names, with the
// checks a run input needs: exact compositions and known species.
#include <map>
#include <string>
#include <vector>

#include "tmorder/ce/local_energy.hpp"
#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/lattice/supercell.hpp"
#include "tmorder/mc/monte_carlo.hpp"
#include "tmorder/mc/random.hpp"

namespace tmorder::mc {

/// Fractions per species, per sublattice name: {"TM": {"Ni": 2/3, "Sb": 1/3}, ...}.
using Composition = std::map<std::string, std::map<std::string, double>>;

/// Species counts of every sublattice on `supercell`. Throws tmorder::InputError (naming
/// the sublattice and species) for an unknown sublattice or species, a missing sublattice,
/// fractions that are negative or do not sum to 1, or a composition the supercell cannot
/// hold exactly (fraction * sites not an integer within 1e-6).
std::vector<std::vector<int>> species_counts(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                                             const Composition& composition);

/// A random configuration with exactly that composition (fixed sites: species 0).
std::vector<ce::Occupation> random_configuration(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                                                 const Composition& composition, Rng& rng);

/// Chemical potentials by name (eV); species left out get 0 (only differences enter).
/// Throws tmorder::InputError for a sublattice or species the model does not have.
ChemicalPotentials chemical_potentials(const lattice::ParentLattice& parent,
                                       const std::map<std::string, std::map<std::string, double>>& mu);

}  // namespace tmorder::mc
