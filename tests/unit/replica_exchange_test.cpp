// Parallel-tempering bookkeeping: the geometric ladder, the Metropolis exchange rule (by its
// acceptance frequencies and by exact Boltzmann sampling of a discrete system), the even-odd
// scheme, permutations, round trips, checkpoint restarts and both adaptive ladders.
#include "tmorder/mc/replica_exchange.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/archive/text_iarchive.hpp>
#include <boost/archive/text_oarchive.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tmorder/mc/monte_carlo.hpp"

namespace {

using tmorder::mc::geometric_ladder;
using tmorder::mc::kBoltzmann;
using tmorder::mc::ReplicaExchange;
using tmorder::mc::Rng;

double beta(double kelvin) { return 1.0 / (kBoltzmann * kelvin); }

/// Energies by temperature index: energies[replica_at(k)] = by_index(k).
template <class F>
std::vector<double> energies_by_index(const ReplicaExchange& re, F by_index) {
  std::vector<double> e(static_cast<std::size_t>(re.n_temperatures()));
  for (int k = 0; k < re.n_temperatures(); ++k) e[static_cast<std::size_t>(re.replica_at(k))] = by_index(k);
  return e;
}

/// A round in which every attempted pair is swapped for certain: the energy falls with the
/// temperature index, so every exponent is positive (no random number is drawn).
int certain_swap_round(ReplicaExchange& re) {
  return re.attempt(energies_by_index(re, [](int k) { return -static_cast<double>(k); }));
}

/// A round in which no swap can happen: the energy rises by 1 MeV per index, exp(x) underflows
/// to 0 and u < 0 never holds (one draw per attempted pair).
int impossible_round(ReplicaExchange& re) {
  return re.attempt(energies_by_index(re, [](int k) { return 1e6 * k; }));
}

/// Rng advanced by `draws` calls of next().
Rng advanced(Rng rng, int draws) {
  for (int i = 0; i < draws; ++i) rng.next();
  return rng;
}

/// Synthetic system with constant heat capacity C (in units of k_B): the energy at T is
/// Gaussian with mean C k_B T and variance C (k_B T)^2.
class ConstantHeatCapacity {
 public:
  ConstantHeatCapacity(double c, std::uint64_t seed) : c_(c), rng_(seed) {}
  std::vector<double> energies(const ReplicaExchange& re) {
    std::vector<double> e(static_cast<std::size_t>(re.n_temperatures()));
    for (int r = 0; r < re.n_temperatures(); ++r) {
      const double kt = kBoltzmann * re.temperature_of(r);
      e[static_cast<std::size_t>(r)] = c_ * kt + std::sqrt(c_) * kt * normal_(rng_);
    }
    return e;
  }

 private:
  double c_;
  Rng rng_;
  std::normal_distribution<double> normal_;
};

/// Window acceptances of `rounds` exchange rounds (whole-run counter differences).
std::vector<double> measure_acceptance(ReplicaExchange& re, ConstantHeatCapacity& system, int rounds) {
  const auto attempts0 = re.pair_attempts();
  const auto accepted0 = re.pair_accepted();
  for (int i = 0; i < rounds; ++i) re.attempt(system.energies(re));
  std::vector<double> a(attempts0.size());
  for (std::size_t k = 0; k < a.size(); ++k)
    a[k] = static_cast<double>(re.pair_accepted()[k] - accepted0[k]) /
           static_cast<double>(re.pair_attempts()[k] - attempts0[k]);
  return a;
}

double spread(const std::vector<double>& a) {
  const auto [lo, hi] = std::minmax_element(a.begin(), a.end());
  return *hi - *lo;
}

void expect_valid_ladder(const std::vector<double>& t, double t_min, double t_max) {
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t.front(), t_min);
  EXPECT_EQ(t.back(), t_max);
  for (std::size_t k = 1; k < t.size(); ++k) EXPECT_GT(t[k], t[k - 1]) << "k = " << k;
}

// ---- geometric ladder ----

