#pragma once
// Metropolis Monte Carlo on one replica: canonical swaps, cross-sublattice exchanges and
// semi-grand-canonical flips, with a local cluster-expansion energy.
#include <array>
#include <boost/serialization/array.hpp>
#include <boost/serialization/vector.hpp>
#include <cstdint>
#include <span>
#include <vector>

#include "tmorder/ce/electrostatics.hpp"
#include "tmorder/ce/local_energy.hpp"
#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/mc/random.hpp"
#include "tmorder/mc/species_sites.hpp"

namespace tmorder::mc {

inline constexpr double kBoltzmann = 8.617333262e-5;  ///< eV/K

/// Relative weights of the move kinds drawn by a trial.
struct MoveSet {
  double swap = 1.0;      ///< canonical: two sites of one sublattice exchange species
  double exchange = 0.0;  ///< canonical: a site of one sublattice and one of another exchange species
  double flip = 0.0;      ///< semi-grand canonical: one site changes species (needs chemical potentials)
};

/// mu[sublattice][species] in eV. A flip a -> b on sublattice s is accepted with the grand
/// energy change dE - (mu[s][b] - mu[s][a]); only differences matter.
using ChemicalPotentials = std::vector<std::vector<double>>;

enum class MoveKind : int { swap = 0, exchange = 1, flip = 2 };

struct MoveStatistics {
  std::array<std::uint64_t, 3> trials{};    ///< per MoveKind
  std::array<std::uint64_t, 3> accepted{};  ///< per MoveKind
};

/// Proposals are symmetric, so plain Metropolis acceptance samples the Boltzmann
/// distribution: swaps pick a species pair (a, b) of a sublattice with weight n_a n_b and then
/// one random site of each (uniform over all unlike pairs); exchanges pick a compatible
/// sublattice pair and a random site on each; flips pick a random active site and a random
/// other species.
class MonteCarlo {
 public:
  /// `energy` and `parent` must outlive this object. Throws std::invalid_argument for a
  /// temperature <= 0, an occupation of the wrong size or with out-of-range species, flips
  /// without chemical potentials, or a move set with no positive weight.
  /// `electrostatics` (optional, non-owning, may be shared by replicas) adds an Ewald term;
  /// this replica then keeps its own site potentials.
  MonteCarlo(const ce::LocalEnergy& energy, const lattice::ParentLattice& parent, std::vector<ce::Occupation> occupation,
             Rng rng, double temperature, MoveSet moves, ChemicalPotentials mu = {},
             const ce::Electrostatics* electrostatics = nullptr);

  void set_temperature(double kelvin);
  [[nodiscard]] double temperature() const { return temperature_; }

  /// One trial: propose, energy change, accept or reject, apply. Returns true if accepted.
  bool step();
  /// As many trials as active sites.
  void sweep();

  [[nodiscard]] double energy() const { return energy_; }  ///< CE (+ electrostatic) energy of the supercell, eV
  /// sum over sublattices s and species a of mu[s][a] N[s][a] (eV; 0 without chemical
  /// potentials). The semi-grand weight is exp(-(energy() - chemical_work()) / k_B T), so
  /// replica exchange between temperatures must use that difference, not the energy alone.
  [[nodiscard]] double chemical_work() const;
  [[nodiscard]] std::span<const ce::Occupation> occupation() const { return occ_; }
  [[nodiscard]] const SpeciesSites& species_sites() const { return sites_; }
  [[nodiscard]] const MoveStatistics& statistics() const { return stats_; }
  [[nodiscard]] const Rng& rng() const { return rng_; }
  [[nodiscard]] int n_active_sites() const { return n_active_; }
  /// Recomputes the energy from scratch (drift check); returns |stored - recomputed|.
  double resynchronise();

  /// Everything that evolves along the Markov chain. Restoring it into a sampler built on
  /// the same model and supercell continues the chain bit for bit (the running energy and
  /// the electrostatic potentials are kept as accumulated, not recomputed, and the order of
  /// the species site lists, which decides what a random draw picks, is kept too).
  struct State {
    std::vector<ce::Occupation> occupation;
    std::vector<std::vector<int>> site_order;
    Rng::State rng{};
    std::array<std::uint64_t, 3> trials{};
    std::array<std::uint64_t, 3> accepted{};
    double energy = 0.0;
    std::vector<double> potentials;
    double temperature = 0.0;

    template <class Archive>
    void serialize(Archive& ar, const unsigned /*version*/) {
      ar & occupation & site_order & rng & trials & accepted & energy & potentials & temperature;
    }
  };
  [[nodiscard]] State state() const;
  /// Throws std::invalid_argument if the state does not fit this sampler (sizes, species
  /// out of range, site lists inconsistent with the occupation, temperature <= 0).
  void restore(const State& state);

 private:
  bool try_swap();
  bool try_exchange();
  bool try_flip();
  bool accept(double delta);
  void apply(int site, int to);
  double move_delta(int i, int a, int j, int b);  // j < 0: single flip
  void refresh_swap_weights();

  const ce::LocalEnergy& local_;
  const lattice::ParentLattice& parent_;
  const ce::Electrostatics* electrostatics_;
  std::vector<double> potentials_;  // electrostatic site potentials (empty without the term)
  std::vector<ce::Occupation> occ_;
  Rng rng_;
  double temperature_ = 0.0;
  double beta_ = 0.0;
  std::array<double, 3> cumulative_{};  // move-kind thresholds for one uniform draw
  int single_kind_ = -1;                // the only move kind drawn, or -1 for a mixture
  ChemicalPotentials mu_;
  SpeciesSites sites_;
  int n_active_ = 0;
  std::vector<int> active_basis_;  // parent basis sites that are active; their sites are contiguous blocks
  double energy_ = 0.0;
  MoveStatistics stats_;
  // Swap weights: per sublattice the pair weights n_a n_b (flattened a < b), their sum.
  std::vector<std::vector<std::array<int, 2>>> swap_pairs_;
  std::vector<std::vector<double>> swap_weights_;
  std::vector<double> swap_totals_;
  double swap_total_ = 0.0;
  // Exchanges: compatible sublattice pairs and species maps map[s1][s2][a] (-1: not allowed).
  std::vector<std::array<int, 2>> exchange_pairs_;
  std::vector<std::vector<std::vector<int>>> species_map_;
};

}  // namespace tmorder::mc
