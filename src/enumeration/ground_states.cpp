#include "tmorder/enumeration/ground_states.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "tmorder/ce/electrostatics.hpp"
#include "tmorder/clusters/correlations.hpp"
#include "tmorder/util/error.hpp"

namespace tmorder::enumeration {

namespace {
// Energies per cell closer than this are one level (well below any ordering energy, above
// the round-off of an Ewald sum of ~10 eV per cell).
constexpr double kDegenerate = 1e-6;
}  // namespace

std::string composition_label(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                              const std::vector<int>& occupation) {
  std::string label;
  for (std::size_t s = 0; s < parent.sublattices.size(); ++s) {
    const auto& species = parent.sublattices[s].species;
    std::vector<long long> count(species.size(), 0);
    long long total = 0;
    for (int i = 0; i < supercell.n_sites(); ++i) {
      if (parent.site_sublattice[static_cast<std::size_t>(i / supercell.n_cells())] != static_cast<int>(s)) continue;
      ++count[static_cast<std::size_t>(occupation[static_cast<std::size_t>(i)])];
      ++total;
    }
    label += (label.empty() ? "" : "; ") + parent.sublattices[s].name + ":";
    for (std::size_t k = 0; k < species.size(); ++k) {
      if (count[k] == 0) continue;
      const long long g = std::gcd(count[k], total);
      label += " " + species[k] + (count[k] == total ? std::string(" 1") : fmt::format(" {}/{}", count[k] / g, total / g));
    }
  }
  return label;
}

double energy_per_cell(const ce::ClusterExpansion& model, const io::ElectrostaticsSpec* electrostatics,
                       const lattice::Supercell& supercell, const std::vector<int>& occupation) {
  const clusters::CorrelationCalculator calc(model.space(), supercell);
  double e = model.energy_per_cell(calc.compute(occupation));
  if (electrostatics) {
    const ce::Electrostatics es(model.space().parent(), supercell, electrostatics->charges, electrostatics->coefficient);
    const std::vector<ce::Occupation> occ(occupation.begin(), occupation.end());
    e += es.energy(occ) / supercell.n_cells();
  }
  return e;
}

SpeciesRestriction restrict_species(const lattice::ParentLattice& parent,
                                    const std::map<std::string, std::vector<std::string>>& allowed,
                                    const std::string& option) {
  std::vector<std::vector<std::string>> keep(parent.sublattices.size());
  for (std::size_t l = 0; l < parent.sublattices.size(); ++l) keep[l] = parent.sublattices[l].species;
  for (const auto& [name, species] : allowed) {
    const std::string context = option + " " + name;
    const int l = parent.sublattice_index(name, context);
    if (species.empty()) throw InputError(context + ": no species given (expected SUBLATTICE:Species,Species)");
    std::set<std::string> seen;
    for (const auto& sp : species) {
      (void)parent.species_index(l, sp, context);
      if (!seen.insert(sp).second) throw InputError(context + ": species '" + sp + "' given twice");
    }
    // Keep the model's order, so occupation indices stay monotone.
    std::vector<std::string> ordered;
    for (const auto& sp : parent.sublattices[static_cast<std::size_t>(l)].species)
      if (seen.count(sp)) ordered.push_back(sp);
    keep[static_cast<std::size_t>(l)] = ordered;
  }
  SpeciesRestriction r;
  r.parent.structure = parent.structure;
  std::vector<int> new_index(parent.sublattices.size(), -1);
  for (std::size_t l = 0; l < parent.sublattices.size(); ++l)
    if (keep[l].size() >= 2) {
      new_index[l] = static_cast<int>(r.parent.sublattices.size());
      r.parent.sublattices.push_back({parent.sublattices[l].name, keep[l]});
    }
  r.parent.site_sublattice.resize(parent.n_sites());
  r.full_index.resize(parent.n_sites());
  for (std::size_t b = 0; b < parent.n_sites(); ++b) {
    const int l = parent.site_sublattice[b];
    if (l < 0) {
      r.parent.site_sublattice[b] = -1;
      r.full_index[b] = {0};
      continue;
    }
    const auto& kept = keep[static_cast<std::size_t>(l)];
    r.parent.site_sublattice[b] = new_index[static_cast<std::size_t>(l)];
    if (kept.size() == 1) r.parent.structure.species[b] = kept[0];  // now a fixed site
    for (const auto& sp : kept) r.full_index[b].push_back(parent.find_species(l, sp));
  }
  r.parent.validate();
  return r;
}

std::vector<int> SpeciesRestriction::to_full(const lattice::Supercell& supercell, const std::vector<int>& occupation) const {
  std::vector<int> out(occupation.size());
  for (std::size_t i = 0; i < occupation.size(); ++i) {
    const auto b = static_cast<std::size_t>(static_cast<int>(i) / supercell.n_cells());
    out[i] = full_index[b][static_cast<std::size_t>(occupation[i])];
  }
  return out;
}

std::vector<GroundState> exhaustive_ground_states(const Enumerator& enumerator, const ce::ClusterExpansion& model,
                                                  const io::ElectrostaticsSpec* electrostatics,
                                                  const SpeciesRestriction* restriction, bool keep_degenerate) {
  const auto& parent = model.space().parent();
  std::map<std::string, GroundState> best;
  std::map<std::string, std::vector<double>> energies;
  // The degenerate level of each composition: every structure within the tolerance of the
  // lowest energy seen so far, pruned when a lower level replaces it. So only near-lowest
  // structures are held, not the whole enumeration, and at the end the list is the level.
  std::map<std::string, std::vector<ScoredStructure>> level;
  for (const auto& d : enumerator.enumerate()) {
    const lattice::Supercell sc(d.supercell_matrix, static_cast<int>(parent.n_sites()));
    const std::vector<int> occupation = restriction ? restriction->to_full(sc, d.occupation) : d.occupation;
    const std::string label = composition_label(parent, sc, occupation);
    const double e = energy_per_cell(model, electrostatics, sc, occupation);
    energies[label].push_back(e);
    auto [it, inserted] = best.try_emplace(label, GroundState{label, d, e, 0, 0, {}});
    // Lower by more than the tolerance wins; among equal energies the smaller cell found
    // first stays (one ordering seen in a larger cell differs by Ewald round-off only).
    if (!inserted && e < it->second.energy_per_cell - kDegenerate) {
      it->second = GroundState{label, d, e, 0, 0, {}};
      if (keep_degenerate) std::erase_if(level[label], [&](const auto& c) { return c.energy_per_cell > e + kDegenerate; });
    }
    if (keep_degenerate && e <= it->second.energy_per_cell + kDegenerate) level[label].push_back({d, e});
  }
  std::vector<GroundState> out;
  for (auto& [label, gs] : best) {
    gs.n_structures = static_cast<int>(energies[label].size());
    for (const double e : energies[label]) gs.n_degenerate += e <= gs.energy_per_cell + kDegenerate ? 1 : 0;
    if (keep_degenerate) {
      // The ground state first, then the others in enumeration order (by size).
      gs.degenerate = std::move(level[label]);
      const auto first = std::find_if(gs.degenerate.begin(), gs.degenerate.end(), [&](const ScoredStructure& c) {
        return c.structure.supercell_matrix == gs.structure.supercell_matrix && c.structure.occupation == gs.structure.occupation;
      });
      std::rotate(gs.degenerate.begin(), first, std::next(first));
    }
    out.push_back(gs);
  }
  return out;
}

}  // namespace tmorder::enumeration
