// Observables: the symmetry-variant overlap order parameter, the TM -> Na-layer exchange
// probe and the thermodynamic averages (mean energy, heat capacity). Every test checks an
// exact result or a physical limit derived by hand in the comments.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>
#include <utility>

#include "test_lattices.hpp"
#include "test_support.hpp"
#include "tmorder/ce/cluster_expansion.hpp"
#include "tmorder/ce/local_energy.hpp"
#include "tmorder/clusters/cluster_space.hpp"
#include "tmorder/clusters/site_basis.hpp"
#include "tmorder/mc/monte_carlo.hpp"
#include "tmorder/observables/exchange_probe.hpp"
#include "tmorder/observables/order_overlap.hpp"
#include "tmorder/observables/thermodynamics.hpp"

using namespace tmorder;
using ce::Occupation;
using observables::ExchangeProbe;
using observables::OrderOverlap;
using observables::ThermodynamicAverages;

namespace {

IMat3 diag(int a, int b, int c = 1) {
  IMat3 m = IMat3::Zero();
  m(0, 0) = a;
  m(1, 1) = b;
  m(2, 2) = c;
  return m;
}

int pmod(int x, int m) { return ((x % m) + m) % m; }

// Occupation of a one-site-basis supercell from a rule on the parent cell (n1, n2).
template <class Rule>
std::vector<Occupation> decorate(const lattice::Supercell& sc, Rule rule) {
  std::vector<Occupation> occ(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i) {
    const IVec3& n = sc.lattice_site(i).cell;
    occ[static_cast<std::size_t>(i)] = static_cast<Occupation>(rule(n[0], n[1]));
  }
  return occ;
}

// Uniform integer in [0, n) from the fully specified mt19937_64 (std::uniform_int_distribution
// and std::shuffle are implementation-defined, so this keeps seeded tests reproducible on
// every standard library). The modulo bias is < n / 2^64.
std::size_t draw(std::mt19937_64& rng, std::size_t n) { return static_cast<std::size_t>(rng() % n); }

// Uniform double in [0, 1), 53 random bits.
double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// ----------------------------------------------------------------------------------------
// OrderOverlap

// Triangular layer, binary {Ni, Sb}; pair cutoff just past the nearest neighbour (the
// order parameter uses only the space group and the parent).
clusters::ClusterSpace triangular_space() {
  return clusters::ClusterSpace(test_lattices::triangular(3.0, 2), {3.1}, 1e-5);
}

// Honeycomb Ni2/3Sb1/3 (the sqrt3 x sqrt3 R30 ordering of Na3Ni2SbO6): Sb on the sites with
// (n1 + n2) mod 3 == shift, Ni on the other two (a honeycomb).
int honeycomb(int n1, int n2, int shift = 0) { return pmod(n1 + n2, 3) == shift ? 1 : 0; }

IMat3 sqrt3_cell() {
  IMat3 p;
  p << 2, 1, 0, -1, 1, 0, 0, 0, 1;  // det 3
  return p;
}

}  // namespace

TEST(OrderOverlapTest, HoneycombHasThreeTranslationVariantsEachPerfect) {
  const auto space = triangular_space();
  const lattice::Supercell ref(sqrt3_cell(), 1);
  const lattice::Supercell sim(diag(6, 6), 1);
  const OrderOverlap q(space, ref, decorate(ref, [](int a, int b) { return honeycomb(a, b); }), sim, "M");
  // The Sb sublattice (n1 + n2) = 0 mod 3 can be translated onto the classes 0, 1, 2; every
  // point operation of the triangular layer maps (n1 + n2) mod 3 onto +-(n1 + n2) mod 3
  // (e.g. the 60 degree rotation (n1, n2) -> (n1 - n2, n1) gives 2 n1 - n2 = -(n1 + n2) mod 3),
  // which is again one of the three translates: symmetry adds nothing, 3 variants.
  EXPECT_EQ(q.n_variants(), 3);
  EXPECT_NEAR(q.random_match(), 4.0 / 9.0 + 1.0 / 9.0, 1e-15);  // f0 = (2/3)^2 + (1/3)^2
  for (int shift = 0; shift < 3; ++shift) {
    const auto occ = decorate(sim, [shift](int a, int b) { return honeycomb(a, b, shift); });
    EXPECT_DOUBLE_EQ(q.compute(occ), 1.0) << "shift " << shift;
    // Against the two other variants: f = 1/3 (only the sites Ni in both agree), so
    // (1/3 - 5/9) / (4/9) = -1/2.
    auto all = q.overlaps(occ);
    std::sort(all.begin(), all.end());
    ASSERT_EQ(all.size(), 3u);
    EXPECT_NEAR(all[0], -0.5, 1e-12);
    EXPECT_NEAR(all[1], -0.5, 1e-12);
    EXPECT_NEAR(all[2], 1.0, 1e-12);
  }
}

