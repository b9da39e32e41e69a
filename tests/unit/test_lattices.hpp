#pragma once
// Parent lattices built in code for the tests, so that physics tests do not depend on the
// file readers they are not about.
#include <cmath>
#include <string>
#include <vector>

#include "tmorder/lattice/parent_lattice.hpp"

namespace tmorder::test_lattices {

inline std::vector<std::string> species_names(int n) {
  static const std::vector<std::string> names{"Ni", "Sb", "Cu", "Va", "Ru"};
  return {names.begin(), names.begin() + n};
}

inline lattice::ParentLattice one_site_lattice(const Mat3& cell, int n_species) {
  lattice::ParentLattice p;
  p.structure.cell = cell;
  p.structure.species = {"Ni"};
  p.structure.frac = {Vec3::Zero()};
  p.sublattices = {{"M", species_names(n_species)}};
  p.site_sublattice = {0};
  return p;
}

/// fcc with conventional cube edge a (primitive rhombohedral cell).
inline lattice::ParentLattice fcc(double a = 4.0, int n_species = 2) {
  Mat3 cell;
  cell << 0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0;
  return one_site_lattice(cell, n_species);
}

/// bcc with conventional cube edge a.
inline lattice::ParentLattice bcc(double a = 3.0, int n_species = 2) {
  Mat3 cell;
  cell << -a / 2, a / 2, a / 2, a / 2, -a / 2, a / 2, a / 2, a / 2, -a / 2;
  return one_site_lattice(cell, n_species);
}

/// Simple cubic.
inline lattice::ParentLattice simple_cubic(double a = 3.0, int n_species = 2) {
  return one_site_lattice(Mat3::Identity() * a, n_species);
}

/// A single triangular layer (a = in-plane spacing) with vacuum c along z.
inline lattice::ParentLattice triangular(double a = 3.0, int n_species = 2, double c = 30.0) {
  Mat3 cell;
  cell << a, 0, 0, -a / 2, a * std::sqrt(3.0) / 2, 0, 0, 0, c;
  return one_site_lattice(cell, n_species);
}

/// A single square layer with vacuum c along z.
inline lattice::ParentLattice square(double a = 3.0, int n_species = 2, double c = 30.0) {
  Mat3 cell;
  cell << a, 0, 0, 0, a, 0, 0, 0, c;
  return one_site_lattice(cell, n_species);
}

/// O3-type NaTMO2 (R-3m) in its primitive rhombohedral cell, built from the hexagonal
/// setting a, c: TM at 3a (0,0,0), Na at 3b (0,0,1/2), O at 6c (0,0,+-z).
/// TM {Ni, Sb, Cu}, Na {Na, Va, Cu}, O fixed.
inline lattice::ParentLattice o3_natmo2(double a = 3.0, double c = 16.0, double z_oxygen = 0.26) {
  const double s3 = std::sqrt(3.0);
  // Rhombohedral primitive vectors of the hexagonal R lattice (obverse setting).
  Mat3 cell;
  cell << a / 2, a / (2 * s3), c / 3,
          -a / 2, a / (2 * s3), c / 3,
          0, -a / s3, c / 3;
  lattice::ParentLattice p;
  p.structure.cell = cell;
  // In rhombohedral fractional coordinates, (x, x, x) lies on the 3-fold axis at height 3x c/3.
  p.structure.species = {"Ni", "Na", "O", "O"};
  p.structure.frac = {Vec3::Zero(), Vec3::Constant(0.5), Vec3::Constant(z_oxygen), Vec3::Constant(-z_oxygen)};
  p.sublattices = {{"TM", {"Ni", "Sb", "Cu"}}, {"Na", {"Na", "Va", "Cu"}}};
  p.site_sublattice = {0, 1, -1, -1};
  return p;
}

}  // namespace tmorder::test_lattices
