#include "tmorder/clusters/site_basis.hpp"

#include <gtest/gtest.h>

using tmorder::clusters::PointFunctions;

class PointFunctionOrthonormality : public ::testing::TestWithParam<int> {};

TEST_P(PointFunctionOrthonormality, UniformMeasure) {
  const int m = GetParam();
  const PointFunctions phi(m);
  for (int s = 0; s < m; ++s)
    for (int t = 0; t < m; ++t) {
      double inner = 0.0;
      for (int sigma = 0; sigma < m; ++sigma) inner += phi(s, sigma) * phi(t, sigma);
      EXPECT_NEAR(inner / m, s == t ? 1.0 : 0.0, 1e-13) << "M=" << m << " s=" << s << " t=" << t;
    }
}

INSTANTIATE_TEST_SUITE_P(TwoToFiveSpecies, PointFunctionOrthonormality, ::testing::Values(2, 3, 4, 5));

TEST(PointFunctionsTest, BinaryIsSpinVariable) {
  const PointFunctions phi(2);
  EXPECT_EQ(phi(0, 0), 1.0);
  EXPECT_EQ(phi(1, 0), -1.0);
  EXPECT_EQ(phi(1, 1), 1.0);
}

TEST(PointFunctionsTest, FunctionsAreLinearlyIndependentOnSpecies) {
  // Orthonormality already implies it; here: distinct species give distinct value vectors,
  // so the basis can tell every species apart.
  for (int m : {3, 4}) {
    const PointFunctions phi(m);
    for (int a = 0; a < m; ++a)
      for (int b = a + 1; b < m; ++b) {
        double diff = 0.0;
        for (int t = 1; t < m; ++t) diff += std::abs(phi(t, a) - phi(t, b));
        EXPECT_GT(diff, 0.1);
      }
  }
}
