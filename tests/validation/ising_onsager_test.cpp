// The 2D square-lattice Ising model written as a cluster expansion, sampled with
// semi-grand-canonical flips at zero field, against Onsager's exact solution.
//
// H = -J sum_<ij> s_i s_j. The cluster expansion has E per cell = J_NN Pi_NN with Pi_NN the
// average spin product over nearest-neighbour bonds; with 2 bonds per site,
// E/N = -2 J Pi_NN, so J_NN = -2J. J = k_B * 100 K, so T/J (reduced) = T[K] / 100.
#include <gtest/gtest.h>

#include <cmath>

#include "onsager.hpp"
#include "test_lattices.hpp"
#include "tmorder/mc/accumulator.hpp"
#include "tmorder/mc/monte_carlo.hpp"

using namespace tmorder;

namespace {

constexpr double kJ = mc::kBoltzmann * 100.0;  // eV

struct IsingRun {
  double energy_mean;   // per site, units of J
  double energy_error;  // standard error (blocking)
  double heat_capacity; // per site, units of k_B
  double tau;
};

IsingRun run_ising(int L, double reduced_t, int equilibration, int production, std::uint64_t seed) {
  static const clusters::ClusterSpace cs(test_lattices::square(3.0), {3.5}, 1e-5);
  std::vector<double> ecis(cs.n_functions(), 0.0);
  ecis[cs.function_offset(1)] = -2.0 * kJ;  // orbit 1: the nearest-neighbour pair
  const ce::ClusterExpansion model(cs, ecis);
  IMat3 P = IMat3::Identity();
  P(0, 0) = L;
  P(1, 1) = L;
  const lattice::Supercell sc(P, 1);
  const ce::LocalEnergy local(model, sc);
  std::vector<ce::Occupation> start(static_cast<std::size_t>(sc.n_sites()), 0);  // ordered start
  mc::MonteCarlo sampler(local, cs.parent(), start, mc::Rng(seed), reduced_t * 100.0, mc::MoveSet{0.0, 0.0, 1.0},
                         mc::ChemicalPotentials{{0.0, 0.0}});
  for (int s = 0; s < equilibration; ++s) sampler.sweep();
  mc::Accumulator e, e2;
  const double n = sc.n_sites();
  for (int s = 0; s < production; ++s) {
    sampler.sweep();
    const double u = sampler.energy() / (n * kJ);
    e.add(u);
    e2.add(u * u);
  }
  EXPECT_LT(sampler.resynchronise(), 1e-6 * n * kJ);
  const double var = e2.mean() - e.mean() * e.mean();
  return {e.mean(), e.standard_error(), n * var / (reduced_t * reduced_t), e.autocorrelation_time()};
}

}  // namespace

TEST(IsingOnsagerTest, EnergyAwayFromTcMatchesOnsager) {
  // L = 64; below and above Tc = 2.269; finite-size corrections there are far below the
  // statistical error. Tolerance: 3 standard errors (blocking analysis).
  for (double t : {1.6, 2.0, 2.6, 3.2}) {
    const IsingRun r = run_ising(64, t, 2000, 20000, 1000 + static_cast<std::uint64_t>(t * 10));
    const double exact = exact::onsager_energy_per_site(t);
    EXPECT_NEAR(r.energy_mean, exact, 3.0 * r.energy_error)
        << "T/J = " << t << ": MC " << r.energy_mean << " +- " << r.energy_error << " (tau " << r.tau << "), exact " << exact;
    EXPECT_LT(r.energy_error, 2e-3) << "the comparison must be sharp";
  }
}

TEST(IsingOnsagerTest, HeatCapacityPeakBracketsTc) {
  // L = 64 scan; the largest heat capacity must sit on the grid point next to Tc = 2.269,
  // i.e. the peak is bracketed by its neighbours 2.15 and 2.45 around Tc.
  const std::vector<double> grid{1.9, 2.15, 2.3, 2.45, 2.7};
  std::vector<double> c;
  for (double t : grid) c.push_back(run_ising(64, t, 3000, 12000, 7 + static_cast<std::uint64_t>(t * 100)).heat_capacity);
  const auto peak = static_cast<std::size_t>(std::max_element(c.begin(), c.end()) - c.begin());
  EXPECT_EQ(grid[peak], 2.3) << "C(T) = " << c[0] << ", " << c[1] << ", " << c[2] << ", " << c[3] << ", " << c[4];
  EXPECT_LT(grid[peak - 1], exact::onsager_tc());
  EXPECT_GT(grid[peak + 1], exact::onsager_tc());
}