TEST(GeometricLadderTest, ExactEndsAndConstantRatio) {
  const auto t = geometric_ladder(300.0, 3000.0, 8);
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(t.front(), 300.0);
  EXPECT_EQ(t.back(), 3000.0);
  const double ratio = std::pow(10.0, 1.0 / 7.0);
  for (std::size_t k = 0; k < t.size(); ++k)
    EXPECT_NEAR(t[k], 300.0 * std::pow(ratio, static_cast<double>(k)), 1e-12 * t[k]);
  for (std::size_t k = 1; k < t.size(); ++k) EXPECT_NEAR(t[k] / t[k - 1], ratio, 1e-13);
  EXPECT_EQ(geometric_ladder(250.0, 1000.0, 2), (std::vector<double>{250.0, 1000.0}));
  EXPECT_EQ(geometric_ladder(700.0, 700.0, 1), (std::vector<double>{700.0}));
  const auto three = geometric_ladder(100.0, 400.0, 3);
  EXPECT_NEAR(three[1], 200.0, 1e-12);
}

TEST(GeometricLadderTest, RejectsInvalidArguments) {
  EXPECT_THROW(geometric_ladder(0.0, 100.0, 4), std::invalid_argument);
  EXPECT_THROW(geometric_ladder(-10.0, 100.0, 4), std::invalid_argument);
  EXPECT_THROW(geometric_ladder(100.0, 100.0, 4), std::invalid_argument);
  EXPECT_THROW(geometric_ladder(200.0, 100.0, 4), std::invalid_argument);
  EXPECT_THROW(geometric_ladder(100.0, 200.0, 1), std::invalid_argument);
  EXPECT_THROW(geometric_ladder(100.0, 200.0, 0), std::invalid_argument);
  EXPECT_THROW(geometric_ladder(100.0, 200.0, -3), std::invalid_argument);
  EXPECT_THROW(geometric_ladder(100.0, 100.0, 0), std::invalid_argument);
  EXPECT_THROW(geometric_ladder(0.0, 0.0, 1), std::invalid_argument);
  EXPECT_THROW(geometric_ladder(std::nan(""), 200.0, 4), std::invalid_argument);
  EXPECT_THROW(geometric_ladder(100.0, INFINITY, 4), std::invalid_argument);
}

// ---- construction and arguments ----

TEST(ReplicaExchangeTest, ConstructorAndAttemptValidateArguments) {
  EXPECT_THROW(ReplicaExchange({}, Rng(1)), std::invalid_argument);
  EXPECT_THROW(ReplicaExchange({300.0, 300.0}, Rng(1)), std::invalid_argument);
  EXPECT_THROW(ReplicaExchange({400.0, 300.0}, Rng(1)), std::invalid_argument);
  EXPECT_THROW(ReplicaExchange({0.0, 300.0}, Rng(1)), std::invalid_argument);
  EXPECT_THROW(ReplicaExchange({-5.0, 300.0}, Rng(1)), std::invalid_argument);
  EXPECT_THROW(ReplicaExchange({300.0, std::nan("")}, Rng(1)), std::invalid_argument);

  ReplicaExchange re({300.0, 500.0, 900.0}, Rng(7));
  ASSERT_EQ(re.n_temperatures(), 3);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(re.replica_at(k), k);
    EXPECT_EQ(re.temperature_index(k), k);
  }
  EXPECT_EQ(re.temperature_of(2), 900.0);
  EXPECT_THROW((void)re.replica_at(3), std::out_of_range);
  EXPECT_THROW((void)re.temperature_index(-1), std::out_of_range);
  EXPECT_EQ(re.pair_attempts(), (std::vector<std::uint64_t>{0, 0}));
  EXPECT_TRUE(std::isnan(re.pair_acceptance()[0]));
  EXPECT_EQ(re.ladder_history().size(), 1u);

  const std::vector<double> too_few{1.0, 2.0};
  const std::vector<double> not_finite{1.0, std::nan(""), 2.0};
  EXPECT_THROW(re.attempt(too_few), std::invalid_argument);
  EXPECT_THROW(re.attempt(not_finite), std::invalid_argument);
  EXPECT_EQ(re.rounds(), 0u);
  EXPECT_EQ(re.rng(), Rng(7));
  EXPECT_EQ(re.pair_attempts(), (std::vector<std::uint64_t>{0, 0}));

  // One temperature: rounds pass, nothing is attempted or labelled.
  ReplicaExchange single({600.0}, Rng(3));
  const std::vector<double> one{-2.0};
  EXPECT_EQ(single.attempt(one), 0);
  EXPECT_EQ(single.rounds(), 1u);
  EXPECT_TRUE(single.pair_attempts().empty());
  EXPECT_EQ(single.total_round_trips(), 0u);
}

