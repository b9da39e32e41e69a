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

}  // namespace

TEST(ExhaustiveEnumerationTest, CanonicalThreeSpecies) {
  // Triangular layer, 3x3 cell (9 sites), species {Ni, Sb, Cu} 3:3:3 -> 1680 configurations.
  const clusters::ClusterSpace cs(test_lattices::triangular(3.0, 3), {6.5, 3.1}, 1e-5);
  std::mt19937 rng(99);
  std::normal_distribution<double> g(0.0, 0.03);
  std::vector<double> j(cs.n_functions());
  for (auto& x : j) x = g(rng);
  const ce::ClusterExpansion model(cs, j);
  IMat3 P = IMat3::Identity();
  P(0, 0) = 3;
  P(1, 1) = 3;
  const lattice::Supercell sc(P, 1);
  const ce::LocalEnergy local(model, sc);
  const double T = 400.0;
  const double beta = 1.0 / (mc::kBoltzmann * T);

  Histogram h;
  double z = 0;
  std::vector<Occupation> occ(9, 0);
  std::vector<int> sites(9);
  for (int i = 0; i < 9; ++i) sites[static_cast<std::size_t>(i)] = i;
  std::vector<int> remaining{3, 3, 3};
  std::size_t n_configs = 0;
  enumerate(occ, sites, 0, remaining, [](int, int s) { return s; },
            [&](const std::vector<Occupation>& o) {
              const double e = local.total_energy(o);
              h.exact[level(e)] += std::exp(-beta * e);
              ++n_configs;
            },
            {"Ni", "Sb", "Cu"});
  EXPECT_EQ(n_configs, 1680u);
  for (auto& [lvl, w] : h.exact) z += w;
  for (auto& [lvl, w] : h.exact) w /= z;

  std::vector<Occupation> start{0, 0, 0, 1, 1, 1, 2, 2, 2};
  mc::MonteCarlo sampler(local, cs.parent(), start, mc::Rng(2024), T, mc::MoveSet{});
  for (int s = 0; s < 200; ++s) sampler.sweep();
  const int n_samples = 20000, thin = 3;
  for (int n = 0; n < n_samples; ++n) {
    for (int s = 0; s < thin; ++s) sampler.sweep();
    h.observed[level(local.total_energy(sampler.occupation()))] += 1.0;
  }
  EXPECT_LT(sampler.resynchronise(), 1e-9);
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
  std::mt19937 rng(5);
  std::normal_distribution<double> g(0.0, 0.04);
  std::vector<double> j(cs.n_functions());
  for (auto& x : j) x = g(rng);
  const ce::ClusterExpansion model(cs, j);
  IMat3 P = IMat3::Identity();
  P(0, 0) = 2;
  P(1, 1) = 2;
  const lattice::Supercell sc(P, 2);
  const ce::LocalEnergy local(model, sc);
  const double T = 500.0, beta = 1.0 / (mc::kBoltzmann * T);

  const std::vector<std::string> names{"A", "B", "C", "D"};
  const auto index_of = [&](int site, int s) {
    const auto allowed = p.allowed_species(site / sc.n_cells());
    const auto it = std::find(allowed.begin(), allowed.end(), names[static_cast<std::size_t>(s)]);
    return it == allowed.end() ? -1 : static_cast<int>(it - allowed.begin());
  };
  Histogram h;
  std::vector<Occupation> occ(8, 0);
  std::vector<int> sites(8);
  for (int i = 0; i < 8; ++i) sites[static_cast<std::size_t>(i)] = i;
  std::vector<int> remaining{2, 3, 1, 2};
  double z = 0;
  std::size_t n_configs = 0;
  enumerate(occ, sites, 0, remaining, index_of,
            [&](const std::vector<Occupation>& o) {
              const double e = local.total_energy(o);
              h.exact[level(e)] += std::exp(-beta * e);
              ++n_configs;
            },
            names);
  EXPECT_GT(n_configs, 100u);
  for (auto& [lvl, w] : h.exact) z += w;
  for (auto& [lvl, w] : h.exact) w /= z;

  // Start: TM = A A B C, Na = B B D D.
  std::vector<Occupation> start(8);
  const int tm[4] = {0, 0, 1, 2}, na[4] = {1, 1, 2, 2};
  for (int c = 0; c < 4; ++c) {
    start[static_cast<std::size_t>(c)] = static_cast<Occupation>(tm[c]);
    start[static_cast<std::size_t>(4 + c)] = static_cast<Occupation>(na[c]);
  }
  mc::MonteCarlo sampler(local, p, start, mc::Rng(77), T, mc::MoveSet{1.0, 1.0, 0.0});
  for (int s = 0; s < 200; ++s) sampler.sweep();
  const int n_samples = 20000, thin = 4;
  for (int n = 0; n < n_samples; ++n) {
    for (int s = 0; s < thin; ++s) sampler.sweep();
    h.observed[level(local.total_energy(sampler.occupation()))] += 1.0;
  }
  EXPECT_GT(sampler.statistics().accepted[1], 1000u) << "exchanges must actually happen";
  EXPECT_LT(sampler.resynchronise(), 1e-9);
  check_histogram(h, n_samples);
}
