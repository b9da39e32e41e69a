// Cross-validation, hyperparameter selection and the whole-fit drivers.
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "tmorder/fit/fit.hpp"
#include "tmorder/fit/internal.hpp"

namespace tmorder::fit {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Uniform integer in [0, range) from mt19937_64 by rejection (no platform-specific
/// distribution, so the folds are the same with every standard library).
std::uint64_t bounded(std::mt19937_64& rng, std::uint64_t range) {
  const std::uint64_t threshold = (0 - range) % range;  // 2^64 mod range
  for (;;) {
    const std::uint64_t x = rng();
    if (x >= threshold) return x % range;
  }
}

void check_k(std::size_t n, int k) {
  if (k < 2 || static_cast<std::size_t>(k) > n)
    throw std::invalid_argument("k-fold CV needs 2 <= k <= n_structures (= " +
                                std::to_string(n) + "), got k = " + std::to_string(k));
}

/// Rows `rows` of X and y.
void take_rows(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
               const std::vector<Eigen::Index>& rows, Eigen::MatrixXd& Xs, Eigen::VectorXd& ys) {
  const auto m = static_cast<Eigen::Index>(rows.size());
  Xs.resize(m, X.cols());
  ys.resize(m);
  for (Eigen::Index r = 0; r < m; ++r) {
    Xs.row(r) = X.row(rows[static_cast<std::size_t>(r)]);
    ys(r) = y(rows[static_cast<std::size_t>(r)]);
  }
}

/// Split by fold: training rows and held-out rows of fold f.
void split(const std::vector<int>& folds, int f, std::vector<Eigen::Index>& train,
           std::vector<Eigen::Index>& test) {
  train.clear();
  test.clear();
  for (std::size_t i = 0; i < folds.size(); ++i)
    (folds[i] == f ? test : train).push_back(static_cast<Eigen::Index>(i));
}

CvResult cv_on_folds(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Fitter& fitter,
                     const std::vector<int>& folds, int k, std::string kind) {
  if (!fitter) throw std::invalid_argument("cross-validation: no fitter given");
  CvResult out;
  out.errors.resize(X.rows());
  std::vector<Eigen::Index> train;
  std::vector<Eigen::Index> test;
  Eigen::MatrixXd Xt;
  Eigen::VectorXd yt;
  for (int f = 0; f < k; ++f) {
    split(folds, f, train, test);
    take_rows(X, y, train, Xt, yt);
    Eigen::VectorXd J;
    try {
      J = fitter(Xt, yt);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(kind + " cross-validation, fold " + std::to_string(f) +
                                  " (" + std::to_string(train.size()) +
                                  " training structures): " + e.what());
    }
    if (J.size() != X.cols())
      throw std::invalid_argument("cross-validation: the fitter returned " +
                                  std::to_string(J.size()) + " ECIs for " +
                                  std::to_string(X.cols()) + " functions");
    for (const Eigen::Index i : test) out.errors(i) = y(i) - X.row(i).dot(J);
  }
  out.rmse = rmse(out.errors);
  out.kind = std::move(kind);
  return out;
}

std::vector<int> loo_folds(std::size_t n) {
  std::vector<int> f(n);
  std::iota(f.begin(), f.end(), 0);
  return f;
}

std::string kfold_name(int k) { return "k-fold k=" + std::to_string(k); }

FitResult base_result(const char* method, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                      const Eigen::VectorXd& J) {
  FitResult r;
  r.method = method;
  r.ecis.assign(J.data(), J.data() + J.size());
  r.train_rmse = rmse(X, y, J);
  r.n_nonzero = count_nonzero(J);
  r.cv_rmse = kNaN;
  r.cv_kind = "none";
  return r;
}

/// Refit-based CV for fitters without an analytic formula.
void attach_refit_cv(FitResult& r, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                     const Fitter& fitter, const CvOptions& cv) {
  if (cv.kind == CvKind::None) return;
  const CvResult c = cross_validate(X, y, fitter, cv);
  r.cv_rmse = c.rmse;
  r.cv_kind = c.kind;
}

void check_grid(const std::vector<double>& grid, const char* what) {
  if (grid.empty()) throw std::invalid_argument(std::string(what) + ": empty alpha grid");
  for (const double a : grid) detail::check_alpha(a, what);
}

std::size_t argmin(const std::vector<double>& v) {
  return static_cast<std::size_t>(std::min_element(v.begin(), v.end()) - v.begin());
}

}  // namespace

std::vector<int> kfold_assignment(std::size_t n_structures, int k, std::uint64_t seed) {
  check_k(n_structures, k);
  std::vector<std::size_t> order(n_structures);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 rng(seed);
  for (std::size_t i = n_structures - 1; i > 0; --i)
    std::swap(order[i], order[static_cast<std::size_t>(bounded(rng, i + 1))]);
  std::vector<int> folds(n_structures);
  const auto kk = static_cast<std::size_t>(k);
  for (std::size_t f = 0; f < kk; ++f)
    for (std::size_t pos = f * n_structures / kk; pos < (f + 1) * n_structures / kk; ++pos)
      folds[order[pos]] = static_cast<int>(f);
  return folds;
}

CvResult loo_cv(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Fitter& fitter) {
  validate_data(X, y);
  if (X.rows() < 2)
    throw std::invalid_argument("leave-one-out CV needs >= 2 structures, got " +
                                std::to_string(X.rows()));
  const auto n = static_cast<std::size_t>(X.rows());
  return cv_on_folds(X, y, fitter, loo_folds(n), static_cast<int>(n), "loo");
}

CvResult kfold_cv(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Fitter& fitter,
                  int k, std::uint64_t seed) {
  validate_data(X, y);
  const std::vector<int> folds = kfold_assignment(static_cast<std::size_t>(X.rows()), k, seed);
  return cv_on_folds(X, y, fitter, folds, k, kfold_name(k));
}

CvResult cross_validate(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                        const Fitter& fitter, const CvOptions& options) {
  switch (options.kind) {
    case CvKind::Loo:
      return loo_cv(X, y, fitter);
    case CvKind::KFold:
      return kfold_cv(X, y, fitter, options.k, options.seed);
    case CvKind::None:
      break;
  }
  throw std::invalid_argument("cross_validate: CV kind is 'none'");
}

FitResult fit_ols(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const CvOptions& cv) {
  if (cv.kind == CvKind::Loo) {
    const LinearLoo loo = ridge_loo(X, y, 0.0);
    FitResult r = base_result("ols", X, y, loo.ecis);
    r.cv_rmse = loo.loo_rmse;
    r.cv_kind = "loo-analytic";
    return r;
  }
  FitResult r = base_result("ols", X, y, solve_ols(X, y));
  attach_refit_cv(r, X, y, solve_ols, cv);
  return r;
}

FitResult fit_ridge(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha,
                    const CvOptions& cv, Eigen::Index free_columns) {
  detail::check_alpha(alpha, "ridge");
  if (cv.kind == CvKind::Loo) {
    const LinearLoo loo = ridge_loo(X, y, alpha, free_columns);
    FitResult r = base_result("ridge", X, y, loo.ecis);
    r.hyperparameters["alpha"] = alpha;
    r.cv_rmse = loo.loo_rmse;
    r.cv_kind = "loo-analytic";
    return r;
  }
  FitResult r = base_result("ridge", X, y, solve_ridge(X, y, alpha, free_columns));
  r.hyperparameters["alpha"] = alpha;
  attach_refit_cv(r, X, y,
                  [alpha, free_columns](const Eigen::MatrixXd& Xt, const Eigen::VectorXd& yt) {
                    return solve_ridge(Xt, yt, alpha, free_columns);
                  },
                  cv);
  return r;
}

FitResult fit_lasso(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha,
                    const CvOptions& cv, const LassoOptions& options, Eigen::Index free_columns) {
  const LassoSolution sol = solve_lasso(X, y, alpha, options, Eigen::VectorXd(), free_columns);
  FitResult r = base_result("lasso", X, y, sol.ecis);
  r.hyperparameters["alpha"] = alpha;
  if (!sol.converged)
    r.warnings.push_back("LASSO: coordinate descent did not converge in " +
                         std::to_string(sol.iterations) + " sweeps (alpha = " +
                         detail::num(alpha) + ")");
  attach_refit_cv(r, X, y,
                  [alpha, options, free_columns](const Eigen::MatrixXd& Xt, const Eigen::VectorXd& yt) {
                    return solve_lasso(Xt, yt, alpha, options, Eigen::VectorXd(), free_columns).ecis;
                  },
                  cv);
  return r;
}

FitResult fit_ard(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const CvOptions& cv,
                  const ArdOptions& options, Eigen::Index free_columns) {
  const ArdResult a = solve_ard(X, y, options, free_columns);
  FitResult r = base_result("ard", X, y, a.ecis);
  r.hyperparameters["prune_threshold"] = options.prune_threshold;
  r.hyperparameters["noise_sigma"] = 1.0 / std::sqrt(a.noise_precision);
  if (!a.converged)
    r.warnings.push_back("ARD: not converged in " + std::to_string(a.iterations) +
                         " iterations");
  attach_refit_cv(r, X, y,
                  [options, free_columns](const Eigen::MatrixXd& Xt, const Eigen::VectorXd& yt) {
                    return solve_ard(Xt, yt, options, free_columns).ecis;
                  },
                  cv);
  return r;
}

Selection select_ridge_alpha(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                             const std::vector<double>& grid, const CvOptions& cv,
                             Eigen::Index free_columns) {
  validate_data(X, y, free_columns);
  check_grid(grid, "ridge alpha selection");
  if (cv.kind == CvKind::None)
    throw std::invalid_argument("ridge alpha selection needs a CV scheme (loo or k-fold)");
  Selection s;
  s.hyperparameter = "alpha";
  s.grid = grid;
  for (const double a : grid) {
    if (cv.kind == CvKind::Loo) {
      s.cv_rmse.push_back(ridge_loo(X, y, a, free_columns).loo_rmse);
      s.cv_kind = "loo-analytic";
    } else {
      const CvResult c = kfold_cv(
          X, y,
          [a, free_columns](const Eigen::MatrixXd& Xt, const Eigen::VectorXd& yt) {
            return solve_ridge(Xt, yt, a, free_columns);
          },
          cv.k, cv.seed);
      s.cv_rmse.push_back(c.rmse);
      s.cv_kind = c.kind;
    }
  }
  s.best_index = argmin(s.cv_rmse);
  s.best_value = grid[s.best_index];
  s.fit = fit_ridge(X, y, s.best_value, CvOptions{CvKind::None, cv.k, cv.seed}, free_columns);
  s.fit.cv_rmse = s.cv_rmse[s.best_index];
  s.fit.cv_kind = s.cv_kind;
  return s;
}

Selection select_lasso_alpha(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                             const std::vector<double>& grid_in, const CvOptions& cv,
                             const LassoOptions& options, Eigen::Index free_columns) {
  validate_data(X, y, free_columns);
  const std::vector<double> grid =
      grid_in.empty() ? lasso_alpha_grid(X, y, 50, 1e-4, free_columns) : grid_in;
  check_grid(grid, "LASSO alpha selection");
  std::vector<int> folds;
  int k = 0;
  Selection s;
  s.hyperparameter = "alpha";
  s.grid = grid;
  switch (cv.kind) {
    case CvKind::Loo:
      if (X.rows() < 2)
        throw std::invalid_argument("leave-one-out CV needs >= 2 structures, got " +
                                    std::to_string(X.rows()));
      folds = loo_folds(static_cast<std::size_t>(X.rows()));
      k = static_cast<int>(X.rows());
      s.cv_kind = "loo";
      break;
    case CvKind::KFold:
      folds = kfold_assignment(static_cast<std::size_t>(X.rows()), cv.k, cv.seed);
      k = cv.k;
      s.cv_kind = kfold_name(k);
      break;
    case CvKind::None:
      throw std::invalid_argument("LASSO alpha selection needs a CV scheme (loo or k-fold)");
  }
  std::vector<double> sq(grid.size(), 0.0);
  std::vector<Eigen::Index> train;
  std::vector<Eigen::Index> test;
  Eigen::MatrixXd Xt;
  Eigen::VectorXd yt;
  for (int f = 0; f < k; ++f) {
    split(folds, f, train, test);
    take_rows(X, y, train, Xt, yt);
    const LassoPath path = lasso_path(Xt, yt, grid, options, free_columns);
    for (std::size_t g = 0; g < grid.size(); ++g)
      for (const Eigen::Index i : test) {
        const double e = y(i) - X.row(i).dot(path.solutions[g].ecis);
        sq[g] += e * e;
      }
  }
  for (const double v : sq) s.cv_rmse.push_back(std::sqrt(v / static_cast<double>(X.rows())));
  s.best_index = argmin(s.cv_rmse);
  s.best_value = grid[s.best_index];
  // Final fit on all data, warm started along the grid down to the chosen alpha.
  const LassoPath full = lasso_path(
      X, y, std::vector<double>(grid.begin(), grid.begin() + static_cast<std::ptrdiff_t>(s.best_index) + 1),
      options, free_columns);
  const LassoSolution& sol = full.solutions.back();
  s.fit = base_result("lasso", X, y, sol.ecis);
  s.fit.hyperparameters["alpha"] = s.best_value;
  if (!sol.converged)
    s.fit.warnings.push_back("LASSO: coordinate descent did not converge in " +
                             std::to_string(sol.iterations) + " sweeps (alpha = " +
                             detail::num(s.best_value) + ")");
  s.fit.cv_rmse = s.cv_rmse[s.best_index];
  s.fit.cv_kind = s.cv_kind;
  return s;
}

}  // namespace tmorder::fit
