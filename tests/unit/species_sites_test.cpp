#include "tmorder/mc/species_sites.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "test_lattices.hpp"

using namespace tmorder;

TEST(SpeciesSitesTest, ListsFollowRandomChanges) {
  const auto parent = test_lattices::o3_natmo2();
  IMat3 P;
  P << 3, 1, 0, 0, 2, 0, 0, 0, 2;
  const lattice::Supercell sc(P, 4);
  std::mt19937 rng(1);
  std::vector<ce::Occupation> occ(static_cast<std::size_t>(sc.n_sites()), 0);
  for (int i = 0; i < 2 * sc.n_cells(); ++i) occ[static_cast<std::size_t>(i)] = static_cast<ce::Occupation>(rng() % 3);
  mc::SpeciesSites sites(parent, sc, occ);
  for (int step = 0; step < 5000; ++step) {
    const int i = static_cast<int>(rng() % static_cast<unsigned>(2 * sc.n_cells()));
    const int to = static_cast<int>(rng() % 3);
    sites.move(i, occ[static_cast<std::size_t>(i)], to);
    occ[static_cast<std::size_t>(i)] = static_cast<ce::Occupation>(to);
  }
  // Every list holds exactly the sites of its species on its sublattice.
  for (int s = 0; s < 2; ++s) {
    int total = 0;
    for (int a = 0; a < 3; ++a) {
      std::vector<int> expected;
      for (int k = 0; k < sites.n_sites(s); ++k)
        if (occ[static_cast<std::size_t>(sites.site(s, k))] == a) expected.push_back(sites.site(s, k));
      auto got = std::vector<int>(sites.sites(s, a).begin(), sites.sites(s, a).end());
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, expected) << "sublattice " << s << " species " << a;
      total += sites.count(s, a);
    }
    EXPECT_EQ(total, sc.n_cells());
  }
  EXPECT_EQ(sites.sublattice_of(0), 0);
  EXPECT_EQ(sites.sublattice_of(sc.n_cells()), 1);
  EXPECT_EQ(sites.sublattice_of(2 * sc.n_cells()), -1);  // oxygen
}
