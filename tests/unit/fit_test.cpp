#include "tmorder/fit/fit.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace fit = tmorder::fit;
using Eigen::MatrixXd;
using Eigen::VectorXd;

enum class Columns { Gaussian, Correlation };

/// n x p design, column 0 the empty cluster (1); the rest N(0,1) or uniform in [-1, 1] like
/// real correlations.
MatrixXd design(Eigen::Index n, Eigen::Index p, std::mt19937_64& rng, Columns kind) {
  std::normal_distribution<double> gauss(0.0, 1.0);
  std::uniform_real_distribution<double> unif(-1.0, 1.0);
  MatrixXd X(n, p);
  for (Eigen::Index i = 0; i < n; ++i) {
    X(i, 0) = 1.0;
    for (Eigen::Index j = 1; j < p; ++j) X(i, j) = kind == Columns::Gaussian ? gauss(rng) : unif(rng);
  }
  return X;
}

VectorXd gaussian_vector(Eigen::Index n, double sigma, std::mt19937_64& rng) {
  std::normal_distribution<double> gauss(0.0, sigma);
  VectorXd v(n);
  for (Eigen::Index i = 0; i < n; ++i) v(i) = gauss(rng);
  return v;
}

/// Sparse truth: `p` ECIs, J_0 = -2.5, non-zero entries at `support` with magnitudes
/// 0.2..0.6 and alternating sign.
VectorXd sparse_truth(Eigen::Index p, const std::vector<Eigen::Index>& support) {
  VectorXd J = VectorXd::Zero(p);
  J(0) = -2.5;
  double m = 0.2;
  double sign = 1.0;
  for (const Eigen::Index j : support) {
    J(j) = sign * m;
    m += 0.1;
    sign = -sign;
  }
  return J;
}

/// Ridge by the normal equations, independent of the library's QR route.
VectorXd ridge_normal_equations(const MatrixXd& X, const VectorXd& y, double alpha) {
  MatrixXd A = X.transpose() * X;
  for (Eigen::Index j = 1; j < X.cols(); ++j) A(j, j) += alpha;
  return A.ldlt().solve(X.transpose() * y);
}

MatrixXd drop_row(const MatrixXd& X, Eigen::Index i) {
  MatrixXd out(X.rows() - 1, X.cols());
  out.topRows(i) = X.topRows(i);
  out.bottomRows(X.rows() - 1 - i) = X.bottomRows(X.rows() - 1 - i);
  return out;
}

VectorXd drop_entry(const VectorXd& v, Eigen::Index i) {
  VectorXd out(v.size() - 1);
  out.head(i) = v.head(i);
  out.tail(v.size() - 1 - i) = v.tail(v.size() - 1 - i);
  return out;
}

/// Runs f, expects std::invalid_argument whose message contains every fragment.
void expect_invalid(const std::function<void()>& f, const std::vector<std::string>& fragments) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one mentioning '" << fragments.front() << "'";
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    for (const auto& frag : fragments)
      EXPECT_NE(msg.find(frag), std::string::npos) << "message '" << msg << "' lacks '" << frag << "'";
  } catch (...) {
    ADD_FAILURE() << "wrong exception type";
  }
}

/// LASSO KKT residual in the standardised coordinates of docs/fitting.md, computed here
/// from scratch: returns the worst violation of
///   (1/n) z_j^T r = alpha sign(b_j)   (b_j != 0),   |(1/n) z_j^T r| <= alpha   (b_j = 0),
/// and of the intercept condition sum_i r_i = 0.
double kkt_violation(const MatrixXd& X, const VectorXd& y, const VectorXd& J, double alpha) {
  const auto n = static_cast<double>(X.rows());
  const VectorXd r = y - X * J;
  double worst = std::abs(r.sum()) / n;
  for (Eigen::Index j = 1; j < X.cols(); ++j) {
    const double m = X.col(j).mean();
    const VectorXd c = X.col(j).array() - m;
    const double sd = std::sqrt(c.squaredNorm() / n);
    const double g = (c / sd).dot(r) / n;
    const double b = J(j) * sd;
    if (b != 0.0)
      worst = std::max(worst, std::abs(g - alpha * (b > 0 ? 1.0 : -1.0)));
    else
      worst = std::max(worst, std::max(0.0, std::abs(g) - alpha));
  }
  return worst;
}

