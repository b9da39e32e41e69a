#include "tmorder/ce/ewald.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace tmorder;
using tmorder::ce::coulomb_constant_ev_angstrom;
using tmorder::ce::EwaldSettings;
using tmorder::ce::EwaldTable;

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kKe = coulomb_constant_ev_angstrom;

lattice::Structure make_parent(const Mat3& cell, const std::vector<Vec3>& frac) {
  lattice::Structure s;
  s.cell = cell;
  s.frac = frac;
  s.species.assign(frac.size(), "X");
  return s;
}

Mat3 fcc_cell(double a) {
  Mat3 c;
  c << 0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0;
  return c;
}

// Full precision for RecordProperty (std::to_string keeps only six decimals).
std::string precise(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", x);
  return buf;
}

IMat3 diagonal(int n) { return IMat3::Identity() * n; }

IMat3 skewed() {
  IMat3 P;
  P << 2, 1, 0, -1, 2, 1, 1, 0, 2;  // det = 11
  return P;
}

// A triclinic two-site parent, so no cubic symmetry hides an error in the skew handling.
lattice::Structure triclinic_parent() {
  Mat3 cell;
  cell << 4.0, 0.0, 0.0, 1.1, 3.7, 0.0, 0.6, 0.9, 4.4;
  return make_parent(cell, {Vec3(0.0, 0.0, 0.0), Vec3(0.43, 0.61, 0.27)});
}

// Charge per site for a two-sublattice binary compound: +q on basis 0, -q on basis 1.
std::vector<double> binary_charges(const lattice::Supercell& sc, double q) {
  std::vector<double> c(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i) c[static_cast<std::size_t>(i)] = i < sc.n_cells() ? q : -q;
  return c;
}

// Madelung constant M from the Ewald energy of a binary AB compound: E per pair = -M k_e / r0.
double madelung(const lattice::Structure& parent, const IMat3& P, double r0) {
  const lattice::Supercell sc(P, 2);
  const EwaldTable table(parent, sc);
  const double e_pair = table.energy(binary_charges(sc, 1.0)) / sc.n_cells();
  return -e_pair * r0 / kKe;
}

// Independent reference: the Ewald kernel for displacement d in a cell (rows = lattice
// vectors), summed over a fixed, generous box of images with a caller-chosen eta and no
// symmetry tricks (full +-G sum, box bounds instead of plane-spacing bounds).
double reference_kernel(const Mat3& cell, const Vec3& d, bool self, double eta, int n_real, int n_recip) {
  const double V = std::abs(cell.determinant());
  const Mat3 B = 2.0 * kPi * cell.inverse().transpose();
  double sum = 0.0;
  for (int a = -n_real; a <= n_real; ++a)
    for (int b = -n_real; b <= n_real; ++b)
      for (int c = -n_real; c <= n_real; ++c) {
        if (self && a == 0 && b == 0 && c == 0) continue;
        const double r = (d + (Eigen::RowVector3d(a, b, c) * cell).transpose()).norm();
        sum += std::erfc(eta * r) / r;
      }
  for (int a = -n_recip; a <= n_recip; ++a)
    for (int b = -n_recip; b <= n_recip; ++b)
      for (int c = -n_recip; c <= n_recip; ++c) {
        if (a == 0 && b == 0 && c == 0) continue;
        const Vec3 g = (Eigen::RowVector3d(a, b, c) * B).transpose();
        const double g2 = g.squaredNorm();
        sum += 4.0 * kPi / V * std::exp(-g2 / (4.0 * eta * eta)) / g2 * std::cos(g.dot(d));
      }
  sum -= kPi / (eta * eta * V);
  if (self) sum -= 2.0 * eta / std::sqrt(kPi);
  return sum;
}

}  // namespace

// Reference Madelung constants (nearest-neighbour distance r0): rocksalt 1.747564594633,
// CsCl 1.762674773070, zincblende 1.638055053388. The 1e-6 relative tolerance is the
// target; the default accuracy 1e-8 gives 1.2e-9 (rocksalt 1x1x1), 5e-9 (2x2x2), 3.5e-9
// (CsCl) and 5.6e-9 (zincblende 2x2x2).
TEST(EwaldTest, RocksaltMadelungConstant) {
  const double a = 5.64;
  const auto parent = make_parent(fcc_cell(a), {Vec3::Zero(), Vec3(0.5, 0.5, 0.5)});
  for (int n : {1, 2}) {
    const double M = madelung(parent, diagonal(n), a / 2);
    RecordProperty("rocksalt_M_" + std::to_string(n), precise(M));
    EXPECT_NEAR(M, 1.747565, 1.747565 * 1e-6) << "supercell " << n << "x" << n << "x" << n;
  }
  // The same crystal through a skewed supercell: a different cell shape, the same energy.
  EXPECT_NEAR(madelung(parent, skewed(), a / 2), 1.747565, 1.747565 * 1e-6);
}

