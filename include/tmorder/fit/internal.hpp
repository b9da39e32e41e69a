#pragma once
// Helpers shared by the fit sources (implementation detail, not public API).
#include <Eigen/Core>

#include <cstdio>
#include <string>

namespace tmorder::fit::detail {

/// "%.6g" of v.
std::string num(double v);
/// Throws std::invalid_argument unless alpha is finite and >= 0 ("<what> alpha ...").
void check_alpha(double alpha, const char* what);

/// Columns 1..p-1 standardised over the rows: z_j = (x_j - mean_j) / scale_j (scale with
/// 1/n); constant columns get scale 0 and a zero z column. y centred.
struct Standardised {
  Eigen::MatrixXd Z;        // n x (p-1)
  Eigen::VectorXd mean;     // p-1
  Eigen::VectorXd scale;    // p-1; 0 for constant columns
  Eigen::VectorXd yc;       // y - ybar
  double ybar = 0.0;
  double ysd = 0.0;         // RMS of yc
};
Standardised standardise(const Eigen::MatrixXd& X, const Eigen::VectorXd& y);

/// Back to X units: J_j = b_j / scale_j (0 for constant columns), J_0 = ybar - sum mean_j J_j.
Eigen::VectorXd unstandardise(const Standardised& s, const Eigen::VectorXd& b);

}  // namespace tmorder::fit::detail
