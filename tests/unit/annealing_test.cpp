// Simulated annealing finds the known ground state; compositions and chemical potentials by
// name are checked the way a run input needs.
#include "tmorder/mc/annealing.hpp"

#include <gtest/gtest.h>

#include "test_lattices.hpp"
#include "test_support.hpp"
#include "tmorder/clusters/correlations.hpp"
#include "tmorder/mc/initial_configuration.hpp"

using namespace tmorder;
using test_support::error_of;

TEST(AnnealingTest, FindsTheHoneycombGroundState) {
  // Triangular layer, Ni2/3 Sb1/3, repulsive nearest-neighbour pair only. With spins
  // (Ni -1, Sb +1) at c = 1/3, the NN pair correlation is at least -1/3, reached only when
  // no two Sb are neighbours, which at c = 1/3 (the densest such packing) is the sqrt3 x
  // sqrt3 honeycomb order. Ground-state energy: N_cells * J_NN * (-1/3).
  const clusters::ClusterSpace cs(test_lattices::triangular(3.0, 2), {3.5}, 1e-5);
  std::vector<double> j(cs.n_functions(), 0.0);
  const double j_nn = 0.1;
  j[cs.function_offset(1)] = j_nn;
  const ce::ClusterExpansion model(cs, j);
  IMat3 P = IMat3::Identity();
  P(0, 0) = 6;
  P(1, 1) = 6;
  const lattice::Supercell sc(P, 1);
  const ce::LocalEnergy local(model, sc);
  mc::Rng rng(11);
  auto start = mc::random_configuration(cs.parent(), sc, {{"M", {{"Ni", 2.0 / 3.0}, {"Sb", 1.0 / 3.0}}}}, rng);
  mc::MonteCarlo sampler(local, cs.parent(), start, rng, 3000.0, mc::MoveSet{});
  const auto result = mc::anneal(sampler, {3000.0, 20.0, 30, 100});
  const double ground = sc.n_cells() * j_nn * (-1.0 / 3.0);
  EXPECT_NEAR(result.best_energy, ground, 1e-9);
  EXPECT_NEAR(local.total_energy(result.best), result.best_energy, 1e-9);
  // The best configuration is the honeycomb: second-neighbour pair correlation +1.
  const clusters::ClusterSpace cs3(test_lattices::triangular(3.0, 2), {5.5}, 1e-5);
  const std::vector<int> as_int(result.best.begin(), result.best.end());
  const auto c = clusters::correlations(cs3, sc, as_int);
  EXPECT_NEAR(c[static_cast<Eigen::Index>(cs3.function_offset(2))], 1.0, 1e-12);
  EXPECT_EQ(result.temperatures.size(), 30u);
  EXPECT_GT(result.energies.front(), result.energies.back());
}

TEST(AnnealingTest, RejectsBadSchedules) {
  const clusters::ClusterSpace cs(test_lattices::square(3.0, 2), {3.5}, 1e-5);
  const ce::ClusterExpansion model(cs, std::vector<double>(cs.n_functions(), 0.0));
  const lattice::Supercell sc(IMat3::Identity() * 2, 1);
  const ce::LocalEnergy local(model, sc);
  mc::MonteCarlo sampler(local, cs.parent(), std::vector<ce::Occupation>{0, 1, 0, 1, 0, 1, 0, 1}, mc::Rng(1), 300.0, mc::MoveSet{});
  EXPECT_THROW(mc::anneal(sampler, {100.0, 200.0, 10, 1}), std::invalid_argument);
  EXPECT_THROW(mc::anneal(sampler, {100.0, 0.0, 10, 1}), std::invalid_argument);
  EXPECT_THROW(sampler.set_temperature(0.0), std::invalid_argument);
  EXPECT_THROW(sampler.set_temperature(-5.0), std::invalid_argument);
}

TEST(InitialConfigurationTest, ExactCompositions) {
  const auto parent = test_lattices::o3_natmo2();
  IMat3 P = IMat3::Identity() * 3;  // 27 TM and 27 Na sites
  const lattice::Supercell sc(P, 4);
  mc::Rng rng(3);
  const mc::Composition comp{{"TM", {{"Ni", 2.0 / 3.0}, {"Sb", 1.0 / 3.0}}}, {"Na", {{"Na", 1.0}}}};
  const auto occ = mc::random_configuration(parent, sc, comp, rng);
  int sb = 0;
  for (int c = 0; c < sc.n_cells(); ++c) sb += occ[static_cast<std::size_t>(c)] == 1;
  EXPECT_EQ(sb, 9);
  EXPECT_EQ(mc::species_counts(parent, sc, comp)[0], (std::vector<int>{18, 9, 0}));
}

TEST(InitialConfigurationTest, ImpossibleCompositionsAreRefused) {
  const auto parent = test_lattices::o3_natmo2();
  const lattice::Supercell sc(IMat3::Identity() * 3, 4);  // 27 sites per sublattice
  mc::Rng rng(3);
  const auto err = [&](const mc::Composition& c) { return error_of([&] { (void)mc::species_counts(parent, sc, c); }); };
  const std::string inexact = err({{"TM", {{"Ni", 0.6}, {"Sb", 0.4}}}, {"Na", {{"Na", 1.0}}}});
  EXPECT_NE(inexact.find("cannot hold it exactly"), std::string::npos) << inexact;
  EXPECT_NE(inexact.find("TM"), std::string::npos) << inexact;
  const std::string unknown = err({{"TM", {{"Ru", 1.0}}}, {"Na", {{"Na", 1.0}}}});
  EXPECT_NE(unknown.find("'Ru'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("allowed: Ni, Sb, Cu"), std::string::npos) << unknown;
  EXPECT_NE(err({{"TM", {{"Ni", 1.0 / 3.0}}}, {"Na", {{"Na", 1.0}}}}).find("sum to 0.333"), std::string::npos);
  EXPECT_NE(err({{"TM", {{"Ni", 1.0}}}}).find("no fractions given for sublattice 'Na'"), std::string::npos);
  EXPECT_NE(err({{"Li", {{"Li", 1.0}}}}).find("unknown sublattice 'Li'"), std::string::npos);
}

TEST(InitialConfigurationTest, ChemicalPotentialsByName) {
  const auto parent = test_lattices::o3_natmo2();
  const auto mu = mc::chemical_potentials(parent, {{"Na", {{"Va", -0.3}}}});
  EXPECT_EQ(mu[1][1], -0.3);
  EXPECT_EQ(mu[0][0], 0.0);
  const std::string m = error_of([&] { (void)mc::chemical_potentials(parent, {{"Na", {{"Li", 0.1}}}}); });
  EXPECT_NE(m.find("'Li'"), std::string::npos) << m;
}
