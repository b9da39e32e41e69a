// Input checks, reporting helpers, OLS, ridge and the analytic leave-one-out.
#include <Eigen/Dense>
#include <Eigen/QR>

#include <cmath>
#include <cstdio>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "tmorder/fit/internal.hpp"
#include "tmorder/fit/fit.hpp"

namespace tmorder::fit {

namespace detail {

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void check_alpha(double alpha, const char* what) {
  if (!std::isfinite(alpha) || alpha < 0.0)
    throw std::invalid_argument(std::string(what) + " alpha must be finite and >= 0, got " +
                                num(alpha));
}

}  // namespace detail

void validate_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Eigen::Index free_columns) {
  const auto n = X.rows();
  const auto p = X.cols();
  if (n == 0 || p == 0)
    throw std::invalid_argument("fit: the correlation matrix X is empty (" + std::to_string(n) +
                                " structures x " + std::to_string(p) + " functions)");
  if (free_columns < 0 || free_columns > p - 1)
    throw std::invalid_argument("fit: " + std::to_string(free_columns) +
                                " unpenalised trailing columns requested, but X has " +
                                std::to_string(p) +
                                " columns of which column 0 is the intercept (0 to " +
                                std::to_string(p - 1) + " allowed)");
  if (y.size() != n)
    throw std::invalid_argument("fit: mismatched sizes: X has " + std::to_string(n) +
                                " rows (structures) but y has " + std::to_string(y.size()) +
                                " energies");
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!std::isfinite(y(i)))
      throw std::invalid_argument("fit: energy y[" + std::to_string(i) + "] is not finite (" +
                                  detail::num(y(i)) + ")");
    for (Eigen::Index j = 0; j < p; ++j)
      if (!std::isfinite(X(i, j)))
        throw std::invalid_argument("fit: correlation X(" + std::to_string(i) + ", " +
                                    std::to_string(j) + ") is not finite (" +
                                    detail::num(X(i, j)) + ")");
    if (std::abs(X(i, 0) - 1.0) > 1e-12)
      throw std::invalid_argument(
          "fit: column 0 of X must be the empty cluster (all 1), but row " + std::to_string(i) +
          " has " + detail::num(X(i, 0)));
  }
}

Eigen::VectorXd residuals(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                          const Eigen::VectorXd& ecis) {
  if (X.rows() != y.size() || X.cols() != ecis.size())
    throw std::invalid_argument("residuals: mismatched sizes: X is " + std::to_string(X.rows()) +
                                " x " + std::to_string(X.cols()) + ", y has " +
                                std::to_string(y.size()) + " energies, " +
                                std::to_string(ecis.size()) + " ECIs");
  return y - X * ecis;
}

double rmse(const Eigen::VectorXd& r) {
  if (r.size() == 0) throw std::invalid_argument("rmse: no residuals");
  return std::sqrt(r.squaredNorm() / static_cast<double>(r.size()));
}

double rmse(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& ecis) {
  return rmse(residuals(X, y, ecis));
}

std::size_t count_nonzero(const Eigen::VectorXd& ecis, double threshold) {
  std::size_t c = 0;
  for (Eigen::Index j = 0; j < ecis.size(); ++j)
    if (std::abs(ecis(j)) > threshold) ++c;
  return c;
}

namespace {

/// QR of the (augmented) design with the rank test applied.
struct Decomposed {
  Eigen::MatrixXd A;  // [X; sqrt(alpha) D] or X
  Eigen::VectorXd b;  // [y; 0] or y
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr;
};

Decomposed decompose(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha,
                     const char* method, Eigen::Index free_columns) {
  validate_data(X, y, free_columns);
  detail::check_alpha(alpha, method);
  const Eigen::Index n = X.rows();
  const Eigen::Index p = X.cols();
  Decomposed d;
  if (alpha == 0.0) {
    if (n < p)
      throw std::invalid_argument(
          std::string(method) + ": " + std::to_string(n) + " structures < " + std::to_string(p) +
          " cluster functions: the ECIs are not determined; use regularisation (ridge, LASSO "
          "or ARD) or more structures");
    d.A = X;
    d.b = y;
  } else {
    d.A = Eigen::MatrixXd::Zero(n + p, p);
    d.A.topRows(n) = X;
    // D = diag(0, 1, ..., 1, 0 x free_columns): the intercept and the trailing free columns
    // are not penalised (their rows of the augmented block stay zero).
    for (Eigen::Index j = 1; j < p - free_columns; ++j) d.A(n + j, j) = std::sqrt(alpha);
    d.b = Eigen::VectorXd::Zero(n + p);
    d.b.head(n) = y;
  }
  d.qr.setThreshold(kRankThreshold);
  d.qr.compute(d.A);
  if (d.qr.rank() < p)
    throw std::invalid_argument(
        std::string(method) + ": X is rank deficient (rank " + std::to_string(d.qr.rank()) +
        " of " + std::to_string(p) + " cluster functions, " + std::to_string(n) +
        " structures): the structures do not determine every ECI; use regularisation "
        "(ridge, LASSO or ARD) or remove linearly dependent cluster functions" +
        (free_columns > 0 ? " (the intercept and the last " + std::to_string(free_columns) +
                                " unpenalised columns must be independent on their own: "
                                "regularisation does not fix them)"
                          : std::string()));
  return d;
}

}  // namespace

Eigen::VectorXd solve_ols(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  const Decomposed d = decompose(X, y, 0.0, "OLS", 0);
  return d.qr.solve(d.b);
}

Eigen::VectorXd solve_ridge(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha,
                            Eigen::Index free_columns) {
  const Decomposed d = decompose(X, y, alpha, alpha == 0.0 ? "ridge (alpha = 0, OLS)" : "ridge",
                                 free_columns);
  return d.qr.solve(d.b);
}

LinearLoo ridge_loo(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha,
                    Eigen::Index free_columns) {
  const Decomposed d = decompose(X, y, alpha, alpha == 0.0 ? "OLS" : "ridge", free_columns);
  const Eigen::Index n = X.rows();
  const Eigen::Index p = X.cols();
  LinearLoo out;
  out.ecis = d.qr.solve(d.b);
  out.residuals = y - X * out.ecis;
  // A P = Q R, A^T A = X^T X + alpha D; H = X (A^T A)^-1 X^T = Q_X Q_X^T with Q_X the first
  // n rows of the thin Q.
  const Eigen::MatrixXd Q =
      d.qr.householderQ() * Eigen::MatrixXd::Identity(d.A.rows(), p);
  out.leverages = Q.topRows(n).rowwise().squaredNorm();
  out.loo_errors.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double denom = 1.0 - out.leverages(i);
    if (denom < 1e-12)
      throw std::invalid_argument(
          "leave-one-out: structure " + std::to_string(i) + " has leverage H_ii = " +
          detail::num(out.leverages(i)) +
          " (1 to within 1e-12): without it the ECIs are not determined; add structures or "
          "regularise (alpha > 0)");
    out.loo_errors(i) = out.residuals(i) / denom;
  }
  out.loo_rmse = rmse(out.loo_errors);
  return out;
}

}  // namespace tmorder::fit
