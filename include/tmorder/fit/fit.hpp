#pragma once
// The regression core of `tmorder fit`: effective cluster interactions (ECIs) from DFT
// energies. Every function takes
//
//   X  correlation matrix, n_structures x n_functions; column 0 is the empty cluster and
//      must be exactly 1 in every row (it is the intercept: never penalised);
//   y  target energies, n_structures entries, eV per parent cell;
//
// and returns ECIs J (eV per parent cell per unit correlation) with E = X J. RMSEs are in
// the units of y (eV per parent cell); the CLI converts to meV/site. Bad input (size
// mismatch, non-finite values, n_structures < n_functions or rank deficiency for OLS,
// negative or non-finite hyperparameters, k out of range) throws std::invalid_argument
// whose message names the problem and the offending counts/values.
//
// Unpenalised trailing columns: the regularised entry points take `free_columns` (default
// 0), the number of LAST columns of X whose coefficients are, like the intercept J_0, never
// penalised: e.g. the Ewald energy of formal charges, whose coefficient is one physical
// parameter (1/eps_r) that shrinking toward 0 would bias. Ridge: D has 0 for them (the
// analytic LOO stays exact); LASSO: standardised like every column but updated by plain
// least squares, never soft-thresholded; ARD: flat prior (always active, never pruned).
// 0 <= free_columns <= n_functions - 1; OLS has no penalty and needs no count.
//
// Formulas, CV definitions and references: docs/fitting.md.
#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tmorder::fit {

// ---------------------------------------------------------------- results and reporting

/// One finished fit, as reported by `tmorder fit`.
struct FitResult {
  std::string method;                           ///< "ols", "ridge", "lasso", "ard"
  std::map<std::string, double> hyperparameters;  ///< e.g. {"alpha": 1e-3}
  std::vector<double> ecis;                     ///< one per column of X, J_0 first
  double train_rmse = 0.0;                      ///< RMSE of y - X J on the training set
  double cv_rmse = 0.0;                         ///< NaN when cv_kind is "none"
  std::string cv_kind;  ///< "loo-analytic", "loo", "k-fold k=5" or "none"
  std::size_t n_nonzero = 0;  ///< ECIs that are not exactly 0 (J_0 included)
  std::vector<std::string> warnings;  ///< e.g. LASSO/ARD not converged
};

/// r = y - X J (per-structure residuals, eV per parent cell).
Eigen::VectorXd residuals(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                          const Eigen::VectorXd& ecis);
/// sqrt(mean(r_i^2)); throws on an empty vector.
double rmse(const Eigen::VectorXd& residuals);
/// RMSE of y - X J.
double rmse(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& ecis);
/// Entries with |J_j| > threshold (threshold 0: exactly non-zero).
std::size_t count_nonzero(const Eigen::VectorXd& ecis, double threshold = 0.0);

/// Checks the common input contract (sizes, finiteness, column 0 all ones, n >= 1) and
/// 0 <= free_columns <= n_functions - 1.
void validate_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Eigen::Index free_columns = 0);

// ---------------------------------------------------------------- OLS and ridge

/// Ordinary least squares, min ||y - X J||^2, by column-pivoted Householder QR.
/// Throws std::invalid_argument when n_structures < n_functions or X is numerically rank
/// deficient (pivot |R_kk| <= kRankThreshold * |R_11|): "use regularisation".
Eigen::VectorXd solve_ols(const Eigen::MatrixXd& X, const Eigen::VectorXd& y);

/// Ridge regression, min ||y - X J||^2 + alpha * sum_{j penalised} J_j^2 (the empty cluster
/// J_0 and the last `free_columns` are not penalised; columns are used as they are, not
/// standardised). Solved exactly as the least-squares problem [X; sqrt(alpha) D] J = [y; 0],
/// D = diag(0, 1, ..., 1, 0 x free_columns), by QR. alpha = 0 is OLS (same rank checks);
/// alpha < 0 or non-finite throws.
Eigen::VectorXd solve_ridge(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha,
                            Eigen::Index free_columns = 0);

/// Relative pivot threshold of the rank test.
inline constexpr double kRankThreshold = 1e-10;

