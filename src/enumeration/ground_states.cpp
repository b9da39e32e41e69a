#include "tmorder/enumeration/ground_states.hpp"

#include <fmt/format.h>

#include <numeric>

#include "tmorder/ce/electrostatics.hpp"
#include "tmorder/clusters/correlations.hpp"

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

std::vector<GroundState> exhaustive_ground_states(const Enumerator& enumerator, const ce::ClusterExpansion& model,
                                                  const io::ElectrostaticsSpec* electrostatics) {
  const auto& parent = enumerator.parent();
  std::map<std::string, GroundState> best;
  std::map<std::string, std::vector<double>> energies;
  for (const auto& d : enumerator.enumerate()) {
    const lattice::Supercell sc(d.supercell_matrix, static_cast<int>(parent.n_sites()));
    const std::string label = composition_label(parent, sc, d.occupation);
    const double e = energy_per_cell(model, electrostatics, sc, d.occupation);
    energies[label].push_back(e);
    auto [it, inserted] = best.try_emplace(label, GroundState{label, d, e, 0, 0});
    // Lower by more than the tolerance wins; among equal energies the smaller cell found
    // first stays (one ordering seen in a larger cell differs by Ewald round-off only).
    if (!inserted && e < it->second.energy_per_cell - kDegenerate) it->second = GroundState{label, d, e, 0, 0};
  }
  std::vector<GroundState> out;
  for (auto& [label, gs] : best) {
    gs.n_structures = static_cast<int>(energies[label].size());
    for (const double e : energies[label]) gs.n_degenerate += e <= gs.energy_per_cell + kDegenerate ? 1 : 0;
    out.push_back(gs);
  }
  return out;
}

}  // namespace tmorder::enumeration