// ------------------------------------------------------------------------------ OLS

TEST(FitOls, RecoversKnownEcisWithoutNoise) {
  std::mt19937_64 rng(11);
  for (const Columns kind : {Columns::Gaussian, Columns::Correlation}) {
    for (const auto& [n, p] : std::vector<std::pair<int, int>>{{8, 8}, {40, 10}, {300, 45}}) {
      const MatrixXd X = design(n, p, rng, kind);
      const VectorXd J = gaussian_vector(p, 0.5, rng);
      const VectorXd y = X * J;
      const VectorXd Jhat = fit::solve_ols(X, y);
      EXPECT_LT((Jhat - J).cwiseAbs().maxCoeff(), 1e-10) << "n=" << n << " p=" << p;
      EXPECT_LT(fit::rmse(X, y, Jhat), 1e-12);
    }
  }
}

TEST(FitOls, NoisyEstimateWithinFourStandardErrors) {
  // Over 20 noise draws: every coefficient within 4 standard errors, sqrt((X^T X)^-1_jj) sigma,
  // and the standardised errors have unit spread (a biased or over-smoothed estimator fails).
  std::mt19937_64 rng(12);
  const int n = 150;
  const int p = 12;
  const double sigma = 0.05;
  const MatrixXd X = design(n, p, rng, Columns::Correlation);
  const VectorXd J = gaussian_vector(p, 0.3, rng);
  const MatrixXd cov = sigma * sigma * (X.transpose() * X).inverse();
  double sum_z2 = 0.0;
  int count = 0;
  for (int trial = 0; trial < 20; ++trial) {
    const VectorXd y = X * J + gaussian_vector(n, sigma, rng);
    const VectorXd Jhat = fit::solve_ols(X, y);
    for (int j = 0; j < p; ++j) {
      const double z = (Jhat(j) - J(j)) / std::sqrt(cov(j, j));
      EXPECT_LT(std::abs(z), 4.0) << "trial " << trial << " j " << j;
      sum_z2 += z * z;
      ++count;
    }
  }
  const double spread = std::sqrt(sum_z2 / count);
  EXPECT_GT(spread, 0.8);
  EXPECT_LT(spread, 1.2);
}

// ------------------------------------------------------------------------------ ridge

TEST(FitRidge, MatchesNormalEquationsWithUnpenalisedEmptyCluster) {
  std::mt19937_64 rng(21);
  const MatrixXd X = design(30, 9, rng, Columns::Correlation);
  const VectorXd y = X * gaussian_vector(9, 0.4, rng) + gaussian_vector(30, 0.1, rng);
  for (const double alpha : {0.01, 0.7, 25.0}) {
    const VectorXd J = fit::solve_ridge(X, y, alpha);
    EXPECT_LT((J - ridge_normal_equations(X, y, alpha)).cwiseAbs().maxCoeff(), 1e-10);
  }
  // Shifting every energy by a constant moves only J_0: the empty cluster is not penalised.
  const VectorXd J1 = fit::solve_ridge(X, y, 3.0);
  const VectorXd J2 = fit::solve_ridge(X, (y.array() + 7.0).matrix(), 3.0);
  EXPECT_NEAR(J2(0) - J1(0), 7.0, 1e-10);
  EXPECT_LT((J2.tail(8) - J1.tail(8)).cwiseAbs().maxCoeff(), 1e-10);
}