TEST(EwaldTest, CesiumChlorideAndZincblendeMadelungConstants) {
  const double a = 4.12;
  const auto cscl = make_parent(Mat3::Identity() * a, {Vec3::Zero(), Vec3(0.5, 0.5, 0.5)});
  const double m_cscl = madelung(cscl, diagonal(1), std::sqrt(3.0) * a / 2);
  RecordProperty("cscl_M", precise(m_cscl));
  EXPECT_NEAR(m_cscl, 1.762675, 1.762675 * 1e-6);

  const double a_zb = 5.41;
  const auto zb = make_parent(fcc_cell(a_zb), {Vec3::Zero(), Vec3(0.25, 0.25, 0.25)});
  const double m_zb = madelung(zb, diagonal(2), std::sqrt(3.0) * a_zb / 4);
  RecordProperty("zincblende_M", precise(m_zb));
  EXPECT_NEAR(m_zb, 1.638055, 1.638055 * 1e-6);
}

// A point charge in a neutralising background on a simple-cubic lattice (edge L):
// E = -k_e q^2 alpha / (2 L) with alpha = 2.837297479 (the sc constant of Nijboer and de
// Wette, the one used in Makov-Payne / Leslie-Gillan finite-size corrections). A 2x2x2
// supercell with one charged site is the same lattice with edge 2a.
TEST(EwaldTest, ChargedCellInNeutralisingBackground) {
  const double a = 3.7;
  const auto parent = make_parent(Mat3::Identity() * a, {Vec3::Zero()});
  const double alpha = 2.837297479;
  {
    const lattice::Supercell sc(diagonal(1), 1);
    const std::vector<double> q{1.0};
    const double e = EwaldTable(parent, sc).energy(q);
    RecordProperty("sc_alpha", precise(-2.0 * a * e / kKe));
    EXPECT_NEAR(e, -kKe * alpha / (2 * a), std::abs(e) * 1e-8);
    // Independent of eta, although the background term alone depends on it strongly
    // (-pi / (eta^2 V) ranges over a factor 16 here). The default accuracy is within
    // ~3e-8 eV of the converged value, so compare converged tables with each other.
    const double converged = EwaldTable(parent, sc, {1e-13, 0.0}).energy(q);
    EXPECT_NEAR(converged, e, 1e-7);
    for (double eta : {0.3, 0.6, 1.2}) EXPECT_NEAR(EwaldTable(parent, sc, {1e-13, eta}).energy(q), converged, 1e-9);
  }
  {
    const lattice::Supercell sc(diagonal(2), 1);
    std::vector<double> q(8, 0.0);
    q[5] = 2.0;
    EXPECT_NEAR(EwaldTable(parent, sc).energy(q), -kKe * 4.0 * alpha / (2 * 2 * a), 1e-7);
  }
}

TEST(EwaldTest, EnergyIsIndependentOfEtaOnSkewedSupercell) {
  const auto parent = triclinic_parent();
  const lattice::Supercell sc(skewed(), 2);
  std::mt19937 rng(7);
  std::vector<double> q;
  for (int k = 0; k < sc.n_sites() / 2; ++k) {
    const double v = static_cast<double>(1 + static_cast<int>(rng() % 3));
    q.push_back(v);
    q.push_back(-v);
  }
  std::shuffle(q.begin(), q.end(), rng);

  const EwaldTable automatic(parent, sc, {1e-12, 0.0});
  const double e0 = automatic.energy(q);
  for (double scale : {0.5, 1.7, 3.0}) {
    const EwaldTable other(parent, sc, {1e-12, scale * automatic.eta()});
    EXPECT_NEAR(other.energy(q), e0, 1e-8) << "eta = " << other.eta();
  }
  // The default accuracy (1e-8) is close to the converged energy as well.
  EXPECT_NEAR(EwaldTable(parent, sc).energy(q), e0, 1e-6);
}