TEST(OrderOverlapTest, ReferenceInALargerCellGivesTheSameVariants) {
  // The same honeycomb given in a 3x3 reference cell (9 sites, 3 Sb): translations of the
  // reference cell are then 9, but only 3 distinct patterns exist.
  const auto space = triangular_space();
  const lattice::Supercell ref(diag(3, 3), 1);
  const lattice::Supercell sim(diag(6, 6), 1);
  const OrderOverlap q(space, ref, decorate(ref, [](int a, int b) { return honeycomb(a, b); }), sim, "M");
  EXPECT_EQ(q.n_variants(), 3);
  EXPECT_DOUBLE_EQ(q.compute(decorate(sim, [](int a, int b) { return honeycomb(a, b, 2); })), 1.0);
}

// A random arrangement at the reference composition. On N = 144 sites with exactly 48 Sb,
// let k_v be the number of Sb on the 48 Sb sites of variant v: f_v = (2 k_v + 48) / 144 and
// (f_v - f0)/(1 - f0) = (k_v - 16) / 32. Each k_v is hypergeometric with mean 16, so each
// single-variant overlap has mean exactly 0 (a random arrangement matches any fixed pattern
// with probability sum_s c_s^2 = f0) and standard deviation sqrt(48 (1/3)(2/3)(96/143)) / 32
// = 0.084: finite-size noise ~ 1/sqrt(N). Q takes the max over the 3 variants (whose k_v sum
// to 48), which biases it upwards. Summing the exact multivariate hypergeometric distribution
// of (k_0, k_1, k_2): E[Q] = 0.0869 and P(|Q| < 0.1) = 0.715. So |Q| < 0.1 holds for a typical
// 12x12 configuration but not for every one (k_max >= 20 gives Q >= 0.125); the test checks
// the distribution instead of one seed: the mean of Q and the fraction below 0.1 against these
// exact values (200 configurations: standard errors ~0.004 and ~0.03).
TEST(OrderOverlapTest, RandomArrangementIsNearZero) {
  const auto space = triangular_space();
  const lattice::Supercell ref(sqrt3_cell(), 1);
  const lattice::Supercell sim(diag(12, 12), 1);
  const OrderOverlap q(space, ref, decorate(ref, [](int a, int b) { return honeycomb(a, b); }), sim, "M");
  ASSERT_EQ(q.n_variants(), 3);
  std::mt19937_64 rng(2024);
  std::vector<Occupation> occ(144, 0);
  std::fill(occ.begin(), occ.begin() + 48, Occupation{1});
  const int n_configs = 200;
  double sum_q = 0.0, sum_single = 0.0;
  int typical = 0;
  for (int c = 0; c < n_configs; ++c) {
    for (std::size_t i = occ.size() - 1; i > 0; --i) std::swap(occ[i], occ[draw(rng, i + 1)]);  // Fisher-Yates
    const double value = q.compute(occ);
    if (std::abs(value) < 0.1) ++typical;
    sum_q += value;
    for (double o : q.overlaps(occ)) sum_single += o;
    EXPECT_LE(value, 1.0);
    EXPECT_GE(value, -0.5);  // k_max >= 16 always (the k_v average 16): Q >= 0 here in fact
  }
  const double mean_q = sum_q / n_configs;
  const double mean_single = sum_single / (3.0 * n_configs);
  // mean_single: exactly 0 in expectation, its standard error 0.084 / sqrt(600) ~ 0.0035 (the
  // three overlaps of one configuration sum to 0 exactly, so in fact it is 0 to rounding).
  EXPECT_NEAR(mean_single, 0.0, 1e-12);
  EXPECT_NEAR(mean_q, 0.0869, 0.015);
  EXPECT_LT(mean_q, 0.1);
  EXPECT_NEAR(static_cast<double>(typical) / n_configs, 0.715, 0.15);
  std::printf("[ info ] 12x12 random Ni2/3Sb1/3: <Q> = %.4f over %d configurations, %d with |Q| < 0.1\n", mean_q,
              n_configs, typical);
}