TEST(FitRidge, SmallAlphaTendsToOlsLargeAlphaShrinksToZero) {
  std::mt19937_64 rng(22);
  const MatrixXd X = design(50, 10, rng, Columns::Correlation);
  const VectorXd y = X * gaussian_vector(10, 0.5, rng) + gaussian_vector(50, 0.05, rng);
  const VectorXd ols = fit::solve_ols(X, y);
  double previous = std::numeric_limits<double>::infinity();
  for (const double alpha : {1e-1, 1e-3, 1e-5, 1e-8}) {
    const double d = (fit::solve_ridge(X, y, alpha) - ols).cwiseAbs().maxCoeff();
    EXPECT_LT(d, previous) << "alpha " << alpha;
    previous = d;
  }
  EXPECT_LT(previous, 1e-7);
  EXPECT_LT((fit::solve_ridge(X, y, 0.0) - ols).cwiseAbs().maxCoeff(), 1e-12);

  const VectorXd big = fit::solve_ridge(X, y, 1e12);
  EXPECT_LT(big.tail(9).cwiseAbs().maxCoeff(), 1e-8);
  EXPECT_NEAR(big(0), y.mean(), 1e-8);  // only the empty cluster is left
  EXPECT_GT(ols.tail(9).cwiseAbs().maxCoeff(), 0.1);  // the shrinkage is the penalty's doing
}

// ------------------------------------------------------------------------------ analytic LOO

TEST(FitLoo, AnalyticOlsEqualsBruteForceRefits) {
  std::mt19937_64 rng(31);
  const int n = 25;
  const int p = 7;
  const MatrixXd X = design(n, p, rng, Columns::Correlation);
  const VectorXd y = X * gaussian_vector(p, 0.5, rng) + gaussian_vector(n, 0.2, rng);
  const fit::LinearLoo loo = fit::ridge_loo(X, y, 0.0);
  for (int i = 0; i < n; ++i) {
    const VectorXd Ji = drop_row(X, i).colPivHouseholderQr().solve(drop_entry(y, i));
    EXPECT_NEAR(loo.loo_errors(i), y(i) - X.row(i).dot(Ji), 1e-10) << "structure " << i;
  }
  EXPECT_NEAR(loo.leverages.sum(), p, 1e-10);  // trace of the OLS hat matrix
  const fit::CvResult refit = fit::loo_cv(X, y, fit::solve_ols);
  EXPECT_NEAR(refit.rmse, loo.loo_rmse, 1e-10);
  EXPECT_EQ(refit.kind, "loo");
  EXPECT_GT(loo.loo_rmse, fit::rmse(loo.residuals));  // held-out error exceeds training error
}

TEST(FitLoo, AnalyticRidgeEqualsBruteForceRefits) {
  std::mt19937_64 rng(32);
  const int n = 20;
  const int p = 15;
  const MatrixXd X = design(n, p, rng, Columns::Correlation);
  const VectorXd y = X * gaussian_vector(p, 0.5, rng) + gaussian_vector(n, 0.2, rng);
  for (const double alpha : {0.05, 0.7, 30.0}) {
    const fit::LinearLoo loo = fit::ridge_loo(X, y, alpha);
    double sq = 0.0;
    for (int i = 0; i < n; ++i) {
      const VectorXd Ji = ridge_normal_equations(drop_row(X, i), drop_entry(y, i), alpha);
      const double e = y(i) - X.row(i).dot(Ji);
      EXPECT_NEAR(loo.loo_errors(i), e, 1e-10) << "alpha " << alpha << " structure " << i;
      sq += e * e;
    }
    EXPECT_NEAR(loo.loo_rmse, std::sqrt(sq / n), 1e-10);
    const fit::FitResult r = fit::fit_ridge(X, y, alpha);
    EXPECT_EQ(r.cv_kind, "loo-analytic");
    EXPECT_NEAR(r.cv_rmse, std::sqrt(sq / n), 1e-10);
  }
}

// ------------------------------------------------------------------------------ LASSO

struct SparseProblem {
  MatrixXd X;
  VectorXd y;
  VectorXd truth;
};

