// tmorder fit with an electrostatic term: the training set's Ewald energies (checked against
// Ewald sums of the enumerated structures computed here, and against the rocksalt Madelung
// constant), duplicate detection with charges, and the regression with the Ewald energy as an
// unpenalised last column (OLS, ridge, LASSO, ARD, analytic LOO, k-fold), on synthetic truth
// E = X J_true + c_true * E_Ewald written as extxyz and read back through the whole path.
#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "fit_test_helpers.hpp"
#include "test_lattices.hpp"
#include "tmorder/ce/ewald.hpp"
#include "tmorder/clusters/cluster_space.hpp"
#include "tmorder/clusters/correlations.hpp"
#include "tmorder/enumeration/enumeration.hpp"
#include "tmorder/fit/fit.hpp"
#include "tmorder/fit/training_set.hpp"
#include "tmorder/lattice/extxyz.hpp"
#include "tmorder/util/error.hpp"

namespace tmorder {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;
using fit::TrainingSet;

constexpr double kKe = ce::coulomb_constant_ev_angstrom;

// Triangular binary {Ni, Sb}, a = 3 A, point + pairs to the third neighbour: 5 ECIs, with
// charges +1 and -1 (neutral at x = 1/2, uniform background otherwise). The Ewald energy is
// then an infinite-range pair interaction, outside the span of the 5 correlations.
const std::map<std::string, double> kCharges{{"Ni", 1.0}, {"Sb", -1.0}};
const std::vector<double> kTrueEcis{-1.25, 0.08, 0.030, -0.012, 0.006};
constexpr double kTrueCoefficient = 0.23;

clusters::ClusterSpace space(double cutoff = 6.1) {
  return clusters::ClusterSpace(test_lattices::triangular(3.0, 2), {cutoff}, 1e-3);
}

using test_fit::fmt_double;
using test_fit::noise;

// Ewald energy per parent cell of a derivative structure, straight from its own supercell and
// occupation with ce::EwaldTable (no structure mapping, no ce::Electrostatics).
double direct_ewald(const lattice::ParentLattice& parent, const enumeration::DerivativeStructure& d) {
  const lattice::Supercell sc(d.supercell_matrix, static_cast<int>(parent.n_sites()));
  const ce::EwaldTable table(parent.structure, sc);
  std::vector<double> q(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i) {
    const auto species = parent.allowed_species(i / sc.n_cells());
    q[static_cast<std::size_t>(i)] = kCharges.at(species[static_cast<std::size_t>(d.occupation[static_cast<std::size_t>(i)])]);
  }
  return table.energy(q) / sc.n_cells();
}

struct Synthetic {
  std::vector<enumeration::DerivativeStructure> structures;
  std::vector<lattice::ExtxyzFrame> frames;
  VectorXd ewald;  // direct_ewald of each structure
};

// Every in-plane derivative structure of 1..max_size cells; energy per cell
// X J_true + coefficient * E_Ewald (+ deterministic noise).
Synthetic synthetic(const clusters::ClusterSpace& cs, int max_size, double coefficient, double noise_amplitude,
                    const std::vector<double>& ecis = kTrueEcis) {
  enumeration::EnumerationOptions opt;
  opt.min_size = 1;
  opt.max_size = max_size;
  opt.in_plane_only = true;
  const enumeration::Enumerator en(cs.parent(), opt);
  Synthetic out;
  out.structures = en.enumerate();
  out.ewald.resize(static_cast<Eigen::Index>(out.structures.size()));
  const VectorXd J = Eigen::Map<const VectorXd>(ecis.data(), static_cast<Eigen::Index>(ecis.size()));
  std::string text;
  for (std::size_t i = 0; i < out.structures.size(); ++i) {
    const auto& d = out.structures[i];
    const lattice::Supercell sc(d.supercell_matrix, 1);
    const VectorXd x = clusters::correlations(cs, sc, d.occupation);
    const double e_es = direct_ewald(cs.parent(), d);
    out.ewald(static_cast<Eigen::Index>(i)) = e_es;
    const double e_cell = x.dot(J) + coefficient * e_es + noise(i, noise_amplitude);
    text += lattice::format_extxyz(en.structure(d), {{"energy", fmt_double(e_cell * d.size)}});
  }
  out.frames = lattice::parse_extxyz(text, "charged.xyz");
  return out;
}

fit::TrainingSetOptions with_charges() {
  fit::TrainingSetOptions o;
  o.ewald_charges = kCharges;
  return o;
}

// The noise-free charged training set and its regression matrix [X, E_Ewald].
struct Problem {
  TrainingSet set;
  MatrixXd A;  // design_matrix(set, true)
  VectorXd y;
  VectorXd ewald_direct;
};
const Problem& problem() {
  static const Problem p = [] {
    const auto cs = space();
    const Synthetic syn = synthetic(cs, 4, kTrueCoefficient, 0.0);
    Problem out;
    out.set = fit::build_training_set(cs, syn.frames, "charged.xyz", with_charges());
    out.A = fit::design_matrix(out.set, true);
    out.y = out.set.energies;
    out.ewald_direct = syn.ewald;
    return out;
  }();
  return p;
}

// Intercept + Ewald column only, by the centred closed form: c = cov(e, y) / var(e).
void intercept_and_ewald_only(const VectorXd& e, const VectorXd& y, double& intercept, double& c) {
  const VectorXd ec = e.array() - e.mean();
  const VectorXd yc = y.array() - y.mean();
  c = ec.dot(yc) / ec.squaredNorm();
  intercept = y.mean() - c * e.mean();
}

// Ridge by the normal equations with D = diag(0, 1, ..., 1, 0): independent of the QR route.
VectorXd ridge_free_last(const MatrixXd& A, const VectorXd& y, double alpha) {
  MatrixXd M = A.transpose() * A;
  for (Eigen::Index j = 1; j + 1 < A.cols(); ++j) M(j, j) += alpha;
  return M.ldlt().solve(A.transpose() * y);
}

// ------------------------------------------------------------------------- training set

TEST(FitElectrostatics, EwaldEnergiesEqualDirectEwaldSums) {
  const Problem& p = problem();
  ASSERT_GE(p.set.size(), 12u);
  ASSERT_TRUE(p.set.has_ewald());
  ASSERT_EQ(p.set.ewald_energies.size(), p.ewald_direct.size());
  // The mapped supercell may differ from the enumerated one (another P of the same lattice):
  // agreement to the Ewald truncation error.
  double spread = 0.0;
  for (Eigen::Index i = 0; i < p.ewald_direct.size(); ++i) {
    EXPECT_NEAR(p.set.ewald_energies(i), p.ewald_direct(i), 1e-7) << "structure " << i;
    spread = std::max(spread, std::abs(p.ewald_direct(i) - p.ewald_direct(0)));
  }
  EXPECT_GT(spread, 0.1);  // the column carries information (eV per cell)
  // Without charges there is no Ewald column.
  const auto cs = space();
  const TrainingSet plain = fit::build_training_set(cs, synthetic(cs, 2, 0.0, 0.0).frames, "plain.xyz");
  EXPECT_FALSE(plain.has_ewald());
  EXPECT_EQ(fit::design_matrix(plain, false).cols(), plain.correlations.cols());
  EXPECT_THROW((void)fit::design_matrix(plain, true), std::invalid_argument);
}

TEST(FitElectrostatics, RocksaltEwaldEnergyIsTheMadelungEnergy) {
  // NaCl-type: fcc, cation site {Na, K} (both +1), fixed anion Cl (-1). Every ordering of the
  // cations has the rocksalt Madelung energy, -1.747565 k_e / d per ion pair, d = a / 2.
  const double a = 5.64;
  lattice::ParentLattice parent;
  parent.structure.cell << 0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0;
  parent.structure.species = {"Na", "Cl"};
  parent.structure.frac = {Vec3::Zero(), Vec3::Constant(0.5)};
  parent.sublattices = {{"C", {"Na", "K"}}};
  parent.site_sublattice = {0, -1};
  const clusters::ClusterSpace cs(parent, {4.5}, 1e-3);

  lattice::Structure primitive = parent.structure;  // NaCl, 1 cell
  lattice::Structure cubic;                         // conventional cube, 4 cells, one K
  cubic.cell = Mat3::Identity() * a;
  const std::vector<Vec3> fcc{Vec3(0, 0, 0), Vec3(0, 0.5, 0.5), Vec3(0.5, 0, 0.5), Vec3(0.5, 0.5, 0)};
  for (std::size_t k = 0; k < fcc.size(); ++k) {
    cubic.species.push_back(k == 0 ? "K" : "Na");
    cubic.frac.push_back(fcc[k]);
  }
  for (const auto& f : fcc) {
    cubic.species.push_back("Cl");
    cubic.frac.push_back(f + Vec3(0.5, 0.0, 0.0));
  }
  const std::string text = lattice::format_extxyz(primitive, {{"energy", "-1.0"}}) +
                           lattice::format_extxyz(cubic, {{"energy", "-4.5"}});
  fit::TrainingSetOptions o;
  o.ewald_charges = std::map<std::string, double>{{"Na", 1.0}, {"K", 1.0}, {"Cl", -1.0}};
  const TrainingSet set = fit::build_training_set(cs, lattice::parse_extxyz(text, "nacl.xyz"), "nacl.xyz", o);
  ASSERT_EQ(set.size(), 2u);
  EXPECT_EQ(set.n_cells, (std::vector<int>{1, 4}));
  const double expected = -1.747565 * kKe / (a / 2);  // eV per parent cell = per ion pair
  for (Eigen::Index i = 0; i < 2; ++i) EXPECT_NEAR(set.ewald_energies(i), expected, 1e-6 * std::abs(expected)) << i;
}

TEST(FitElectrostatics, DifferentEwaldEnergiesAreNotDuplicates) {
  // Point + nearest-neighbour pair only: many orderings share their correlations; find two
  // that differ in their Ewald energy.
  const auto cs = space(3.1);
  const Synthetic syn = synthetic(cs, 6, 0.0, 0.0, {0.0, 0.0, 0.0});
  std::vector<VectorXd> corr;
  for (const auto& d : syn.structures)
    corr.push_back(clusters::correlations(cs, lattice::Supercell(d.supercell_matrix, 1), d.occupation));
  std::size_t g = 0, h = 0;
  for (std::size_t i = 0; i < corr.size() && h == 0; ++i)
    for (std::size_t j = i + 1; j < corr.size(); ++j)
      if ((corr[i] - corr[j]).cwiseAbs().maxCoeff() < 1e-10 &&
          std::abs(syn.ewald(static_cast<Eigen::Index>(i)) - syn.ewald(static_cast<Eigen::Index>(j))) > 1e-2) {
        g = i;
        h = j;
        break;
      }
  ASSERT_NE(h, 0u) << "no pair with equal correlations and different Ewald energies";
  // Same energy per cell (0): without charges a duplicate, with charges two structures.
  auto frames = std::vector<lattice::ExtxyzFrame>{syn.frames[g], syn.frames[h]};
  frames[0].energy = 0.0;
  frames[1].energy = 0.0;
  EXPECT_THROW(fit::build_training_set(cs, frames, "pair.xyz"), InputError);
  const TrainingSet charged = fit::build_training_set(cs, frames, "pair.xyz", with_charges());
  EXPECT_EQ(charged.size(), 2u);
  EXPECT_TRUE(charged.warnings.empty()) << charged.warnings.front();
  // Different energies: a warning without charges, nothing with them.
  frames[1].energy = 0.2 * syn.structures[h].size;
  EXPECT_EQ(fit::build_training_set(cs, frames, "pair.xyz").warnings.size(), 1u);
  EXPECT_TRUE(fit::build_training_set(cs, frames, "pair.xyz", with_charges()).warnings.empty());
  // A true duplicate (same structure, same energy) is still refused with charges.
  const std::vector<lattice::ExtxyzFrame> twice{syn.frames[g], syn.frames[g]};
  try {
    fit::build_training_set(cs, twice, "twice.xyz", with_charges());
    ADD_FAILURE() << "no refusal";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate"), std::string::npos) << e.what();
  }
}

TEST(FitElectrostatics, OlsFeasibilityCountsTheCoefficient) {
  const TrainingSet& set = problem().set;
  const auto p = static_cast<std::size_t>(set.correlations.cols());
  TrainingSet few = set;
  few.names.resize(p);  // size() = p structures: enough for the ECIs, one short with the coefficient
  EXPECT_NO_THROW(fit::check_ols_feasible(few, "few.xyz"));
  try {
    fit::check_ols_feasible(few, "few.xyz", 1);
    ADD_FAILURE() << "no refusal";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("1 electrostatic coefficient"), std::string::npos) << e.what();
  }
}

