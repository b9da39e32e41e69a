#pragma once
// Smith normal form of a 3x3 integer matrix. It turns the finite group of parent-lattice
// translations modulo a supercell into Z_d1 x Z_d2 x Z_d3, so that mapping any lattice
// point into a supercell is three integer mods, with no search and no floating point
// (Hart & Forcade, Phys. Rev. B 77, 224115 (2008)).
#include "tmorder/lattice/types.hpp"

namespace tmorder::lattice {

/// U * A * V = D with U, V unimodular and D = diag(d1, d2, d3), d1 | d2 | d3, d_i > 0.
struct SmithNormalForm {
  IMat3 U;
  IMat3 V;
  IVec3 diagonal;
};

/// Throws std::invalid_argument if A is singular.
SmithNormalForm smith_normal_form(const IMat3& A);

/// Determinant of an integer 3x3 matrix, exactly (64-bit).
long long integer_determinant(const IMat3& A);

}  // namespace tmorder::lattice
