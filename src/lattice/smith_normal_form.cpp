#include "tmorder/lattice/smith_normal_form.hpp"

#include <cstdlib>
#include <stdexcept>
#include <utility>

namespace tmorder::lattice {

long long integer_determinant(const IMat3& A) {
  const auto a = [&](int i, int j) { return static_cast<long long>(A(i, j)); };
  return a(0, 0) * (a(1, 1) * a(2, 2) - a(1, 2) * a(2, 1)) -
         a(0, 1) * (a(1, 0) * a(2, 2) - a(1, 2) * a(2, 0)) +
         a(0, 2) * (a(1, 0) * a(2, 1) - a(1, 1) * a(2, 0));
}

namespace {

// Row and column operations applied to D are mirrored on U (rows) and V (columns), so that
// U * A * V = D holds after every step.
struct Reducer {
  IMat3 D, U, V;

  void swap_rows(int i, int j) { D.row(i).swap(D.row(j)); U.row(i).swap(U.row(j)); }
  void swap_cols(int i, int j) { D.col(i).swap(D.col(j)); V.col(i).swap(V.col(j)); }
  void add_row(int dst, int src, int factor) {  // row_dst += factor * row_src
    D.row(dst) += factor * D.row(src);
    U.row(dst) += factor * U.row(src);
  }
  void add_col(int dst, int src, int factor) {
    D.col(dst) += factor * D.col(src);
    V.col(dst) += factor * V.col(src);
  }

  // Moves the entry of smallest non-zero magnitude in the trailing block to (k, k).
  void pivot(int k) {
    int bi = -1, bj = -1;
    for (int i = k; i < 3; ++i)
      for (int j = k; j < 3; ++j)
        if (D(i, j) != 0 && (bi < 0 || std::abs(D(i, j)) < std::abs(D(bi, bj)))) { bi = i; bj = j; }
    if (bi < 0) throw std::invalid_argument("smith_normal_form: singular matrix");
    if (bi != k) swap_rows(k, bi);
    if (bj != k) swap_cols(k, bj);
  }

  // Reduces row k and column k to zero off the diagonal, Euclid style. Returns false if a
  // remainder was left (a new, smaller pivot then exists).
  bool clear_cross(int k) {
    bool clean = true;
    for (int i = k + 1; i < 3; ++i) {
      add_row(i, k, -(D(i, k) / D(k, k)));
      if (D(i, k) != 0) clean = false;
    }
    for (int j = k + 1; j < 3; ++j) {
      add_col(j, k, -(D(k, j) / D(k, k)));
      if (D(k, j) != 0) clean = false;
    }
    return clean;
  }

  // d_k must divide every entry of the trailing block; if not, fold the offending row in.
  bool enforce_divisibility(int k) {
    for (int i = k + 1; i < 3; ++i)
      for (int j = k + 1; j < 3; ++j)
        if (D(i, j) % D(k, k) != 0) { add_row(k, i, 1); return false; }
    return true;
  }
};

}  // namespace

SmithNormalForm smith_normal_form(const IMat3& A) {
  if (integer_determinant(A) == 0) throw std::invalid_argument("smith_normal_form: singular matrix");
  Reducer r{A, IMat3::Identity(), IMat3::Identity()};
  for (int k = 0; k < 3; ++k) {
    for (;;) {
      r.pivot(k);
      if (!r.clear_cross(k)) continue;
      if (r.enforce_divisibility(k)) break;
    }
    if (r.D(k, k) < 0) { r.D.row(k) *= -1; r.U.row(k) *= -1; }
  }
  return {r.U, r.V, r.D.diagonal()};
}

}  // namespace tmorder::lattice
