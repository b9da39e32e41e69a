#pragma once
// VASP 5 POSCAR/CONTCAR reading and writing.
//
// Reading follows what VASP itself accepts, with one deliberate restriction: the
// species-names line (VASP 5) is required, because a cluster expansion cannot guess
// which sublattice a bare count belongs to. Every malformed input raises
// tmorder::InputError whose message reads "SOURCE:LINE: what was found, what was expected".
#include <filesystem>
#include <string>
#include <string_view>

#include "tmorder/lattice/structure.hpp"

namespace tmorder::lattice {

/// Parse POSCAR text. `source_name` only labels error messages (usually the file name).
///
/// - Line 2 holds one scale factor (> 0: multiplies the cell; < 0: |value| is the target
///   cell volume in A^3) or three positive factors (applied to the x, y, z Cartesian
///   components, as VASP does).
/// - Species labels lose a POTCAR suffix after '_' or '/' ("Na_pv" -> "Na",
///   "Ni/1a2b" -> "Ni"), matching ASE, so CONTCARs from VASP 6 name plain elements.
/// - Cartesian coordinates are scaled like the cell; fractional coordinates are kept as
///   given (not wrapped into [0,1)). Selective-dynamics flags and anything after the
///   positions (velocities, predictor-corrector block) are ignored.
/// - A left-handed cell is accepted; a singular one (|det| < 1e-8 A^3) is an error.
Structure parse_poscar(std::string_view text, const std::string& source_name);

/// Read and parse a POSCAR file; errors are labelled with the path.
Structure read_poscar(const std::filesystem::path& path);

/// Write `s` as a VASP 5 POSCAR: scale 1.0, Direct coordinates, species grouped in order of
/// first appearance. VASP needs each species contiguous, so the sites are written reordered
/// by a stable sort on that species order (sites of one species keep their relative order);
/// parse_poscar(format_poscar(s)) therefore returns s only up to that permutation.
/// Newlines in `comment` become spaces. Numbers carry 16 decimals, enough to round-trip.
/// Throws std::invalid_argument for an empty structure, mismatched species/frac sizes, or
/// a species label that is empty or contains whitespace.
std::string format_poscar(const Structure& s, const std::string& comment);

/// The order in which format_poscar writes the sites: indices into s, species contiguous.
std::vector<std::size_t> poscar_site_order(const Structure& s);

}  // namespace tmorder::lattice