SparseProblem sparse_problem(std::uint64_t seed, double sigma) {
  std::mt19937_64 rng(seed);
  SparseProblem s;
  s.X = design(120, 30, rng, Columns::Correlation);
  s.truth = sparse_truth(30, {2, 7, 13, 21, 28});
  s.y = s.X * s.truth + gaussian_vector(120, sigma, rng);
  return s;
}

std::vector<bool> support_of(const VectorXd& J) {
  std::vector<bool> s;
  for (Eigen::Index j = 1; j < J.size(); ++j) s.push_back(J(j) != 0.0);
  return s;
}

TEST(FitLasso, SelectsTrueSupportAndSatisfiesKkt) {
  const SparseProblem s = sparse_problem(41, 0.01);
  const double alpha = 0.02;  // stated alpha: well above the noise, well below the signal
  const fit::LassoSolution sol = fit::solve_lasso(s.X, s.y, alpha);
  ASSERT_TRUE(sol.converged);
  EXPECT_EQ(support_of(sol.ecis), support_of(s.truth));
  EXPECT_LT(kkt_violation(s.X, s.y, sol.ecis, alpha), 1e-8);
  // A perturbed solution violates the KKT conditions (the check has teeth).
  VectorXd bad = sol.ecis;
  bad(2) *= 1.01;
  EXPECT_GT(kkt_violation(s.X, s.y, bad, alpha), 1e-5);
}

TEST(FitLasso, CvChosenAlphaRecoversSupport) {
  const SparseProblem s = sparse_problem(42, 0.01);
  const fit::Selection sel =
      fit::select_lasso_alpha(s.X, s.y, {}, fit::CvOptions{fit::CvKind::KFold, 5, 7});
  ASSERT_EQ(sel.grid.size(), 50U);
  EXPECT_NEAR(sel.grid.front(), fit::lasso_alpha_max(s.X, s.y), 1e-15);
  EXPECT_NEAR(sel.grid.back(), sel.grid.front() * 1e-4, 1e-15);
  EXPECT_EQ(sel.cv_kind, "k-fold k=5");
  EXPECT_EQ(sel.fit.cv_kind, "k-fold k=5");
  EXPECT_DOUBLE_EQ(sel.fit.cv_rmse, *std::min_element(sel.cv_rmse.begin(), sel.cv_rmse.end()));
  EXPECT_DOUBLE_EQ(sel.fit.hyperparameters.at("alpha"), sel.best_value);
  const VectorXd J = Eigen::Map<const VectorXd>(sel.fit.ecis.data(), 30);
  // Every true function is kept; CV-chosen LASSO is allowed a few small false positives.
  const std::vector<bool> truth = support_of(s.truth);
  const std::vector<bool> got = support_of(J);
  for (std::size_t j = 0; j < truth.size(); ++j)
    if (truth[j]) {
      EXPECT_TRUE(got[j]) << "function " << j + 1 << " dropped";
    }
  for (Eigen::Index j = 1; j < 30; ++j)
    if (s.truth(j) == 0.0) {
      EXPECT_LT(std::abs(J(j)), 0.01) << "function " << j;
    }
  EXPECT_LT(sel.fit.cv_rmse, 0.02);  // near the noise level 0.01
  EXPECT_LT(kkt_violation(s.X, s.y, J, sel.best_value), 1e-8);
}

TEST(FitLasso, AlphaMaxZeroesEverythingAndSmallAlphaIsOls) {
  const SparseProblem s = sparse_problem(43, 0.05);
  const double amax = fit::lasso_alpha_max(s.X, s.y);
  const VectorXd at_max = fit::solve_lasso(s.X, s.y, amax).ecis;
  EXPECT_EQ(fit::count_nonzero(at_max.tail(29)), 0U);
  EXPECT_NEAR(at_max(0), s.y.mean(), 1e-12);
  EXPECT_GE(fit::count_nonzero(fit::solve_lasso(s.X, s.y, 0.98 * amax).ecis.tail(29)), 1U);
  const VectorXd tiny = fit::solve_lasso(s.X, s.y, 1e-12).ecis;
  EXPECT_LT((tiny - fit::solve_ols(s.X, s.y)).cwiseAbs().maxCoeff(), 1e-7);
}

