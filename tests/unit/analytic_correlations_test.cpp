// Correlations of ordered structures derived by hand. Binary sites: species 0 -> spin -1,
// species 1 -> spin +1 (phi_1 = -1, +1), so a correlation is the average spin product.
#include <gtest/gtest.h>

#include "test_lattices.hpp"
#include "tmorder/clusters/correlations.hpp"

using namespace tmorder;
using namespace tmorder::clusters;
using lattice::Supercell;

namespace {

// Correlation of the first function of the n-th orbit of a given order (n = 0: shortest).
double corr(const ClusterSpace& cs, const Eigen::VectorXd& c, int order, int n) {
  int seen = 0;
  for (std::size_t k = 0; k < cs.orbits().size(); ++k)
    if (cs.orbits()[k].order == order && seen++ == n) return c[static_cast<Eigen::Index>(cs.function_offset(k))];
  ADD_FAILURE() << "no orbit " << n << " of order " << order;
  return 0.0;
}

template <class Rule>
std::vector<int> decorate(const Supercell& sc, Rule species_of_translation) {
  std::vector<int> occ(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i) occ[static_cast<std::size_t>(i)] = species_of_translation(sc.lattice_site(i).cell);
  return occ;
}

}  // namespace

// B2 (CsCl) on bcc. Primitive bcc vectors a1 = (-1,1,1)a/2, a2 = (1,-1,1)a/2,
// a3 = (1,1,-1)a/2; the cube edges are a2+a3, a1+a3, a1+a2. Site n sits at
// x = (-n1+n2+n3)a/2 etc., a cube corner iff n1+n2+n3 is even. B2 puts species 1 on the
// corners and 0 on the body centres. Every nearest neighbour (a sqrt3/2) joins a corner and
// a centre: <s s'> = -1. Second neighbours (a, along cube edges) join equal sites: +1.
// Equal numbers of both: point correlation 0.
TEST(AnalyticCorrelationsTest, B2OnBcc) {
  const ClusterSpace cs(test_lattices::bcc(3.0), {3.5}, 1e-5);
  IMat3 P;
  P << 0, 1, 1, 1, 0, 1, 1, 1, 0;
  const Supercell sc(P, 1);
  const auto c = correlations(cs, sc, decorate(sc, [](const IVec3& n) { return ((n.sum() % 2) + 2) % 2 == 0 ? 1 : 0; }));
  EXPECT_NEAR(corr(cs, c, 1, 0), 0.0, 1e-12);
  EXPECT_NEAR(corr(cs, c, 2, 0), -1.0, 1e-12);
  EXPECT_NEAR(corr(cs, c, 2, 1), 1.0, 1e-12);
}

// fcc in its conventional cube: primitive vectors a1 = (0,1,1)a/2, a2 = (1,0,1)a/2,
// a3 = (1,1,0)a/2; site n at (n2+n3, n1+n3, n1+n2) a/2. The cube (P rows (-1,1,1),
// (1,-1,1), (1,1,-1)) holds one site of each of the four simple-cubic sublattices.
namespace {
IMat3 fcc_cube() {
  IMat3 P;
  P << -1, 1, 1, 1, -1, 1, 1, 1, -1;
  return P;
}
int even(int x) { return ((x % 2) + 2) % 2 == 0; }
}  // namespace

// L1_2 (Cu3Au): species 1 (B) on the cube corners, 0 (A) on the face centres.
//  point: (3(-1) + 1(+1))/4 = -1/2.
//  NN pair: 24 bonds per cube; B has 12 A neighbours (12 AB bonds), the other 12 are AA:
//    (12(-1) + 12(+1))/24 = 0.
//  2nd-neighbour pair (a, along cube edges): same simple-cubic sublattice: +1.
//  NN triangle: its three sites lie on three different sc sublattices; 3 of the 4 triples
//    contain the B sublattice (spin product (-1)(-1)(+1) = +1), one does not ((-1)^3 = -1),
//    and the cubic symmetry gives every triple the same number of triangles: (3 - 1)/4 = 1/2.
//  NN tetrahedron: one site on each sublattice, always one B: (-1)^3 (+1) = -1.
TEST(AnalyticCorrelationsTest, L12OnFcc) {
  const ClusterSpace cs(test_lattices::fcc(4.0), {4.1, 3.0, 3.0}, 1e-5);
  const Supercell sc(fcc_cube(), 1);
  const auto c = correlations(cs, sc, decorate(sc, [](const IVec3& n) {
    return (even(n[1] + n[2]) && even(n[0] + n[2]) && even(n[0] + n[1])) ? 1 : 0;
  }));
  EXPECT_NEAR(corr(cs, c, 1, 0), -0.5, 1e-12);
  EXPECT_NEAR(corr(cs, c, 2, 0), 0.0, 1e-12);
  EXPECT_NEAR(corr(cs, c, 2, 1), 1.0, 1e-12);
  EXPECT_NEAR(corr(cs, c, 3, 0), 0.5, 1e-12);
  EXPECT_NEAR(corr(cs, c, 4, 0), -1.0, 1e-12);
}

