#pragma once
// A periodic crystal structure: cell, species labels and fractional positions.
#include <string>
#include <vector>

#include "tmorder/lattice/types.hpp"

namespace tmorder::lattice {

/// Periodic structure in three dimensions. The rows of `cell` are the lattice vectors
/// a1, a2, a3 in Angstrom (the VASP/ASE convention); a site with fractional coordinates f
/// sits at the Cartesian position f^T * cell. Two-dimensional layers are modelled with a
/// c axis long enough that no cutoff reaches the periodic image of the layer.
struct Structure {
  Mat3 cell = Mat3::Identity();
  std::vector<std::string> species;  ///< one label per site ("Va" for a vacancy)
  std::vector<Vec3> frac;            ///< fractional coordinates, one per site

  [[nodiscard]] std::size_t size() const { return frac.size(); }
  [[nodiscard]] Vec3 cartesian(const Vec3& f) const { return cell.transpose() * f; }
  [[nodiscard]] Vec3 cartesian_of(std::size_t i) const { return cartesian(frac[i]); }
  /// Fractional coordinates of a Cartesian position.
  [[nodiscard]] Vec3 fractional(const Vec3& r) const;
  [[nodiscard]] double volume() const { return std::abs(cell.determinant()); }
};

}  // namespace tmorder::lattice
