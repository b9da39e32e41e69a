// Saving and restoring a sampler's state continues the Markov chain bit for bit: the
// contract a checkpoint/restart of `tmorder run` relies on.
#include <gtest/gtest.h>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <random>
#include <sstream>

#include "test_lattices.hpp"
#include "tmorder/ce/electrostatics.hpp"
#include "tmorder/mc/monte_carlo.hpp"

using namespace tmorder;

namespace {

struct SamplerSetup {
  clusters::ClusterSpace space{test_lattices::o3_natmo2(), {5.0, 3.5}, 1e-4};
  ce::ClusterExpansion model{space, [this] {
                               std::mt19937 g(5);
                               std::normal_distribution<double> n(0.0, 0.05);
                               std::vector<double> j(space.n_functions());
                               for (auto& x : j) x = n(g);
                               return j;
                             }()};
  lattice::Supercell sc{IMat3::Identity() * 3, 4};
  ce::LocalEnergy local{model, sc};
  ce::Electrostatics es{space.parent(), sc, {{"Ni", 2}, {"Sb", 5}, {"Cu", 2}, {"Na", 1}, {"Va", 0}, {"O", -2}}, 0.1};

  std::vector<ce::Occupation> occupation(unsigned seed) const {
    std::vector<ce::Occupation> occ(static_cast<std::size_t>(sc.n_sites()), 0);
    std::mt19937 g(seed);
    for (int c = 0; c < sc.n_cells(); ++c) {
      occ[static_cast<std::size_t>(c)] = static_cast<ce::Occupation>(g() % 3);
      occ[static_cast<std::size_t>(sc.n_cells() + c)] = static_cast<ce::Occupation>(g() % 3);
    }
    return occ;
  }
};

std::vector<double> run(mc::MonteCarlo& mc, int n) {
  std::vector<double> energies;
  for (int k = 0; k < n; ++k) {
    mc.step();
    energies.push_back(mc.energy());
  }
  return energies;
}

}  // namespace

TEST(MonteCarloStateTest, RestoredSamplerContinuesBitForBit) {
  for (const bool ewald : {false, true}) {
    const SamplerSetup s;
    // Swaps and semi-grand flips (compositions, and so the swap weights, change too).
    const mc::MoveSet moves{1.0, 0.0, 0.3};
    const mc::ChemicalPotentials mu{{0.0, 0.1, -0.1}, {0.0, 0.2, 0.05}};
    mc::MonteCarlo a(s.local, s.space.parent(), s.occupation(1), mc::Rng(11), 900.0, moves, mu, ewald ? &s.es : nullptr);
    run(a, 3000);
    a.set_temperature(700.0);
    const auto saved = a.state();
    // Through a Boost archive, as a checkpoint does.
    std::stringstream buffer;
    {
      boost::archive::binary_oarchive out(buffer);
      out << saved;
    }
    mc::MonteCarlo::State loaded;
    {
      boost::archive::binary_iarchive in(buffer);
      in >> loaded;
    }
    const auto expected = run(a, 5000);
    // A sampler started elsewhere (other configuration, generator, temperature).
    mc::MonteCarlo b(s.local, s.space.parent(), s.occupation(2), mc::Rng(99), 300.0, moves, mu, ewald ? &s.es : nullptr);
    run(b, 100);
    b.restore(loaded);
    EXPECT_EQ(b.temperature(), 700.0);
    const auto got = run(b, 5000);
    ASSERT_EQ(got, expected) << (ewald ? "with Ewald" : "CE only");  // exact, not approximate
    EXPECT_EQ(b.statistics().trials, a.statistics().trials);
    EXPECT_EQ(b.statistics().accepted, a.statistics().accepted);
    EXPECT_TRUE(std::equal(a.occupation().begin(), a.occupation().end(), b.occupation().begin()));
    EXPECT_GT(a.statistics().accepted[0], 20u) << "swaps must have been accepted for the test to bite";
    EXPECT_GT(a.statistics().accepted[2], 20u) << "flips must have been accepted for the test to bite";
  }
}

TEST(MonteCarloStateTest, RefusesAStateThatDoesNotFit) {
  const SamplerSetup s;
  mc::MonteCarlo a(s.local, s.space.parent(), s.occupation(1), mc::Rng(1), 900.0, mc::MoveSet{});
  run(a, 100);
  const auto good = a.state();
  const auto before = a.state();

  auto wrong_size = good;
  wrong_size.occupation.pop_back();
  EXPECT_THROW(a.restore(wrong_size), std::invalid_argument);

  auto bad_species = good;
  bad_species.occupation[0] = 7;
  EXPECT_THROW(a.restore(bad_species), std::invalid_argument);

  auto bad_order = good;
  std::swap(bad_order.site_order[0].front(), bad_order.site_order[0].back());
  if (good.occupation[static_cast<std::size_t>(bad_order.site_order[0].front())] !=
      good.occupation[static_cast<std::size_t>(bad_order.site_order[0].back())]) {
    EXPECT_THROW(a.restore(bad_order), std::invalid_argument);
  }
  auto duplicate = good;
  duplicate.site_order[0][1] = duplicate.site_order[0][0];
  EXPECT_THROW(a.restore(duplicate), std::invalid_argument);

  auto cold = good;
  cold.temperature = 0.0;
  EXPECT_THROW(a.restore(cold), std::invalid_argument);

  auto charged = good;
  charged.potentials.assign(10, 0.0);  // this sampler has no Ewald term
  EXPECT_THROW(a.restore(charged), std::invalid_argument);

  // Nothing of a refused state was taken over.
  const auto after = a.state();
  EXPECT_EQ(after.occupation, before.occupation);
  EXPECT_EQ(after.site_order, before.site_order);
  EXPECT_EQ(after.rng, before.rng);
  EXPECT_EQ(after.temperature, before.temperature);
}