// ---- the exchange rule ----

TEST(ReplicaExchangeTest, AcceptanceFrequencyMatchesMetropolis) {
  // Two temperatures; the replica at the lower one always has energy dE above the other, so
  // every attempt has the same exponent x = (beta_0 - beta_1) dE.
  const double t0 = 600.0, t1 = 900.0;
  const double dbeta = beta(t0) - beta(t1);
  const int attempts = 40'000;
  for (const double x : {-0.15, -0.9, -2.5, 0.0, 0.7}) {
    SCOPED_TRACE("x = " + std::to_string(x));
    ReplicaExchange re({t0, t1}, Rng(2024));
    const double de = x / dbeta;
    int accepted = 0;
    for (int round = 0; round < 2 * attempts; ++round)  // odd rounds have no pair with n = 2
      accepted += re.attempt(energies_by_index(re, [de](int k) { return k == 0 ? de : 0.0; }));
    ASSERT_EQ(re.pair_attempts()[0], static_cast<std::uint64_t>(attempts));
    EXPECT_EQ(re.pair_accepted()[0], static_cast<std::uint64_t>(accepted));
    const double p = std::min(1.0, std::exp(x));
    const double observed = static_cast<double>(accepted) / attempts;
    if (x >= 0.0) {
      EXPECT_EQ(accepted, attempts);
      EXPECT_EQ(re.rng(), Rng(2024));  // certain swaps draw nothing
    } else {
      EXPECT_NEAR(observed, p, 4.0 * std::sqrt(p * (1.0 - p) / attempts));
      EXPECT_EQ(re.rng(), advanced(Rng(2024), attempts));  // one uniform() per attempt
    }
    EXPECT_DOUBLE_EQ(re.pair_acceptance()[0], observed);
  }
}

TEST(ReplicaExchangeTest, EvenAndOddPairsAlternate) {
  ReplicaExchange re({300.0, 400.0, 550.0, 700.0}, Rng(5));
  EXPECT_EQ(certain_swap_round(re), 2);  // round 0: (0,1) and (2,3)
  EXPECT_EQ(re.pair_attempts(), (std::vector<std::uint64_t>{1, 0, 1}));
  EXPECT_EQ(re.pair_accepted(), (std::vector<std::uint64_t>{1, 0, 1}));
  EXPECT_EQ(re.replica_at(0), 1);
  EXPECT_EQ(re.replica_at(1), 0);
  EXPECT_EQ(re.replica_at(2), 3);
  EXPECT_EQ(re.replica_at(3), 2);
  EXPECT_EQ(certain_swap_round(re), 1);  // round 1: (1,2) only
  EXPECT_EQ(re.pair_attempts(), (std::vector<std::uint64_t>{1, 1, 1}));
  EXPECT_EQ(re.replica_at(1), 3);
  EXPECT_EQ(re.replica_at(2), 0);
  EXPECT_EQ(certain_swap_round(re), 2);  // round 2: even again
  EXPECT_EQ(re.pair_attempts(), (std::vector<std::uint64_t>{2, 1, 2}));
  EXPECT_EQ(re.rng(), Rng(5));  // nothing drawn so far
  EXPECT_EQ(re.rounds(), 3u);

  // Five temperatures: the top one sits out the even rounds, the bottom one the odd rounds;
  // impossible swaps draw exactly one number per attempted pair.
  ReplicaExchange five({300.0, 400.0, 550.0, 700.0, 900.0}, Rng(6));
  EXPECT_EQ(impossible_round(five), 0);
  EXPECT_EQ(five.pair_attempts(), (std::vector<std::uint64_t>{1, 0, 1, 0}));
  EXPECT_EQ(five.pair_accepted(), (std::vector<std::uint64_t>{0, 0, 0, 0}));
  EXPECT_EQ(five.rng(), advanced(Rng(6), 2));
  EXPECT_EQ(impossible_round(five), 0);
  EXPECT_EQ(five.pair_attempts(), (std::vector<std::uint64_t>{1, 1, 1, 1}));
  EXPECT_EQ(five.rng(), advanced(Rng(6), 4));
  for (int k = 0; k < 5; ++k) EXPECT_EQ(five.replica_at(k), k);
}

