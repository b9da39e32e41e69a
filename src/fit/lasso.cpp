// LASSO by cyclic coordinate descent on standardised columns, with warm-started paths.
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "tmorder/fit/fit.hpp"
#include "tmorder/fit/internal.hpp"

namespace tmorder::fit {

namespace detail {

Standardised standardise(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  const Eigen::Index n = X.rows();
  const Eigen::Index q = X.cols() - 1;
  const auto dn = static_cast<double>(n);
  Standardised s;
  s.ybar = y.mean();
  s.yc = y.array() - s.ybar;
  s.ysd = std::sqrt(s.yc.squaredNorm() / dn);
  s.Z.resize(n, q);
  s.mean.resize(q);
  s.scale.resize(q);
  for (Eigen::Index j = 0; j < q; ++j) {
    const auto col = X.col(j + 1);
    const double m = col.mean();
    const Eigen::VectorXd c = col.array() - m;
    const double sd = std::sqrt(c.squaredNorm() / dn);
    s.mean(j) = m;
    // A column is constant when its spread is at rounding level relative to its values.
    const double ref = std::max(1.0, col.cwiseAbs().maxCoeff());
    if (sd <= 1e-12 * ref) {
      s.scale(j) = 0.0;
      s.Z.col(j).setZero();
    } else {
      s.scale(j) = sd;
      s.Z.col(j) = c / sd;
    }
  }
  return s;
}

Eigen::VectorXd unstandardise(const Standardised& s, const Eigen::VectorXd& b) {
  const Eigen::Index q = s.Z.cols();
  Eigen::VectorXd J = Eigen::VectorXd::Zero(q + 1);
  double intercept = s.ybar;
  for (Eigen::Index j = 0; j < q; ++j) {
    if (s.scale(j) > 0.0) J(j + 1) = b(j) / s.scale(j);
    intercept -= s.mean(j) * J(j + 1);
  }
  J(0) = intercept;
  return J;
}

}  // namespace detail

namespace {

double soft_threshold(double g, double alpha) {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0.0;
}

void check_options(const LassoOptions& o) {
  if (!(o.tolerance > 0.0) || !std::isfinite(o.tolerance))
    throw std::invalid_argument("LASSO: tolerance must be finite and > 0, got " +
                                detail::num(o.tolerance));
  if (o.max_iterations < 1)
    throw std::invalid_argument("LASSO: max_iterations must be >= 1, got " +
                                std::to_string(o.max_iterations));
}

/// Coordinate descent from b (standardised units), in place. The last `free_columns` of Z
/// are unpenalised: plain least-squares coordinate updates, always in the active set.
LassoSolution descend(const detail::Standardised& s, const Eigen::VectorXd& norms, double alpha,
                      const LassoOptions& o, Eigen::VectorXd& b, Eigen::Index free_columns) {
  const Eigen::Index n = s.Z.rows();
  const Eigen::Index q = s.Z.cols();
  const Eigen::Index first_free = q - free_columns;
  const auto dn = static_cast<double>(n);
  LassoSolution out;
  Eigen::VectorXd r = s.yc - s.Z * b;
  const double tol = o.tolerance * std::max(s.ysd, std::numeric_limits<double>::min());

  // One sweep over `only_active` (non-zero b) or every column; returns the largest move.
  auto sweep = [&](bool only_active) {
    double max_delta = 0.0;
    for (Eigen::Index j = 0; j < q; ++j) {
      if (norms(j) == 0.0) continue;
      const bool free = j >= first_free;
      if (only_active && b(j) == 0.0 && !free) continue;
      const double g = s.Z.col(j).dot(r) / dn + norms(j) * b(j);
      const double nb = (free ? g : soft_threshold(g, alpha)) / norms(j);
      const double delta = nb - b(j);
      if (delta != 0.0) {
        r.noalias() -= delta * s.Z.col(j);
        b(j) = nb;
        max_delta = std::max(max_delta, std::abs(delta));
      }
    }
    return max_delta;
  };

  while (out.iterations < o.max_iterations) {
    ++out.iterations;
    if (sweep(false) <= tol) {
      out.converged = true;
      break;
    }
    // Settle the active set before the next full sweep.
    while (out.iterations < o.max_iterations) {
      ++out.iterations;
      if (sweep(true) <= tol) break;
    }
  }
  out.ecis = detail::unstandardise(s, b);
  return out;
}

Eigen::VectorXd column_norms(const detail::Standardised& s) {
  return s.Z.colwise().squaredNorm().transpose() / static_cast<double>(s.Z.rows());
}

Eigen::VectorXd to_standardised(const detail::Standardised& s, const Eigen::VectorXd& J) {
  Eigen::VectorXd b = Eigen::VectorXd::Zero(s.Z.cols());
  for (Eigen::Index j = 0; j < s.Z.cols(); ++j)
    if (s.scale(j) > 0.0) b(j) = J(j + 1) * s.scale(j);
  return b;
}

/// Cold start: every penalised b_j = 0 and the free columns at their least-squares fit of
/// y_c alone (the exact solution for alpha >= alpha_max).
Eigen::VectorXd cold_start(const detail::Standardised& s, Eigen::Index free_columns) {
  const Eigen::Index q = s.Z.cols();
  Eigen::VectorXd b = Eigen::VectorXd::Zero(q);
  std::vector<Eigen::Index> cols;
  for (Eigen::Index j = q - free_columns; j < q; ++j)
    if (s.scale(j) > 0.0) cols.push_back(j);
  if (cols.empty()) return b;
  Eigen::MatrixXd Zf(s.Z.rows(), static_cast<Eigen::Index>(cols.size()));
  for (std::size_t c = 0; c < cols.size(); ++c) Zf.col(static_cast<Eigen::Index>(c)) = s.Z.col(cols[c]);
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(Zf);
  qr.setThreshold(kRankThreshold);
  const Eigen::VectorXd bf = qr.solve(s.yc);
  for (std::size_t c = 0; c < cols.size(); ++c) b(cols[c]) = bf(static_cast<Eigen::Index>(c));
  return b;
}

}  // namespace

LassoSolution solve_lasso(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha,
                          const LassoOptions& options, const Eigen::VectorXd& warm_start,
                          Eigen::Index free_columns) {
  validate_data(X, y, free_columns);
  detail::check_alpha(alpha, "LASSO");
  check_options(options);
  if (warm_start.size() != 0 && warm_start.size() != X.cols())
    throw std::invalid_argument("LASSO: warm start has " + std::to_string(warm_start.size()) +
                                " ECIs, X has " + std::to_string(X.cols()) + " functions");
  const detail::Standardised s = detail::standardise(X, y);
  Eigen::VectorXd b = warm_start.size() == 0 ? cold_start(s, free_columns)
                                             : to_standardised(s, warm_start);
  return descend(s, column_norms(s), alpha, options, b, free_columns);
}

double lasso_alpha_max(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Eigen::Index free_columns) {
  validate_data(X, y, free_columns);
  const detail::Standardised s = detail::standardise(X, y);
  const Eigen::Index penalised = s.Z.cols() - free_columns;
  if (penalised == 0) return 0.0;
  // Same arithmetic as the first coordinate-descent gradient from the cold start, so that
  // at alpha_max the soft threshold returns exactly 0.
  const Eigen::VectorXd b0 = cold_start(s, free_columns);
  const Eigen::VectorXd r0 = s.yc - s.Z * b0;
  double amax = 0.0;
  for (Eigen::Index j = 0; j < penalised; ++j)
    amax = std::max(amax, std::abs(s.Z.col(j).dot(r0) / static_cast<double>(X.rows())));
  return amax;
}

std::vector<double> geometric_grid(double from, double ratio, int n_values) {
  if (!(from > 0.0) || !std::isfinite(from))
    throw std::invalid_argument("geometric grid: start must be finite and > 0, got " +
                                detail::num(from));
  if (!(ratio > 0.0) || !std::isfinite(ratio))
    throw std::invalid_argument("geometric grid: ratio must be finite and > 0, got " +
                                detail::num(ratio));
  if (n_values < 1)
    throw std::invalid_argument("geometric grid: needs >= 1 value, got " +
                                std::to_string(n_values));
  std::vector<double> g(static_cast<std::size_t>(n_values));
  for (int i = 0; i < n_values; ++i)
    g[static_cast<std::size_t>(i)] =
        n_values == 1 ? from : from * std::pow(ratio, static_cast<double>(i) / (n_values - 1));
  return g;
}

std::vector<double> lasso_alpha_grid(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                     int n_values, double ratio, Eigen::Index free_columns) {
  const double amax = lasso_alpha_max(X, y, free_columns);
  if (!(amax > 0.0))
    throw std::invalid_argument(
        "LASSO: alpha_max is 0 (the energies are constant or no cluster function varies over "
        "the structures); there is no alpha path");
  return geometric_grid(amax, ratio, n_values);
}

LassoPath lasso_path(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                     const std::vector<double>& alphas, const LassoOptions& options,
                     Eigen::Index free_columns) {
  validate_data(X, y, free_columns);
  check_options(options);
  if (alphas.empty()) throw std::invalid_argument("LASSO path: no alpha values");
  for (const double a : alphas) detail::check_alpha(a, "LASSO path");
  const detail::Standardised s = detail::standardise(X, y);
  const Eigen::VectorXd norms = column_norms(s);
  Eigen::VectorXd b = cold_start(s, free_columns);
  LassoPath path;
  path.alphas = alphas;
  path.solutions.reserve(alphas.size());
  for (const double a : alphas) path.solutions.push_back(descend(s, norms, a, options, b, free_columns));
  return path;
}

}  // namespace tmorder::fit
