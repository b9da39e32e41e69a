#pragma once
// Space-group operations of a coloured parent structure. This is the only module that calls
// spglib.
#include <string>
#include <vector>

#include "tmorder/lattice/structure.hpp"
#include "tmorder/lattice/supercell.hpp"
#include "tmorder/lattice/types.hpp"

namespace tmorder::symmetry {

/// x' = rotation * x + translation, in fractional coordinates of the structure's cell.
struct SymmetryOperation {
  IMat3 rotation = IMat3::Identity();
  Vec3 translation = Vec3::Zero();
};

struct SpaceGroup {
  int number = 0;               ///< International Tables number, 1..230
  std::string international;    ///< Hermann-Mauguin short symbol, e.g. "R-3m"
  std::string hall;             ///< Hall symbol
  std::string point_group;      ///< point-group symbol
  std::vector<SymmetryOperation> operations;
  /// For every operation, the image of every basis site: op(f_b) = f_{b'} + cell.
  std::vector<std::vector<lattice::LatticeSite>> site_images;

  /// The image of a parent site under operation `op`.
  [[nodiscard]] lattice::LatticeSite apply(std::size_t op, const lattice::LatticeSite& s) const {
    const lattice::LatticeSite& img = site_images[op][static_cast<std::size_t>(s.basis)];
    return {img.basis, operations[op].rotation * s.cell + img.cell};
  }
};

/// Finds the space group with spglib, treating sites of different `colours` as different
/// atom types. `symprec` is spglib's distance tolerance in Angstrom. Throws
/// std::runtime_error if spglib fails or an operation does not map the sites onto sites of
/// the same colour within symprec.
SpaceGroup find_space_group(const lattice::Structure& s, const std::vector<int>& colours, double symprec);

}  // namespace tmorder::symmetry