TEST(ReplicaExchangeTest, PermutationAndInverseStayConsistent) {
  const auto ladder = geometric_ladder(300.0, 1500.0, 7);
  ReplicaExchange re(ladder, Rng(99));
  ConstantHeatCapacity system(30.0, 12);
  std::uint64_t total_accepted = 0;
  for (int round = 0; round < 5000; ++round) {
    total_accepted += static_cast<std::uint64_t>(re.attempt(system.energies(re)));
    std::vector<int> seen(7, 0);
    for (int k = 0; k < 7; ++k) {
      const int r = re.replica_at(k);
      ASSERT_GE(r, 0);
      ASSERT_LT(r, 7);
      ++seen[static_cast<std::size_t>(r)];
      ASSERT_EQ(re.temperature_index(r), k);
      ASSERT_EQ(re.temperature_of(r), ladder[static_cast<std::size_t>(k)]);
    }
    ASSERT_EQ(seen, std::vector<int>(7, 1));
  }
  std::uint64_t counted = 0;
  for (const auto a : re.pair_accepted()) counted += a;
  EXPECT_EQ(counted, total_accepted);
  EXPECT_GT(total_accepted, 1000u);  // the permutation really moved
  for (const double a : re.pair_acceptance()) {
    EXPECT_GT(a, 0.05);
    EXPECT_LT(a, 0.95);
  }
}

TEST(ReplicaExchangeTest, ExchangesKeepBoltzmannDistributionAtEveryTemperature) {
  // Each replica is a four-level system (energies 0, 1, 2, 3 times 40 meV, degeneracies
  // 1, 3, 3, 1), redrawn every round from the exact Boltzmann distribution at its current
  // temperature (a perfect local update). The exchange must then leave the product of the
  // Boltzmann distributions invariant: after each exchange, the level found at temperature
  // index k is Boltzmann-distributed at T_k. Rounds are independent, so the counts per
  // (temperature, level) are binomial. A wrong exchange rule (wrong sign, missing factor,
  // always or never swapping with the wrong probability) skews these counts.
  const std::array<double, 4> level{0.0, 0.04, 0.08, 0.12};
  const std::array<double, 4> degeneracy{1.0, 3.0, 3.0, 1.0};
  const std::vector<double> ladder{300.0, 420.0, 600.0, 900.0};
  const std::size_t n = ladder.size();
  std::vector<std::array<double, 4>> probability(n);
  for (std::size_t k = 0; k < n; ++k) {
    double z = 0.0;
    for (std::size_t l = 0; l < 4; ++l) z += probability[k][l] = degeneracy[l] * std::exp(-level[l] * beta(ladder[k]));
    for (double& p : probability[k]) p /= z;
  }
  ReplicaExchange re(ladder, Rng(31));
  Rng local(77);
  std::vector<int> state(n, 0);
  std::vector<double> energies(n);
  std::vector<std::array<std::uint64_t, 4>> counts(n, std::array<std::uint64_t, 4>{});
  const int rounds = 400'000;
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t r = 0; r < n; ++r) {
      const auto& p = probability[static_cast<std::size_t>(re.temperature_index(static_cast<int>(r)))];
      double u = local.uniform();
      int l = 0;
      while (l < 3 && u >= p[static_cast<std::size_t>(l)]) u -= p[static_cast<std::size_t>(l++)];
      state[r] = l;
      energies[r] = level[static_cast<std::size_t>(l)];
    }
    re.attempt(energies);
    for (std::size_t k = 0; k < n; ++k) {
      const auto r = static_cast<std::size_t>(re.replica_at(static_cast<int>(k)));
      ++counts[k][static_cast<std::size_t>(state[r])];
    }
  }
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t l = 0; l < 4; ++l) {
      const double p = probability[k][l];
      const double expected = rounds * p;
      const double sigma = std::sqrt(rounds * p * (1.0 - p));
      EXPECT_LT(std::abs(static_cast<double>(counts[k][l]) - expected), 4.0 * sigma)
          << "temperature index " << k << ", level " << l << ": " << counts[k][l] << " vs " << expected;
    }
  }
  // The exchanges are frequent enough for the test to bite.
  for (const double a : re.pair_acceptance()) {
    EXPECT_GT(a, 0.3);
    EXPECT_LT(a, 0.98);
  }
}