// ------------------------------------------------------------------------- regression

TEST(FitElectrostatics, OlsRecoversCoefficientAndEcisExactly) {
  const Problem& p = problem();
  const auto r = fit::fit_ols(p.A, p.y);
  ASSERT_EQ(r.ecis.size(), kTrueEcis.size() + 1);
  for (std::size_t j = 0; j < kTrueEcis.size(); ++j) EXPECT_NEAR(r.ecis[j], kTrueEcis[j], 1e-8) << "ECI " << j;
  EXPECT_NEAR(r.ecis.back(), kTrueCoefficient, 1e-8);
  EXPECT_LT(r.train_rmse, 1e-9);
  // The ECIs alone cannot describe these energies (the Ewald column is not in their span).
  EXPECT_GT(fit::fit_ols(p.set.correlations, p.y).train_rmse, 1e-3);
}

TEST(FitElectrostatics, FixedCoefficientFitsTheRemainder) {
  const Problem& p = problem();
  const VectorXd remainder = p.y - kTrueCoefficient * p.set.ewald_energies;
  const auto fixed = fit::fit_ols(p.set.correlations, remainder);
  for (std::size_t j = 0; j < kTrueEcis.size(); ++j) EXPECT_NEAR(fixed.ecis[j], kTrueEcis[j], 1e-8) << "ECI " << j;
  // A wrong fixed coefficient leaves a misfit the ECIs cannot absorb.
  const auto wrong = fit::fit_ols(p.set.correlations, VectorXd(p.y - 0.5 * p.set.ewald_energies));
  EXPECT_GT(wrong.train_rmse, 1e-3);
}

