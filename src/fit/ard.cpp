// Automatic relevance determination (sparse Bayesian learning) with MacKay's updates.
#include <Eigen/Cholesky>
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

ArdResult solve_ard(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                    const ArdOptions& options, Eigen::Index free_columns) {
  validate_data(X, y, free_columns);
  if (options.max_iterations < 1)
    throw std::invalid_argument("ARD: max_iterations must be >= 1, got " +
                                std::to_string(options.max_iterations));
  if (!(options.tolerance > 0.0) || !std::isfinite(options.tolerance))
    throw std::invalid_argument("ARD: tolerance must be finite and > 0, got " +
                                detail::num(options.tolerance));
  if (!(options.prune_threshold > 0.0) || !std::isfinite(options.prune_threshold))
    throw std::invalid_argument("ARD: prune_threshold must be finite and > 0, got " +
                                detail::num(options.prune_threshold));

  const detail::Standardised s = detail::standardise(X, y);
  const Eigen::Index n = s.Z.rows();
  const Eigen::Index q = s.Z.cols();
  const auto dn = static_cast<double>(n);
  constexpr double inf = std::numeric_limits<double>::infinity();
  // The last free_columns have a flat prior: lambda_j = 0 (gamma_j = 1), never pruned.
  const Eigen::Index first_free = q - free_columns;
  const auto is_free = [first_free](Eigen::Index j) { return j >= first_free; };

  ArdResult out;
  out.pruned.assign(static_cast<std::size_t>(q + 1), false);
  out.precisions = Eigen::VectorXd::Zero(q + 1);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(q);

  const double var = s.ysd * s.ysd;
  std::vector<Eigen::Index> active;
  for (Eigen::Index j = 0; j < q; ++j) {
    if (s.scale(j) > 0.0 && var > 0.0) {
      active.push_back(j);
    } else {
      out.pruned[static_cast<std::size_t>(j + 1)] = true;
      out.precisions(j + 1) = inf;
    }
  }
  if (var == 0.0 || active.empty()) {  // nothing to explain, or nothing to explain it with
    out.noise_precision = var > 0.0 ? 1.0 / var : inf;
    out.converged = true;
    out.ecis = detail::unstandardise(s, b);
    return out;
  }

  const double lambda_prune = options.prune_threshold / var;
  Eigen::VectorXd lambda = Eigen::VectorXd::Constant(q, 1.0 / var);
  for (Eigen::Index j = first_free; j < q; ++j) lambda(j) = 0.0;
  double beta = 1.0 / var;
  const double rss_floor = 1e-16 * dn * var;
  constexpr double tiny = 1e-300;

  // Posterior N(mu, Sigma) of the active b for the current lambda, beta.
  Eigen::MatrixXd Sigma;
  Eigen::VectorXd mu;
  Eigen::MatrixXd Za;
  auto posterior = [&]() {
    const auto m = static_cast<Eigen::Index>(active.size());
    Za.resize(n, m);
    Eigen::VectorXd lam(m);
    for (Eigen::Index a = 0; a < m; ++a) {
      Za.col(a) = s.Z.col(active[static_cast<std::size_t>(a)]);
      lam(a) = lambda(active[static_cast<std::size_t>(a)]);
    }
    Eigen::MatrixXd P = beta * (Za.transpose() * Za);
    P.diagonal() += lam;
    const Eigen::LLT<Eigen::MatrixXd> llt(P);
    Sigma = llt.solve(Eigen::MatrixXd::Identity(m, m));
    mu = beta * (Sigma * (Za.transpose() * s.yc));
  };

  while (out.iterations < options.max_iterations && !active.empty()) {
    ++out.iterations;
    posterior();
    const auto m = static_cast<Eigen::Index>(active.size());
    Eigen::VectorXd b_new = Eigen::VectorXd::Zero(q);
    double gamma_sum = 0.0;
    std::vector<Eigen::Index> keep;
    for (Eigen::Index a = 0; a < m; ++a) {
      const Eigen::Index j = active[static_cast<std::size_t>(a)];
      b_new(j) = mu(a);
      // gamma_j = 1 - lambda_j Sigma_jj: how well the data determine b_j (0..1); 1 for a
      // free column, whose precision stays 0.
      const double gamma = std::clamp(1.0 - lambda(j) * Sigma(a, a), 0.0, 1.0);
      gamma_sum += gamma;
      if (!is_free(j)) lambda(j) = std::max(gamma, tiny) / std::max(mu(a) * mu(a), tiny);
    }
    const double rss = std::max((s.yc - Za * mu).squaredNorm(), rss_floor);
    beta = std::max(dn - gamma_sum, 1e-3) / rss;
    bool pruned_now = false;
    for (const Eigen::Index j : active) {
      if (!is_free(j) && lambda(j) > lambda_prune) {
        out.pruned[static_cast<std::size_t>(j + 1)] = true;
        b_new(j) = 0.0;
        pruned_now = true;
      } else {
        keep.push_back(j);
      }
    }
    active = std::move(keep);
    const double change = (b_new - b).cwiseAbs().maxCoeff();
    const double size = std::max(b_new.cwiseAbs().maxCoeff(), tiny);
    b = b_new;
    if (!pruned_now && change <= options.tolerance * size) {
      out.converged = true;
      break;
    }
  }
  if (active.empty()) out.converged = true;

  // Final posterior mean with the final hyperparameters.
  b.setZero();
  if (!active.empty()) {
    posterior();
    for (std::size_t a = 0; a < active.size(); ++a) b(active[a]) = mu(static_cast<Eigen::Index>(a));
  }
  for (Eigen::Index j = 0; j < q; ++j)
    out.precisions(j + 1) = out.pruned[static_cast<std::size_t>(j + 1)] ? inf : lambda(j);
  out.noise_precision = beta;
  out.ecis = detail::unstandardise(s, b);
  return out;
}

}  // namespace tmorder::fit
