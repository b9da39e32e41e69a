#include "tmorder/observables/concentrations.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>

#include "tmorder/observables/sublattice_sites.hpp"
#include "tmorder/util/error.hpp"

namespace tmorder::observables {

SublatticeConcentrations::SublatticeConcentrations(const lattice::ParentLattice& parent,
                                                   const lattice::Supercell& supercell)
    : n_cells_(supercell.n_cells()), n_sites_(supercell.n_sites()) {
  check_parent(parent, supercell, "SublatticeConcentrations");
  for (const auto& sl : parent.sublattices) {
    names_.push_back(sl.name);
    species_.push_back(sl.species);
    known_species_.insert(known_species_.end(), sl.species.begin(), sl.species.end());
  }
  bases_.resize(names_.size());
  for (int b = 0; b < supercell.n_basis(); ++b) {
    const int s = parent.site_sublattice[static_cast<std::size_t>(b)];
    if (s >= 0) bases_[static_cast<std::size_t>(s)].push_back(b);
    else known_species_.push_back(parent.structure.species[static_cast<std::size_t>(b)]);
  }
}

long long SublatticeConcentrations::n_sites(int s) const {
  return static_cast<long long>(bases_.at(static_cast<std::size_t>(s)).size()) * n_cells_;
}

std::vector<std::vector<long long>> SublatticeConcentrations::counts(std::span<const ce::Occupation> occ) const {
  if (occ.size() != static_cast<std::size_t>(n_sites_))
    throw std::invalid_argument(fmt::format("SublatticeConcentrations: occupation has {} entries, the supercell has {}",
                                            occ.size(), n_sites_));
  std::vector<std::vector<long long>> out(names_.size());
  for (std::size_t s = 0; s < names_.size(); ++s) {
    auto& row = out[s];
    row.assign(species_[s].size(), 0);
    for (const int b : bases_[s]) {
      const auto block = occ.subspan(static_cast<std::size_t>(b) * static_cast<std::size_t>(n_cells_),
                                     static_cast<std::size_t>(n_cells_));
      for (const ce::Occupation o : block) {
        // An out-of-range index is a corrupted configuration, not a species to ignore.
        if (o >= row.size())
          throw std::invalid_argument(fmt::format("SublatticeConcentrations: occupation index {} on sublattice '{}' "
                                                  "which allows {} species", int{o}, names_[s], row.size()));
        ++row[o];
      }
    }
  }
  return out;
}

std::vector<std::vector<double>> SublatticeConcentrations::compute(std::span<const ce::Occupation> occ) const {
  const auto n = counts(occ);
  std::vector<std::vector<double>> out(n.size());
  for (std::size_t s = 0; s < n.size(); ++s) {
    const double total = static_cast<double>(n_sites(static_cast<int>(s)));
    out[s].reserve(n[s].size());
    for (const long long k : n[s]) out[s].push_back(total > 0 ? static_cast<double>(k) / total : 0.0);
  }
  return out;
}

SpeciesSelection SublatticeConcentrations::select(const std::string& sublattice,
                                                  const std::vector<std::string>& species) const {
  const auto it = std::find(names_.begin(), names_.end(), sublattice);
  if (it == names_.end()) {
    throw InputError(fmt::format("unknown sublattice '{}' (the parent lattice has: {})", sublattice,
                                 fmt::join(names_, ", ")));
  }
  SpeciesSelection sel;
  sel.sublattice = static_cast<int>(it - names_.begin());
  const auto& allowed = species_[static_cast<std::size_t>(sel.sublattice)];
  sel.selected.assign(allowed.size(), 0);
  for (const auto& name : species) {
    const auto k = std::find(allowed.begin(), allowed.end(), name);
    if (k != allowed.end()) {
      sel.selected[static_cast<std::size_t>(k - allowed.begin())] = 1;
    } else if (std::find(known_species_.begin(), known_species_.end(), name) == known_species_.end()) {
      throw InputError(fmt::format("unknown species '{}' (sublattice '{}' allows: {}; the parent lattice knows: {})",
                                   name, sublattice, fmt::join(allowed, ", "), fmt::join(known_species_, ", ")));
    }
  }
  return sel;
}

double SublatticeConcentrations::fraction_on(std::span<const ce::Occupation> occ,
                                             const SpeciesSelection& selection) const {
  if (occ.size() != static_cast<std::size_t>(n_sites_))
    throw std::invalid_argument(fmt::format("SublatticeConcentrations: occupation has {} entries, the supercell has {}",
                                            occ.size(), n_sites_));
  const auto s = static_cast<std::size_t>(selection.sublattice);
  const long long total = n_sites(selection.sublattice);
  if (total == 0) return 0.0;
  long long hits = 0;
  for (const int b : bases_.at(s)) {
    const auto block = occ.subspan(static_cast<std::size_t>(b) * static_cast<std::size_t>(n_cells_),
                                   static_cast<std::size_t>(n_cells_));
    for (const ce::Occupation o : block) hits += (o < selection.selected.size() && selection.selected[o]) ? 1 : 0;
  }
  return static_cast<double>(hits) / static_cast<double>(total);
}

double SublatticeConcentrations::fraction_on(std::span<const ce::Occupation> occ, const std::string& sublattice,
                                             const std::vector<std::string>& species) const {
  return fraction_on(occ, select(sublattice, species));
}

}  // namespace tmorder::observables
