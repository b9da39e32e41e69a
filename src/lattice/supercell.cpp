#include "tmorder/lattice/supercell.hpp"

#include <Eigen/LU>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace tmorder::lattice {

namespace {

long long floor_div(long long a, long long b) {
  long long q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int positive_mod(long long a, int d) {
  const long long r = a % d;
  return static_cast<int>(r < 0 ? r + d : r);
}

// Adjugate (transposed cofactor matrix): A * adj(A) = det(A) * I, exactly in integers.
Eigen::Matrix<long long, 3, 3> adjugate(const IMat3& A) {
  const Eigen::Matrix<long long, 3, 3> a = A.cast<long long>();
  Eigen::Matrix<long long, 3, 3> adj;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      const int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
      adj(i, j) = a(r0, c0) * a(r1, c1) - a(r0, c1) * a(r1, c0);
    }
  return adj;
}

}  // namespace

Supercell::Supercell(const IMat3& P, int n_basis) : P_(P), n_basis_(n_basis) {
  if (n_basis <= 0) throw std::invalid_argument("Supercell: the parent has no sites");
  const long long det = integer_determinant(P);
  if (det == 0) throw std::invalid_argument("Supercell: the supercell matrix is singular (determinant 0)");
  if (std::llabs(det) * n_basis > 2'000'000'000LL)
    throw std::invalid_argument("Supercell: more than 2e9 sites");
  const SmithNormalForm snf = smith_normal_form(P.transpose());
  U_ = snf.U;
  D_ = snf.diagonal;
  n_cells_ = static_cast<int>(std::llabs(det));

  U_inverse_ = (adjugate(U_).cast<long long>() * integer_determinant(U_)).cast<int>();
  adjugate_P_ = adjugate(P);
  det_P_ = det;
}

IVec3 Supercell::cell_translation(int c) const {
  // Smith coordinates of the cell, a translation with them (U^-1 u), then wrapped into the
  // supercell: with n = m P (row vectors), m = n adj(P) / det; subtracting floor(m) P keeps
  // m in [0, 1).
  const IVec3 u(c / (D_[1] * D_[2]), (c / D_[2]) % D_[1], c % D_[2]);
  IVec3 n = U_inverse_ * u;
  const Eigen::Matrix<long long, 1, 3> m = n.transpose().cast<long long>() * adjugate_P_;
  Eigen::Matrix<long long, 1, 3> shift;
  for (int k = 0; k < 3; ++k) shift[k] = floor_div(m[k], det_P_);
  n -= (shift * P_.cast<long long>()).transpose().cast<int>();
  return n;
}

IVec3 Supercell::snf_coordinates(const IVec3& n) const {
  const Eigen::Matrix<long long, 3, 1> v = U_.cast<long long>() * n.cast<long long>();
  return {positive_mod(v[0], D_[0]), positive_mod(v[1], D_[1]), positive_mod(v[2], D_[2])};
}

Structure Supercell::structure(const Structure& parent, const std::vector<std::string>& species) const {
  if (species.size() != static_cast<std::size_t>(n_sites()))
    throw std::invalid_argument("Supercell::structure: species list has the wrong length");
  if (static_cast<int>(parent.size()) != n_basis_)
    throw std::invalid_argument("Supercell::structure: parent basis size does not match");
  Structure s;
  s.cell = P_.cast<double>() * parent.cell;
  s.species = species;
  s.frac.reserve(species.size());
  const Mat3 Pinv = P_.cast<double>().inverse();
  for (int i = 0; i < n_sites(); ++i) {
    const LatticeSite ls = lattice_site(i);
    const Vec3 parent_frac = parent.frac[static_cast<std::size_t>(ls.basis)] + ls.cell.cast<double>();
    Vec3 f = (parent_frac.transpose() * Pinv).transpose();
    for (int k = 0; k < 3; ++k) {
      f[k] -= std::floor(f[k]);
      if (f[k] >= 1.0 - 1e-12) f[k] = 0.0;
    }
    s.frac.push_back(f);
  }
  return s;
}

}  // namespace tmorder::lattice