/// A linear smoother fit J = (X^T X + alpha D)^{-1} X^T y with its hat matrix
/// H = X (X^T X + alpha D)^{-1} X^T (alpha = 0: OLS).
///
/// Analytic leave-one-out: the prediction error for structure i from the fit to the other
/// n - 1 structures is exactly
///
///     e_loo_i = r_i / (1 - H_ii),      r = y - X J,
///
/// (Sherman-Morrison; exact for OLS and for ridge with a fixed penalty matrix, zeros for
/// the unpenalised columns included), and
/// loo_rmse = sqrt(mean(e_loo_i^2)). H_ii = ||row i of Q_X||^2 where [X; sqrt(alpha) D] = Q R.
/// Throws when some H_ii is 1 to within 1e-12 (that structure alone determines an ECI, its
/// LOO refit would be singular).
struct LinearLoo {
  Eigen::VectorXd ecis;
  Eigen::VectorXd residuals;  ///< r = y - X J
  Eigen::VectorXd leverages;  ///< H_ii
  Eigen::VectorXd loo_errors;  ///< r_i / (1 - H_ii)
  double loo_rmse = 0.0;
};
LinearLoo ridge_loo(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha,
                    Eigen::Index free_columns = 0);

// ---------------------------------------------------------------- LASSO

/// Coordinate-descent controls. Convergence: a full cyclic sweep in which no standardised
/// coefficient moves by more than tolerance * sd(y) (sd = RMS of y - mean(y)).
/// max_iterations counts sweeps (full and active-set sweeps).
struct LassoOptions {
  double tolerance = 1e-10;
  int max_iterations = 100000;
};

struct LassoSolution {
  Eigen::VectorXd ecis;  ///< in the units of X (J_0 is the intercept)
  int iterations = 0;    ///< sweeps used
  bool converged = false;
};

/// LASSO on standardised columns: for j >= 1, z_j = (x_j - mean(x_j)) / sd(x_j) (sd with
/// 1/n), y_c = y - mean(y), minimise (1/2n) ||y_c - Z b||^2 + alpha ||b||_1 by cyclic
/// coordinate descent with soft thresholding, b_j <- S(b_j + z_j^T r / n, alpha). Then
/// J_j = b_j / sd(x_j), J_0 = mean(y) - sum_j mean(x_j) J_j (unpenalised intercept).
/// Columns j >= 1 that are constant on the data get J_j = 0. The last `free_columns` are
/// unpenalised: b_j <- b_j + z_j^T r / (n ||z_j||^2/n) (plain least squares). `warm_start`
/// (empty or n_functions ECIs in X units) seeds the descent; without one it starts from
/// b = 0 with the free columns at their least-squares values.
LassoSolution solve_lasso(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha,
                          const LassoOptions& options = {},
                          const Eigen::VectorXd& warm_start = Eigen::VectorXd(),
                          Eigen::Index free_columns = 0);

/// alpha_max = max_{j penalised} |z_j^T r_0| / n: the smallest alpha at which every
/// penalised b_j = 0, where r_0 = y_c (no free columns) or the residual of the least-squares
/// fit of y_c on the free columns alone.
double lasso_alpha_max(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                       Eigen::Index free_columns = 0);

/// Decreasing geometric grid from `from` down to `from * ratio` (n_values >= 2 points,
/// both ends included; n_values = 1 gives {from}).
std::vector<double> geometric_grid(double from, double ratio, int n_values);

/// Default LASSO path: geometric_grid(lasso_alpha_max(X, y, free_columns), ratio, n_values).
std::vector<double> lasso_alpha_grid(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                     int n_values = 50, double ratio = 1e-4,
                                     Eigen::Index free_columns = 0);

/// Solutions along `alphas` (any order is accepted; solved in the given order, each warm
/// started from the previous, so pass them decreasing).
struct LassoPath {
  std::vector<double> alphas;
  std::vector<LassoSolution> solutions;
};
LassoPath lasso_path(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                     const std::vector<double>& alphas, const LassoOptions& options = {},
                     Eigen::Index free_columns = 0);

// ---------------------------------------------------------------- ARD

/// Automatic relevance determination (Tipping 2001, MacKay 1992 fixed-point updates) on
/// standardised, centred columns; see docs/fitting.md. A function is pruned once its prior
/// precision lambda_j exceeds prune_threshold / var(y_c) (prior sd of b_j below
/// sd(y)/sqrt(prune_threshold); default 1e4: 1% of sd(y)); it then leaves the active set
/// with J_j = 0. ARD's evidence optimum keeps a pure-noise function whenever its chance
/// correlation with the residual is large enough (q_j^2 > s_j, Tipping & Faul 2003), so the
/// threshold is a real hyperparameter (like threshold_lambda in scikit-learn and icet);
/// choose it by CV for production fits. The last `free_columns` have a flat prior
/// (lambda_j = 0, gamma_j = 1): always active, never pruned.
/// Convergence: max |delta b_j| <= tolerance * max(max |b_j|, tiny) between iterations.
struct ArdOptions {
  int max_iterations = 1000;
  double tolerance = 1e-8;
  double prune_threshold = 1e4;
};

