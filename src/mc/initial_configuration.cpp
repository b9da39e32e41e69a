#include "tmorder/mc/initial_configuration.hpp"

#include <cmath>
#include <fmt/format.h>

#include "tmorder/util/error.hpp"
#include "tmorder/util/text.hpp"

namespace tmorder::mc {


std::vector<std::vector<int>> species_counts(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                                             const Composition& composition) {
  std::vector<std::vector<int>> counts(parent.sublattices.size());
  std::vector<bool> given(parent.sublattices.size(), false);
  for (const auto& [sub_name, fractions] : composition) {
    const int s = parent.sublattice_index(sub_name, "composition");
    const auto& sub = parent.sublattices[static_cast<std::size_t>(s)];
    int n_sites = 0;
    for (std::size_t b = 0; b < parent.n_sites(); ++b)
      if (parent.site_sublattice[b] == s) n_sites += supercell.n_cells();
    auto& c = counts[static_cast<std::size_t>(s)];
    c.assign(sub.species.size(), 0);
    double total = 0.0;
    for (const auto& [species, x] : fractions) {
      const int k = parent.species_index(s, species, "composition");
      if (!(x >= 0.0) || !std::isfinite(x))
        throw InputError(fmt::format("composition: fraction of {} on {} must be a number >= 0, got {}", species, sub_name, x));
      const double exact = x * n_sites;
      const long rounded = std::lround(exact);
      if (std::abs(exact - static_cast<double>(rounded)) > 1e-6)
        throw InputError(fmt::format("composition: {} {} on {} needs {} x {} = {:.4g} sites; this supercell cannot hold it exactly "
                                     "(choose a supercell whose {} site count makes it an integer)",
                                     species, x, sub_name, x, n_sites, exact, sub_name));
      c[static_cast<std::size_t>(k)] = static_cast<int>(rounded);
      total += x;
    }
    if (std::abs(total - 1.0) > 1e-6)
      throw InputError(fmt::format("composition: the fractions on {} sum to {}, expected 1", sub_name, total));
    given[static_cast<std::size_t>(s)] = true;
  }
  for (std::size_t s = 0; s < given.size(); ++s)
    if (!given[s]) throw InputError("composition: no fractions given for sublattice '" + parent.sublattices[s].name + "'");
  return counts;
}

std::vector<ce::Occupation> random_configuration(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                                                 const Composition& composition, Rng& rng) {
  const auto counts = species_counts(parent, supercell, composition);
  std::vector<ce::Occupation> occ(static_cast<std::size_t>(supercell.n_sites()), 0);
  for (std::size_t s = 0; s < parent.sublattices.size(); ++s) {
    std::vector<ce::Occupation> pool;
    for (std::size_t k = 0; k < counts[s].size(); ++k) pool.insert(pool.end(), static_cast<std::size_t>(counts[s][k]), static_cast<ce::Occupation>(k));
    // Fisher-Yates with the replica's own generator, so the start is reproducible from the seed.
    for (std::size_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[rng.below(static_cast<std::uint32_t>(i))]);
    std::size_t next = 0;
    for (int i = 0; i < supercell.n_sites(); ++i)
      if (parent.site_sublattice[static_cast<std::size_t>(i / supercell.n_cells())] == static_cast<int>(s))
        occ[static_cast<std::size_t>(i)] = pool[next++];
  }
  return occ;
}

ChemicalPotentials chemical_potentials(const lattice::ParentLattice& parent,
                                       const std::map<std::string, std::map<std::string, double>>& mu) {
  ChemicalPotentials out;
  for (const auto& sub : parent.sublattices) out.emplace_back(sub.species.size(), 0.0);
  for (const auto& [sub_name, values] : mu) {
    const int s = parent.sublattice_index(sub_name, "chemical potentials");
    for (const auto& [species, value] : values) {
      const int k = parent.species_index(s, species, "chemical potentials");
      if (!std::isfinite(value)) throw InputError("chemical potentials: value for " + species + " on " + sub_name + " is not finite");
      out[static_cast<std::size_t>(s)][static_cast<std::size_t>(k)] = value;
    }
  }
  return out;
}

}  // namespace tmorder::mc