TEST(FitElectrostatics, RidgeLeavesTheCoefficientUnpenalised) {
  const Problem& p = problem();
  // Tiny alpha: the truth.
  const VectorXd small = fit::solve_ridge(p.A, p.y, 1e-10, 1);
  EXPECT_NEAR(small(small.size() - 1), kTrueCoefficient, 1e-6);
  // Agreement with the normal equations, D = diag(0, 1, ..., 1, 0).
  for (const double alpha : {1e-4, 1e-1, 10.0}) {
    const VectorXd qr = fit::solve_ridge(p.A, p.y, alpha, 1);
    EXPECT_LT((qr - ridge_free_last(p.A, p.y, alpha)).cwiseAbs().maxCoeff(), 1e-9) << "alpha " << alpha;
  }
  // Huge alpha: the cluster ECIs vanish, the coefficient tends to the least-squares fit of the
  // energies by intercept + Ewald energy alone (not to 0).
  double intercept = 0.0, c_ls = 0.0;
  intercept_and_ewald_only(p.set.ewald_energies, p.y, intercept, c_ls);
  ASSERT_GT(std::abs(c_ls), 0.05);
  const VectorXd huge = fit::solve_ridge(p.A, p.y, 1e9, 1);
  const Eigen::Index last = huge.size() - 1;
  EXPECT_LT(huge.segment(1, last - 1).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_NEAR(huge(last), c_ls, 1e-6 * std::abs(c_ls));
  EXPECT_NEAR(huge(0), intercept, 1e-5);
  // Penalised like an ECI (free_columns = 0) it would shrink to 0 as well.
  const VectorXd shrunk = fit::solve_ridge(p.A, p.y, 1e9, 0);
  EXPECT_LT(std::abs(shrunk(last)), 1e-3 * std::abs(c_ls));
}

TEST(FitElectrostatics, LassoLeavesTheCoefficientUnpenalised) {
  const Problem& p = problem();
  const Eigen::Index last = p.A.cols() - 1;
  // alpha_max with a free column, independently: the largest |z_j^T r0| / n over the
  // penalised columns, r0 the residual of intercept + Ewald energy alone.
  double intercept = 0.0, c_ls = 0.0;
  intercept_and_ewald_only(p.set.ewald_energies, p.y, intercept, c_ls);
  const VectorXd r0 = p.y - VectorXd::Constant(p.y.size(), intercept) - c_ls * p.set.ewald_energies;
  const auto n = static_cast<double>(p.A.rows());
  double amax = 0.0;
  for (Eigen::Index j = 1; j < last; ++j) {
    const VectorXd c = p.A.col(j).array() - p.A.col(j).mean();
    const double sd = std::sqrt(c.squaredNorm() / n);
    if (sd > 1e-12) amax = std::max(amax, std::abs((c / sd).dot(r0)) / n);
  }
  EXPECT_NEAR(fit::lasso_alpha_max(p.A, p.y, 1), amax, 1e-12 * std::max(1.0, amax));

  // Tiny alpha: the truth.
  const auto tiny = fit::solve_lasso(p.A, p.y, 1e-9 * amax, {}, VectorXd(), 1);
  ASSERT_TRUE(tiny.converged);
  for (std::size_t j = 0; j < kTrueEcis.size(); ++j)
    EXPECT_NEAR(tiny.ecis(static_cast<Eigen::Index>(j)), kTrueEcis[j], 1e-5) << "ECI " << j;
  EXPECT_NEAR(tiny.ecis(last), kTrueCoefficient, 1e-5);

  // At alpha_max every penalised ECI is exactly 0 and the coefficient is c_ls, not 0.
  const auto at_max = fit::solve_lasso(p.A, p.y, amax * (1 + 1e-9), {}, VectorXd(), 1);
  ASSERT_TRUE(at_max.converged);
  for (Eigen::Index j = 1; j < last; ++j) EXPECT_EQ(at_max.ecis(j), 0.0) << "ECI " << j;
  EXPECT_NEAR(at_max.ecis(last), c_ls, 1e-9 * std::abs(c_ls));
  EXPECT_NEAR(at_max.ecis(0), intercept, 1e-9 * std::max(1.0, std::abs(intercept)));
  // Just below alpha_max something enters.
  const auto below = fit::solve_lasso(p.A, p.y, amax * 0.9, {}, VectorXd(), 1);
  EXPECT_GT(fit::count_nonzero(below.ecis.segment(1, last - 1)), 0u);
  // Penalised (free_columns = 0): at its own alpha_max the coefficient is exactly 0.
  const double amax_pen = fit::lasso_alpha_max(p.A, p.y, 0);
  EXPECT_EQ(fit::solve_lasso(p.A, p.y, amax_pen * (1 + 1e-9)).ecis(last), 0.0);

  // KKT at an intermediate alpha: the residual is orthogonal to the free column and sums to 0.
  const auto mid = fit::solve_lasso(p.A, p.y, 0.05 * amax, {}, VectorXd(), 1);
  ASSERT_TRUE(mid.converged);
  const VectorXd r = p.y - p.A * mid.ecis;
  const VectorXd ec = p.set.ewald_energies.array() - p.set.ewald_energies.mean();
  EXPECT_LT(std::abs(r.sum()) / n, 1e-9);
  EXPECT_LT(std::abs(ec.dot(r)) / (n * std::sqrt(ec.squaredNorm() / n)), 1e-9);

  // Warm-started path = cold starts; the default grid starts at the free-column alpha_max.
  const auto grid = fit::lasso_alpha_grid(p.A, p.y, 8, 1e-3, 1);
  EXPECT_DOUBLE_EQ(grid.front(), fit::lasso_alpha_max(p.A, p.y, 1));
  const auto path = fit::lasso_path(p.A, p.y, grid, {}, 1);
  for (std::size_t g = 0; g < grid.size(); ++g) {
    const auto cold = fit::solve_lasso(p.A, p.y, grid[g], {}, VectorXd(), 1);
    EXPECT_LT((path.solutions[g].ecis - cold.ecis).cwiseAbs().maxCoeff(), 1e-7) << "alpha " << grid[g];
  }
}

TEST(FitElectrostatics, ArdNeverPrunesTheCoefficient) {
  const auto cs = space();
  {
    const Synthetic syn = synthetic(cs, 4, kTrueCoefficient, 1e-4);
    const TrainingSet set = fit::build_training_set(cs, syn.frames, "noisy.xyz", with_charges());
    const MatrixXd A = fit::design_matrix(set, true);
    const auto a = fit::solve_ard(A, set.energies, {}, 1);
    const Eigen::Index last = A.cols() - 1;
    EXPECT_FALSE(a.pruned[static_cast<std::size_t>(last)]);
    EXPECT_EQ(a.precisions(last), 0.0);
    // Noise 1e-4 eV per cell, 15 structures, small ECIs pruned: the coefficient to 1e-2.
    EXPECT_NEAR(a.ecis(last), kTrueCoefficient, 1e-2);
  }
  // A coefficient whose contribution is 0.3 % of the spread of the energies: ARD's threshold
  // (prior sd below 1 % of sd(y)) prunes it as a penalised column, but as a free column (flat
  // prior) it is kept at its true value.
  const std::vector<double> large{-1.25, 0.3, 0.2, -0.15, 0.1};
  const Synthetic probe = synthetic(cs, 4, 0.0, 0.0, large);
  const TrainingSet pset = fit::build_training_set(cs, probe.frames, "probe.xyz", with_charges());
  const auto sd = [](const VectorXd& v) { return std::sqrt((v.array() - v.mean()).square().mean()); };
  const double c_small = 0.003 * sd(pset.energies) / sd(pset.ewald_energies);
  VectorXd y = pset.energies + c_small * pset.ewald_energies;
  for (Eigen::Index i = 0; i < y.size(); ++i) y(i) += noise(static_cast<std::size_t>(i), 1e-9);
  const MatrixXd A = fit::design_matrix(pset, true);
  const Eigen::Index last = A.cols() - 1;
  const auto free = fit::solve_ard(A, y, {}, 1);
  EXPECT_FALSE(free.pruned[static_cast<std::size_t>(last)]);
  EXPECT_NEAR(free.ecis(last), c_small, 1e-3 * c_small);
  for (Eigen::Index j = 1; j < last; ++j) EXPECT_NEAR(free.ecis(j), large[static_cast<std::size_t>(j)], 1e-6) << "ECI " << j;
  const auto penalised = fit::solve_ard(A, y, {}, 0);
  EXPECT_TRUE(penalised.pruned[static_cast<std::size_t>(last)]);
  EXPECT_EQ(penalised.ecis(last), 0.0);
}

TEST(FitElectrostatics, AnalyticRidgeLooWithFreeColumnEqualsRefits) {
  const Problem& p = problem();
  // Noisy targets so that LOO errors are not all ~0.
  VectorXd y = p.y;
  for (Eigen::Index i = 0; i < y.size(); ++i) y(i) += noise(static_cast<std::size_t>(i) + 7, 5e-3);
  for (const double alpha : {0.0, 1e-3, 0.5}) {
    const auto loo = fit::ridge_loo(p.A, y, alpha, 1);
    EXPECT_LT((loo.ecis - ridge_free_last(p.A, y, alpha)).cwiseAbs().maxCoeff(), 1e-9);
    for (Eigen::Index i = 0; i < p.A.rows(); ++i) {
      MatrixXd At(p.A.rows() - 1, p.A.cols());
      VectorXd yt(p.A.rows() - 1);
      for (Eigen::Index r = 0, k = 0; r < p.A.rows(); ++r)
        if (r != i) {
          At.row(k) = p.A.row(r);
          yt(k++) = y(r);
        }
      const VectorXd J = ridge_free_last(At, yt, alpha);
      EXPECT_NEAR(loo.loo_errors(i), y(i) - p.A.row(i).dot(J), 1e-10) << "alpha " << alpha << " structure " << i;
    }
    const auto fr = fit::fit_ridge(p.A, y, alpha, {}, 1);
    EXPECT_EQ(fr.cv_kind, "loo-analytic");
    EXPECT_NEAR(fr.cv_rmse, loo.loo_rmse, 1e-14);
  }
}

TEST(FitElectrostatics, KFoldRefitsTheCoefficientInEveryFold) {
  const Problem& p = problem();
  VectorXd y = p.y;
  for (Eigen::Index i = 0; i < y.size(); ++i) y(i) += noise(static_cast<std::size_t>(i) + 3, 5e-3);
  const fit::CvOptions cv{fit::CvKind::KFold, 4, 11};
  const double alpha = 0.3;
  const auto folds = fit::kfold_assignment(static_cast<std::size_t>(y.size()), cv.k, cv.seed);
  double sq = 0.0;
  for (int f = 0; f < cv.k; ++f) {
    std::vector<Eigen::Index> train;
    for (Eigen::Index i = 0; i < y.size(); ++i)
      if (folds[static_cast<std::size_t>(i)] != f) train.push_back(i);
    MatrixXd At(static_cast<Eigen::Index>(train.size()), p.A.cols());
    VectorXd yt(static_cast<Eigen::Index>(train.size()));
    for (std::size_t k = 0; k < train.size(); ++k) {
      At.row(static_cast<Eigen::Index>(k)) = p.A.row(train[k]);
      yt(static_cast<Eigen::Index>(k)) = y(train[k]);
    }
    const VectorXd J = ridge_free_last(At, yt, alpha);
    for (Eigen::Index i = 0; i < y.size(); ++i)
      if (folds[static_cast<std::size_t>(i)] == f) sq += std::pow(y(i) - p.A.row(i).dot(J), 2);
  }
  const auto r = fit::fit_ridge(p.A, y, alpha, cv, 1);
  EXPECT_NEAR(r.cv_rmse, std::sqrt(sq / static_cast<double>(y.size())), 1e-12);
  // The penalised variant gives another CV error (the fold fits do use free_columns).
  EXPECT_GT(std::abs(fit::fit_ridge(p.A, y, alpha, cv, 0).cv_rmse - r.cv_rmse), 1e-6);
}

TEST(FitElectrostatics, FreeColumnCountIsChecked) {
  const Problem& p = problem();
  EXPECT_THROW(fit::solve_ridge(p.A, p.y, 1.0, p.A.cols()), std::invalid_argument);
  EXPECT_THROW(fit::solve_ridge(p.A, p.y, 1.0, -1), std::invalid_argument);
  EXPECT_THROW(fit::solve_lasso(p.A, p.y, 1.0, {}, VectorXd(), p.A.cols()), std::invalid_argument);
  EXPECT_THROW(fit::solve_ard(p.A, p.y, {}, p.A.cols()), std::invalid_argument);
  // Every column but the intercept free: ridge is OLS.
  const VectorXd all_free = fit::solve_ridge(p.A, p.y, 10.0, p.A.cols() - 1);
  EXPECT_LT((all_free - fit::solve_ols(p.A, p.y)).cwiseAbs().maxCoeff(), 1e-9);
}

}  // namespace
}  // namespace tmorder