// A 'queue'/stripe order: rows of one species along a1, repeating A A A B B along a2
// (species 1 = B where n2 mod 5 is 3 or 4), reference cell 1 x 5. Variants, by hand:
//   * translations: shifts along a1 do nothing, shifts along a2 give 5 distinct patterns;
//   * orientations: the point group of the triangular layer (6mm in plane) carries the row
//     direction a1 onto the three lines a1, a2, a1 + a2. The operations that keep the a1 line
//     (identity, the 2-fold rotation and the two mirrors through/perpendicular to a1) map the
//     row sequence AAABB onto itself or its reverse BBAAA, which is the translate by 2 rows.
//     So there are 3 distinct orientations.
// On a 10 x 10 simulation cell all 3 orientations are commensurate: 5 x 3 = 15 variants.
// On a 1 x 5 cell only the original orientation is (rows along a2 would need period 5 along
// a1), so 5 variants.
TEST(OrderOverlapTest, StripeOrderIsPerfectInEveryRotatedVariant) {
  const auto space = triangular_space();
  const lattice::Supercell ref(diag(1, 5), 1);
  auto stripe = [](int, int n2) { return pmod(n2, 5) >= 3 ? 1 : 0; };
  const auto ref_occ = decorate(ref, stripe);
  const lattice::Supercell sim(diag(10, 10), 1);
  const OrderOverlap q(space, ref, ref_occ, sim, "M");
  EXPECT_EQ(q.n_variants(), 15);
  EXPECT_NEAR(q.random_match(), 0.6 * 0.6 + 0.4 * 0.4, 1e-15);

  // Rotate the configuration by 60 degrees about the origin: a1 -> a1 + a2, a2 -> -a1, so the
  // site n1 a1 + n2 a2 goes to (n1 - n2) a1 + n1 a2. The 10 x 10 cell is invariant, so this
  // permutes its sites. Every power of the rotation must leave Q = 1.
  auto rotate = [&](const std::vector<Occupation>& occ) {
    std::vector<Occupation> out(occ.size());
    for (int i = 0; i < sim.n_sites(); ++i) {
      const IVec3& n = sim.lattice_site(i).cell;
      out[static_cast<std::size_t>(sim.site_index(0, IVec3(n[0] - n[1], n[0], n[2])))] = occ[static_cast<std::size_t>(i)];
    }
    return out;
  };
  auto occ = decorate(sim, stripe);
  const auto original = occ;
  std::vector<std::vector<Occupation>> seen;  // distinct patterns (vector: no byte-vector ordering needed)
  for (int r = 0; r < 6; ++r) {
    EXPECT_DOUBLE_EQ(q.compute(occ), 1.0) << "rotated by " << 60 * r << " degrees";
    if (std::find(seen.begin(), seen.end(), occ) == seen.end()) seen.push_back(occ);
    occ = rotate(occ);
  }
  EXPECT_EQ(occ, original);   // R^6 = identity (checks the hand-written rotation)
  EXPECT_GE(seen.size(), 3u);  // the rotations really produced new patterns
  // Translating the rotated configurations: still perfect (translation variants).
  const auto rotated = rotate(original);
  for (int t = 0; t < 5; ++t) {
    std::vector<Occupation> shifted(rotated.size());
    for (int i = 0; i < sim.n_sites(); ++i) {
      const IVec3& n = sim.lattice_site(i).cell;
      shifted[static_cast<std::size_t>(sim.site_index(0, IVec3(n[0] + t, n[1] + 2 * t, n[2])))] = rotated[static_cast<std::size_t>(i)];
    }
    EXPECT_DOUBLE_EQ(q.compute(shifted), 1.0) << "shift " << t;
  }

  // A cell that holds only one orientation.
  const lattice::Supercell thin(diag(1, 5), 1);
  const OrderOverlap q_thin(space, ref, ref_occ, thin, "M");
  EXPECT_EQ(q_thin.n_variants(), 5);
}