// Direct Coulomb sum over a cube of (2L+1)^3 cells against Ewald. The cell is neutral and
// inversion symmetric about its centre (pairs of equal charges at centre +- x), so its
// dipole vanishes and the conditionally convergent cube sum converges to the tin-foil Ewald
// energy (the quadrupole's uniform potential shift multiplies sum q = 0). The remaining
// error is quadrupole-quadrupole, O(1/L^2), so E(L) = E + c / L^2 + O(1/L^4). Measured:
// the raw L = 24 sum is 2.7e-5 relative from Ewald and the Richardson combination
// (4 E(24) - E(12)) / 3 is 1.4e-6 (the Ewald side is good to ~1e-9). The raw sum is held
// to the 1e-4 target, the extrapolation to 1e-5, so both keep a margin of about 4x and
// 7x against rounding in the 8e6-term sums. (About 50 ms in Release.)
TEST(EwaldTest, AgreesWithDirectSumForDipoleFreeCell) {
  const double a = 6.0;
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> offset(-0.4, 0.4);
  std::vector<Vec3> frac;
  std::vector<double> q;
  double total = 0.0;
  for (int p = 0; p < 4; ++p) {
    const Vec3 x(offset(rng), offset(rng), offset(rng));
    const double charge = p < 3 ? static_cast<double>(static_cast<int>(rng() % 5) - 2) : -total;
    total += charge;
    frac.push_back(Vec3::Constant(0.5) + x);
    frac.push_back(Vec3::Constant(0.5) - x);
    q.push_back(charge);
    q.push_back(charge);
  }
  ASSERT_NEAR(std::accumulate(q.begin(), q.end(), 0.0), 0.0, 1e-14);
  const auto parent = make_parent(Mat3::Identity() * a, frac);
  const lattice::Supercell sc(diagonal(1), static_cast<int>(frac.size()));
  const double ewald = EwaldTable(parent, sc).energy(q);

  auto direct = [&](int L) {
    double e = 0.0;
    for (int n0 = -L; n0 <= L; ++n0)
      for (int n1 = -L; n1 <= L; ++n1)
        for (int n2 = -L; n2 <= L; ++n2)
          for (std::size_t i = 0; i < q.size(); ++i)
            for (std::size_t j = 0; j < q.size(); ++j) {
              if (n0 == 0 && n1 == 0 && n2 == 0 && i == j) continue;
              const Vec3 r = a * (frac[j] - frac[i] + Vec3(n0, n1, n2));
              e += q[i] * q[j] / r.norm();
            }
    return 0.5 * kKe * e;
  };
  const double e12 = direct(12);
  const double e24 = direct(24);
  const double extrapolated = (4.0 * e24 - e12) / 3.0;
  RecordProperty("direct_L24_rel_error", precise(std::abs(e24 - ewald) / std::abs(ewald)));
  RecordProperty("direct_extrapolated_rel_error", precise(std::abs(extrapolated - ewald) / std::abs(ewald)));
  EXPECT_NEAR(e24, ewald, 1e-4 * std::abs(ewald));
  EXPECT_NEAR(extrapolated, ewald, 1e-5 * std::abs(ewald));
  // The direct sum is still converging at L = 12: the comparison is not vacuous.
  EXPECT_GT(std::abs(e12 - ewald), 2.0 * std::abs(e24 - ewald));
}

// phi(i, j) is stored per (basis, basis, cell difference); check it against an explicit
// per-pair Ewald sum (independent code, different eta) for pairs shifted by random parent
// translations, i.e. phi(i, j) == phi(i + t, j + t) == reference(r_j - r_i).
TEST(EwaldTest, KernelMatchesExplicitPairSumUnderTranslations) {
  const auto parent = triclinic_parent();
  const lattice::Supercell sc(skewed(), 2);
  const EwaldTable table(parent, sc);
  const Mat3 cell = sc.matrix().cast<double>() * parent.cell;
  const double eta_ref = 1.3 * table.eta();
  auto position = [&](int basis, const IVec3& n) {
    return parent.cartesian(parent.frac[static_cast<std::size_t>(basis)] + n.cast<double>());
  };

  std::mt19937 rng(3);
  auto random_int = [&](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1)); };
  for (int pair = 0; pair < 6; ++pair) {
    const int bi = random_int(0, 1), bj = random_int(0, 1);
    const IVec3 ni(random_int(-3, 3), random_int(-3, 3), random_int(-3, 3));
    const IVec3 nj = pair == 0 ? ni : IVec3(random_int(-3, 3), random_int(-3, 3), random_int(-3, 3));
    const int i = sc.site_index(bi, ni), j = sc.site_index(bj, nj);
    const Vec3 d = position(bj, nj) - position(bi, ni);
    const double ref = reference_kernel(cell, d, i == j, eta_ref, 6, 6);
    EXPECT_NEAR(table.phi(i, j), ref, 1e-7) << "pair " << pair;
    EXPECT_DOUBLE_EQ(table.phi(i, j), table.phi(j, i));
    for (int shift = 0; shift < 4; ++shift) {
      const IVec3 t(random_int(-5, 5), random_int(-5, 5), random_int(-5, 5));
      const int it = sc.site_index(bi, ni + t), jt = sc.site_index(bj, nj + t);
      EXPECT_EQ(table.phi(it, jt), table.phi(i, j)) << "pair " << pair << " shift " << shift;
    }
  }
}

