#include "tmorder/app/run_observables.hpp"

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>
#include <limits>

#include "tmorder/util/error.hpp"

namespace tmorder::app {

namespace {
constexpr int kWarrenCowleyShells = 3;

bool observed(const io::RunInput& in, const std::string& name) {
  return std::find(in.observables.begin(), in.observables.end(), name) != in.observables.end();
}

// Shortest distance from a site of sublattice `from` to a site of sublattice `to` (A).
double shortest_distance(const lattice::ParentLattice& parent, int from, int to) {
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t a = 0; a < parent.n_sites(); ++a) {
    if (parent.site_sublattice[a] != from) continue;
    for (std::size_t b = 0; b < parent.n_sites(); ++b) {
      if (parent.site_sublattice[b] != to) continue;
      for (int i = -2; i <= 2; ++i)
        for (int j = -2; j <= 2; ++j)
          for (int k = -2; k <= 2; ++k) {
            const Vec3 d = parent.structure.cartesian(parent.structure.frac[b] + Vec3(i, j, k) - parent.structure.frac[a]);
            if (d.norm() > 1e-6) best = std::min(best, d.norm());
          }
    }
  }
  return best;
}

int sublattice_index(const lattice::ParentLattice& parent, const std::string& name) {
  for (std::size_t s = 0; s < parent.sublattices.size(); ++s)
    if (parent.sublattices[s].name == name) return static_cast<int>(s);
  return -1;
}
}  // namespace

Vec3 layer_normal(const lattice::ParentLattice& parent) {
  std::vector<Vec3> vectors;
  for (int i = -2; i <= 2; ++i)
    for (int j = -2; j <= 2; ++j)
      for (int k = -2; k <= 2; ++k)
        if (i || j || k) vectors.push_back(parent.structure.cartesian(Vec3(i, j, k)));
  std::stable_sort(vectors.begin(), vectors.end(), [](const Vec3& a, const Vec3& b) { return a.norm() < b.norm() - 1e-9; });
  const Vec3& a1 = vectors.front();
  for (const auto& v : vectors) {
    const Vec3 n = a1.cross(v);
    if (n.norm() > 1e-6 * a1.norm() * v.norm()) return n.normalized();
  }
  return Vec3::UnitZ();
}

RunObservables::RunObservables(const RunSetup& setup) : n_active_(setup.n_active) {
  const auto& in = setup.input;
  const auto& parent = setup.parent();
  const std::string& file = in.source_path;
  names_ = {"energy"};
  units_ = {"eV/site"};
  try {
    if (observed(in, "honeycomb")) {
      honeycomb_ = std::make_unique<observables::HoneycombOrder>(parent, setup.supercell, in.honeycomb_sublattice,
                                                                 in.honeycomb_species, layer_normal(parent));
      names_.push_back("honeycomb");
      units_.push_back("1");
    }
  } catch (const InputError& e) {
    throw InputError(keyed(file, "observables.honeycomb", e.what()));
  }
  if (observed(in, "concentrations")) {
    concentrations_ = std::make_unique<observables::SublatticeConcentrations>(parent, setup.supercell);
    for (int s = 0; s < concentrations_->n_sublattices(); ++s)
      for (const auto& species : concentrations_->species(s)) {
        names_.push_back("concentration/" + concentrations_->sublattice_name(s) + "/" + species);
        units_.push_back("1");
      }
  }
  if (observed(in, "warren_cowley")) {
    for (const auto& sub : parent.sublattices) {
      auto wc = std::make_unique<observables::WarrenCowley>(parent, setup.supercell, sub.name, kWarrenCowleyShells);
      for (int shell = 0; shell < wc->n_shells(); ++shell)
        for (std::size_t a = 0; a < sub.species.size(); ++a)
          for (std::size_t b = a; b < sub.species.size(); ++b) {
            names_.push_back("warren_cowley/" + sub.name + "/" + std::to_string(shell + 1) + "/" + sub.species[a] + "-" + sub.species[b]);
            units_.push_back("1");
          }
      warren_cowley_.push_back(std::move(wc));
    }
  }
  if (observed(in, "exchange_probe")) {
    const int from = sublattice_index(parent, in.probe_from), to = sublattice_index(parent, in.probe_to);
    if (from < 0) throw InputError(keyed(file, "observables.exchange_probe.from", "no sublattice '" + in.probe_from + "' in the model"));
    if (to < 0) throw InputError(keyed(file, "observables.exchange_probe.to", "no sublattice '" + in.probe_to + "' in the model"));
    // The nearest shell of 'to' sites: the octahedra sharing an edge across the layer gap.
    const double reach = 1.05 * shortest_distance(parent, from, to);
    try {
      probe_ = std::make_unique<observables::ExchangeProbe>(*setup.local, parent, in.probe_from, in.probe_species, in.probe_to, reach);
      electrostatics_ = setup.electrostatics.get();
      parent_ = &parent;
      from_ = from;
      to_ = to;
      probe_species_ = in.probe_species;
    } catch (const InputError& e) {
      throw InputError(keyed(file, "observables.exchange_probe", e.what()));
    }
  }
}

void RunObservables::sample(std::span<const ce::Occupation> occ, double total_energy, std::vector<double>& out) const {
  out.push_back(total_energy / n_active_);
  if (honeycomb_) out.push_back(honeycomb_->compute(occ).mean);
  if (concentrations_)
    for (const auto& row : concentrations_->compute(occ)) out.insert(out.end(), row.begin(), row.end());
  for (const auto& wc : warren_cowley_) {
    const auto alpha = wc->compute(occ);
    for (const auto& shell : alpha)
      for (std::size_t a = 0; a < shell.size(); ++a)
        for (std::size_t b = a; b < shell.size(); ++b) out.push_back(shell[a][b]);
  }
}

std::vector<double> RunObservables::probe(std::vector<ce::Occupation> occ) const {
  std::vector<double> energies;
  if (!probe_) return energies;
  // The probe gives the cluster-expansion part; the Ewald part of each exchange is added
  // from the configuration's site potentials (exact, O(1) per event).
  std::vector<double> potentials;
  if (electrostatics_) potentials = electrostatics_->potentials(occ);
  for (const auto& event : probe_->compute(occ)) {
    double e = event.energy;
    if (electrostatics_) {
      const int displaced = parent_->find_species(from_, event.displaced_species);
      const int moved = parent_->find_species(to_, probe_species_);
      e += electrostatics_->pair_delta(occ, potentials, event.from_site, displaced, event.to_site, moved);
    }
    energies.push_back(e);
  }
  return energies;
}

}  // namespace tmorder::app