TEST(OrderOverlapTest, IncommensurateCellThrows) {
  const auto space = triangular_space();
  const lattice::Supercell ref(sqrt3_cell(), 1);
  const auto ref_occ = decorate(ref, [](int a, int b) { return honeycomb(a, b); });
  // 7 is not a multiple of 3: the (n1 + n2) mod 3 pattern does not repeat after 7 cells.
  const lattice::Supercell sim(diag(7, 7), 1);
  const std::string msg = test_support::error_of([&] { OrderOverlap(space, ref, ref_occ, sim, "M"); });
  EXPECT_NE(msg.find("cannot hold the reference ordering"), std::string::npos) << msg;
  // Unknown sublattice, wrong reference size.
  EXPECT_NE(test_support::error_of([&] { OrderOverlap(space, ref, ref_occ, lattice::Supercell(diag(6, 6), 1), "TM"); })
                .find("unknown sublattice"),
            std::string::npos);
  EXPECT_NE(test_support::error_of([&] {
              OrderOverlap(space, ref, std::vector<Occupation>(2, 0), lattice::Supercell(diag(6, 6), 1), "M");
            }).find("site occupations"),
            std::string::npos);
}

// ----------------------------------------------------------------------------------------
// ExchangeProbe

namespace {

// O3 NaTMO2 whose TM layer may hold Na (so a Cu in the TM layer can exchange with a Na of
// the Na layer): TM {Ni, Cu, Na}, Na layer {Na, Va, Cu}, O fixed.
lattice::ParentLattice o3_exchange_parent() {
  auto p = test_lattices::o3_natmo2(3.0, 16.0, 0.26);
  p.sublattices = {{"TM", {"Ni", "Cu", "Na"}}, {"Na", {"Na", "Va", "Cu"}}};
  return p;
}

IMat3 o3_cell() {
  IMat3 p;
  p << 2, 1, 0, -1, 2, 0, 0, 0, 2;  // det 10: 10 TM + 10 Na + 20 O sites
  return p;
}

std::vector<Occupation> random_occupation(const lattice::ParentLattice& parent, const lattice::Supercell& sc,
                                          std::mt19937_64& rng) {
  std::vector<Occupation> occ(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i)
    occ[static_cast<std::size_t>(i)] =
        static_cast<Occupation>(draw(rng, static_cast<std::size_t>(parent.n_species(i / sc.n_cells()))));
  return occ;
}

// Na-layer sites within `cutoff` of each TM site, by brute force over the Cartesian positions of
// the supercell and its 27 nearest images (independent of the probe's parent-offset map).
std::vector<std::vector<int>> brute_force_neighbours(const lattice::ParentLattice& parent, const lattice::Supercell& sc,
                                                     double cutoff) {
  const lattice::Structure s = sc.structure(parent.structure, std::vector<std::string>(static_cast<std::size_t>(sc.n_sites()), "X"));
  std::vector<std::vector<int>> out(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i) {
    if (parent.site_sublattice[static_cast<std::size_t>(i / sc.n_cells())] != 0) continue;
    for (int j = 0; j < sc.n_sites(); ++j) {
      if (parent.site_sublattice[static_cast<std::size_t>(j / sc.n_cells())] != 1) continue;
      for (int a = -1; a <= 1; ++a)
        for (int b = -1; b <= 1; ++b)
          for (int c = -1; c <= 1; ++c) {
            const Vec3 d = s.cartesian(s.frac[static_cast<std::size_t>(j)] + Vec3(a, b, c) - s.frac[static_cast<std::size_t>(i)]);
            if (d.norm() <= cutoff) out[static_cast<std::size_t>(i)].push_back(j);
          }
    }
  }
  return out;
}

}  // namespace

