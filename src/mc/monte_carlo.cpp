#include "tmorder/mc/monte_carlo.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace tmorder::mc {

MonteCarlo::MonteCarlo(const ce::LocalEnergy& energy, const lattice::ParentLattice& parent,
                       std::vector<ce::Occupation> occupation, Rng rng, double temperature, MoveSet moves,
                       ChemicalPotentials mu, const ce::Electrostatics* electrostatics)
    : local_(energy), parent_(parent), electrostatics_(electrostatics), occ_(std::move(occupation)), rng_(rng), mu_(std::move(mu)), sites_(parent, energy.supercell(), occ_) {
  const auto& sc = energy.supercell();
  for (int i = 0; i < sc.n_sites(); ++i) {
    const int b = i / sc.n_cells();
    if (occ_[static_cast<std::size_t>(i)] >= parent.n_species(b))
      throw std::invalid_argument("occupation of site " + std::to_string(i) + " is outside the species allowed there");
    if (parent.is_active(b)) ++n_active_;
  }
  for (std::size_t b = 0; b < parent.n_sites(); ++b)
    if (parent.is_active(static_cast<int>(b))) active_basis_.push_back(static_cast<int>(b));
  if (n_active_ == 0) throw std::invalid_argument("the supercell has no active sites");
  if (moves.swap < 0 || moves.exchange < 0 || moves.flip < 0 || moves.swap + moves.exchange + moves.flip <= 0)
    throw std::invalid_argument("move weights must be >= 0 with a positive sum");
  if (moves.flip > 0) {
    if (mu_.size() != parent.sublattices.size())
      throw std::invalid_argument("flips need chemical potentials for every sublattice");
    for (std::size_t s = 0; s < mu_.size(); ++s)
      if (mu_[s].size() != parent.sublattices[s].species.size())
        throw std::invalid_argument("sublattice '" + parent.sublattices[s].name + "': expected one chemical potential per species");
  }
  const double total = moves.swap + moves.exchange + moves.flip;
  cumulative_ = {moves.swap / total, (moves.swap + moves.exchange) / total, 1.0};
  if (moves.swap == total) single_kind_ = 0;
  if (moves.flip == total) single_kind_ = 2;

  // Species pairs per sublattice for swaps.
  const int n_sub = sites_.n_sublattices();
  swap_pairs_.resize(static_cast<std::size_t>(n_sub));
  swap_weights_.resize(static_cast<std::size_t>(n_sub));
  swap_totals_.assign(static_cast<std::size_t>(n_sub), 0.0);
  for (int s = 0; s < n_sub; ++s)
    for (int a = 0; a < sites_.n_species(s); ++a)
      for (int b = a + 1; b < sites_.n_species(s); ++b) swap_pairs_[static_cast<std::size_t>(s)].push_back({a, b});
  refresh_swap_weights();

  // Sublattice pairs that share at least two species can exchange.
  species_map_.assign(static_cast<std::size_t>(n_sub), std::vector<std::vector<int>>(static_cast<std::size_t>(n_sub)));
  for (int s1 = 0; s1 < n_sub; ++s1)
    for (int s2 = 0; s2 < n_sub; ++s2) {
      const auto& from = parent.sublattices[static_cast<std::size_t>(s1)].species;
      const auto& to = parent.sublattices[static_cast<std::size_t>(s2)].species;
      int shared = 0;
      for (const auto& name : from) {
        const auto it = std::find(to.begin(), to.end(), name);
        species_map_[static_cast<std::size_t>(s1)][static_cast<std::size_t>(s2)].push_back(it == to.end() ? -1 : static_cast<int>(it - to.begin()));
        shared += it != to.end();
      }
      if (s1 < s2 && shared >= 2) exchange_pairs_.push_back({s1, s2});
    }
  if (moves.exchange > 0 && exchange_pairs_.empty())
    throw std::invalid_argument("exchange moves need two sublattices sharing at least two species");
  set_temperature(temperature);
  energy_ = local_.total_energy(occ_);
  if (electrostatics_) {
    potentials_ = electrostatics_->potentials(occ_);
    energy_ += electrostatics_->energy(occ_);
  }
}

