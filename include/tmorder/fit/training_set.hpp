#pragma once
// The training set of `tmorder fit`: DFT frames (extxyz) mapped onto a model's parent lattice,
// their correlation vectors (rows of X), energies per parent cell (y) and compositions.
//
// Energies: y_i = (E_i - sum_s n_s(i) mu_s) / n_cells(i), eV per parent cell, where E_i is the
// frame's total energy (extxyz "energy"), n_s(i) counts atoms of species s in the frame and
// mu_s are optional reference energies (eV/atom, `--reference Na=-1.3`; species without one
// contribute nothing). With formal charges (TrainingSetOptions::ewald_charges, a model's
// [electrostatics] charges) each structure also gets its Ewald energy per parent cell, the
// regression column of the electrostatic coefficient. Every refusal throws tmorder::InputError naming the source, the frame
// index (0-based, as ASE counts) and the field. See docs/fitting.md, "tmorder fit".
#include <Eigen/Core>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tmorder/clusters/cluster_space.hpp"
#include "tmorder/lattice/extxyz.hpp"

namespace tmorder::fit {

/// One composition coordinate: fraction of `species` on sublattice `sublattice`.
struct CompositionAxis {
  int sublattice = 0;
  int species = 0;
  std::string label;  ///< "SUB:SPECIES"
};

/// The coordinates of every (active sublattice, species) pair, sublattice-major, species in
/// the sublattice's order.
std::vector<CompositionAxis> composition_axes(const lattice::ParentLattice& parent);

/// Parses "SUB:SPECIES" (empty: the first species of the first sublattice with more than one
/// species). Throws tmorder::InputError naming `option` for a malformed or unknown axis.
CompositionAxis parse_composition_axis(const lattice::ParentLattice& parent, const std::string& text,
                                       const std::string& option = "--hull-axis");

/// Parses "SPECIES=eV" reference energies (eV/atom). Throws tmorder::InputError naming
/// `option` for a malformed entry, a non-finite value, a repeated species or a species that
/// appears nowhere in the model.
std::map<std::string, double> parse_reference_energies(const lattice::ParentLattice& parent,
                                                       const std::vector<std::string>& entries,
                                                       const std::string& option = "--reference");

struct TrainingSetOptions {
  std::map<std::string, double> reference_energies;  ///< eV/atom per species
  /// Relaxed-structure mapping (lattice::map_relaxed_structure): the largest distance of an
  /// atom from its site once the homogeneous strain and a rigid shift are removed (Angstrom),
  /// and the largest principal strain of the cell with respect to the parent.
  double max_displacement = 1.0;
  double max_strain = 0.1;
  double duplicate_tolerance = 1e-8;                 ///< max |difference| of correlations and compositions
  double duplicate_energy_tolerance = 1e-3;          ///< eV per parent cell: same correlations and energy = duplicate
  /// Formal charges (e) of every species the model allows (fixed ones and Va included), e.g.
  /// io::ElectrostaticsSpec::charges. Given: TrainingSet::ewald_energies is filled. Absent:
  /// no electrostatics, ewald_energies stays empty.
  std::optional<std::map<std::string, double>> ewald_charges;
  /// eV per parent cell: structures with the same correlations but Ewald energies further
  /// apart than this are different structures (neither duplicates nor warned about). Well
  /// above the Ewald truncation error, well below any energy a fit can resolve.
  double duplicate_ewald_tolerance = 1e-4;
};

struct TrainingSet {
  std::vector<std::string> names;     ///< "SOURCE#i" per structure
  std::vector<std::string> warnings;  ///< e.g. structures with identical correlations but different energies
  Eigen::MatrixXd correlations;       ///< X: n_structures x n_functions (column 0 = 1)
  Eigen::VectorXd energies;           ///< y: eV per parent cell (references subtracted)
  /// Ewald energy of the formal charges on the mapped (ideal) sites with coefficient 1,
  /// E_es / coefficient, eV per parent cell (ce::Electrostatics, tin-foil boundary, uniform
  /// background for charged cells); empty without TrainingSetOptions::ewald_charges.
  Eigen::VectorXd ewald_energies;
  std::vector<int> n_cells;           ///< parent cells per structure
  std::vector<double> strain;             ///< mapping residual: largest principal strain per structure
  std::vector<double> mean_displacement;  ///< mapping residual: mean atom displacement from its site (Angstrom)
  std::vector<double> max_displacement;   ///< largest atom displacement from its site (Angstrom)
  Eigen::MatrixXd compositions;       ///< n_structures x axes.size(), fractions on each sublattice
  std::vector<CompositionAxis> axes;  ///< columns of `compositions`
  [[nodiscard]] std::size_t size() const { return names.size(); }
  [[nodiscard]] bool has_ewald() const { return ewald_energies.size() != 0; }
};

/// Maps every frame (lattice::map_relaxed_structure: strain and rigid shift removed, atoms
/// assigned to sites, vacancies = empty sites), computes its correlation vector and
/// composition. `source` names the training file in messages. Refuses (tmorder::InputError,
/// "SOURCE: frame i: ..."): no frames, a missing or non-finite energy, a species that is not
/// allowed anywhere in the model, a frame that does not map (the mapping's message is passed
/// through), and duplicates (same correlations, compositions and energy per cell, within
/// 1 meV, and, with charges, the same Ewald energy, as an earlier frame: both indices are
/// named). Identical correlations with different energies are kept and reported in
/// `warnings`, unless their Ewald energies differ (then the electrostatic term tells them
/// apart).
TrainingSet build_training_set(const clusters::ClusterSpace& space, const std::vector<lattice::ExtxyzFrame>& frames,
                               const std::string& source, const TrainingSetOptions& options = {});

/// The regression matrix: X, with the Ewald energies appended as a last column when
/// `with_ewald` (then the set must have them; throws std::invalid_argument otherwise).
Eigen::MatrixXd design_matrix(const TrainingSet& set, bool with_ewald);

/// Throws tmorder::InputError when OLS cannot be used: fewer structures than parameters, i.e.
/// ECIs plus `extra_parameters` (1 for a fitted electrostatic coefficient)
/// ("... use --method ridge/lasso/ard").
void check_ols_feasible(const TrainingSet& set, const std::string& source, std::size_t extra_parameters = 0);

/// Active sites per parent cell (the "site" of meV/site).
int active_sites_per_cell(const lattice::ParentLattice& parent);

}  // namespace tmorder::fit