// Every event energy is the exact total-energy difference of performing that exchange, the
// events are exactly the (Cu on TM, nearby Na-layer site) pairs that are not skipped, and occ
// comes back unchanged.
TEST(ExchangeProbeTest, EnergiesAreTotalEnergyDifferencesAndCountsAreExact) {
  const auto parent = o3_exchange_parent();
  const clusters::ClusterSpace space(parent, {6.0, 4.0}, 1e-4);
  std::mt19937_64 rng(7);
  std::normal_distribution<double> g(0.0, 0.05);
  std::vector<double> ecis(space.n_functions());
  for (auto& j : ecis) j = g(rng);
  const ce::ClusterExpansion model(space, ecis);
  const lattice::Supercell sc(o3_cell(), static_cast<int>(parent.n_sites()));
  const ce::LocalEnergy local(model, sc);

  // In O3 each TM has 3 Na-layer sites above and 3 below, at
  // sqrt(a^2/3 + (c/6)^2) = sqrt(3 + 7.11) = 3.18 A; the next Na shell is at
  // sqrt(4 a^2/3 + (c/6)^2) = 4.37 A. A 3.3 A cutoff takes exactly the 6 nearest.
  const double cutoff = 3.3;
  const ExchangeProbe probe(local, parent, "TM", "Cu", "Na", cutoff);
  ASSERT_EQ(probe.max_neighbours(), 6);
  const auto brute = brute_force_neighbours(parent, sc, cutoff);

  int total_events = 0;
  for (int trial = 0; trial < 20; ++trial) {
    auto occ = random_occupation(parent, sc, rng);
    const auto before = occ;
    int skipped = -1;
    const auto events = probe.compute(occ, skipped);
    EXPECT_EQ(occ, before) << "occupation restored";

    // Expected pairs from the brute-force neighbour lists. TM index of Cu is 1; Na-layer
    // indices: Na 0 (allowed on TM: exchange), Va 1 (not on TM: skipped), Cu 2 (same: skipped).
    std::set<std::pair<int, int>> expected;
    int n_cu = 0, expected_skipped = 0;
    for (int i = 0; i < sc.n_sites(); ++i) {
      if (brute[static_cast<std::size_t>(i)].empty() || occ[static_cast<std::size_t>(i)] != 1) continue;
      ++n_cu;
      ASSERT_EQ(brute[static_cast<std::size_t>(i)].size(), 6u);
      for (int j : brute[static_cast<std::size_t>(i)]) {
        if (occ[static_cast<std::size_t>(j)] == 0) expected.insert({i, j});
        else ++expected_skipped;
      }
    }
    EXPECT_EQ(skipped, expected_skipped);
    EXPECT_EQ(static_cast<int>(events.size()), n_cu * 6 - skipped);
    std::set<std::pair<int, int>> got;
    const double e0 = local.total_energy(occ);
    for (const auto& ev : events) {
      got.insert({ev.from_site, ev.to_site});
      EXPECT_EQ(ev.displaced_species, "Na");
      auto after = occ;
      after[static_cast<std::size_t>(ev.from_site)] = 2;  // Na on the TM sublattice
      after[static_cast<std::size_t>(ev.to_site)] = 2;    // Cu on the Na sublattice
      EXPECT_NEAR(ev.energy, local.total_energy(after) - e0, 1e-9);
    }
    EXPECT_EQ(got, expected);
    EXPECT_EQ(got.size(), events.size()) << "no pair twice";
    total_events += static_cast<int>(events.size());
  }
  EXPECT_GT(total_events, 50) << "the test exercised real exchanges";
}