TEST(FitLasso, WarmStartedPathEqualsColdStarts) {
  const SparseProblem s = sparse_problem(44, 0.05);
  const std::vector<double> grid = fit::lasso_alpha_grid(s.X, s.y, 12, 1e-3);
  ASSERT_EQ(grid.size(), 12U);
  for (std::size_t i = 1; i < grid.size(); ++i) EXPECT_LT(grid[i], grid[i - 1]);
  const fit::LassoPath path = fit::lasso_path(s.X, s.y, grid);
  int warm_sweeps = 0;
  int cold_sweeps = 0;
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const fit::LassoSolution cold = fit::solve_lasso(s.X, s.y, grid[i]);
    EXPECT_LT((path.solutions[i].ecis - cold.ecis).cwiseAbs().maxCoeff(), 1e-7);
    warm_sweeps += path.solutions[i].iterations;
    cold_sweeps += cold.iterations;
  }
  EXPECT_LE(warm_sweeps, cold_sweeps);
}

// ------------------------------------------------------------------------------ ARD

TEST(FitArd, PrunesZeroEcisAndKeepsNonZeroOnes) {
  const SparseProblem s = sparse_problem(51, 0.01);
  const fit::ArdResult a = fit::solve_ard(s.X, s.y);
  EXPECT_TRUE(a.converged);
  ASSERT_EQ(a.pruned.size(), 30U);
  EXPECT_FALSE(a.pruned[0]);
  for (Eigen::Index j = 1; j < 30; ++j) {
    EXPECT_EQ(a.pruned[static_cast<std::size_t>(j)], s.truth(j) == 0.0) << "function " << j;
    if (s.truth(j) == 0.0) {
      EXPECT_EQ(a.ecis(j), 0.0);
    } else {
      EXPECT_NEAR(a.ecis(j), s.truth(j), 0.01) << "function " << j;
    }
  }
  EXPECT_NEAR(a.ecis(0), s.truth(0), 0.01);
  // The ECIs are the posterior mean for the returned precisions: on the standardised kept
  // columns, b = (beta Z^T Z + diag(lambda))^-1 beta Z^T y_c, rebuilt here from scratch.
  {
    const auto n = static_cast<double>(s.X.rows());
    std::vector<Eigen::Index> kept;
    for (Eigen::Index j = 1; j < 30; ++j)
      if (!a.pruned[static_cast<std::size_t>(j)]) kept.push_back(j);
    const auto m = static_cast<Eigen::Index>(kept.size());
    MatrixXd Z(s.X.rows(), m);
    VectorXd mean(m);
    VectorXd sd(m);
    for (Eigen::Index c = 0; c < m; ++c) {
      const auto col = s.X.col(kept[static_cast<std::size_t>(c)]);
      mean(c) = col.mean();
      const VectorXd centred = col.array() - mean(c);
      sd(c) = std::sqrt(centred.squaredNorm() / n);
      Z.col(c) = centred / sd(c);
    }
    const VectorXd yc = s.y.array() - s.y.mean();
    MatrixXd P = a.noise_precision * Z.transpose() * Z;
    for (Eigen::Index c = 0; c < m; ++c) P(c, c) += a.precisions(kept[static_cast<std::size_t>(c)]);
    const VectorXd b = P.ldlt().solve(a.noise_precision * Z.transpose() * yc);
    double intercept = s.y.mean();
    for (Eigen::Index c = 0; c < m; ++c) {
      const double Jc = b(c) / sd(c);
      EXPECT_NEAR(a.ecis(kept[static_cast<std::size_t>(c)]), Jc, 1e-10);
      intercept -= mean(c) * Jc;
    }
    EXPECT_NEAR(a.ecis(0), intercept, 1e-10);
  }
  EXPECT_NEAR(1.0 / std::sqrt(a.noise_precision), 0.01, 0.003);  // the noise level is learnt
  const fit::FitResult r = fit::fit_ard(s.X, s.y, fit::CvOptions{fit::CvKind::KFold, 5, 3});
  EXPECT_EQ(r.method, "ard");
  EXPECT_EQ(r.n_nonzero, 6U);
  EXPECT_EQ(r.cv_kind, "k-fold k=5");
  EXPECT_LT(r.cv_rmse, 0.015);
}

