// The electrostatic term as a Monte Carlo energy: move energies from site potentials equal
// differences of full Ewald energies, and a Markov chain keeps energy and potentials exact.
#include "tmorder/ce/electrostatics.hpp"

#include <gtest/gtest.h>

#include <random>

#include "test_lattices.hpp"
#include "test_support.hpp"
#include "tmorder/mc/monte_carlo.hpp"

using namespace tmorder;
using ce::Occupation;

namespace {

// O3 NaTMO2 with formal charges: Ni2+ Sb5+ Cu2+ on TM, Na+ / vacancy / Cu+ in the Na layer, O2-.
const std::map<std::string, double> kCharges{{"Ni", 2}, {"Sb", 5}, {"Cu", 2}, {"Na", 1}, {"Va", 0}, {"O", -2}};

std::vector<Occupation> random_occupation(const lattice::ParentLattice& p, const lattice::Supercell& sc, std::mt19937& rng) {
  std::vector<Occupation> occ(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i)
    occ[static_cast<std::size_t>(i)] = static_cast<Occupation>(rng() % static_cast<unsigned>(p.n_species(i / sc.n_cells())));
  return occ;
}

}  // namespace

TEST(ElectrostaticsTest, MoveEnergiesEqualEwaldDifferences) {
  const auto parent = test_lattices::o3_natmo2();
  IMat3 P;
  P << 2, 1, 0, -1, 2, 0, 0, 0, 2;
  const lattice::Supercell sc(P, 4);
  const ce::Electrostatics es(parent, sc, kCharges, 0.7);
  std::mt19937 rng(8);
  auto occ = random_occupation(parent, sc, rng);
  auto v = es.potentials(occ);
  double e = es.energy(occ);
  for (int move = 0; move < 300; ++move) {
    const int i = static_cast<int>(rng() % 2) * sc.n_cells() + static_cast<int>(rng() % static_cast<unsigned>(sc.n_cells()));
    const int j = static_cast<int>(rng() % 2) * sc.n_cells() + static_cast<int>(rng() % static_cast<unsigned>(sc.n_cells()));
    const int a = static_cast<int>(rng() % 3), b = static_cast<int>(rng() % 3);
    const bool flip = move % 2 == 0 || i == j;
    const double delta = es.pair_delta(occ, v, i, a, flip ? -1 : j, b);
    const int old_i = occ[static_cast<std::size_t>(i)], old_j = occ[static_cast<std::size_t>(j)];
    occ[static_cast<std::size_t>(i)] = static_cast<Occupation>(a);
    es.update(v, i, old_i, a);
    if (!flip) {
      occ[static_cast<std::size_t>(j)] = static_cast<Occupation>(b);
      es.update(v, j, old_j, b);
    }
    const double after = es.energy(occ);
    ASSERT_NEAR(delta, after - e, 1e-8) << "move " << move;
    e = after;
  }
  const auto fresh = es.potentials(occ);
  for (std::size_t k = 0; k < v.size(); ++k) EXPECT_NEAR(v[k], fresh[k], 1e-9);
}

TEST(ElectrostaticsTest, MonteCarloTracksTheTotalEnergy) {
  const auto parent = test_lattices::o3_natmo2();
  const clusters::ClusterSpace cs(parent, {5.0}, 1e-4);
  std::vector<double> j(cs.n_functions(), 0.01);
  const ce::ClusterExpansion model(cs, j);
  IMat3 P;
  P << 3, 0, 0, 0, 3, 0, 0, 0, 2;
  const lattice::Supercell sc(P, 4);
  const ce::LocalEnergy local(model, sc);
  const ce::Electrostatics es(parent, sc, kCharges, 0.5);
  std::mt19937 rng(4);
  const auto occ = random_occupation(parent, sc, rng);
  mc::MonteCarlo sampler(local, parent, occ, mc::Rng(1), 1500.0, mc::MoveSet{1, 0, 0}, {}, &es);
  EXPECT_NEAR(sampler.energy(), local.total_energy(occ) + es.energy(occ), 1e-9);
  for (int s = 0; s < 50; ++s) sampler.sweep();
  EXPECT_GT(sampler.statistics().accepted[0], 10u);
  EXPECT_LT(sampler.resynchronise(), 1e-8);
}

TEST(ElectrostaticsTest, EverySpeciesNeedsACharge) {
  const auto parent = test_lattices::o3_natmo2();
  const lattice::Supercell sc(IMat3::Identity(), 4);
  auto charges = kCharges;
  charges.erase("Va");
  const std::string message = test_support::error_of([&] { ce::Electrostatics(parent, sc, charges, 1.0); });
  EXPECT_NE(message.find("'Va'"), std::string::npos) << message;
  EXPECT_NE(message.find("no formal charge"), std::string::npos) << message;
}
