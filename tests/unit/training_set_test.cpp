// Farthest-point training-set selection (enumeration/training_set.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <vector>

#include "tmorder/enumeration/training_set.hpp"

using tmorder::enumeration::farthest_point_selection;

namespace {

std::vector<Eigen::VectorXd> line(const std::vector<double>& xs) {
  std::vector<Eigen::VectorXd> out;
  for (const double x : xs) {
    Eigen::VectorXd v(1);
    v << x;
    out.push_back(v);
  }
  return out;
}

}  // namespace

TEST(TrainingSet, StartsNearTheMeanThenTakesTheFarthestPoints) {
  // Points 0, 1, ..., 10 on a line: the mean is 5; then the ends (0 and 10, a tie broken by
  // the seed), then the other end, then the midpoints 2.5 -> 2 or 3 and 7 or 8.
  const auto pts = line({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  const auto sel = farthest_point_selection(pts, 3, {}, 7);
  ASSERT_EQ(sel.size(), 3u);
  EXPECT_EQ(sel[0], 5u);
  EXPECT_EQ(std::set<std::size_t>(sel.begin() + 1, sel.end()), (std::set<std::size_t>{0, 10}));
}

TEST(TrainingSet, SelectsWellSeparatedPointsFromClusters) {
  // Three tight clusters on a line: three picks take one point from each cluster.
  const auto pts = line({0.0, 0.01, 0.02, 5.0, 5.01, 5.02, 10.0, 10.01, 10.02});
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const auto sel = farthest_point_selection(pts, 3, {}, seed);
    std::set<int> clusters;
    for (const auto i : sel) clusters.insert(static_cast<int>(i / 3));
    EXPECT_EQ(clusters.size(), 3u) << "seed " << seed;
  }
}

TEST(TrainingSet, RequiredPointsComeFirstAndSteerTheRest) {
  const auto pts = line({0, 1, 2, 3, 4, 5, 6, 7, 8});
  const auto sel = farthest_point_selection(pts, 3, {0, 8}, 1);
  ASSERT_EQ(sel.size(), 3u);
  EXPECT_EQ(sel[0], 0u);
  EXPECT_EQ(sel[1], 8u);
  EXPECT_EQ(sel[2], 4u);  // the point farthest from both ends
}

TEST(TrainingSet, DeterministicForASeedAndCoversAllWhenKIsN) {
  std::vector<Eigen::VectorXd> pts;
  for (int i = 0; i < 40; ++i) {
    Eigen::VectorXd v(3);
    v << (i % 4), (i % 5) * 0.5, (i % 7) * 0.25;  // many exact ties
    pts.push_back(v);
  }
  const auto a = farthest_point_selection(pts, 12, {3}, 42);
  const auto b = farthest_point_selection(pts, 12, {3}, 42);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.front(), 3u);
  EXPECT_EQ(std::set<std::size_t>(a.begin(), a.end()).size(), 12u);
  const auto all = farthest_point_selection(pts, pts.size(), {}, 0);
  EXPECT_EQ(std::set<std::size_t>(all.begin(), all.end()).size(), pts.size());
}

TEST(TrainingSet, RejectsBadArguments) {
  const auto pts = line({0, 1, 2});
  EXPECT_THROW(static_cast<void>(farthest_point_selection(pts, 4, {}, 0)), std::invalid_argument);
  EXPECT_THROW(static_cast<void>(farthest_point_selection(pts, 1, {0, 1}, 0)), std::invalid_argument);
  EXPECT_THROW(static_cast<void>(farthest_point_selection(pts, 2, {5}, 0)), std::invalid_argument);
  EXPECT_THROW(static_cast<void>(farthest_point_selection(pts, 2, {1, 1}, 0)), std::invalid_argument);
  EXPECT_TRUE(farthest_point_selection(pts, 0, {}, 0).empty());
}
