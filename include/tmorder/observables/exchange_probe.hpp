#pragma once
// Exchange-energy probe: the energy cost of moving each atom of one species from its site on
// a "from" sublattice (e.g. the TM layer) into a nearby site of a "to" sublattice (e.g. the
// Na layer), the displaced atom taking the vacated site. This is the cluster-expansion
// counterpart of the Cu/Ni "exchange energy" of the science: a distribution of local
// antisite-pair formation energies in a given configuration.
#include <span>
#include <string>
#include <vector>

#include "tmorder/ce/local_energy.hpp"
#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/lattice/types.hpp"

namespace tmorder::observables {

/// One probed exchange: site `from_site` (holding the probed species) and site `to_site`
/// (holding `displaced_species`) swap their atoms. `energy` = E(after) - E(before), eV.
struct ExchangeEvent {
  int from_site = 0;
  int to_site = 0;
  std::string displaced_species;
  double energy = 0.0;
};

/// Count, mean, population standard deviation (1/n), min and max of event energies (eV);
/// mean/std/min/max are NaN when there are no events.
struct ExchangeSummary {
  int count = 0;
  double mean = 0.0;
  double stddev = 0.0;
  double min = 0.0;
  double max = 0.0;
};

/// Histogram with bins [origin + k w, origin + (k+1) w), origin a multiple of w, so
/// histograms of different configurations with the same w line up bin by bin.
struct ExchangeHistogram {
  double origin = 0.0;
  double bin_width = 0.0;
  std::vector<int> counts;
};

class ExchangeProbe {
 public:
  /// The 'to' sites of each 'from' basis site are the 'to'-sublattice parent sites within
  /// max_distance (Angstrom) of it, found once on the parent and stored as (basis, cell
  /// offset). Throws InputError for an unknown sublattice or species name, a species not
  /// allowed on both sublattices, a non-positive distance, or no 'to' site within
  /// max_distance. `energy` must be compiled on a supercell of `parent` and must outlive the
  /// probe (it is kept by reference; the parent is needed only here).
  ExchangeProbe(const ce::LocalEnergy& energy, const lattice::ParentLattice& parent, std::string from_sublattice,
                std::string species, std::string to_sublattice, double max_distance);

  /// Probes every (from, to) pair: from = every site of the 'from' sublattice holding the
  /// species, to = each of its 'to' neighbours. A pair is skipped (counted in `skipped`) when
  /// the 'to' site already holds the species (no exchange) or when its species is not
  /// allowed on the 'from' sublattice (the exchange would leave the model's configuration
  /// space). Energies are exact cluster-expansion differences (LocalEnergy::pair_delta);
  /// `occ` is modified during each probe and restored before the next, so it is unchanged
  /// on return. Allocates only the returned events.
  std::vector<ExchangeEvent> compute(std::span<ce::Occupation> occ, int& skipped) const;
  std::vector<ExchangeEvent> compute(std::span<ce::Occupation> occ) const {
    int skipped = 0;
    return compute(occ, skipped);
  }

  /// 'to' neighbours per 'from' site (the same for every site of a one-basis-site
  /// sublattice; the largest over its basis sites otherwise).
  [[nodiscard]] int max_neighbours() const;
  /// (basis, cell offset) of the 'to' neighbours of 'from' basis site b (empty for a basis
  /// site not on the 'from' sublattice).
  [[nodiscard]] const std::vector<lattice::LatticeSite>& neighbours(int basis) const {
    return offsets_[static_cast<std::size_t>(basis)];
  }

  static ExchangeSummary summarize(std::span<const ExchangeEvent> events);
  /// Throws std::invalid_argument unless bin_width > 0. Empty events give no bins.
  static ExchangeHistogram histogram(std::span<const ExchangeEvent> events, double bin_width);

 private:
  const ce::LocalEnergy& energy_;  // non-owning: the caller's compiled model outlives the probe
  int from_sublattice_ = -1;
  int to_sublattice_ = -1;
  std::string species_;
  int species_on_from_ = -1;                // species index on the 'from' sublattice
  int species_on_to_ = -1;                  // species index on the 'to' sublattice
  std::vector<int> to_species_on_from_;     // [to-species index] -> index on 'from', or -1
  std::vector<std::string> to_species_names_;
  std::vector<std::vector<lattice::LatticeSite>> offsets_;  // per parent basis site
};

}  // namespace tmorder::observables