// With every ECI zero except the point functions of the Na sublattice, E = sum over Na-layer
// sites j of sum_t J_t phi_t(sigma_j) (the point orbit has one site per cell, so
// N_cells * J_t * Pi_t = J_t * sum_j phi_t(sigma_j)). A Cu(TM) <-> Na(Na layer) exchange
// changes one Na-layer site from Na (index 0) to Cu (index 2), and the TM site costs nothing:
// dE = sum_t J_t (phi_t(2) - phi_t(0)), the same for every event.
TEST(ExchangeProbeTest, PointTermOnNaSublatticeGivesHandComputedEnergy) {
  const auto parent = o3_exchange_parent();
  const clusters::ClusterSpace space(parent, {6.0, 4.0}, 1e-4);
  std::vector<double> ecis(space.n_functions(), 0.0);
  const int na = 1;
  const clusters::PointFunctions& phi = space.basis(na);
  ASSERT_EQ(phi.n_species(), 3);
  double expected = 0.0;
  bool found = false;
  const double j_values[] = {0.137, -0.061};
  for (std::size_t k = 0; k < space.orbits().size(); ++k) {
    const auto& orbit = space.orbits()[k];
    if (orbit.order != 1 || orbit.sublattices[0] != na) continue;
    found = true;
    ASSERT_EQ(orbit.functions.size(), 2u);
    for (std::size_t f = 0; f < orbit.functions.size(); ++f) {
      const int t = orbit.functions[f][0][0];  // the single decoration of a point function
      ecis[space.function_offset(k) + f] = j_values[f];
      expected += j_values[f] * (phi(t, 2) - phi(t, 0));
    }
  }
  ASSERT_TRUE(found);
  ASSERT_GT(std::abs(expected), 1e-3);
  const ce::ClusterExpansion model(space, ecis);
  const lattice::Supercell sc(o3_cell(), static_cast<int>(parent.n_sites()));
  const ce::LocalEnergy local(model, sc);
  const ExchangeProbe probe(local, parent, "TM", "Cu", "Na", 3.3);
  std::mt19937_64 rng(11);
  std::size_t n = 0;
  for (int trial = 0; trial < 10; ++trial) {
    auto occ = random_occupation(parent, sc, rng);
    const auto events = probe.compute(occ);
    for (const auto& ev : events) EXPECT_NEAR(ev.energy, expected, 1e-12);
    n += events.size();
    const auto s = ExchangeProbe::summarize(events);
    if (!events.empty()) {
      EXPECT_NEAR(s.mean, expected, 1e-12);
      EXPECT_NEAR(s.stddev, 0.0, 1e-12);
      EXPECT_NEAR(s.max - s.min, 0.0, 1e-12);
    }
  }
  EXPECT_GT(n, 10u);
}

TEST(ExchangeProbeTest, SummaryAndHistogram) {
  std::vector<observables::ExchangeEvent> ev;
  for (double e : {0.05, 0.15, 0.16, -0.05, 0.31}) ev.push_back({0, 0, "Na", e});
  const auto s = ExchangeProbe::summarize(ev);
  EXPECT_EQ(s.count, 5);
  EXPECT_NEAR(s.mean, 0.124, 1e-12);
  const double var = (0.05 * 0.05 + 0.15 * 0.15 + 0.16 * 0.16 + 0.05 * 0.05 + 0.31 * 0.31) / 5 - 0.124 * 0.124;
  EXPECT_NEAR(s.stddev, std::sqrt(var), 1e-12);
  EXPECT_DOUBLE_EQ(s.min, -0.05);
  EXPECT_DOUBLE_EQ(s.max, 0.31);
  const auto h = ExchangeProbe::histogram(ev, 0.1);  // bins [-0.1,0) [0,0.1) [0.1,0.2) [0.2,0.3) [0.3,0.4)
  EXPECT_NEAR(h.origin, -0.1, 1e-12);
  EXPECT_EQ(h.counts, (std::vector<int>{1, 1, 2, 0, 1}));
  EXPECT_TRUE(std::isnan(ExchangeProbe::summarize({}).mean));
  EXPECT_TRUE(ExchangeProbe::histogram({}, 0.1).counts.empty());
}

