// Orbit counts and multiplicities against published values.
//
// Sources (cutoff = longest site-site distance in the cluster, one cutoff per order; a
// distance equal to the cutoff counts as inside; multiplicity = clusters per primitive cell):
//  [icet-S1]  icet, tests/unittest/test_icet/core/test_cluster_space.py: fcc Ag a = 4.09 A,
//             cutoffs [4, 4, 4] -> one pair (mult 6), one triplet (8), one quadruplet (2).
//  [icet-S4]  same file, test_to_dataframe_fcc: fcc Au a = 4.01 A, cutoffs [8, 5] -> 16 rows:
//             pairs (radius, mult) [1.417749,6] [2.005,3] [2.455613,12] [2.835498,6]
//             [3.170183,12] [3.472762,4] [3.751012,24]; triplets [1.637076,8] [1.854526,12]
//             [1.982172,24] [2.262583,24] [2.453891,24] [2.663409,24] [2.835498,8].
//             (icet's radius is the mean distance of the sites from their centroid.)
//  [icet-S6]  icet basic tutorial (Pd-Ag): fcc a = 4.09 A, cutoffs [8.5, 8.5, 7.5] ->
//             "number of orbits by order: 0= 1  1= 1  2= 8  3= 50  4= 113".
//  [icet-S7]  icet doc/userguide/tutorial/construct_cluster_expansion.rst: fcc a = 4.09 A,
//             cutoffs [13.5, 6.5, 6.0] -> "2= 25  3= 20  4= 35".
//  [icet-bcc] icet tests: bcc a = 3.0 A, cutoff [3.0] -> 2 pair orbits (the second shell sits
//             exactly at the cutoff); bcc a = 4.0 A, cutoffs [8, 8, 8] -> orbit list of 84
//             (singlet + pairs + triplets + quadruplets).
//  [OEIS]     Theta series of the lattices give the coordination number of every shell:
//             fcc A004015, bcc A004013, triangular A004016, square A004018. A pair orbit
//             of a one-site lattice has multiplicity N/2 for a shell of N neighbours.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "test_lattices.hpp"
#include "tmorder/clusters/cluster_space.hpp"

using namespace tmorder;
using namespace tmorder::clusters;