// ---- round trips ----

TEST(ReplicaExchangeTest, ScriptedRoundTrips) {
  // With every swap certain, the even-odd scheme on 4 temperatures moves each replica
  // ballistically (period 8 rounds). Replica 0 (starts at T_min): T_max after round 2, back at
  // T_min after round 6, 14, 22. Replica 3 (starts at T_max) first reaches T_min after round 2,
  // which is only half a trip; full trips end after rounds 10 and 18. Replica 1: 8, 16;
  // replica 2: first arrival after round 4 (half), trips after 12, 20.
  ReplicaExchange re({300.0, 450.0, 700.0, 1000.0}, Rng(8));
  const std::vector<std::pair<int, std::vector<std::uint64_t>>> checkpoints{
      {3, {0, 0, 0, 0}}, {6, {0, 0, 0, 0}}, {7, {1, 0, 0, 0}}, {9, {1, 1, 0, 0}},
      {11, {1, 1, 0, 1}}, {13, {1, 1, 1, 1}}, {24, {3, 2, 2, 2}}};
  int done = 0;
  for (const auto& [rounds, trips] : checkpoints) {
    while (done < rounds) {
      certain_swap_round(re);
      ++done;
    }
    EXPECT_EQ(re.round_trips(), trips) << "after " << rounds << " rounds";
    if (rounds == 3) {
      EXPECT_EQ(re.replica_at(0), 3);  // replica 3 is at T_min, no trip counted
    }
  }
  EXPECT_EQ(re.total_round_trips(), 9u);
  // Blocked rounds: nobody moves, no trip is added.
  const std::vector<int> order{re.replica_at(0), re.replica_at(1), re.replica_at(2), re.replica_at(3)};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(impossible_round(re), 0);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(re.replica_at(k), order[static_cast<std::size_t>(k)]);
  EXPECT_EQ(re.total_round_trips(), 9u);
  const auto f = re.up_fraction();
  EXPECT_EQ(f[0], 1.0);
  EXPECT_EQ(f[3], 0.0);
  for (int k = 1; k < 3; ++k) {
    EXPECT_GT(f[static_cast<std::size_t>(k)], 0.0);
    EXPECT_LT(f[static_cast<std::size_t>(k)], 1.0);
  }
}

// ---- checkpoints ----