// 200 random flips and swaps of charges from {+1, +3, +5} (non-neutral states included: the
// background term takes care of them): the O(1) deltas match energy() differences and the
// incrementally updated potentials match a fresh potentials().
TEST(EwaldTest, FlipAndSwapDeltasMatchEnergyDifferences) {
  Mat3 cell;
  cell << 3.1, 0.0, 0.0, -1.4, 2.9, 0.0, 0.3, 0.5, 5.2;
  const auto parent = make_parent(cell, {Vec3(0, 0, 0), Vec3(0.5, 0.2, 0.35), Vec3(0.1, 0.7, 0.6)});
  const lattice::Supercell sc(skewed(), 3);
  const EwaldTable table(parent, sc);
  const std::vector<double> values{1.0, 3.0, 5.0};
  std::mt19937 rng(2024);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };

  std::vector<double> q(static_cast<std::size_t>(sc.n_sites()));
  for (double& x : q) x = values[pick(values.size())];
  std::vector<double> V = table.potentials(q);
  double e = table.energy(q);
  int flips = 0, swaps = 0;
  for (int move = 0; move < 200; ++move) {
    double predicted = 0.0;
    if (move % 2 == 0) {
      const std::size_t s = pick(q.size());
      const double dq = values[pick(values.size())] - q[s];
      predicted = table.flip_delta(static_cast<int>(s), dq, V);
      q[s] += dq;
      table.update_potentials(static_cast<int>(s), dq, V);
      ++flips;
    } else {
      std::size_t i = pick(q.size()), j = pick(q.size());
      while (q[j] == q[i]) j = pick(q.size());  // a swap that changes something
      predicted = table.swap_delta(static_cast<int>(i), static_cast<int>(j), q[i], q[j], V);
      const double dq = q[j] - q[i];
      std::swap(q[i], q[j]);
      table.update_potentials(static_cast<int>(i), dq, V);
      table.update_potentials(static_cast<int>(j), -dq, V);
      ++swaps;
    }
    const double e_new = table.energy(q);
    ASSERT_NEAR(predicted, e_new - e, 1e-9) << "move " << move;
    e = e_new;
    const std::vector<double> fresh = table.potentials(q);
    for (std::size_t k = 0; k < q.size(); ++k) ASSERT_NEAR(V[k], fresh[k], 1e-9) << "move " << move << " site " << k;
  }
  EXPECT_EQ(flips, 100);
  EXPECT_EQ(swaps, 100);
  // A swap of a site with itself, or of equal charges, changes nothing.
  EXPECT_EQ(table.swap_delta(4, 4, q[4], q[4], V), 0.0);
}

TEST(EwaldTest, RejectsInconsistentInput) {
  const auto parent = triclinic_parent();
  EXPECT_THROW(EwaldTable(parent, lattice::Supercell(diagonal(1), 3)), std::invalid_argument);
  EXPECT_THROW(EwaldTable(parent, lattice::Supercell(diagonal(1), 2), {0.0, 0.0}), std::invalid_argument);
  EXPECT_THROW(EwaldTable(parent, lattice::Supercell(diagonal(1), 2), {1e-8, -1.0}), std::invalid_argument);
  // Basis site 1 on top of basis site 0's image in the next cell.
  const auto clash = make_parent(Mat3::Identity() * 3.0, {Vec3::Zero(), Vec3(1.0, 0.0, 0.0)});
  EXPECT_THROW(EwaldTable(clash, lattice::Supercell(diagonal(2), 2)), std::invalid_argument);
  const EwaldTable table(parent, lattice::Supercell(diagonal(1), 2));
  EXPECT_THROW((void)table.phi(0, 2), std::out_of_range);
  const std::vector<double> wrong(3, 0.0);
  EXPECT_THROW((void)table.energy(wrong), std::invalid_argument);
}