// ------------------------------------------------------------------------------ CV

TEST(FitCv, KFoldIsDeterministicForASeedAndDiffersForAnother) {
  const std::vector<int> a = fit::kfold_assignment(23, 5, 99);
  EXPECT_EQ(a, fit::kfold_assignment(23, 5, 99));
  EXPECT_NE(a, fit::kfold_assignment(23, 5, 100));
  std::vector<int> sizes(5, 0);
  for (const int f : a) {
    ASSERT_GE(f, 0);
    ASSERT_LT(f, 5);
    ++sizes[static_cast<std::size_t>(f)];
  }
  for (const int c : sizes) EXPECT_TRUE(c == 4 || c == 5) << c;
  std::vector<int> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_NE(a, sorted);  // shuffled, not blocks in input order

  std::mt19937_64 rng(61);
  const MatrixXd X = design(23, 6, rng, Columns::Correlation);
  const VectorXd y = X * gaussian_vector(6, 0.5, rng) + gaussian_vector(23, 0.2, rng);
  const fit::CvResult c1 = fit::kfold_cv(X, y, fit::solve_ols, 5, 99);
  const fit::CvResult c2 = fit::kfold_cv(X, y, fit::solve_ols, 5, 99);
  const fit::CvResult c3 = fit::kfold_cv(X, y, fit::solve_ols, 5, 100);
  EXPECT_EQ(c1.rmse, c2.rmse);
  EXPECT_NE(c1.rmse, c3.rmse);
  EXPECT_EQ(c1.kind, "k-fold k=5");
  // k = n is leave-one-out.
  EXPECT_NEAR(fit::kfold_cv(X, y, fit::solve_ols, 23, 5).rmse, fit::ridge_loo(X, y, 0.0).loo_rmse,
              1e-10);
  // Held-out errors of fold f come from a fit that did not see fold f.
  for (int i = 0; i < 23; ++i) {
    MatrixXd Xt(0, 6);
    VectorXd yt(0);
    for (int r = 0; r < 23; ++r)
      if (a[static_cast<std::size_t>(r)] != a[static_cast<std::size_t>(i)]) {
        Xt.conservativeResize(Xt.rows() + 1, Eigen::NoChange);
        Xt.row(Xt.rows() - 1) = X.row(r);
        yt.conservativeResize(yt.size() + 1);
        yt(yt.size() - 1) = y(r);
      }
    const VectorXd J = Xt.colPivHouseholderQr().solve(yt);
    EXPECT_NEAR(c1.errors(i), y(i) - X.row(i).dot(J), 1e-10);
  }
}