template <class OArchive, class IArchive>
void check_restart_continues_identically() {
  const auto ladder = geometric_ladder(300.0, 1500.0, 6);
  ReplicaExchange original(ladder, Rng(4242));
  ConstantHeatCapacity warmup(25.0, 1);
  for (int i = 0; i < 3000; ++i) original.attempt(warmup.energies(original));
  original.adapt("acceptance");
  for (int i = 0; i < 777; ++i) original.attempt(warmup.energies(original));  // odd count, live window

  std::stringstream buffer;
  {
    OArchive out(buffer);
    out << original;
  }
  ReplicaExchange restored;
  {
    IArchive in(buffer);
    in >> restored;
  }

  const auto expect_same = [](const ReplicaExchange& a, const ReplicaExchange& b) {
    ASSERT_EQ(a.n_temperatures(), b.n_temperatures());
    EXPECT_EQ(a.temperatures(), b.temperatures());
    EXPECT_EQ(a.rounds(), b.rounds());
    for (int k = 0; k < a.n_temperatures(); ++k) EXPECT_EQ(a.replica_at(k), b.replica_at(k));
    EXPECT_EQ(a.pair_attempts(), b.pair_attempts());
    EXPECT_EQ(a.pair_accepted(), b.pair_accepted());
    EXPECT_EQ(a.round_trips(), b.round_trips());
    const auto fa = a.up_fraction();
    const auto fb = b.up_fraction();
    for (std::size_t k = 0; k < fa.size(); ++k)
      if (!(std::isnan(fa[k]) && std::isnan(fb[k]))) {
        EXPECT_EQ(fa[k], fb[k]);
      }
    EXPECT_EQ(a.ladder_history(), b.ladder_history());
    EXPECT_EQ(a.rng(), b.rng());
  };
  expect_same(original, restored);

  ConstantHeatCapacity system_a(25.0, 2);
  ConstantHeatCapacity system_b(25.0, 2);
  for (int window = 0; window < 3; ++window) {
    for (int i = 0; i < 1500; ++i) {
      const int accepted_a = original.attempt(system_a.energies(original));
      const int accepted_b = restored.attempt(system_b.energies(restored));
      ASSERT_EQ(accepted_a, accepted_b) << "round " << original.rounds();
      ASSERT_EQ(original.replica_at(0), restored.replica_at(0));
    }
    original.adapt(window == 1 ? "round-trip" : "acceptance");
    restored.adapt(window == 1 ? "round-trip" : "acceptance");
  }
  expect_same(original, restored);
  EXPECT_GT(original.total_round_trips(), 0u);
  EXPECT_EQ(original.ladder_history().size(), 5u);
}

TEST(ReplicaExchangeTest, BinaryArchiveRestartContinuesIdentically) {
  check_restart_continues_identically<boost::archive::binary_oarchive, boost::archive::binary_iarchive>();
}

TEST(ReplicaExchangeTest, TextArchiveRestartContinuesIdentically) {
  check_restart_continues_identically<boost::archive::text_oarchive, boost::archive::text_iarchive>();
}

// ---- adaptive ladders ----

