#pragma once
// Derivative-superstructure enumeration (Hart & Forcade, Phys. Rev. B 77, 224115 (2008);
// Phys. Rev. B 80, 014120 (2009) for multilattices): every symmetry-distinct supercell of a
// parent lattice up to a size, and every symmetry-distinct, non-superperiodic decoration of
// its active sites with the species allowed on each sublattice.
//
// Conventions
//  * A supercell matrix P holds the supercell lattice vectors as rows in units of the parent
//    vectors (L = P * A, as lattice::Supercell). Hermite normal forms are LOWER triangular in
//    this row convention:
//        P = [[a, 0, 0], [b, c, 0], [d, e, f]],  a c f = n,  0 <= b, d < a,  0 <= e < c
//    (the rows generate the lattice, so an entry is reduced modulo the diagonal entry of its
//    column); the column lattice B = P^T is the usual upper-triangular column HNF.
//  * Rotations R act on fractional column vectors (x' = R x + t, as spglib). Supercells P1 and
//    P2 are equivalent iff R B1 = B2 U for some point-group rotation R and unimodular U,
//    B = P^T (the Hart-Forcade test), i.e. iff B2^-1 R B1 is an integer matrix.
//  * Occupation vectors index sites as lattice::Supercell does (basis * n_cells + cell) and hold
//    the species index in each site's allowed list (0 on fixed sites), as
//    lattice::map_ideal_structure returns them.
//  * The representative of a class is its lexicographically smallest occupation vector.
#include <cstdint>
#include <string>
#include <vector>

#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/lattice/structure.hpp"
#include "tmorder/lattice/supercell.hpp"
#include "tmorder/lattice/types.hpp"
#include "tmorder/symmetry/space_group.hpp"

namespace tmorder::enumeration {

/// All lower-triangular Hermite normal forms of determinant n (see the conventions above), in
/// a fixed order (a, c, f, b, d, e ascending). With `in_plane_only` only those that keep the
/// third parent vector (f = 1, d = e = 0: (0, 0, 1) is a lattice vector), for layers with a vacuum c axis.
/// Throws std::invalid_argument for n < 1.
std::vector<IMat3> hermite_normal_forms(int n, bool in_plane_only = false);

/// The distinct rotation parts of a space group (its point group in lattice coordinates).
std::vector<IMat3> point_group_rotations(const symmetry::SpaceGroup& group);

/// True if some rotation maps supercell P1 onto supercell P2 (R B1 = B2 U, B = P^T, U
/// unimodular). Matrices of different |det| are never equivalent.
bool equivalent_supercells(const IMat3& P1, const IMat3& P2, const std::vector<IMat3>& rotations);

/// True if `rotation` maps the supercell lattice of P onto itself.
bool rotation_preserves_supercell(const IMat3& rotation, const IMat3& P);

/// One representative HNF (the first in hermite_normal_forms order) per class of supercells
/// of determinant n that are equivalent under `rotations`.
std::vector<IMat3> inequivalent_supercells(int n, const std::vector<IMat3>& rotations, bool in_plane_only = false);

/// Allowed fraction of one species on one sublattice: min <= count / n_sites_of_sublattice <= max
/// (a tolerance of 1e-9 on both ends).
struct CompositionRange {
  std::string sublattice;
  std::string species;
  double min = 0.0;
  double max = 1.0;
};

struct EnumerationOptions {
  int min_size = 1;  ///< smallest supercell size (parent cells)
  int max_size = 1;  ///< largest supercell size (parent cells)
  /// Only supercells that keep the third parent vector (layers with a vacuum c axis).
  bool in_plane_only = false;
  /// Also count decorations related by a permutation of the species labels as equivalent
  /// (the counting of Hart & Forcade's tables). Needs every active site to allow the same
  /// species list, and no composition ranges. Not for training sets: A2B and AB2 differ.
  bool label_exchange = false;
  /// Composition ranges, applied to every decoration before the symmetry reduction.
  std::vector<CompositionRange> composition;
  double symprec = 1e-3;  ///< spglib tolerance (Angstrom)
  /// Exhaustive enumeration refuses a supercell with more decorations than this.
  std::uint64_t max_decorations_per_supercell = std::uint64_t{1} << 31;
};

/// One symmetry-distinct, non-superperiodic decoration of one supercell.
struct DerivativeStructure {
  int size = 0;                          ///< parent cells in the supercell (det P)
  IMat3 supercell_matrix = IMat3::Identity();
  std::vector<int> occupation;           ///< species index in each site's allowed list
};

/// Enumerates derivative superstructures of one parent lattice. The space group is that of
/// the parent with sites coloured by ParentLattice::colours(), so every operation respects
/// the allowed species of every site. Give the parent in a primitive cell: superperiodicity
/// is tested against the parent's own translations only.
class Enumerator {
 public:
  /// Validates the parent and the options; throws std::invalid_argument (or the parent's
  /// tmorder::InputError for unknown sublattice / species names in composition ranges).
  Enumerator(lattice::ParentLattice parent, EnumerationOptions options);

  [[nodiscard]] const lattice::ParentLattice& parent() const { return parent_; }
  [[nodiscard]] const EnumerationOptions& options() const { return options_; }
  [[nodiscard]] const symmetry::SpaceGroup& space_group() const { return group_; }
  [[nodiscard]] const std::vector<IMat3>& rotations() const { return rotations_; }

  /// Symmetry-inequivalent supercells of n parent cells (respecting options().in_plane_only).
  [[nodiscard]] std::vector<IMat3> supercells(int n) const;

  /// Site permutations of supercell P: every parent translation modulo the supercell composed
  /// with every space-group operation whose rotation preserves the supercell. Entry [g][i] is
  /// the image site of site i. The identity comes first; the first n_cells entries are the
  /// pure translations.
  [[nodiscard]] std::vector<std::vector<int>> site_permutations(const IMat3& P) const;

  /// The distinct decorations of one supercell, sorted by occupation vector.
  [[nodiscard]] std::vector<DerivativeStructure> decorations(const IMat3& P) const;

  /// All derivative structures from min_size to max_size, by size, supercell, occupation.
  [[nodiscard]] std::vector<DerivativeStructure> enumerate() const;

  /// The structure of a representative, ready for DFT: supercell cell P * A, every site whose
  /// species is not "Va" at its wrapped fractional position (sites in Supercell order).
  [[nodiscard]] lattice::Structure structure(const DerivativeStructure& d) const;

  /// Whether an occupation vector of supercell P passes the composition ranges.
  [[nodiscard]] bool composition_allowed(const lattice::Supercell& supercell, const std::vector<int>& occupation) const;

 private:
  struct ResolvedRange {
    int sublattice;
    int species;
    double min;
    double max;
  };

  lattice::ParentLattice parent_;
  EnumerationOptions options_;
  symmetry::SpaceGroup group_;
  std::vector<IMat3> rotations_;
  std::vector<ResolvedRange> ranges_;
};

}  // namespace tmorder::enumeration