double MonteCarlo::move_delta(int i, int a, int j, int b) {
  double delta = j < 0 ? local_.flip_delta(occ_, i, a) : local_.pair_delta(occ_, i, a, j, b);
  if (electrostatics_) delta += electrostatics_->pair_delta(occ_, potentials_, i, a, j, b);
  return delta;
}

void MonteCarlo::set_temperature(double kelvin) {
  if (!(kelvin > 0.0) || !std::isfinite(kelvin)) throw std::invalid_argument("temperature must be a positive number of kelvin");
  temperature_ = kelvin;
  beta_ = 1.0 / (kBoltzmann * kelvin);
}

void MonteCarlo::refresh_swap_weights() {
  swap_total_ = 0.0;
  for (std::size_t s = 0; s < swap_pairs_.size(); ++s) {
    auto& w = swap_weights_[s];
    w.clear();
    double sum = 0.0;
    for (const auto& [a, b] : swap_pairs_[s]) {
      sum += static_cast<double>(sites_.count(static_cast<int>(s), a)) * sites_.count(static_cast<int>(s), b);
      w.push_back(sum);  // cumulative
    }
    swap_totals_[s] = sum;
    swap_total_ += sum;
  }
}

bool MonteCarlo::accept(double delta) {
  return delta <= 0.0 || rng_.uniform() < std::exp(-beta_ * delta);
}

void MonteCarlo::apply(int site, int to) {
  const int from = occ_[static_cast<std::size_t>(site)];
  sites_.move(site, from, to);
  if (electrostatics_) electrostatics_->update(potentials_, site, from, to);
  occ_[static_cast<std::size_t>(site)] = static_cast<ce::Occupation>(to);
}

bool MonteCarlo::step() {
  if (single_kind_ == 0) return try_swap();  // one kind of move: no draw to choose it
  if (single_kind_ == 2) return try_flip();
  const double r = rng_.uniform();
  if (r < cumulative_[0]) return try_swap();
  if (r < cumulative_[1]) return try_exchange();
  return try_flip();
}

void MonteCarlo::sweep() {
  for (int k = 0; k < n_active_; ++k) step();
}

bool MonteCarlo::try_swap() {
  ++stats_.trials[0];
  if (swap_total_ <= 0.0) return false;  // every sublattice is pure: nothing to swap
  // Sublattice, then species pair, each with weight n_a n_b; then one site of each species.
  double x = rng_.uniform() * swap_total_;
  std::size_t s = 0;
  while (s + 1 < swap_totals_.size() && x >= swap_totals_[s]) x -= swap_totals_[s++];
  const auto& w = swap_weights_[s];
  const std::size_t p = std::min<std::size_t>(static_cast<std::size_t>(std::upper_bound(w.begin(), w.end(), x) - w.begin()), w.size() - 1);
  const auto [a, b] = swap_pairs_[s][p];
  const auto list_a = sites_.sites(static_cast<int>(s), a);
  const auto list_b = sites_.sites(static_cast<int>(s), b);
  if (list_a.empty() || list_b.empty()) return false;  // only if rounding put x at the very end
  const int i = list_a[rng_.below(static_cast<std::uint32_t>(list_a.size()))];
  const int j = list_b[rng_.below(static_cast<std::uint32_t>(list_b.size()))];
  const double delta = move_delta(i, b, j, a);
  if (!accept(delta)) return false;
  apply(i, b);
  apply(j, a);
  energy_ += delta;
  ++stats_.accepted[0];
  return true;
}

bool MonteCarlo::try_exchange() {
  ++stats_.trials[1];
  const auto [s1, s2] = exchange_pairs_[rng_.below(static_cast<std::uint32_t>(exchange_pairs_.size()))];
  const int i = sites_.site(s1, static_cast<int>(rng_.below(static_cast<std::uint32_t>(sites_.n_sites(s1)))));
  const int j = sites_.site(s2, static_cast<int>(rng_.below(static_cast<std::uint32_t>(sites_.n_sites(s2)))));
  const int a = occ_[static_cast<std::size_t>(i)], b = occ_[static_cast<std::size_t>(j)];
  const int a_on_2 = species_map_[static_cast<std::size_t>(s1)][static_cast<std::size_t>(s2)][static_cast<std::size_t>(a)];
  const int b_on_1 = species_map_[static_cast<std::size_t>(s2)][static_cast<std::size_t>(s1)][static_cast<std::size_t>(b)];
  // Same species or a species the other sublattice does not allow: a rejected trial.
  if (a_on_2 < 0 || b_on_1 < 0 || a_on_2 == b) return false;
  const double delta = move_delta(i, b_on_1, j, a_on_2);
  if (!accept(delta)) return false;
  apply(i, b_on_1);
  apply(j, a_on_2);
  energy_ += delta;
  ++stats_.accepted[1];
  refresh_swap_weights();  // sublattice compositions changed
  return true;
}