TEST(ExchangeProbeTest, ConstructionErrors) {
  const auto parent = o3_exchange_parent();
  const clusters::ClusterSpace space(parent, {4.0}, 1e-4);
  const ce::ClusterExpansion model(space, std::vector<double>(space.n_functions(), 0.0));
  const lattice::Supercell sc(o3_cell(), static_cast<int>(parent.n_sites()));
  const ce::LocalEnergy local(model, sc);
  using test_support::error_of;
  auto has = [](const std::string& msg, const std::string& part) { return msg.find(part) != std::string::npos; };
  EXPECT_TRUE(has(error_of([&] { ExchangeProbe(local, parent, "TMX", "Cu", "Na", 3.3); }), "('from'): unknown sublattice 'TMX'"));
  EXPECT_TRUE(has(error_of([&] { ExchangeProbe(local, parent, "TM", "Cu", "Li", 3.3); }), "('to'): unknown sublattice 'Li'"));
  EXPECT_TRUE(has(error_of([&] { ExchangeProbe(local, parent, "TM", "Zn", "Na", 3.3); }), "must be allowed on both"));
  // Ni is a TM species only.
  EXPECT_TRUE(has(error_of([&] { ExchangeProbe(local, parent, "TM", "Ni", "Na", 3.3); }), "not allowed on 'Na'"));
  // The nearest Na-layer site is 3.18 A away.
  EXPECT_TRUE(has(error_of([&] { ExchangeProbe(local, parent, "TM", "Cu", "Na", 3.0); }), "no site of sublattice 'Na'"));
  EXPECT_TRUE(has(error_of([&] { ExchangeProbe(local, parent, "TM", "Cu", "Na", -1.0); }), "max_distance"));
}

// ----------------------------------------------------------------------------------------
// ThermodynamicAverages

namespace {

// N independent two-level sites (energies 0 and delta) at temperature T: the occupation of the
// upper level is p = 1 / (1 + exp(x)), x = delta / (k_B T), so E = delta * Binomial(N, p),
//   <E> = N delta p,   Var E = N delta^2 p (1 - p),
//   C/k_B per site = x^2 p (1 - p) = x^2 e^x / (1 + e^x)^2   (the Schottky anomaly).
struct Schottky {
  double delta, temperature;
  int n_sites;
  [[nodiscard]] double x() const { return delta / (mc::kBoltzmann * temperature); }
  [[nodiscard]] double p() const { return 1.0 / (1.0 + std::exp(x())); }
  [[nodiscard]] double energy_per_site() const { return delta * p(); }
  [[nodiscard]] double heat_capacity_per_site() const { return x() * x() * p() * (1.0 - p()); }
};

}  // namespace

