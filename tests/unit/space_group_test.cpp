// Space groups found through spglib with sublattice colouring.
#include "tmorder/symmetry/space_group.hpp"

#include <gtest/gtest.h>

#include "test_lattices.hpp"
#include "tmorder/clusters/correlations.hpp"

using namespace tmorder;

namespace {

symmetry::SpaceGroup group_of(const lattice::ParentLattice& p, double symprec = 1e-5) {
  return symmetry::find_space_group(p.structure, p.colours(), symprec);
}

// Conventional cubic cell with two sites (0,0,0) and (1/2,1/2,1/2): bcc if both sites are
// one sublattice, CsCl-type if they are different sublattices.
lattice::ParentLattice bcc_conventional(bool same_sublattice) {
  lattice::ParentLattice p;
  p.structure.cell = Mat3::Identity() * 3.0;
  p.structure.species = {"Fe", "Fe"};
  p.structure.frac = {Vec3::Zero(), Vec3::Constant(0.5)};
  if (same_sublattice) {
    p.sublattices = {{"M", {"Fe", "Co"}}};
    p.site_sublattice = {0, 0};
  } else {
    p.sublattices = {{"A", {"Fe", "Co"}}, {"B", {"Al", "Va"}}};
    p.site_sublattice = {0, 1};
  }
  return p;
}

}  // namespace

TEST(SpaceGroupTest, KnownLattices) {
  struct Case {
    lattice::ParentLattice p;
    int number;
    std::size_t n_ops;
  };
  const std::vector<Case> cases{{test_lattices::fcc(), 225, 48},        {test_lattices::bcc(), 229, 48},
                                {test_lattices::simple_cubic(), 221, 48}, {test_lattices::triangular(), 191, 24},
                                {test_lattices::square(), 123, 16},      {test_lattices::o3_natmo2(), 166, 12}};
  for (const auto& c : cases) {
    const auto g = group_of(c.p, 1e-4);
    EXPECT_EQ(g.number, c.number) << g.international;
    EXPECT_EQ(g.operations.size(), c.n_ops) << g.international;
  }
}

TEST(SpaceGroupTest, SublatticeColouringLowersSymmetry) {
  // Same geometry: Im-3m (229, 96 operations in the 2-site cell including the centring)
  // when both sites share a sublattice; Pm-3m (221, 48) when their species differ.
  const auto same = group_of(bcc_conventional(true));
  EXPECT_EQ(same.number, 229);
  EXPECT_EQ(same.operations.size(), 96u);
  const auto split = group_of(bcc_conventional(false));
  EXPECT_EQ(split.number, 221);
  EXPECT_EQ(split.operations.size(), 48u);
  for (std::size_t op = 0; op < split.operations.size(); ++op)
    for (int b = 0; b < 2; ++b) EXPECT_EQ(split.apply(op, {b, IVec3::Zero()}).basis, b) << "a sublattice was mapped onto another";
}

TEST(SpaceGroupTest, SiteImagesAreExact) {
  const auto p = test_lattices::o3_natmo2();
  const auto g = group_of(p, 1e-4);
  for (std::size_t op = 0; op < g.operations.size(); ++op)
    for (std::size_t b = 0; b < p.n_sites(); ++b) {
      const Vec3 x = g.operations[op].rotation.cast<double>() * p.structure.frac[b] + g.operations[op].translation;
      const auto img = g.site_images[op][b];
      const Vec3 y = p.structure.frac[static_cast<std::size_t>(img.basis)] + img.cell.cast<double>();
      EXPECT_LT(p.structure.cartesian(x - y).norm(), 1e-4);
      EXPECT_EQ(p.colours()[b], p.colours()[static_cast<std::size_t>(img.basis)]);
    }
}

TEST(SpaceGroupTest, NonPrimitiveParentGivesTheSameCorrelations) {
  // The fcc conventional cube as a 4-site parent: the centring translations join the four
  // sites into one point orbit, multiplicities are per conventional cell (4x), and the
  // correlations of L1_2 equal those computed on the primitive parent.
  lattice::ParentLattice cube;
  cube.structure.cell = Mat3::Identity() * 4.0;
  cube.structure.species = {"Cu", "Cu", "Cu", "Cu"};
  cube.structure.frac = {Vec3(0, 0, 0), Vec3(0, 0.5, 0.5), Vec3(0.5, 0, 0.5), Vec3(0.5, 0.5, 0)};
  cube.sublattices = {{"M", {"Ni", "Sb"}}};
  cube.site_sublattice = {0, 0, 0, 0};
  const clusters::ClusterSpace conv(cube, {4.1, 3.0}, 1e-5);
  const clusters::ClusterSpace prim(test_lattices::fcc(4.0), {4.1, 3.0}, 1e-5);
  ASSERT_EQ(conv.orbits().size(), prim.orbits().size());
  for (std::size_t k = 0; k < prim.orbits().size(); ++k)
    EXPECT_EQ(conv.orbits()[k].multiplicity(), 4 * prim.orbits()[k].multiplicity());

  // L1_2 on the cube: species 1 on the corner site (basis 0).
  const lattice::Supercell one(IMat3::Identity(), 4);
  const auto c_conv = clusters::correlations(conv, one, std::vector<int>{1, 0, 0, 0});
  IMat3 P;
  P << -1, 1, 1, 1, -1, 1, 1, 1, -1;
  const lattice::Supercell cube_of_prim(P, 1);
  std::vector<int> occ(4);
  for (int i = 0; i < 4; ++i) {
    const IVec3 n = cube_of_prim.lattice_site(i).cell;
    const bool corner = (n[1] + n[2]) % 2 == 0 && (n[0] + n[2]) % 2 == 0 && (n[0] + n[1]) % 2 == 0;
    occ[static_cast<std::size_t>(i)] = corner ? 1 : 0;
  }
  const auto c_prim = clusters::correlations(prim, cube_of_prim, occ);
  EXPECT_LT((c_conv - c_prim).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_NEAR(c_conv[1], -0.5, 1e-12);
}