TEST(FitCv, RidgeAlphaChosenByCvIsInterior) {
  // Many functions, few structures, ECIs of moderate size and large noise: OLS over-fits,
  // heavy shrinkage under-fits, so the CV optimum lies inside the grid.
  std::mt19937_64 rng(71);
  const int n = 60;
  const int p = 40;
  const MatrixXd X = design(n, p, rng, Columns::Correlation);
  const VectorXd y = X * gaussian_vector(p, 0.15, rng) + gaussian_vector(n, 0.3, rng);
  const std::vector<double> grid = fit::geometric_grid(1e4, 1e-9, 27);  // 1e4 .. 1e-5
  for (const fit::CvOptions& cv :
       {fit::CvOptions{fit::CvKind::Loo, 5, 0}, fit::CvOptions{fit::CvKind::KFold, 5, 1}}) {
    const fit::Selection sel = fit::select_ridge_alpha(X, y, grid, cv);
    ASSERT_EQ(sel.cv_rmse.size(), grid.size());
    EXPECT_GT(sel.best_index, 0U) << sel.cv_kind;
    EXPECT_LT(sel.best_index, grid.size() - 1) << sel.cv_kind;
    EXPECT_EQ(sel.best_value, grid[sel.best_index]);
    for (const double v : sel.cv_rmse) EXPECT_GE(v, sel.cv_rmse[sel.best_index]);
    EXPECT_EQ(sel.fit.method, "ridge");
    EXPECT_EQ(sel.fit.hyperparameters.at("alpha"), sel.best_value);
    EXPECT_EQ(sel.fit.cv_kind, cv.kind == fit::CvKind::Loo ? "loo-analytic" : "k-fold k=5");
    EXPECT_LT(sel.fit.cv_rmse, 0.9 * sel.cv_rmse.back());  // clearly better than near-OLS
  }
}

// ------------------------------------------------------------------------------ reporting

TEST(FitReport, RmseResidualsAndFitResultFields) {
  MatrixXd X(3, 2);
  X << 1, 0.5, 1, -0.5, 1, 1;
  const VectorXd y = (VectorXd(3) << 1.0, 2.0, 3.0).finished();
  const VectorXd J = (VectorXd(2) << 2.0, 0.0).finished();
  const VectorXd r = fit::residuals(X, y, J);
  EXPECT_EQ(r, (VectorXd(3) << -1.0, 0.0, 1.0).finished());
  EXPECT_DOUBLE_EQ(fit::rmse(r), std::sqrt(2.0 / 3.0));
  EXPECT_DOUBLE_EQ(fit::rmse(X, y, J), std::sqrt(2.0 / 3.0));
  EXPECT_EQ(fit::count_nonzero(J), 1U);

  std::mt19937_64 rng(81);
  const MatrixXd X2 = design(40, 6, rng, Columns::Correlation);
  const VectorXd y2 = X2 * gaussian_vector(6, 0.5, rng) + gaussian_vector(40, 0.1, rng);
  const fit::FitResult ols = fit::fit_ols(X2, y2);
  EXPECT_EQ(ols.method, "ols");
  EXPECT_TRUE(ols.hyperparameters.empty());
  EXPECT_EQ(ols.cv_kind, "loo-analytic");
  EXPECT_EQ(ols.ecis.size(), 6U);
  EXPECT_EQ(ols.n_nonzero, 6U);
  const VectorXd J2 = Eigen::Map<const VectorXd>(ols.ecis.data(), 6);
  EXPECT_DOUBLE_EQ(ols.train_rmse, fit::rmse(X2, y2, J2));
  EXPECT_GT(ols.cv_rmse, ols.train_rmse);
  const fit::FitResult k5 = fit::fit_ols(X2, y2, fit::CvOptions{fit::CvKind::KFold, 5, 4});
  EXPECT_EQ(k5.cv_kind, "k-fold k=5");
  const fit::FitResult none = fit::fit_lasso(X2, y2, 0.01, fit::CvOptions{fit::CvKind::None});
  EXPECT_EQ(none.cv_kind, "none");
  EXPECT_TRUE(std::isnan(none.cv_rmse));
  EXPECT_EQ(none.hyperparameters.at("alpha"), 0.01);
  const fit::FitResult lasso_loo = fit::fit_lasso(X2, y2, 0.01);
  EXPECT_EQ(lasso_loo.cv_kind, "loo");
}

// ------------------------------------------------------------------------------ bad input

