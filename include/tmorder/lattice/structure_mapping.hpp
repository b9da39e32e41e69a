#pragma once
// Maps a relaxed structure (a DFT result: homogeneously strained cell, atoms displaced from
// their ideal sites, origin anywhere, atoms in any order) onto a supercell of the parent
// lattice and an occupation vector. map_ideal_structure is the strict version for atoms on
// ideal sites; this one removes the strain and the rigid shift first and accepts
// displacements up to a tolerance.
//
// Conventions (rows are lattice vectors, as in Structure):
//   A    parent cell, L_s the structure's cell, P the integer supercell matrix,
//   L_s = P A F^T   F: the homogeneous deformation, acting on Cartesian column vectors
//                   (r_relaxed = F r_ideal); F = R U with R a rotation and U symmetric.
//   strain = U - I  (Biot strain; rotation-free); strain_norm = its largest |eigenvalue|,
//                   the largest principal strain (0.02 = 2 %).
//   An atom at Cartesian r is mapped to q = F^-1 r + shift in the ideal, unstrained
//   supercell P A; its displacement is q minus the position of its site.
#include <string>
#include <vector>

#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/lattice/supercell.hpp"
#include "tmorder/lattice/types.hpp"

namespace tmorder::lattice {

struct MappingOptions {
  /// Largest accepted principal strain |eig(U - I)| of the cell against P A.
  double max_strain = 0.1;
  /// Largest accepted distance (Angstrom, unstrained frame) of an atom from its site.
  double max_displacement = 1.0;
  /// Optional, one per atom: the atom's line in `source`, for the messages.
  std::vector<long> atom_lines;
};

struct MappedStructure {
  Supercell supercell;          ///< cell P A; P = supercell.matrix()
  std::vector<int> occupation;  ///< per supercell site (basis * n_cells + cell): index in the
                                ///< site's allowed list (0 on fixed sites)
  Mat3 deformation = Mat3::Identity();     ///< F, with L_s = P A F^T
  Mat3 strain = Mat3::Zero();              ///< Biot strain U - I (symmetric)
  Mat3 green_lagrange = Mat3::Zero();      ///< (F^T F - I) / 2
  double strain_norm = 0.0;                ///< largest |principal strain| = max |eig(U - I)|
  Vec3 shift = Vec3::Zero();               ///< Cartesian, added to F^-1 r (unstrained frame)
  std::vector<int> atom_site{};            ///< supercell site of each atom, input order
  std::vector<Vec3> displacements{};       ///< per atom: q - site position (A, unstrained frame)
  double mean_displacement = 0.0;          ///< mean |displacement| over atoms (A)
  double max_displacement = 0.0;           ///< largest |displacement| (A)
};

/// Maps `s` onto the parent lattice. P = round(L_s A^-1); the rigid shift is the best of
/// the translations that put one of a few reference atoms on a site compatible with its
/// species (fewest atoms on sites that forbid their species, then least total squared
/// displacement), refined to zero mean displacement and reduced to the shortest equivalent
/// modulo parent lattice vectors (so a small rigid translation gives back the same
/// occupation vector). Each atom goes to its nearest parent site.
///
/// Throws tmorder::InputError (naming `source`, and the atom, 1-based, where there is one) if
/// P is singular or has det <= 0, the strain exceeds options.max_strain, there are more
/// atoms than sites, an atom is farther than options.max_displacement from every site, a
/// species is not allowed on its site, two atoms claim one site, or a site left empty does
/// not allow a vacancy ("Va").
MappedStructure map_relaxed_structure(const ParentLattice& parent, const Structure& s, const std::string& source,
                                      const MappingOptions& options = {});

}  // namespace tmorder::lattice
