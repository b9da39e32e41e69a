#pragma once
// A supercell of a parent lattice and the exact integer map from parent-lattice sites to
// supercell site indices.
#include <string>
#include <vector>

#include "tmorder/lattice/smith_normal_form.hpp"
#include "tmorder/lattice/structure.hpp"
#include "tmorder/lattice/types.hpp"

namespace tmorder::lattice {

/// A parent-lattice site: basis site `basis` in the parent cell translated by `cell`
/// (integer coordinates in units of the parent lattice vectors).
struct LatticeSite {
  int basis = 0;
  IVec3 cell = IVec3::Zero();

  friend bool operator==(const LatticeSite& a, const LatticeSite& b) {
    return a.basis == b.basis && a.cell == b.cell;
  }
  friend bool operator<(const LatticeSite& a, const LatticeSite& b) {
    if (a.basis != b.basis) return a.basis < b.basis;
    for (int k = 0; k < 3; ++k)
      if (a.cell[k] != b.cell[k]) return a.cell[k] < b.cell[k];
    return false;
  }
};

/// Supercell with lattice vectors (rows) L = P * A, where A holds the parent lattice
/// vectors as rows and P is any non-singular integer matrix (skewed cells included).
///
/// Site indices are sublattice-major: index = basis * n_cells() + cell, so each parent
/// basis site occupies one contiguous block. The cell index comes from the Smith normal
/// form of P^T: a parent translation n maps to (U n) mod D, three integer mods.
class Supercell {
 public:
  /// Throws std::invalid_argument for a singular matrix or a non-positive basis size.
  Supercell(const IMat3& P, int n_basis);

  [[nodiscard]] const IMat3& matrix() const { return P_; }
  [[nodiscard]] int n_basis() const { return n_basis_; }
  [[nodiscard]] int n_cells() const { return n_cells_; }
  [[nodiscard]] int n_sites() const { return n_cells_ * n_basis_; }
  [[nodiscard]] const IVec3& snf_diagonal() const { return D_; }

  /// Smith coordinates (U n) mod D of a parent translation, each in [0, d_k).
  [[nodiscard]] IVec3 snf_coordinates(const IVec3& n) const;
  /// Cell index of Smith coordinates already reduced to [0, d_k).
  [[nodiscard]] int cell_of_snf(const IVec3& u) const { return (u[0] * D_[1] + u[1]) * D_[2] + u[2]; }
  [[nodiscard]] int cell_index(const IVec3& n) const { return cell_of_snf(snf_coordinates(n)); }
  [[nodiscard]] int site_index(const LatticeSite& s) const { return s.basis * n_cells_ + cell_index(s.cell); }
  [[nodiscard]] int site_index(int basis, const IVec3& n) const { return basis * n_cells_ + cell_index(n); }

  /// The parent translation of cell `c` that lies inside the supercell (supercell
  /// fractional coordinates in [0, 1)).
  /// Computed on demand (a few integer operations), so a supercell stores nothing per cell.
  [[nodiscard]] IVec3 cell_translation(int c) const;
  /// Parent site of supercell site `i`, with its translation inside the supercell.
  [[nodiscard]] LatticeSite lattice_site(int i) const {
    return {i / n_cells_, cell_translation(i % n_cells_)};
  }

  /// The supercell as a Structure: cell P*A, species of site i = species[i], positions
  /// wrapped into the supercell. `species` must have n_sites() entries.
  [[nodiscard]] Structure structure(const Structure& parent, const std::vector<std::string>& species) const;

 private:
  IMat3 P_;
  int n_basis_;
  IMat3 U_;
  IVec3 D_;
  int n_cells_;
  IMat3 U_inverse_;
  Eigen::Matrix<long long, 3, 3> adjugate_P_;  // P^-1 = adj(P) / det(P)
  long long det_P_;
};

}  // namespace tmorder::lattice