TEST(ThermodynamicAveragesTest, TwoLevelSystemMatchesExactSchottkyValues) {
  std::mt19937_64 rng(31);
  const int n_samples = 40000;
  for (const Schottky s : {Schottky{0.05, 1000.0, 64}, Schottky{0.05, 240.0, 64}, Schottky{0.1, 300.0, 32}}) {
    // Two formula units per site, to check the per-formula-unit scaling.
    ThermodynamicAverages avg(s.temperature, s.n_sites, 2 * s.n_sites);
    const double p = s.p();
    for (int k = 0; k < n_samples; ++k) {
      int up = 0;
      for (int i = 0; i < s.n_sites; ++i) up += uniform(rng) < p ? 1 : 0;
      avg.add(-3.7 * s.n_sites + s.delta * up);  // a constant offset must not matter for C
    }
    ASSERT_EQ(avg.count(), static_cast<std::uint64_t>(n_samples));
    EXPECT_GE(avg.n_blocks(), ThermodynamicAverages::kMinBlocks);
    EXPECT_LT(avg.n_blocks(), 2 * ThermodynamicAverages::kMinBlocks);

    const auto e = avg.energy_per_site();
    EXPECT_NEAR(e.value, -3.7 + s.energy_per_site(), 3.0 * e.error) << "x = " << s.x();
    const auto c = avg.heat_capacity_per_site();
    EXPECT_NEAR(c.value, s.heat_capacity_per_site(), 3.0 * c.error) << "x = " << s.x();
    EXPECT_GT(c.value, 0.0);

    // The jackknife error against the exact standard deviation of the sample variance,
    // sqrt((mu4 - sigma^4) / M), with the binomial central moments sigma^2 = N p q delta^2 and
    // mu4 = N p q (1 + 3 (N - 2) p q) delta^4. With 16-31 blocks the error estimate itself is
    // uncertain by <= 18 %, so a factor 1.6 either way is a > 3 sigma bound.
    const double pq = p * (1.0 - p);
    const double sigma2 = s.n_sites * pq * s.delta * s.delta;
    const double mu4 = s.n_sites * pq * (1.0 + 3.0 * (s.n_sites - 2) * pq) * std::pow(s.delta, 4);
    const double kt = mc::kBoltzmann * s.temperature;
    const double exact_c_error = std::sqrt((mu4 - sigma2 * sigma2) / n_samples) / (kt * kt * s.n_sites);
    EXPECT_GT(c.error, exact_c_error / 1.6) << "x = " << s.x();
    EXPECT_LT(c.error, exact_c_error * 1.6) << "x = " << s.x();
    // Independent samples: the binning error of <E> is the naive one, sqrt(Var E / M).
    EXPECT_NEAR(avg.energy().error, std::sqrt(sigma2 / n_samples), 0.3 * std::sqrt(sigma2 / n_samples));

    const auto e_fu = avg.energy_per_formula_unit();
    const auto c_fu = avg.heat_capacity_per_formula_unit();
    EXPECT_NEAR(e_fu.value, e.value / 2.0, 1e-12);
    EXPECT_NEAR(c_fu.value, c.value / 2.0, 1e-12);
    EXPECT_NEAR(c_fu.error, c.error / 2.0, 1e-12);
  }
}

TEST(ThermodynamicAveragesTest, ConstantEnergyHasZeroHeatCapacity) {
  ThermodynamicAverages avg(600.0, 100, 25);
  for (int k = 0; k < 1000; ++k) avg.add(-1234.5678);
  EXPECT_EQ(avg.heat_capacity_per_site().value, 0.0);
  EXPECT_EQ(avg.heat_capacity_per_site().error, 0.0);
  EXPECT_DOUBLE_EQ(avg.energy_per_site().value, -12.345678);
  EXPECT_DOUBLE_EQ(avg.energy_per_formula_unit().value, -1234.5678 / 25);
  EXPECT_EQ(avg.energy_per_site().error, 0.0);
}

TEST(ThermodynamicAveragesTest, LargeOffsetDoesNotCancelTheVariance) {
  // E = -5e5 eV +- 0.01 eV: an unshifted <E^2> - <E>^2 carries a rounding error of about
  // eps * E^2 ~ 5e-5 eV^2, comparable to Var E = 1e-4 eV^2; the sums shifted by the first
  // sample keep the exact variance of this alternating series.
  ThermodynamicAverages avg(300.0, 1000, 1000);
  for (int k = 0; k < 4096; ++k) avg.add(-5.0e5 + (k % 2 ? 0.01 : -0.01));
  EXPECT_NEAR(avg.energy_variance().value, 1e-4, 1e-10);
}

TEST(ThermodynamicAveragesTest, RejectsBadInput) {
  EXPECT_THROW(ThermodynamicAverages(0.0, 10, 10), InputError);
  EXPECT_THROW(ThermodynamicAverages(300.0, 0, 10), InputError);
  EXPECT_THROW(ThermodynamicAverages(300.0, 10, -1), InputError);
}
