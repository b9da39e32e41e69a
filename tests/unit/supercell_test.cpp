#include "tmorder/lattice/supercell.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace tmorder;
using namespace tmorder::lattice;

namespace {
IMat3 skewed() {
  IMat3 P;
  P << 2, 1, 0, -1, 2, 1, 1, 0, 3;  // det = 16
  return P;
}
}  // namespace

TEST(SupercellTest, CellCountIsDeterminant) {
  EXPECT_EQ(Supercell(skewed(), 2).n_cells(), 16);
  EXPECT_EQ(Supercell(skewed(), 2).n_sites(), 32);
  IMat3 left = skewed();
  left.row(0).swap(left.row(1));  // negative determinant: still a valid supercell
  EXPECT_EQ(Supercell(left, 1).n_cells(), 16);
}

TEST(SupercellTest, SupercellTranslationsMapToTheSameCell) {
  const Supercell sc(skewed(), 1);
  for (int c = 0; c < sc.n_cells(); ++c) {
    const IVec3 n = sc.cell_translation(c);
    EXPECT_EQ(sc.cell_index(n), c);
    for (int r = 0; r < 3; ++r) {
      const IVec3 t = sc.matrix().row(r).transpose();
      EXPECT_EQ(sc.cell_index(n + t), c);
      EXPECT_EQ(sc.cell_index(n - 3 * t), c);
    }
  }
}

TEST(SupercellTest, RepresentativesAreDistinctAndInsideTheCell) {
  const Supercell sc(skewed(), 1);
  const Eigen::Matrix3d Pinv = sc.matrix().cast<double>().inverse();
  std::set<int> cells;
  for (int c = 0; c < sc.n_cells(); ++c) {
    const Eigen::RowVector3d m = sc.cell_translation(c).cast<double>().transpose() * Pinv;
    for (int k = 0; k < 3; ++k) {
      EXPECT_GE(m[k], -1e-12);
      EXPECT_LT(m[k], 1.0 - 1e-12);
    }
    cells.insert(sc.cell_index(sc.cell_translation(c)));
  }
  EXPECT_EQ(static_cast<int>(cells.size()), sc.n_cells());
}

TEST(SupercellTest, DifferenceNotInSupercellLatticeGivesDifferentCells) {
  // Two translations share a cell iff their difference is an integer combination of rows of P.
  const Supercell sc(skewed(), 1);
  const Eigen::Matrix3d Pinv = sc.matrix().cast<double>().inverse();
  for (int a = -3; a <= 3; ++a)
    for (int b = -3; b <= 3; ++b)
      for (int c = -3; c <= 3; ++c) {
        const IVec3 n(a, b, c);
        const Eigen::RowVector3d m = n.cast<double>().transpose() * Pinv;
        const bool in_lattice = (m.array() - m.array().round()).abs().maxCoeff() < 1e-9;
        EXPECT_EQ(sc.cell_index(n) == sc.cell_index(IVec3::Zero()), in_lattice) << n.transpose();
      }
}

TEST(SupercellTest, SingularMatrixIsRejected) {
  IMat3 P;
  P << 1, 0, 0, 0, 1, 0, 1, 1, 0;
  EXPECT_THROW(Supercell(P, 1), std::invalid_argument);
}