struct ArdResult {
  Eigen::VectorXd ecis;      ///< posterior mean, X units, J_0 the intercept
  std::vector<bool> pruned;  ///< per function; false for entry 0 and the free columns (unless constant)
  Eigen::VectorXd precisions;  ///< lambda_j for standardised b_j (0 for entry 0 and free columns); inf if pruned
  double noise_precision = 0.0;  ///< beta = 1 / sigma^2 (eV^-2 per parent cell^2)
  int iterations = 0;
  bool converged = false;
};
ArdResult solve_ard(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                    const ArdOptions& options = {}, Eigen::Index free_columns = 0);

// ---------------------------------------------------------------- cross-validation

/// Any method: training data -> ECIs.
using Fitter = std::function<Eigen::VectorXd(const Eigen::MatrixXd&, const Eigen::VectorXd&)>;

enum class CvKind { None, Loo, KFold };
/// CV scheme. Loo: analytic for OLS/ridge ("loo-analytic"), by n refits otherwise ("loo").
/// KFold: k folds from `seed` ("k-fold k=K"), 2 <= k <= n_structures.
struct CvOptions {
  CvKind kind = CvKind::Loo;
  int k = 5;
  std::uint64_t seed = 0;
};

/// Fold of each structure (0..k-1): a Fisher-Yates shuffle of 0..n-1 driven by
/// std::mt19937_64(seed) (bounded draws by rejection, so identical on every platform), then
/// the shuffled list cut into k contiguous blocks of sizes floor(n/k) or ceil(n/k).
std::vector<int> kfold_assignment(std::size_t n_structures, int k, std::uint64_t seed);

/// Held-out errors of a CV run: errors[i] = y_i - x_i J_(-fold(i)); rmse is the pooled
/// sqrt(mean(errors^2)) over all n structures.
struct CvResult {
  Eigen::VectorXd errors;
  double rmse = 0.0;
  std::string kind;
};
/// LOO by n refits (works for any method).
CvResult loo_cv(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Fitter& fitter);
/// k-fold CV by k refits.
CvResult kfold_cv(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Fitter& fitter,
                  int k, std::uint64_t seed);
/// Dispatch on options.kind (Loo -> loo_cv, KFold -> kfold_cv; None throws).
CvResult cross_validate(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                        const Fitter& fitter, const CvOptions& options);

/// Hyperparameter scan: CV RMSE at every grid value, the minimum (first one on ties), and
/// the final fit on all data at the chosen value (its cv_rmse is the curve's minimum).
struct Selection {
  std::string hyperparameter;  ///< "alpha"
  std::vector<double> grid;
  std::vector<double> cv_rmse;
  std::size_t best_index = 0;
  double best_value = 0.0;
  std::string cv_kind;
  FitResult fit;
};

// ---------------------------------------------------------------- whole fits

/// Fit on all data and cross-validate (options.kind None: cv_rmse = NaN, cv_kind "none").
FitResult fit_ols(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const CvOptions& cv = {});
/// The regularised fits leave the last `free_columns` unpenalised (see the top of this
/// file); CV refits them in every fold like every other coefficient.
FitResult fit_ridge(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha,
                    const CvOptions& cv = {}, Eigen::Index free_columns = 0);
FitResult fit_lasso(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha,
                    const CvOptions& cv = {}, const LassoOptions& options = {},
                    Eigen::Index free_columns = 0);
FitResult fit_ard(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const CvOptions& cv = {},
                  const ArdOptions& options = {}, Eigen::Index free_columns = 0);

/// Ridge alpha by minimum CV RMSE over `grid` (LOO analytic or k-fold refits).
Selection select_ridge_alpha(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                             const std::vector<double>& grid, const CvOptions& cv = {},
                             Eigen::Index free_columns = 0);
/// LASSO alpha by minimum CV RMSE; an empty grid means lasso_alpha_grid(X, y) (alpha_max
/// from all data). Each fold solves the whole path with warm starts.
Selection select_lasso_alpha(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                             const std::vector<double>& grid, const CvOptions& cv = {},
                             const LassoOptions& options = {}, Eigen::Index free_columns = 0);

}  // namespace tmorder::fit
