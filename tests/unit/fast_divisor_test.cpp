#include "tmorder/util/fast_divisor.hpp"

#include <gtest/gtest.h>

#include <random>

TEST(FastDivisorTest, MatchesHardwareDivision) {
  std::mt19937 rng(5);
  for (std::uint32_t d : {1u, 2u, 3u, 5u, 7u, 24u, 100u, 216u, 1000u, 46656u, 10031040u, 4294967295u}) {
    const tmorder::FastDivisor f(d);
    for (std::uint32_t a : {0u, 1u, d - 1, d, d + 1, 4294967295u}) {
      EXPECT_EQ(f.divide(a), a / d) << a << " / " << d;
      EXPECT_EQ(f.remainder(a), a % d) << a << " % " << d;
    }
    for (int k = 0; k < 20000; ++k) {
      const std::uint32_t a = static_cast<std::uint32_t>(rng());
      ASSERT_EQ(f.divide(a), a / d) << a << " / " << d;
      ASSERT_EQ(f.remainder(a), a % d) << a << " % " << d;
    }
  }
  EXPECT_THROW(tmorder::FastDivisor(0), std::invalid_argument);
}
