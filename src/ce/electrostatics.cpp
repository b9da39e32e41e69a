#include "tmorder/ce/electrostatics.hpp"

#include <cmath>

#include "tmorder/util/error.hpp"

namespace tmorder::ce {

Electrostatics::Electrostatics(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                               const std::map<std::string, double>& charges, double coefficient, EwaldSettings settings)
    : n_cells_(supercell.n_cells()), coefficient_(coefficient), table_(parent.structure, supercell, settings) {
  if (!std::isfinite(coefficient)) throw InputError("electrostatics: the coefficient must be a finite number");
  for (std::size_t b = 0; b < parent.n_sites(); ++b) {
    std::vector<double> q;
    for (const auto& species : parent.allowed_species(static_cast<int>(b))) {
      const auto it = charges.find(species);
      if (it == charges.end())
        throw InputError("electrostatics: species '" + species + "' (parent site " + std::to_string(b) +
                         ") has no formal charge; give one for every species, e.g. Va = 0");
      if (!std::isfinite(it->second)) throw InputError("electrostatics: the charge of '" + species + "' is not finite");
      q.push_back(it->second);
    }
    charge_.push_back(std::move(q));
  }
}

std::vector<double> Electrostatics::site_charges(std::span<const Occupation> occ) const {
  std::vector<double> q(occ.size());
  for (std::size_t i = 0; i < occ.size(); ++i) q[i] = charge(static_cast<int>(i) / n_cells_, occ[i]);
  return q;
}

std::vector<double> Electrostatics::potentials(std::span<const Occupation> occ) const {
  return table_.potentials(site_charges(occ));
}

double Electrostatics::energy(std::span<const Occupation> occ) const { return coefficient_ * table_.energy(site_charges(occ)); }

double Electrostatics::pair_delta(std::span<const Occupation> occ, std::span<const double> v, int i, int a, int j, int b) const {
  const double dqi = charge(i / n_cells_, a) - charge(i / n_cells_, occ[static_cast<std::size_t>(i)]);
  // dE/k_e = dqi V_i + dqj V_j + dqi^2 phi_ii / 2 + dqj^2 phi_jj / 2 + dqi dqj phi_ij
  double e = dqi * v[static_cast<std::size_t>(i)] + 0.5 * dqi * dqi * table_.phi(i, i);
  if (j >= 0 && j != i) {
    const double dqj = charge(j / n_cells_, b) - charge(j / n_cells_, occ[static_cast<std::size_t>(j)]);
    e += dqj * v[static_cast<std::size_t>(j)] + 0.5 * dqj * dqj * table_.phi(j, j) + dqi * dqj * table_.phi(i, j);
  }
  return coefficient_ * coulomb_constant_ev_angstrom * e;
}

void Electrostatics::update(std::span<double> potentials, int site, int from, int to) const {
  const double dq = charge(site / n_cells_, to) - charge(site / n_cells_, from);
  if (dq != 0.0) table_.update_potentials(site, dq, potentials);
}

}  // namespace tmorder::ce
