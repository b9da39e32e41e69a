// Physics tests of the structural observables: compositions, Warren-Cowley SRO, the
// occupational structure factor and the layer-resolved honeycomb order parameter, on
// configurations whose values are known exactly (hand-built, perfectly ordered) or
// statistically (random at fixed composition).
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

#include "obs_configurations.hpp"
#include "test_lattices.hpp"
#include "test_support.hpp"
#include "tmorder/observables/concentrations.hpp"
#include "tmorder/observables/honeycomb.hpp"
#include "tmorder/observables/structure_factor.hpp"
#include "tmorder/observables/sublattice_sites.hpp"
#include "tmorder/observables/warren_cowley.hpp"

namespace {

using namespace tmorder;
using observables::HoneycombOrder;
using observables::StructureFactor;
using observables::SublatticeConcentrations;
using observables::WarrenCowley;
using obs_test::mod3;
using test_support::error_of;

constexpr int kNi = 0, kSb = 1;

lattice::Supercell diagonal(const lattice::ParentLattice& p, int a, int b, int c) {
  return lattice::Supercell(IVec3(a, b, c).asDiagonal(), static_cast<int>(p.n_sites()));
}

// O3 supercell with m x m sqrt3 x sqrt3 cells per TM layer and k TM layers: rows
// (2m,-m,-m), (-m,2m,-m), (0,0,k) in rhombohedral coordinates. The first two are in-plane
// (each r_i rises by c/3, so a row whose entries sum to 0 has no height) and keep
// (n1 - n2) mod 3, the honeycomb sublattice label; (0,0,k) stacks k layers.
lattice::Supercell o3_layers(int m, int k) {
  IMat3 P;
  P << 2 * m, -m, -m, -m, 2 * m, -m, 0, 0, k;
  return lattice::Supercell(P, 4);
}

// ---------------------------------------------------------------- concentrations

TEST(ConcentrationTest, HandBuiltO3CountsAreExact) {
  const auto parent = test_lattices::o3_natmo2();
  const auto sc = diagonal(parent, 2, 2, 2);  // 8 cells; blocks TM [0,8), Na [8,16), O [16,32)
  ASSERT_EQ(sc.n_cells(), 8);
  std::vector<ce::Occupation> occ(32, 0);
  // TM {Ni, Sb, Cu}: 4 Ni, 3 Sb, 1 Cu.   Na {Na, Va, Cu}: 5 Na, 2 Va, 1 Cu (migrated).
  const std::vector<ce::Occupation> tm{0, 1, 0, 1, 2, 0, 1, 0}, na{0, 1, 0, 0, 2, 0, 1, 0};
  std::copy(tm.begin(), tm.end(), occ.begin());
  std::copy(na.begin(), na.end(), occ.begin() + 8);

  const SublatticeConcentrations conc(parent, sc);
  ASSERT_EQ(conc.n_sublattices(), 2);
  EXPECT_EQ(conc.n_sites(0), 8);
  EXPECT_EQ(conc.n_sites(1), 8);
  const auto n = conc.counts(occ);
  EXPECT_EQ(n[0], (std::vector<long long>{4, 3, 1}));
  EXPECT_EQ(n[1], (std::vector<long long>{5, 2, 1}));
  const auto x = conc.compute(occ);
  EXPECT_DOUBLE_EQ(x[0][0], 0.5);
  EXPECT_DOUBLE_EQ(x[0][1], 0.375);
  EXPECT_DOUBLE_EQ(x[0][2], 0.125);
  EXPECT_DOUBLE_EQ(x[1][0], 0.625);  // x in Na_x
  EXPECT_DOUBLE_EQ(x[1][1], 0.25);
  EXPECT_DOUBLE_EQ(x[1][2], 0.125);

  EXPECT_DOUBLE_EQ(conc.fraction_on(occ, "Na", {"Cu"}), 0.125);
  // TM in the Na layer: Ni and Sb are known to the parent but not allowed there, so only Cu counts.
  EXPECT_DOUBLE_EQ(conc.fraction_on(occ, "Na", {"Ni", "Sb", "Cu"}), 0.125);
  EXPECT_DOUBLE_EQ(conc.fraction_on(occ, "TM", {"Ni", "Sb"}), 0.875);
  EXPECT_DOUBLE_EQ(conc.fraction_on(occ, "Na", {"Na", "Va", "Cu"}), 1.0);
  EXPECT_DOUBLE_EQ(conc.fraction_on(occ, "Na", {}), 0.0);
  const auto sel = conc.select("TM", {"Cu"});
  EXPECT_DOUBLE_EQ(conc.fraction_on(occ, sel), 0.125);
}

TEST(ConcentrationTest, UnknownNamesThrowInputErrorListingWhatExists) {
  const auto parent = test_lattices::o3_natmo2();
  const auto sc = diagonal(parent, 2, 2, 2);
  const SublatticeConcentrations conc(parent, sc);
  const std::vector<ce::Occupation> occ(32, 0);
  const auto e1 = error_of([&] { (void)conc.fraction_on(occ, "Li", {"Cu"}); });
  EXPECT_NE(e1.find("'Li'"), std::string::npos) << e1;
  EXPECT_NE(e1.find("TM, Na"), std::string::npos) << e1;
  const auto e2 = error_of([&] { (void)conc.fraction_on(occ, "Na", {"Co"}); });
  EXPECT_NE(e2.find("'Co'"), std::string::npos) << e2;
  EXPECT_NE(e2.find("Na, Va, Cu"), std::string::npos) << e2;
  EXPECT_THROW((void)conc.compute(std::vector<ce::Occupation>(31, 0)), std::invalid_argument);
}

// ---------------------------------------------------------------- Warren-Cowley

TEST(WarrenCowleyTest, ShellsOfTheTriangularLattice) {
  const auto parent = test_lattices::triangular(3.0);
  const auto sc = diagonal(parent, 6, 6, 1);
  const WarrenCowley wc(parent, sc, "M", 3);
  ASSERT_EQ(wc.n_shells(), 3);
  EXPECT_NEAR(wc.shell_distances()[0], 3.0, 1e-9);
  EXPECT_NEAR(wc.shell_distances()[1], 3.0 * std::sqrt(3.0), 1e-9);
  EXPECT_NEAR(wc.shell_distances()[2], 6.0, 1e-9);
  for (int s = 0; s < 3; ++s) EXPECT_DOUBLE_EQ(wc.coordination()[static_cast<std::size_t>(s)], 6.0);
  EXPECT_NE(error_of([&] { WarrenCowley(parent, sc, "TM", 1); }).find("'TM'"), std::string::npos);
}

// sqrt3 x sqrt3 Ni2Sb: Sb on (n1 + n2) mod 3 == 0, c_Sb = 1/3, c_Ni = 2/3. A neighbour
// offset d changes the label by (d1 + d2) mod 3:
//  shell 1 (a):      +-a1, +-a2, +-(a1+a2) -> labels 1,2,1,2,2,1: never 0, so an Sb has 6 Ni;
//                    a Ni (label 1 or 2) has 3 Sb and 3 Ni.
//     alpha_SbSb = 1 - 0/(1/3) = 1        alpha_SbNi = 1 - 1/(2/3) = -1/2
//     alpha_NiSb = 1 - (1/2)/(1/3) = -1/2 alpha_NiNi = 1 - (1/2)/(2/3) = 1/4
//  shell 2 (a sqrt3): (2,1), (1,-1), (1,2) and negatives -> label 0: same sublattice.
//     alpha_SbSb = 1 - 1/(1/3) = -2       alpha_SbNi = 1
//     alpha_NiSb = 1                      alpha_NiNi = 1 - 1/(2/3) = -1/2
//  shell 3 (2a): twice the shell-1 vectors -> labels 2,1,2,1,1,2: never 0, as shell 1.
TEST(WarrenCowleyTest, HoneycombNi2SbExactValues) {
  const auto parent = test_lattices::triangular(3.0);
  const lattice::Supercell sc(obs_test::sqrt3_supercell(4), 1);
  ASSERT_EQ(sc.n_sites(), 48);
  const WarrenCowley wc(parent, sc, "M", 3);
  const double expected[3][2][2] = {{{0.25, -0.5}, {-0.5, 1.0}},  // [shell][a][b], a,b in {Ni, Sb}
                                    {{-0.5, 1.0}, {1.0, -2.0}},
                                    {{0.25, -0.5}, {-0.5, 1.0}}};
  for (int shift = 0; shift < 3; ++shift) {  // all three translational variants
    const auto alpha = wc.compute(obs_test::triangular_honeycomb(sc, shift));
    for (int s = 0; s < 3; ++s)
      for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
          EXPECT_NEAR(alpha[static_cast<std::size_t>(s)][static_cast<std::size_t>(a)][static_cast<std::size_t>(b)],
                      expected[s][a][b], 1e-12)
              << "shift " << shift << " shell " << s << " pair " << a << b;
  }
}

// Random arrangement: P(b|a) is estimated from N_a z pairs, each finding b with probability
// ~c_b, so sd(alpha_ab) ~ sqrt((1 - c_b) / (c_b N_a z)). Worst case here, triangular 96x96
// with c_Sb = 1/3: a = b = Sb, N_a = 3072, z = 6 -> sd = 0.0104, so the 0.05 bound is 4.8 sd
// (chance of a false failure ~1e-6 per entry); fcc 20^3 ternary: shell 2, z = 6, N_a = 2667
// -> sd = 0.011, bound 4.5 sd. The seeds are fixed, so the test is deterministic.
TEST(WarrenCowleyTest, RandomConfigurationsHaveNoShortRangeOrder) {
  std::mt19937_64 rng(20240611);
  {
    const auto parent = test_lattices::triangular(3.0);
    const auto sc = diagonal(parent, 96, 96, 1);
    std::vector<ce::Occupation> occ(static_cast<std::size_t>(sc.n_sites()));
    obs_test::random_fill(occ, obs_test::all_sites(sc), {6144, 3072}, rng);
    const auto alpha = WarrenCowley(parent, sc, "M", 3).compute(occ);
    for (const auto& shell : alpha)
      for (const auto& row : shell)
        for (const double x : row) EXPECT_LT(std::abs(x), 0.05);
  }
  {
    const auto parent = test_lattices::fcc(4.0, 3);
    const auto sc = diagonal(parent, 20, 20, 20);
    std::vector<ce::Occupation> occ(static_cast<std::size_t>(sc.n_sites()));
    obs_test::random_fill(occ, obs_test::all_sites(sc), {2667, 2667, 2666}, rng);
    const WarrenCowley wc(parent, sc, "M", 2);
    EXPECT_DOUBLE_EQ(wc.coordination()[0], 12.0);
    EXPECT_DOUBLE_EQ(wc.coordination()[1], 6.0);
    const auto alpha = wc.compute(occ);
    const double c[3] = {2667.0 / 8000, 2667.0 / 8000, 2666.0 / 8000};
    for (std::size_t s = 0; s < 2; ++s)
      for (std::size_t a = 0; a < 3; ++a) {
        double sum_rule = 0.0;
        for (std::size_t b = 0; b < 3; ++b) {
          EXPECT_LT(std::abs(alpha[s][a][b]), 0.05);
          // Pair symmetry: every bond counted from both ends and equal coordination for all
          // sites give c_a P(b|a) = c_b P(a|b), hence alpha_ab = alpha_ba exactly.
          EXPECT_NEAR(alpha[s][a][b], alpha[s][b][a], 1e-12);
          sum_rule += c[b] * alpha[s][a][b];
        }
        // sum_b P(b|a) = 1 gives sum_b c_b alpha_ab = 0 in any configuration.
        EXPECT_NEAR(sum_rule, 0.0, 1e-12);
      }
  }
}

TEST(WarrenCowleyTest, AbsentSpeciesGivesZeroNotNaN) {
  const auto parent = test_lattices::triangular(3.0, 3);  // {Ni, Sb, Cu}; no Cu placed
  const lattice::Supercell sc(obs_test::sqrt3_supercell(2), 1);
  const auto alpha = WarrenCowley(parent, sc, "M", 1).compute(obs_test::triangular_honeycomb(sc, 0));
  for (std::size_t a = 0; a < 3; ++a) {
    EXPECT_EQ(alpha[0][a][2], 0.0);
    EXPECT_EQ(alpha[0][2][a], 0.0);
  }
  EXPECT_NEAR(alpha[0][kSb][kSb], 1.0, 1e-12);
  EXPECT_NEAR(alpha[0][kNi][kSb], -0.5, 1e-12);
}

// ---------------------------------------------------------------- structure factor

// At K = (1/3, 1/3, 0), q.r = 2 pi (n1 + n2)/3: every Sb (label 0) has phase 1, and the
// phases of all sites sum to zero (equal numbers of each label), so the mean-subtracted
// amplitude is the plain Sb sum N/3 and S(K) = (N/3)^2 / N = N/9. K' = (2/3, 2/3, 0) = -K
// modulo a reciprocal-lattice vector gives the same. S(0) = 0 because c is subtracted.
TEST(StructureFactorTest, HoneycombSuperstructureReflection) {
  const auto parent = test_lattices::triangular(3.0);
  const lattice::Supercell sc(obs_test::sqrt3_supercell(4), 1);
  const double n = sc.n_sites();
  const StructureFactor sf(parent, sc, "M", "Sb",
                           {Vec3(1.0 / 3, 1.0 / 3, 0), Vec3(2.0 / 3, 2.0 / 3, 0), Vec3::Zero(), Vec3(1, 0, 0)});
  for (int shift = 0; shift < 3; ++shift) {
    const auto s = sf.compute(obs_test::triangular_honeycomb(sc, shift));
    EXPECT_NEAR(s[0], n / 9.0, 1e-10);
    EXPECT_NEAR(s[1], n / 9.0, 1e-10);
    EXPECT_NEAR(s[2], 0.0, 1e-12);
    EXPECT_NEAR(s[3], 0.0, 1e-10);  // a parent reciprocal-lattice vector is q = 0 again
  }
}

// Parseval: for a Bravais sublattice the N wavevectors q = (i/L, j/L, 0) of an L x L
// supercell are orthogonal, so sum_q S(q) = sum_j (n_j - c)^2 = N c (1 - c) exactly.
TEST(StructureFactorTest, SumRuleOverTheSupercellGrid) {
  const auto parent = test_lattices::triangular(3.0);
  const int L = 12;
  const auto sc = diagonal(parent, L, L, 1);
  std::vector<Vec3> q;
  for (int i = 0; i < L; ++i)
    for (int j = 0; j < L; ++j) q.emplace_back(double(i) / L, double(j) / L, 0.0);
  std::mt19937_64 rng(7);
  std::vector<ce::Occupation> occ(static_cast<std::size_t>(sc.n_sites()));
  obs_test::random_fill(occ, obs_test::all_sites(sc), {96, 48}, rng);
  const auto s = StructureFactor(parent, sc, "M", "Sb", q).compute(occ);
  double sum = 0.0;
  for (const double x : s) sum += x;
  EXPECT_NEAR(sum, 144.0 * (1.0 / 3) * (2.0 / 3), 1e-9);
}

// Random arrangement at fixed composition: <S(q)> = c(1-c) N/(N-1) at every q that is not a
// reciprocal-lattice vector. |A(q)|^2 is then ~exponentially distributed (sd = mean), so the
// mean of 50 configurations at K alone has a relative sd of 1/sqrt(50) = 14%: we hold K to 50%
// (3.5 sd) and the average over 264 further independent q (no q with its -q, none with real
// phases) x 50 configurations, relative sd 0.9%, to 5%.
TEST(StructureFactorTest, RandomConfigurationsGiveLaueBackground) {
  const auto parent = test_lattices::triangular(3.0);
  const int L = 24;
  const auto sc = diagonal(parent, L, L, 1);
  std::vector<Vec3> q{Vec3(1.0 / 3, 1.0 / 3, 0)};
  for (int h = 1; h <= 11; ++h)
    for (int k = 0; k < L; ++k) q.emplace_back(double(h) / L, double(k) / L, 0.0);
  const StructureFactor sf(parent, sc, "M", "Sb", q);
  const double n = sc.n_sites(), c = 1.0 / 3, expected = c * (1 - c) * n / (n - 1);
  std::mt19937_64 rng(99);
  std::vector<ce::Occupation> occ(static_cast<std::size_t>(sc.n_sites()));
  double at_k = 0.0, elsewhere = 0.0;
  const int n_conf = 50;
  for (int t = 0; t < n_conf; ++t) {
    obs_test::random_fill(occ, obs_test::all_sites(sc), {384, 192}, rng);
    const auto s = sf.compute(occ);
    at_k += s[0];
    for (std::size_t i = 1; i < s.size(); ++i) elsewhere += s[i];
  }
  at_k /= n_conf;
  elsewhere /= n_conf * double(q.size() - 1);
  EXPECT_NEAR(at_k / expected, 1.0, 0.5);
  EXPECT_NEAR(elsewhere / expected, 1.0, 0.05);
}

TEST(StructureFactorTest, IncommensurateWavevectorIsRejected) {
  const auto parent = test_lattices::triangular(3.0);
  const auto sc = diagonal(parent, 24, 24, 1);
  const auto e = error_of([&] { StructureFactor(parent, sc, "M", "Sb", {Vec3(0.2, 0, 0)}); });
  EXPECT_NE(e.find("commensurate"), std::string::npos) << e;
  const auto e2 = error_of([&] { StructureFactor(parent, sc, "M", "Zn", {Vec3::Zero()}); });
  EXPECT_NE(e2.find("'Zn'"), std::string::npos) << e2;
  EXPECT_NE(e2.find("Ni, Sb"), std::string::npos) << e2;
}

// ---------------------------------------------------------------- honeycomb order

TEST(HoneycombTest, PerfectTriangularHoneycombAllVariants) {
  const auto parent = test_lattices::triangular(3.0);
  const lattice::Supercell sc(obs_test::sqrt3_supercell(4), 1);
  const HoneycombOrder h(parent, sc, "M", "Sb", Vec3(0, 0, 1));
  ASSERT_EQ(h.n_layers(), 1);
  EXPECT_EQ(h.layer_sizes()[0], 48);
  // |K| is the zone corner of the triangular lattice, 4 pi / (3 a).
  EXPECT_NEAR(h.wavevector().norm(), 4 * std::numbers::pi / 9.0, 1e-12);
  for (int shift = 0; shift < 3; ++shift) {
    const auto r = h.compute(obs_test::triangular_honeycomb(sc, shift));
    EXPECT_NEAR(r.psi[0], 1.0, 1e-12) << "variant " << shift;
    EXPECT_EQ(r.count[0], 16);
    EXPECT_NEAR(r.mean, 1.0, 1e-12);
  }
}

// One antisite: an Sb moved onto a Ni site of label 1 changes the amplitude from M to
// (M - 1) + w (w = e^{2 pi i/3}), |x + w|^2 = x^2 - x + 1, so psi = sqrt((M-1)^2 - (M-1) + 1) / M.
TEST(HoneycombTest, OneAntisiteLowersPsiExactly) {
  const auto parent = test_lattices::triangular(3.0);
  const lattice::Supercell sc(obs_test::sqrt3_supercell(4), 1);
  auto occ = obs_test::triangular_honeycomb(sc, 0);
  int sb = -1, ni = -1;
  for (int i = 0; i < sc.n_sites() && (sb < 0 || ni < 0); ++i) {
    const IVec3 n = sc.lattice_site(i).cell;
    if (mod3(n[0] + n[1]) == 0 && sb < 0) sb = i;
    if (mod3(n[0] + n[1]) == 1 && ni < 0) ni = i;
  }
  std::swap(occ[static_cast<std::size_t>(sb)], occ[static_cast<std::size_t>(ni)]);
  const double m = 16, x = m - 1;
  const auto r = HoneycombOrder(parent, sc, "M", "Sb", Vec3(0, 0, 1)).compute(occ);
  EXPECT_NEAR(r.psi[0], std::sqrt(x * x - x + 1) / m, 1e-12);
}

// Random layer: |A|^2 has mean c(1-c) N (fixed composition), so psi has rms
// sqrt((1-c)/(c N)) = sqrt(2/N) at c = 1/3 and P(psi > t rms) = exp(-t^2). At 24x24 the
// rms is 0.059; we bound psi by 4 rms = 0.236 (a bound of 0.1 would be only 1.7 rms, failing
// ~6% of seeds). At 60x60, rms 0.024, psi < 0.1 is 4.2 rms.
TEST(HoneycombTest, RandomLayerIsDisordered) {
  const auto parent = test_lattices::triangular(3.0);
  std::mt19937_64 rng(4242);
  for (const int L : {24, 60}) {
    const auto sc = diagonal(parent, L, L, 1);
    std::vector<ce::Occupation> occ(static_cast<std::size_t>(sc.n_sites()));
    obs_test::random_fill(occ, obs_test::all_sites(sc), {2 * L * L / 3, L * L / 3}, rng);
    const auto r = HoneycombOrder(parent, sc, "M", "Sb", Vec3(0, 0, 1)).compute(occ);
    const double bound = L == 24 ? 4 * std::sqrt(2.0 / (L * L)) : 0.1;
    EXPECT_LT(r.psi[0], bound) << L;
  }
}

std::vector<ce::Occupation> o3_honeycomb(const lattice::Supercell& sc) {
  std::vector<ce::Occupation> occ(static_cast<std::size_t>(sc.n_sites()), 0);
  for (int i = 0; i < sc.n_cells(); ++i) {  // TM is basis 0: sites [0, n_cells)
    const IVec3 n = sc.lattice_site(i).cell;
    occ[static_cast<std::size_t>(i)] = mod3(n[0] - n[1]) == 0 ? kSb : kNi;
  }
  return occ;
}

// O3 NaTMO2: in-plane a1 = r1 - r2 = (1,-1,0), a2 = r2 - r3 = (0,1,-1) (120 degrees, length
// a). (n1 - n2) changes by 2 along a1, by -1 along a2 and by 1 along a1 + a2, so no nearest
// in-plane neighbour of an Sb is Sb, while (2,-1,-1) and (-1,2,-1) (length a sqrt3) keep it:
// a sqrt3 x sqrt3 honeycomb in every TM layer.
TEST(HoneycombTest, O3EveryTransitionMetalLayerOrdered) {
  const auto parent = test_lattices::o3_natmo2();
  const auto sc = o3_layers(4, 3);
  const HoneycombOrder h(parent, sc, "TM", "Sb", Vec3(0, 0, 1));
  ASSERT_EQ(h.n_layers(), 3);
  for (int l = 0; l < 3; ++l) {
    EXPECT_EQ(h.layer_sizes()[static_cast<std::size_t>(l)], 48);
    EXPECT_NEAR(h.layer_heights()[static_cast<std::size_t>(l)], l * 16.0 / 3.0, 1e-9);  // c/3 apart
  }
  const auto occ = o3_honeycomb(sc);
  const auto r = h.compute(occ);
  for (int l = 0; l < 3; ++l) EXPECT_NEAR(r.psi[static_cast<std::size_t>(l)], 1.0, 1e-12);
  EXPECT_NEAR(r.mean, 1.0, 1e-12);

  // The same order read by Warren-Cowley on the TM sublattice: shell 1 (a, in-plane) and
  // shell 2 (a sqrt3, in-plane; the interlayer TM-TM distance sqrt(a^2/3 + c^2/9) = 5.61 A
  // is beyond 3 sqrt3 = 5.20 A) reproduce the triangular honeycomb values.
  const auto alpha = WarrenCowley(parent, sc, "TM", 2).compute(occ);
  EXPECT_NEAR(alpha[0][kSb][kSb], 1.0, 1e-12);
  EXPECT_NEAR(alpha[0][kNi][kNi], 0.25, 1e-12);
  EXPECT_NEAR(alpha[1][kSb][kSb], -2.0, 1e-12);
  EXPECT_NEAR(alpha[1][kNi][kNi], -0.5, 1e-12);

  // Concentrations of the same configuration: Sb 1/3 on TM, Na layer full.
  const auto x = SublatticeConcentrations(parent, sc).compute(occ);
  EXPECT_NEAR(x[0][kSb], 1.0 / 3, 1e-15);
  EXPECT_DOUBLE_EQ(x[1][0], 1.0);
}

// Layer 1 (height 0) ordered, layer 2 (height c/3) random at c = 1/3 with 768 sites:
// psi_2 rms = sqrt(2/768) = 0.051, bounded by 4 rms.
TEST(HoneycombTest, O3OrderedLayerAboveRandomLayer) {
  const auto parent = test_lattices::o3_natmo2();
  const auto sc = o3_layers(16, 2);
  auto occ = o3_honeycomb(sc);
  std::vector<int> upper;
  for (int i = 0; i < sc.n_cells(); ++i) {
    const IVec3 n = sc.lattice_site(i).cell;
    if (n.sum() == 1) upper.push_back(i);  // height (n1 + n2 + n3) c/3; wrapped sums are 0 or 1
  }
  ASSERT_EQ(upper.size(), 768u);
  std::mt19937_64 rng(31337);
  obs_test::random_fill(occ, upper, {512, 256}, rng);
  const auto r = HoneycombOrder(parent, sc, "TM", "Sb", Vec3(0, 0, 1)).compute(occ);
  ASSERT_EQ(r.psi.size(), 2u);
  EXPECT_NEAR(r.psi[0], 1.0, 1e-12);
  EXPECT_LT(r.psi[1], 4 * std::sqrt(2.0 / 768));
  EXPECT_NEAR(r.mean, 0.5 * (r.psi[0] + r.psi[1]), 1e-15);
}

TEST(HoneycombTest, InvalidSetupsThrowInputError) {
  const auto tri = test_lattices::triangular(3.0);
  // 4 x 4 is not a multiple of the sqrt3 cell: K is not commensurate.
  const auto e1 = error_of([&] { HoneycombOrder(tri, diagonal(tri, 4, 4, 1), "M", "Sb", Vec3(0, 0, 1)); });
  EXPECT_NE(e1.find("commensurate"), std::string::npos) << e1;
  const auto sq = test_lattices::square(3.0);
  const auto e2 = error_of([&] { HoneycombOrder(sq, diagonal(sq, 6, 6, 1), "M", "Sb", Vec3(0, 0, 1)); });
  EXPECT_NE(e2.find("triangular"), std::string::npos) << e2;
  const auto e3 = error_of([&] { HoneycombOrder(tri, diagonal(tri, 6, 6, 1), "M", "Cu", Vec3(0, 0, 1)); });
  EXPECT_NE(e3.find("'Cu'"), std::string::npos) << e3;
}

}  // namespace
