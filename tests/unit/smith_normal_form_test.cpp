#include "tmorder/lattice/smith_normal_form.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

using namespace tmorder;
using namespace tmorder::lattice;

TEST(SmithNormalFormTest, DecomposesRandomMatricesExactly) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> entry(-6, 6);
  int checked = 0;
  while (checked < 500) {
    IMat3 A;
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) A(i, j) = entry(rng);
    if (integer_determinant(A) == 0) continue;
    const SmithNormalForm snf = smith_normal_form(A);
    const IMat3 D = snf.U * A * snf.V;
    EXPECT_EQ(D, IMat3(snf.diagonal.asDiagonal())) << A;
    EXPECT_EQ(std::llabs(integer_determinant(snf.U)), 1);
    EXPECT_EQ(std::llabs(integer_determinant(snf.V)), 1);
    for (int k = 0; k < 3; ++k) EXPECT_GT(snf.diagonal[k], 0);
    EXPECT_EQ(snf.diagonal[1] % snf.diagonal[0], 0);
    EXPECT_EQ(snf.diagonal[2] % snf.diagonal[1], 0);
    EXPECT_EQ(static_cast<long long>(snf.diagonal.prod()), std::llabs(integer_determinant(A)));
    ++checked;
  }
}

TEST(SmithNormalFormTest, KnownInvariantFactors) {
  // diag(2, 4) and 6 are not in Smith form; the invariant factors of diag(2, 4, 6) are 2, 2, 12.
  IMat3 A = IMat3::Zero();
  A(0, 0) = 2; A(1, 1) = 4; A(2, 2) = 6;
  EXPECT_EQ(smith_normal_form(A).diagonal, IVec3(2, 2, 12));
}

TEST(SmithNormalFormTest, RejectsSingularMatrix) {
  IMat3 A;
  A << 1, 2, 3, 2, 4, 6, 0, 0, 1;
  EXPECT_THROW(smith_normal_form(A), std::invalid_argument);
}
