#include "tmorder/observables/exchange_probe.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "tmorder/lattice/neighbours.hpp"
#include "tmorder/util/error.hpp"

namespace tmorder::observables {


ExchangeProbe::ExchangeProbe(const ce::LocalEnergy& energy, const lattice::ParentLattice& parent,
                             std::string from_sublattice, std::string species, std::string to_sublattice,
                             double max_distance)
    : energy_(energy), species_(std::move(species)) {
  from_sublattice_ = parent.sublattice_index(from_sublattice, "exchange probe ('from')");
  to_sublattice_ = parent.sublattice_index(to_sublattice, "exchange probe ('to')");
  const lattice::Sublattice& from = parent.sublattices[static_cast<std::size_t>(from_sublattice_)];
  const lattice::Sublattice& to = parent.sublattices[static_cast<std::size_t>(to_sublattice_)];
  species_on_from_ = parent.find_species(from_sublattice_, species_);
  species_on_to_ = parent.find_species(to_sublattice_, species_);
  if (species_on_from_ < 0 || species_on_to_ < 0)
    throw InputError("exchange probe: species '" + species_ + "' must be allowed on both sublattice '" +
                     from.name + "' and sublattice '" + to.name + "'" +
                     (species_on_from_ < 0 ? " (not allowed on '" + from.name + "')" : std::string()) +
                     (species_on_to_ < 0 ? " (not allowed on '" + to.name + "')" : std::string()));
  if (!(max_distance > 0.0) || !std::isfinite(max_distance))
    throw InputError("exchange probe: max_distance must be a positive number of Angstrom, got " +
                     std::to_string(max_distance));
  const int n_basis = static_cast<int>(parent.n_sites());
  if (energy.supercell().n_basis() != n_basis)
    throw InputError("exchange probe: the energy model's supercell has " +
                     std::to_string(energy.supercell().n_basis()) + " basis sites, the parent " +
                     std::to_string(n_basis));

  // Which 'to' species may move onto the 'from' sublattice, by index, so compute() needs no
  // string comparison.
  to_species_names_ = to.species;
  for (const std::string& x : to.species) to_species_on_from_.push_back(parent.find_species(from_sublattice_, x));

  // 'to' neighbours of every 'from' basis site, found once on the parent. The centre itself
  // (distance 0) is excluded, which matters only when 'from' and 'to' are one sublattice.
  offsets_.resize(static_cast<std::size_t>(n_basis));
  for (int b = 0; b < n_basis; ++b) {
    if (parent.site_sublattice[static_cast<std::size_t>(b)] != from_sublattice_) continue;
    for (const lattice::Neighbour& nb :
         lattice::sites_within(parent.structure, parent.structure.frac[static_cast<std::size_t>(b)], max_distance)) {
      if (nb.distance < 1e-8) continue;
      if (parent.site_sublattice[static_cast<std::size_t>(nb.site.basis)] != to_sublattice_) continue;
      offsets_[static_cast<std::size_t>(b)].push_back(nb.site);
    }
    if (offsets_[static_cast<std::size_t>(b)].empty())
      throw InputError("exchange probe: no site of sublattice '" + to.name + "' lies within " +
                       std::to_string(max_distance) + " Angstrom of basis site " + std::to_string(b) +
                       " of sublattice '" + from.name + "'");
  }
}

int ExchangeProbe::max_neighbours() const {
  std::size_t m = 0;
  for (const auto& o : offsets_) m = std::max(m, o.size());
  return static_cast<int>(m);
}

std::vector<ExchangeEvent> ExchangeProbe::compute(std::span<ce::Occupation> occ, int& skipped) const {
  const lattice::Supercell& sc = energy_.supercell();
  if (static_cast<int>(occ.size()) != sc.n_sites())
    throw std::invalid_argument("ExchangeProbe: occupation size does not match the model's supercell");
  skipped = 0;
  std::vector<ExchangeEvent> events;
  const int n_cells = sc.n_cells();
  for (int b = 0; b < sc.n_basis(); ++b) {
    const auto& offs = offsets_[static_cast<std::size_t>(b)];
    if (offs.empty()) continue;  // not a 'from' basis site
    for (int c = 0; c < n_cells; ++c) {
      const int i = b * n_cells + c;
      if (occ[static_cast<std::size_t>(i)] != species_on_from_) continue;
      const IVec3& n = sc.cell_translation(c);
      for (const lattice::LatticeSite& o : offs) {
        const int j = sc.site_index(o.basis, IVec3(n + o.cell));
        const int x = occ[static_cast<std::size_t>(j)];  // species index on 'to'
        const int x_on_from = to_species_on_from_[static_cast<std::size_t>(x)];
        if (x == species_on_to_ || x_on_from < 0) {
          ++skipped;
          continue;
        }
        // i takes X, j takes the probed species; pair_delta counts clusters holding both
        // sites once and restores occ before returning.
        const double de = energy_.pair_delta(occ, i, x_on_from, j, species_on_to_);
        events.push_back({i, j, to_species_names_[static_cast<std::size_t>(x)], de});
      }
    }
  }
  return events;
}

ExchangeSummary ExchangeProbe::summarize(std::span<const ExchangeEvent> events) {
  ExchangeSummary s;
  s.count = static_cast<int>(events.size());
  if (events.empty()) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    s.mean = s.stddev = s.min = s.max = nan;
    return s;
  }
  // Welford: stable for energies with a large common offset.
  double mean = 0.0, m2 = 0.0;
  s.min = std::numeric_limits<double>::infinity();
  s.max = -s.min;
  std::size_t k = 0;
  for (const ExchangeEvent& e : events) {
    ++k;
    const double d = e.energy - mean;
    mean += d / static_cast<double>(k);
    m2 += d * (e.energy - mean);
    s.min = std::min(s.min, e.energy);
    s.max = std::max(s.max, e.energy);
  }
  s.mean = mean;
  s.stddev = std::sqrt(m2 / static_cast<double>(k));
  return s;
}

ExchangeHistogram ExchangeProbe::histogram(std::span<const ExchangeEvent> events, double bin_width) {
  if (!(bin_width > 0.0) || !std::isfinite(bin_width))
    throw std::invalid_argument("ExchangeProbe::histogram: bin_width must be positive");
  ExchangeHistogram h;
  h.bin_width = bin_width;
  if (events.empty()) return h;
  const ExchangeSummary s = summarize(events);
  const double first = std::floor(s.min / bin_width);
  const double last = std::floor(s.max / bin_width);
  h.origin = first * bin_width;
  h.counts.assign(static_cast<std::size_t>(last - first) + 1, 0);
  for (const ExchangeEvent& e : events) {
    const auto k = static_cast<std::size_t>(std::floor(e.energy / bin_width) - first);
    ++h.counts[std::min(k, h.counts.size() - 1)];
  }
  return h;
}

}  // namespace tmorder::observables
