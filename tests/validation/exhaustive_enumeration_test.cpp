// Monte Carlo against exact Boltzmann distributions from exhaustive enumeration of tiny
// supercells: canonical swaps with three species, and swaps plus cross-sublattice exchanges
// on a two-sublattice parent.
//
// Statistics: samples are taken every `thin` sweeps (several autocorrelation times of these
// tiny systems, so they are close to independent); energy levels with expected count < 5
// are merged; the chi-square statistic must stay below the 99.9% quantile of the
// chi-square distribution with (levels - 1) degrees of freedom (Wilson-Hilferty), so a
// correct sampler fails this test with probability ~1e-3 for a given seed, and the seeds are
// fixed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>

#include "test_lattices.hpp"
#include "tmorder/mc/monte_carlo.hpp"

using namespace tmorder;
using ce::Occupation;

namespace {

double chi2_quantile_999(int dof) {
  const double z = 3.090232;  // standard normal 99.9% quantile
  const double k = dof;
  return k * std::pow(1.0 - 2.0 / (9.0 * k) + z * std::sqrt(2.0 / (9.0 * k)), 3);
}

// All occupations of the active sites reachable from `start` by permuting species within
// each group of sites (a group is a set of sites whose species may be exchanged freely).
void enumerate(std::vector<Occupation>& occ, const std::vector<int>& sites, std::size_t k,
               std::vector<int>& remaining, const std::function<int(int, int)>& index_of,
               const std::function<void(const std::vector<Occupation>&)>& visit, const std::vector<std::string>& names) {
  if (k == sites.size()) {
    visit(occ);
    return;
  }
  for (std::size_t s = 0; s < names.size(); ++s) {
    if (remaining[s] == 0) continue;
    const int idx = index_of(sites[k], static_cast<int>(s));
    if (idx < 0) continue;  // this species is not allowed on this site
    --remaining[s];
    occ[static_cast<std::size_t>(sites[k])] = static_cast<Occupation>(idx);
    enumerate(occ, sites, k + 1, remaining, index_of, visit, names);
    ++remaining[s];
  }
}

struct Histogram {
  std::map<long long, double> exact;  // energy level (1e-7 eV units) -> probability
  std::map<long long, double> observed;
};

long long level(double e) { return std::llround(e * 1e7); }

void check_histogram(const Histogram& h, double n_samples) {
  // Merge levels with small expectation into their neighbour, in energy order.
  std::vector<std::pair<double, double>> bins;  // expected, observed
  double exp_acc = 0, obs_acc = 0;
  for (const auto& [lvl, p] : h.exact) {
    exp_acc += p * n_samples;
    const auto it = h.observed.find(lvl);
    obs_acc += it == h.observed.end() ? 0.0 : it->second;
    if (exp_acc >= 5.0) {
      bins.emplace_back(exp_acc, obs_acc);
      exp_acc = obs_acc = 0;
    }
  }
  if (exp_acc > 0 && !bins.empty()) {
    bins.back().first += exp_acc;
    bins.back().second += obs_acc;
  }
  for (const auto& [lvl, count] : h.observed) EXPECT_TRUE(h.exact.count(lvl)) << "MC visited an energy the enumeration never produced";
  ASSERT_GE(bins.size(), 4u) << "too few energy levels for a meaningful test";
  double chi2 = 0;
  for (const auto& [e, o] : bins) chi2 += (o - e) * (o - e) / e;
  const int dof = static_cast<int>(bins.size()) - 1;
  EXPECT_LT(chi2, chi2_quantile_999(dof)) << "chi2 = " << chi2 << " with " << dof << " degrees of freedom";
  // Guard against a vacuous pass: the distribution must be far from uniform over levels.
  EXPECT_GT(h.exact.size(), 5u);
}

std::vector<double> random_ecis(const clusters::ClusterSpace& cs, double sigma, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, sigma);
  std::vector<double> j(cs.n_functions());
  for (auto& x : j) x = g(rng);
  return j;
}

IMat3 in_plane(int l) {
  IMat3 P = IMat3::Identity();
  P(0, 0) = l;
  P(1, 1) = l;
  return P;
}

// Exact Boltzmann probabilities of the energy levels of every configuration with the given
// species counts; returns the number of configurations.
std::size_t exact_levels(Histogram& h, const ce::LocalEnergy& local, int n_sites, std::vector<int> counts,
                         const std::function<int(int, int)>& index_of, const std::vector<std::string>& names, double beta) {
  std::vector<Occupation> occ(static_cast<std::size_t>(n_sites), 0);
  std::vector<int> sites(static_cast<std::size_t>(n_sites));
  for (int i = 0; i < n_sites; ++i) sites[static_cast<std::size_t>(i)] = i;
  std::size_t n_configs = 0;
  enumerate(occ, sites, 0, counts, index_of,
            [&](const std::vector<Occupation>& o) {
              h.exact[level(local.total_energy(o))] += std::exp(-beta * local.total_energy(o));
              ++n_configs;
            },
            names);
  double z = 0;
  for (const auto& [lvl, w] : h.exact) z += w;
  for (auto& [lvl, w] : h.exact) w /= z;
  return n_configs;
}