namespace {

std::vector<int> counts_by_order(const ClusterSpace& cs) {
  std::vector<int> counts(6, 0);
  for (const auto& o : cs.orbits()) ++counts[static_cast<std::size_t>(o.order)];
  return counts;
}

std::vector<std::pair<double, int>> radius_and_multiplicity(const ClusterSpace& cs, int order) {
  std::vector<std::pair<double, int>> out;
  for (const auto& o : cs.orbits())
    if (o.order == order) out.emplace_back(o.radius, o.multiplicity());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int> pair_multiplicities(const ClusterSpace& cs) {
  std::vector<int> m;
  for (const auto& o : cs.orbits())
    if (o.order == 2) m.push_back(o.multiplicity());
  return m;
}

}  // namespace

TEST(OrbitCountsTest, FccNearestNeighbourClustersIcetS1) {
  const ClusterSpace cs(test_lattices::fcc(4.09), {4.0, 4.0, 4.0}, 1e-5);
  EXPECT_EQ(counts_by_order(cs), (std::vector<int>{0, 1, 1, 1, 1, 0}));
  EXPECT_EQ(cs.orbits()[1].multiplicity(), 6);
  EXPECT_EQ(cs.orbits()[2].multiplicity(), 8);
  EXPECT_EQ(cs.orbits()[3].multiplicity(), 2);
  EXPECT_EQ(cs.n_functions(), 5u);  // "total number of parameters: 5"
}

TEST(OrbitCountsTest, FccRadiiAndMultiplicitiesIcetS4) {
  const ClusterSpace cs(test_lattices::fcc(4.01), {8.0, 5.0}, 1e-5);
  const std::vector<std::pair<double, int>> pairs{{1.417749, 6}, {2.005000, 3}, {2.455613, 12}, {2.835498, 6},
                                                  {3.170183, 12}, {3.472762, 4}, {3.751012, 24}};
  const std::vector<std::pair<double, int>> triplets{{1.637076, 8}, {1.854526, 12}, {1.982172, 24}, {2.262583, 24},
                                                     {2.453891, 24}, {2.663409, 24}, {2.835498, 8}};
  for (const auto& [order, ref] : {std::pair{2, pairs}, std::pair{3, triplets}}) {
    const auto got = radius_and_multiplicity(cs, order);
    ASSERT_EQ(got.size(), ref.size()) << "order " << order;
    for (std::size_t i = 0; i < ref.size(); ++i) {
      EXPECT_NEAR(got[i].first, ref[i].first, 1e-5) << "order " << order << " orbit " << i;
      EXPECT_EQ(got[i].second, ref[i].second) << "order " << order << " orbit " << i;
    }
  }
  EXPECT_EQ(cs.n_functions(), 16u);
}

TEST(OrbitCountsTest, FccLargeCutoffsIcetTutorials) {
  EXPECT_EQ(counts_by_order(ClusterSpace(test_lattices::fcc(4.09), {8.5, 8.5, 7.5}, 1e-5)),
            (std::vector<int>{0, 1, 8, 50, 113, 0}));
  EXPECT_EQ(counts_by_order(ClusterSpace(test_lattices::fcc(4.09), {13.5, 6.5, 6.0}, 1e-5)),
            (std::vector<int>{0, 1, 25, 20, 35, 0}));
}

TEST(OrbitCountsTest, BccIcet) {
  EXPECT_EQ(counts_by_order(ClusterSpace(test_lattices::bcc(3.0), {3.0}, 1e-5)), (std::vector<int>{0, 1, 2, 0, 0, 0}));
  const ClusterSpace cs(test_lattices::bcc(4.0), {8.0, 8.0, 8.0}, 1e-5);
  EXPECT_EQ(cs.orbits().size(), 84u);
}

TEST(OrbitCountsTest, PairShellsFollowTheThetaSeries) {
  // Coordination numbers N of the first shells (OEIS); multiplicity per site = N / 2.
  // Cutoffs sit between the last listed shell and the next one.
  struct Case {
    const char* name;
    lattice::ParentLattice lattice;
    double cutoff;
    std::vector<int> coordination;
  };
  const std::vector<Case> cases{
      {"fcc A004015", test_lattices::fcc(4.0), 4.0 * 2.0 + 0.1, {12, 6, 24, 12, 24, 8, 48, 6}},
      {"bcc A004013", test_lattices::bcc(4.0), 4.0 * 2.2361 + 0.1, {8, 6, 12, 24, 8, 6, 24, 24}},
      {"triangular A004016", test_lattices::triangular(3.0), 3.0 * 4.5826 + 0.1, {6, 6, 6, 12, 6, 6, 12, 6, 12, 12}},
      {"square A004018", test_lattices::square(3.0), 3.0 * 4.1231 + 0.1, {4, 4, 4, 8, 4, 4, 8, 8, 4, 8}},
  };
  for (const auto& c : cases) {
    const ClusterSpace cs(c.lattice, {c.cutoff}, 1e-5);
    std::vector<int> expected;
    for (int n : c.coordination) expected.push_back(n / 2);
    EXPECT_EQ(pair_multiplicities(cs), expected) << c.name;
  }
}

TEST(OrbitCountsTest, TernarySitesMultiplyClusterFunctions) {
  // With M = 3 species a pair has 2 x 2 decorations; the symmetric pair merges (1,2) and
  // (2,1), leaving 3 functions; an equilateral NN triangle has 4 classes (111, 112, 122, 222).
  const ClusterSpace cs(test_lattices::fcc(4.0, 3), {3.0, 3.0}, 1e-5);
  ASSERT_EQ(cs.orbits().size(), 3u);
  EXPECT_EQ(cs.orbits()[0].functions.size(), 2u);
  EXPECT_EQ(cs.orbits()[1].functions.size(), 3u);
  EXPECT_EQ(cs.orbits()[2].functions.size(), 4u);
}

TEST(OrbitCountsTest, AnchorModelMatchesOtherCodes) {
  // The benchmark anchor model measured in ICET and smol on this project's machine
  // (issue 3): hexagonal a = 3.0 A, c = 5.3 A, one site {Ni, Sb}, pairs to 6.5 A, triplets
  // to 4.0 A -> 7 orbits, 8 cluster functions with the empty one. The pairs are a (3.0),
  // sqrt3 a (5.196), c (5.3), 2a (6.0) and sqrt(a^2 + c^2) (6.09); the triplet is the
  // in-plane nearest-neighbour triangle (up and down, multiplicity 2).
  Mat3 cell;
  cell << 3.0, 0, 0, -1.5, 1.5 * std::sqrt(3.0), 0, 0, 0, 5.3;
  auto p = test_lattices::one_site_lattice(cell, 2);
  const ClusterSpace cs(p, {6.5, 4.0}, 1e-5);
  EXPECT_EQ(cs.orbits().size(), 7u);
  EXPECT_EQ(cs.n_functions(), 8u);
  EXPECT_EQ(pair_multiplicities(cs), (std::vector<int>{3, 3, 1, 3, 6}));
}