TEST(ReplicaExchangeTest, AcceptanceLadderEqualisesPairsAndApproachesGeometric) {
  // Constant heat capacity: the acceptance of a pair depends only on T_{k+1} / T_k, so equal
  // acceptances mean the geometric ladder. A linear ladder starts far from it (first pair
  // almost never swaps, the last about half the time).
  const double t_min = 300.0, t_max = 3000.0;
  const int n = 8;
  std::vector<double> linear(n);
  for (int k = 0; k < n; ++k) linear[static_cast<std::size_t>(k)] = t_min + (t_max - t_min) * k / (n - 1);
  linear.back() = t_max;
  ReplicaExchange re(linear, Rng(17));
  ConstantHeatCapacity system(50.0, 18);
  const auto initial = measure_acceptance(re, system, 4000);
  EXPECT_GT(spread(initial), 0.35);
  re.adapt("acceptance");  // the measurement window doubles as the first update
  for (int window = 0; window < 25; ++window) {
    for (int i = 0; i < 2000; ++i) re.attempt(system.energies(re));
    re.adapt("acceptance");
    expect_valid_ladder(re.temperatures(), t_min, t_max);
  }
  ASSERT_EQ(re.ladder_history().size(), 27u);
  for (const auto& ladder : re.ladder_history()) expect_valid_ladder(ladder, t_min, t_max);
  const auto final_acceptance = measure_acceptance(re, system, 20'000);
  EXPECT_LT(spread(final_acceptance), 0.15 * spread(initial));
  const auto geometric = geometric_ladder(t_min, t_max, n);
  for (int k = 1; k + 1 < n; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    EXPECT_NEAR(std::log(re.temperatures()[kk] / geometric[kk]), 0.0, 0.04) << "k = " << k;
    // and it moved from where it started
    EXPECT_GT(std::abs(std::log(linear[kk] / geometric[kk])), 0.1);
  }
}

TEST(ReplicaExchangeTest, AcceptanceLadderKeepsUnmeasuredGaps) {
  // After one (even) round only pairs (0,1) and (2,3) have window attempts: the gap of (1,2)
  // keeps its ln T width, the ends stay. Without any round nothing moves.
  const std::vector<double> ladder{300.0, 400.0, 700.0, 1200.0};
  ReplicaExchange re(ladder, Rng(3));
  re.adapt("acceptance");
  re.adapt("round-trip");
  EXPECT_EQ(re.temperatures(), ladder);
  ASSERT_EQ(re.ladder_history().size(), 3u);
  impossible_round(re);
  re.adapt("acceptance");
  const auto& t = re.temperatures();
  expect_valid_ladder(t, 300.0, 1200.0);
  EXPECT_NEAR(std::log(t[2] / t[1]), std::log(700.0 / 400.0), 1e-12);
  EXPECT_NE(t[1], 400.0);  // both measured pairs rejected: their widths were redistributed

  // Two temperatures: nothing to move.
  ReplicaExchange two({300.0, 600.0}, Rng(3));
  impossible_round(two);
  two.adapt("acceptance");
  two.adapt("round-trip");
  EXPECT_EQ(two.temperatures(), (std::vector<double>{300.0, 600.0}));
}

TEST(ReplicaExchangeTest, RoundTripLadderKeepsEndsAndOrderAndOpensBottleneck) {
  const double t_min = 300.0, t_max = 3000.0;
  const int n = 8;
  std::vector<double> linear(n);
  for (int k = 0; k < n; ++k) linear[static_cast<std::size_t>(k)] = t_min + (t_max - t_min) * k / (n - 1);
  linear.back() = t_max;
  ReplicaExchange re(linear, Rng(21));
  ConstantHeatCapacity system(50.0, 22);
  for (int window = 0; window < 12; ++window) {
    for (int i = 0; i < 4000; ++i) re.attempt(system.energies(re));
    re.adapt("round-trip");
    expect_valid_ladder(re.temperatures(), t_min, t_max);
  }
  ASSERT_EQ(re.ladder_history().size(), 13u);
  // The linear ladder's bottleneck is the lowest pair (f drops there): it narrows, and
  // without a phase transition the feedback ends near the geometric ladder (loosely: f is
  // noisy; the linear ladder is 0.5 away in ln T at k = 1).
  EXPECT_LT(re.temperatures()[1] - t_min, 0.6 * (linear[1] - t_min));
  const auto geometric = geometric_ladder(t_min, t_max, n);
  for (int k = 1; k + 1 < n; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    EXPECT_NEAR(std::log(re.temperatures()[kk] / geometric[kk]), 0.0, 0.1) << "k = " << k;
  }
  const auto before = re.total_round_trips();
  for (int i = 0; i < 20'000; ++i) re.attempt(system.energies(re));
  EXPECT_GT(re.total_round_trips(), before + 10);
  for (const double a : re.pair_acceptance()) EXPECT_GT(a, 0.0);

  // An unknown target changes nothing.
  const auto history = re.ladder_history();
  EXPECT_THROW(re.adapt("energy"), std::invalid_argument);
  EXPECT_THROW(re.adapt(""), std::invalid_argument);
  EXPECT_EQ(re.ladder_history(), history);
  EXPECT_EQ(re.temperatures(), history.back());
}

}  // namespace
