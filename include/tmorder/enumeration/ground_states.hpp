#pragma once
// Ground states of a cluster-expansion model: the lowest-energy ordering at every
// composition among all symmetry-distinct derivative structures up to a size (exhaustive),
// used to check that a fitted model has no spurious ground states, and a check of the same
// composition in a larger supercell by simulated annealing.
#include <map>
#include <string>
#include <vector>

#include "tmorder/ce/cluster_expansion.hpp"
#include "tmorder/enumeration/enumeration.hpp"
#include "tmorder/io/model_definition.hpp"

namespace tmorder::enumeration {

/// Species counts per sublattice of a decoration, reduced to lowest terms over the
/// sublattice's site count: "TM: Ni 2/3, Sb 1/3". Two structures of different sizes with the
/// same fractions get the same label.
std::string composition_label(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                              const std::vector<int>& occupation);

/// Energy per parent cell (eV) of a decoration: cluster expansion from its correlation
/// vector, plus the Ewald term of `electrostatics` if given.
double energy_per_cell(const ce::ClusterExpansion& model, const io::ElectrostaticsSpec* electrostatics,
                       const lattice::Supercell& supercell, const std::vector<int>& occupation);

struct GroundState {
  std::string composition;  ///< composition_label
  DerivativeStructure structure;
  double energy_per_cell = 0.0;  ///< eV
  int n_structures = 0;          ///< structures of this composition that were compared
  int n_degenerate = 0;          ///< structures within 1e-6 eV/cell of the lowest (itself included)
};

/// The lowest-energy structure at every composition reached by `enumerator` (all its
/// structures), sorted by composition label. `model` must be on the enumerator's parent.
std::vector<GroundState> exhaustive_ground_states(const Enumerator& enumerator, const ce::ClusterExpansion& model,
                                                  const io::ElectrostaticsSpec* electrostatics);

}  // namespace tmorder::enumeration