bool MonteCarlo::try_flip() {
  ++stats_.trials[2];
  // A random active site: a random active basis site, then a random cell (no divides).
  const int basis = active_basis_.size() == 1 ? active_basis_[0]
                                               : active_basis_[rng_.below(static_cast<std::uint32_t>(active_basis_.size()))];
  const int n_cells = local_.supercell().n_cells();
  const int i = basis * n_cells + static_cast<int>(rng_.below(static_cast<std::uint32_t>(n_cells)));
  const int s = sites_.sublattice_of_basis(basis);
  const int m = sites_.n_species(s);
  const int a = occ_[static_cast<std::size_t>(i)];
  int b = m == 2 ? 1 - a : static_cast<int>(rng_.below(static_cast<std::uint32_t>(m - 1)));
  if (m > 2 && b >= a) ++b;  // uniform over the other species
  const double delta = move_delta(i, b, -1, 0);
  const auto& mu = mu_[static_cast<std::size_t>(s)];
  if (!accept(delta - (mu[static_cast<std::size_t>(b)] - mu[static_cast<std::size_t>(a)]))) return false;
  apply(i, b);
  energy_ += delta;
  ++stats_.accepted[2];
  if (cumulative_[0] > 0.0) refresh_swap_weights();
  return true;
}

double MonteCarlo::resynchronise() {
  double exact = local_.total_energy(occ_);
  if (electrostatics_) {
    potentials_ = electrostatics_->potentials(occ_);
    exact += electrostatics_->energy(occ_);
  }
  const double drift = std::abs(exact - energy_);
  energy_ = exact;
  return drift;
}

double MonteCarlo::chemical_work() const {
  double work = 0.0;
  for (std::size_t s = 0; s < mu_.size(); ++s)
    for (std::size_t a = 0; a < mu_[s].size(); ++a) work += mu_[s][a] * sites_.count(static_cast<int>(s), static_cast<int>(a));
  return work;
}

MonteCarlo::State MonteCarlo::state() const {
  State st;
  st.occupation = occ_;
  st.site_order = sites_.order();
  st.rng = rng_.state();
  st.trials = stats_.trials;
  st.accepted = stats_.accepted;
  st.energy = energy_;
  st.potentials = potentials_;
  st.temperature = temperature_;
  return st;
}

void MonteCarlo::restore(const State& st) {
  if (st.occupation.size() != occ_.size()) throw std::invalid_argument("saved state: occupation has the wrong number of sites");
  if (st.potentials.size() != potentials_.size()) throw std::invalid_argument("saved state: electrostatic potentials do not match");
  const auto& sc = local_.supercell();
  for (int i = 0; i < sc.n_sites(); ++i) {
    const int b = i / sc.n_cells();
    const int s = sites_.sublattice_of_basis(b);
    const int allowed = s < 0 ? 1 : sites_.n_species(s);
    if (st.occupation[static_cast<std::size_t>(i)] >= allowed)
      throw std::invalid_argument("saved state: species of site " + std::to_string(i) + " is out of range");
  }
  SpeciesSites sites(parent_, sc, st.occupation);
  sites.set_order(st.site_order, st.occupation);
  Rng rng = rng_;
  rng.set_state(st.rng);
  set_temperature(st.temperature);  // throws before changing anything for T <= 0
  // Commit only after every check passed.
  occ_ = st.occupation;
  sites_ = std::move(sites);
  rng_ = rng;
  stats_.trials = st.trials;
  stats_.accepted = st.accepted;
  energy_ = st.energy;
  potentials_ = st.potentials;
  refresh_swap_weights();
}

}  // namespace tmorder::mc
