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

/// A structure with its energy per parent cell (eV), as the search computed it.
struct ScoredStructure {
  DerivativeStructure structure;
  double energy_per_cell = 0.0;
};

struct GroundState {
  std::string composition;  ///< composition_label
  DerivativeStructure structure;
  double energy_per_cell = 0.0;  ///< eV
  int n_structures = 0;          ///< structures of this composition that were compared
  int n_degenerate = 0;          ///< structures within 1e-6 eV/cell of the lowest (itself included)
  /// Those n_degenerate structures with their energies, `structure` first, when the search
  /// was asked to keep them (a degenerate level can mix orderings of different kinds, e.g.
  /// row sequences stacked differently along c when the model has no interlayer term);
  /// otherwise empty.
  std::vector<ScoredStructure> degenerate;
};

/// A model's parent lattice with fewer species allowed on some sublattices, for searches
/// that would be too large over every species (e.g. Ni/Sb orderings of a Ni/Sb/Cu/Na model
/// with the Na layer full). A sublattice left with one species becomes fixed sites.
/// `full_index[b][k]` is the model's occupation index of the restricted parent's species k on
/// basis site b, so a restricted decoration is evaluated with the model's own ECIs.
struct SpeciesRestriction {
  lattice::ParentLattice parent;
  std::vector<std::vector<int>> full_index;
  /// The model's occupation vector of a restricted decoration on `supercell`.
  [[nodiscard]] std::vector<int> to_full(const lattice::Supercell& supercell, const std::vector<int>& occupation) const;
};

/// `allowed` maps sublattice names to the species kept there (others unrestricted). Throws
/// tmorder::InputError naming `option` for an unknown sublattice or species, an empty list,
/// or a species given twice.
SpeciesRestriction restrict_species(const lattice::ParentLattice& parent,
                                    const std::map<std::string, std::vector<std::string>>& allowed,
                                    const std::string& option = "--species");

/// The lowest-energy structure at every composition reached by `enumerator` (all its
/// structures), sorted by composition label. `model` must be on the enumerator's parent, or,
/// with `restriction`, the enumerator runs on restriction->parent and every decoration is
/// translated to the model's parent (labels and energies are the model's). With
/// `keep_degenerate`, every GroundState also lists all its degenerate structures.
std::vector<GroundState> exhaustive_ground_states(const Enumerator& enumerator, const ce::ClusterExpansion& model,
                                                  const io::ElectrostaticsSpec* electrostatics,
                                                  const SpeciesRestriction* restriction = nullptr,
                                                  bool keep_degenerate = false);

}  // namespace tmorder::enumeration
