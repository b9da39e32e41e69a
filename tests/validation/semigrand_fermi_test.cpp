// Semi-grand canonical flips with point terms only: independent sites, so the
// concentration follows the Fermi function exactly.
//
// Binary sublattice, E per cell = J_0 + J_1 Pi_1 with Pi_1 = <s> (s = -1 for A, +1 for B):
// each site contributes J_1 s, so turning A into B costs 2 J_1, and with mu_B - mu_A = dmu
//   c_B = 1 / (1 + exp((2 J_1 - dmu) / k_B T)).
#include <gtest/gtest.h>

#include <cmath>

#include "test_lattices.hpp"
#include "tmorder/mc/accumulator.hpp"
#include "tmorder/mc/monte_carlo.hpp"

using namespace tmorder;

TEST(SemiGrandFermiTest, ConcentrationFollowsFermiFunction) {
  const clusters::ClusterSpace cs(test_lattices::fcc(4.0), {3.0}, 1e-5);
  const double j1 = 0.05, T = 600.0, kT = mc::kBoltzmann * T;
  std::vector<double> ecis(cs.n_functions(), 0.0);
  ecis[0] = 0.3;  // a constant shifts nothing
  ecis[cs.function_offset(0)] = j1;
  const ce::ClusterExpansion model(cs, ecis);
  IMat3 P = IMat3::Identity() * 8;
  const lattice::Supercell sc(P, 1);
  const ce::LocalEnergy local(model, sc);
  for (double dmu : {-0.05, 0.05, 0.1, 0.15, 0.25}) {
    mc::MonteCarlo sampler(local, cs.parent(), std::vector<ce::Occupation>(512, 0), mc::Rng(31), T, mc::MoveSet{0, 0, 1},
                           mc::ChemicalPotentials{{0.0, dmu}});
    for (int s = 0; s < 200; ++s) sampler.sweep();
    mc::Accumulator c;
    for (int s = 0; s < 4000; ++s) {
      sampler.sweep();
      c.add(sampler.species_sites().count(0, 1) / 512.0);
    }
    const double exact = 1.0 / (1.0 + std::exp((2.0 * j1 - dmu) / kT));
    EXPECT_NEAR(c.mean(), exact, 3.0 * c.standard_error() + 1e-12) << "dmu = " << dmu << " eV";
    EXPECT_LT(c.standard_error(), 2e-3);
  }
}
