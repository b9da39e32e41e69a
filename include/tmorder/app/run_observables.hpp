#pragma once
// The scalar observables a run records at every sample, as a flat vector per replica so
// that one gather per sample collects them from all ranks. Names and units follow
// docs/hdf5-format.md ("energy", "honeycomb", "concentration/TM/Sb", ...).
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tmorder/app/run_setup.hpp"
#include "tmorder/observables/concentrations.hpp"
#include "tmorder/observables/exchange_probe.hpp"
#include "tmorder/observables/honeycomb.hpp"
#include "tmorder/observables/warren_cowley.hpp"

namespace tmorder::app {

class RunObservables {
 public:
  /// Throws tmorder::InputError (naming the input file and key) when an observable cannot be
  /// defined on this model or supercell.
  explicit RunObservables(const RunSetup& setup);

  [[nodiscard]] int size() const { return static_cast<int>(names_.size()); }
  [[nodiscard]] const std::vector<std::string>& names() const { return names_; }
  [[nodiscard]] const std::vector<std::string>& units() const { return units_; }
  /// Index of "energy" (always recorded, first).
  static constexpr int kEnergy = 0;

  /// Appends this configuration's values (size() of them) to `out`.
  void sample(std::span<const ce::Occupation> occ, double total_energy, std::vector<double>& out) const;

  /// Exchange-energy probe energies (eV) of a configuration; empty if not observed.
  [[nodiscard]] bool probes() const { return probe_ != nullptr; }
  [[nodiscard]] std::vector<double> probe(std::vector<ce::Occupation> occ) const;

 private:
  int n_active_;
  std::vector<std::string> names_, units_;
  std::unique_ptr<observables::SublatticeConcentrations> concentrations_;
  std::unique_ptr<observables::HoneycombOrder> honeycomb_;
  std::vector<std::unique_ptr<observables::WarrenCowley>> warren_cowley_;  // per active sublattice
  std::unique_ptr<observables::ExchangeProbe> probe_;
  const ce::Electrostatics* electrostatics_ = nullptr;  // non-owning (the setup outlives this)
  const lattice::ParentLattice* parent_ = nullptr;
  int from_ = -1, to_ = -1;
  std::string probe_species_;
};

/// The normal of the layers of a sublattice: the cross product of the two shortest
/// non-parallel lattice vectors of the parent (the in-plane vectors of a layered oxide).
Vec3 layer_normal(const lattice::ParentLattice& parent);

}  // namespace tmorder::app
