#pragma once
// Everything a replica-exchange run builds from its input and model before sampling: the
// supercell, the compiled energy, the ladder, compositions and chemical potentials. Built
// identically on every rank (deterministic), so ranks never exchange any of it.
#include <memory>
#include <string>
#include <vector>

#include "tmorder/ce/cluster_expansion.hpp"
#include "tmorder/ce/electrostatics.hpp"
#include "tmorder/ce/local_energy.hpp"
#include "tmorder/io/model_file.hpp"
#include "tmorder/io/run_input.hpp"
#include "tmorder/mc/monte_carlo.hpp"

namespace tmorder::app {

struct RunSetup {
  io::RunInput input;
  std::unique_ptr<io::Model> model;  // heap: the cluster expansion keeps a pointer to its space
  std::string model_text;            // the model file's bytes (provenance)
  std::string model_sha256;
  lattice::Supercell supercell{IMat3::Identity(), 1};
  std::unique_ptr<ce::ClusterExpansion> expansion;
  std::unique_ptr<ce::LocalEnergy> local;
  std::unique_ptr<ce::Electrostatics> electrostatics;  // null without an Ewald term
  mc::ChemicalPotentials mu;
  std::string energy_model;  ///< human-readable description of the Hamiltonian
  int n_active = 0;          ///< active sites
  int n_formula_units = 0;   ///< = parent cells (one formula unit per parent cell)
  std::string formula_unit;  ///< e.g. "(Ni,Sb,Cu) (Na,Va,Cu) O2"

  [[nodiscard]] const lattice::ParentLattice& parent() const { return model->space.parent(); }
  [[nodiscard]] int n_temperatures() const { return static_cast<int>(input.ladder.temperatures.size()); }
};

/// Loads the model named by the input and builds the rest. Throws tmorder::InputError for a
/// model with neither ECIs nor an electrostatic term, species or sublattices the model does
/// not know (composition, chemical potentials, observables), compositions the supercell
/// cannot hold exactly, and a supercell on which an observable is undefined.
std::unique_ptr<RunSetup> build_run_setup(io::RunInput input);

/// Replicas [first, first + count) of `rank`: a block distribution of n replicas over
/// `size` ranks (the first n % size ranks hold one more).
struct ReplicaBlock {
  int first = 0;
  int count = 0;
};
ReplicaBlock replica_block(int n_replicas, int rank, int size);

}  // namespace tmorder::app