// Energy levels visited by the chain, one sample every `thin` sweeps after 200 sweeps.
void sample_levels(Histogram& h, mc::MonteCarlo& sampler, const ce::LocalEnergy& local, int n_samples, int thin) {
  for (int s = 0; s < 200; ++s) sampler.sweep();
  for (int n = 0; n < n_samples; ++n) {
    for (int s = 0; s < thin; ++s) sampler.sweep();
    h.observed[level(local.total_energy(sampler.occupation()))] += 1.0;
  }
  EXPECT_LT(sampler.resynchronise(), 1e-9);
}

}  // namespace

TEST(ExhaustiveEnumerationTest, CanonicalThreeSpecies) {
  // Triangular layer, 3x3 cell (9 sites), species {Ni, Sb, Cu} 3:3:3 -> 1680 configurations.
  const clusters::ClusterSpace cs(test_lattices::triangular(3.0, 3), {6.5, 3.1}, 1e-5);
  const ce::ClusterExpansion model(cs, random_ecis(cs, 0.03, 99));
  const lattice::Supercell sc(in_plane(3), 1);
  const ce::LocalEnergy local(model, sc);
  const double T = 400.0;
  Histogram h;
  const auto n_configs = exact_levels(h, local, 9, {3, 3, 3}, [](int, int s) { return s; }, {"Ni", "Sb", "Cu"},
                                      1.0 / (mc::kBoltzmann * T));
  EXPECT_EQ(n_configs, 1680u);
  mc::MonteCarlo sampler(local, cs.parent(), {0, 0, 0, 1, 1, 1, 2, 2, 2}, mc::Rng(2024), T, mc::MoveSet{});
  const int n_samples = 20000;
  sample_levels(h, sampler, local, n_samples, 3);
  check_histogram(h, n_samples);
}

TEST(ExhaustiveEnumerationTest, SwapsAndCrossSublatticeExchanges) {
  // Two sublattices on a rocksalt-like parent: "TM" {A, B, C} and "Na" {A, B, D}; A and B
  // move between them through exchanges, C stays on TM and D on Na. 2x2x1 supercell (4 + 4
  // sites); global composition A2 B3 C1 D2.
  lattice::ParentLattice p;
  p.structure.cell << 0, 2.1, 2.1, 2.1, 0, 2.1, 2.1, 2.1, 0;
  p.structure.species = {"A", "D"};
  p.structure.frac = {Vec3::Zero(), Vec3::Constant(0.5)};
  p.sublattices = {{"TM", {"A", "B", "C"}}, {"Na", {"A", "B", "D"}}};
  p.site_sublattice = {0, 1};
  const clusters::ClusterSpace cs(p, {4.3, 3.1}, 1e-5);
  const ce::ClusterExpansion model(cs, random_ecis(cs, 0.04, 5));
  const lattice::Supercell sc(in_plane(2), 2);
  const ce::LocalEnergy local(model, sc);
  const double T = 500.0;
  const std::vector<std::string> names{"A", "B", "C", "D"};
  const auto index_of = [&](int site, int s) {
    const auto allowed = p.allowed_species(site / sc.n_cells());
    const auto it = std::find(allowed.begin(), allowed.end(), names[static_cast<std::size_t>(s)]);
    return it == allowed.end() ? -1 : static_cast<int>(it - allowed.begin());
  };
  Histogram h;
  EXPECT_GT(exact_levels(h, local, 8, {2, 3, 1, 2}, index_of, names, 1.0 / (mc::kBoltzmann * T)), 100u);

  // Start: TM = A A B C, Na = B B D D.
  std::vector<Occupation> start(8);
  const int tm[4] = {0, 0, 1, 2}, na[4] = {1, 1, 2, 2};
  for (int c = 0; c < 4; ++c) {
    start[static_cast<std::size_t>(c)] = static_cast<Occupation>(tm[c]);
    start[static_cast<std::size_t>(4 + c)] = static_cast<Occupation>(na[c]);
  }
  mc::MonteCarlo sampler(local, p, start, mc::Rng(77), T, mc::MoveSet{1.0, 1.0, 0.0});
  const int n_samples = 20000;
  sample_levels(h, sampler, local, n_samples, 4);
  EXPECT_GT(sampler.statistics().accepted[1], 1000u) << "exchanges must actually happen";
  check_histogram(h, n_samples);
}