// L1_0 (CuAu): layers alternate along z; species 1 where z = (n1+n2) a/2 is an odd multiple.
//  point: 0.  NN pair: 4 in-plane neighbours equal, 8 out-of-plane opposite: (4 - 8)/12 = -1/3.
//  2nd neighbours (a along x, y or z): same species: +1.
//  NN triangle: sublattice triples AAB and ABB occur equally: (+1 - 1)/2 = 0.
//  NN tetrahedron: AABB: (+1).
TEST(AnalyticCorrelationsTest, L10OnFcc) {
  const ClusterSpace cs(test_lattices::fcc(4.0), {4.1, 3.0, 3.0}, 1e-5);
  const Supercell sc(fcc_cube(), 1);
  const auto c = correlations(cs, sc, decorate(sc, [](const IVec3& n) { return even(n[0] + n[1]) ? 0 : 1; }));
  EXPECT_NEAR(corr(cs, c, 1, 0), 0.0, 1e-12);
  EXPECT_NEAR(corr(cs, c, 2, 0), -1.0 / 3.0, 1e-12);
  EXPECT_NEAR(corr(cs, c, 2, 1), 1.0, 1e-12);
  EXPECT_NEAR(corr(cs, c, 3, 0), 0.0, 1e-12);
  EXPECT_NEAR(corr(cs, c, 4, 0), 1.0, 1e-12);
}

// Honeycomb M2/3 M'1/3 (sqrt3 x sqrt3 R30) on the triangular lattice a1 = (a,0),
// a2 = (-a/2, a sqrt3/2). Supercell A1 = 2a1 + a2, A2 = -a1 + a2 (|A| = a sqrt3, det 3).
// The three sublattices are (n1 + n2) mod 3; M' (species 1) on sublattice 0, M elsewhere.
//  point: (1(+1) + 2(-1))/3 = -1/3.
//  NN (a; vectors +-a1, +-a2, +-(a1+a2) change n1+n2 by +-1, +-1, +-2): always another
//    sublattice. Each M' has 6 M neighbours, each M 3 M' and 3 M: of 9 bonds per cell 6 are
//    M-M' (-1) and 3 are M-M (+1): (-6 + 3)/9 = -1/3.
//  2nd neighbours (a sqrt3; a1 - a2, 2a1 + a2, a1 + 2a2 change n1+n2 by 0 or 3): same
//    sublattice: +1.
//  3rd neighbours (2a = twice a NN vector, change 2 or 4 = not 0 mod 3): another sublattice,
//    the same counting as NN: -1/3.
TEST(AnalyticCorrelationsTest, HoneycombOnTriangular) {
  const ClusterSpace cs(test_lattices::triangular(3.0), {6.2}, 1e-5);
  IMat3 P;
  P << 2, 1, 0, -1, 1, 0, 0, 0, 1;
  const Supercell sc(P, 1);
  const auto c = correlations(cs, sc, decorate(sc, [](const IVec3& n) { return (((n[0] + n[1]) % 3) + 3) % 3 == 0 ? 1 : 0; }));
  EXPECT_NEAR(corr(cs, c, 1, 0), -1.0 / 3.0, 1e-12);
  EXPECT_NEAR(corr(cs, c, 2, 0), -1.0 / 3.0, 1e-12);
  EXPECT_NEAR(corr(cs, c, 2, 1), 1.0, 1e-12);
  EXPECT_NEAR(corr(cs, c, 2, 2), -1.0 / 3.0, 1e-12);
}

TEST(AnalyticCorrelationsTest, PureElementsGiveSpinPowers) {
  // All species 0 on a binary lattice: every cluster function is (-1)^order.
  const ClusterSpace cs(test_lattices::fcc(4.0), {5.0, 4.1, 3.0}, 1e-5);
  IMat3 P = IMat3::Identity() * 2;
  const Supercell sc(P, 1);
  const auto c = correlations(cs, sc, std::vector<int>(static_cast<std::size_t>(sc.n_sites()), 0));
  EXPECT_EQ(c[0], 1.0);
  for (std::size_t k = 0; k < cs.orbits().size(); ++k)
    EXPECT_NEAR(c[static_cast<Eigen::Index>(cs.function_offset(k))], cs.orbits()[k].order % 2 ? -1.0 : 1.0, 1e-12);
}
