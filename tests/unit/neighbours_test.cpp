#include "tmorder/lattice/neighbours.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace tmorder;
using namespace tmorder::lattice;

namespace {

// Reference: every image in a generous box, filtered by distance.
std::vector<Neighbour> brute_force(const Structure& s, int i, double cutoff, int range) {
  std::vector<Neighbour> out;
  for (std::size_t j = 0; j < s.size(); ++j)
    for (int a = -range; a <= range; ++a)
      for (int b = -range; b <= range; ++b)
        for (int c = -range; c <= range; ++c) {
          if (static_cast<int>(j) == i && a == 0 && b == 0 && c == 0) continue;
          const Vec3 d = s.frac[j] + Vec3(a, b, c) - s.frac[static_cast<std::size_t>(i)];
          const double dist = s.cartesian(d).norm();
          if (dist <= cutoff) out.push_back({{static_cast<int>(j), IVec3(a, b, c)}, dist});
        }
  return out;
}

Structure skewed_two_site() {
  Structure s;
  // A strongly sheared triclinic cell: a naive +-1 image search misses neighbours here.
  s.cell << 3.0, 0.0, 0.0, 2.7, 1.2, 0.0, 1.4, 2.1, 2.5;
  s.species = {"A", "B"};
  s.frac = {Vec3(0.1, 0.2, 0.3), Vec3(0.75, 0.6, 0.05)};
  return s;
}

}  // namespace

TEST(NeighboursTest, MatchesBruteForceInSkewedCellBeyondHalfCell) {
  const Structure s = skewed_two_site();
  for (double cutoff : {1.0, 2.5, 4.0, 7.5}) {  // up to more than twice every cell length
    for (int i = 0; i < 2; ++i) {
      const auto fast = neighbours_within(s, i, cutoff);
      const auto ref = brute_force(s, i, cutoff, 12);
      ASSERT_EQ(fast.size(), ref.size()) << "cutoff " << cutoff;
      for (const auto& r : ref) {
        const bool found = std::any_of(fast.begin(), fast.end(), [&](const Neighbour& n) { return n.site == r.site; });
        EXPECT_TRUE(found);
      }
    }
  }
}

TEST(NeighboursTest, FccCoordinationShells) {
  Structure s;
  s.cell << 0, 2, 2, 2, 0, 2, 2, 2, 0;  // fcc, a = 4
  s.species = {"Cu"};
  s.frac = {Vec3::Zero()};
  const double d1 = 4.0 / std::sqrt(2.0);
  EXPECT_EQ(neighbours_within(s, 0, d1 + 1e-6).size(), 12u);
  EXPECT_EQ(neighbours_within(s, 0, 4.0 + 1e-6).size(), 18u);
  const auto n = neighbours_within(s, 0, 4.0 + 1e-6);
  EXPECT_NEAR(n.front().distance, d1, 1e-12);  // sorted by distance
  EXPECT_NEAR(n.back().distance, 4.0, 1e-12);
}