TEST(FitInput, BadInputThrowsNamingTheProblem) {
  std::mt19937_64 rng(91);
  const MatrixXd X = design(10, 4, rng, Columns::Correlation);
  const VectorXd y = gaussian_vector(10, 1.0, rng);

  const MatrixXd wide = design(5, 8, rng, Columns::Correlation);
  const VectorXd y5 = gaussian_vector(5, 1.0, rng);
  expect_invalid([&] { fit::solve_ols(wide, y5); },
                 {"5 structures < 8 cluster functions", "regularisation"});
  expect_invalid([&] { fit::fit_ols(wide, y5); }, {"5 structures < 8", "regularisation"});
  MatrixXd dependent = X;
  dependent.col(3) = 2.0 * dependent.col(1) - dependent.col(2);
  expect_invalid([&] { fit::solve_ols(dependent, y); },
                 {"rank deficient", "rank 3 of 4", "regularisation"});
  // Ridge with alpha > 0 regularises the same matrix.
  EXPECT_NO_THROW(fit::solve_ridge(dependent, y, 0.1));
  EXPECT_NO_THROW(fit::solve_ridge(wide, y5, 0.1));

  expect_invalid([&] { fit::solve_ols(X, gaussian_vector(9, 1.0, rng)); },
                 {"mismatched sizes", "10 rows", "9 energies"});
  VectorXd ynan = y;
  ynan(4) = std::numeric_limits<double>::quiet_NaN();
  expect_invalid([&] { fit::solve_ridge(X, ynan, 1.0); }, {"y[4]", "not finite"});
  VectorXd yinf = y;
  yinf(2) = std::numeric_limits<double>::infinity();
  expect_invalid([&] { fit::solve_lasso(X, yinf, 0.1); }, {"y[2]", "not finite"});
  MatrixXd Xnan = X;
  Xnan(3, 2) = std::numeric_limits<double>::quiet_NaN();
  expect_invalid([&] { fit::solve_ard(Xnan, y); }, {"X(3, 2)", "not finite"});
  MatrixXd no_empty = X;
  no_empty(6, 0) = 0.5;
  expect_invalid([&] { fit::solve_ols(no_empty, y); }, {"column 0", "empty cluster", "row 6"});

  expect_invalid([&] { fit::kfold_assignment(10, 1, 0); }, {"2 <= k <= n_structures", "k = 1"});
  expect_invalid([&] { fit::kfold_cv(X, y, fit::solve_ols, 11, 0); },
                 {"n_structures (= 10)", "k = 11"});
  expect_invalid([&] { fit::fit_ridge(X, y, 1.0, fit::CvOptions{fit::CvKind::KFold, 0, 0}); },
                 {"k = 0"});

  expect_invalid([&] { fit::solve_ridge(X, y, -1.0); }, {"ridge alpha", ">= 0", "-1"});
  expect_invalid([&] { fit::solve_lasso(X, y, -0.5); }, {"LASSO alpha", ">= 0", "-0.5"});
  expect_invalid([&] { fit::solve_ridge(X, y, std::numeric_limits<double>::quiet_NaN()); },
                 {"alpha must be finite"});
  expect_invalid([&] { fit::select_ridge_alpha(X, y, {1.0, -2.0}); }, {"alpha", "-2"});
  expect_invalid([&] { fit::select_ridge_alpha(X, y, {}); }, {"empty alpha grid"});
  expect_invalid([&] { fit::solve_lasso(X, y, 0.1, fit::LassoOptions{0.0, 100}); },
                 {"tolerance"});
  // n = p: every leverage is 1, so analytic LOO is undefined and says so.
  const MatrixXd square = design(4, 4, rng, Columns::Correlation);
  expect_invalid([&] { fit::ridge_loo(square, gaussian_vector(4, 1.0, rng), 0.0); },
                 {"leverage"});
  // A CV fold too small for OLS names the fold.
  const MatrixXd X8 = design(10, 8, rng, Columns::Correlation);
  expect_invalid([&] { fit::kfold_cv(X8, y, fit::solve_ols, 2, 0); },
                 {"k-fold k=2 cross-validation, fold", "5 structures < 8"});
}

}  // namespace
