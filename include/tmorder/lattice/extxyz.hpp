#pragma once
// ASE extended XYZ (extxyz) reading and writing, for DFT training sets.
//
// Only periodic frames are accepted: a cluster expansion needs a cell, so a frame without
// Lattice= is an error. Every malformed input raises tmorder::InputError whose message reads
// "SOURCE:LINE: what was found, what was expected".
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tmorder/lattice/structure.hpp"

namespace tmorder::lattice {

/// One frame of an extxyz file.
struct ExtxyzFrame {
  Structure structure;  ///< cell from Lattice=, fractional coordinates from the pos column
  /// Every key=value of the comment line except Lattice and Properties, quotes removed.
  /// A bare key (no '=') is stored with value "T", as ASE reads it as True.
  std::map<std::string, std::string> info;
  /// From info "energy"; else "Energy"; else "free_energy". Must be a finite number.
  std::optional<double> energy;
  std::optional<std::vector<Vec3>> forces;  ///< Cartesian, eV/A, if Properties has forces:R:3
  long first_line = 0;  ///< 1-based line number of this frame's atom-count line
};

/// Parse every frame of extxyz text. `source_name` only labels error messages.
///
/// Comment-line grammar (as ASE): whitespace-separated `key=value` or bare `key`; a value
/// may be double-quoted (with \" and \\ escapes) or bracketed ({...} / [...]) to contain
/// spaces. Keys are case-sensitive, except that Lattice, Properties and pbc are recognised
/// in any case. Properties=name:type:ncols:... must contain species:S:1 and pos:R:3; other
/// columns (types S, R, I, L) are skipped. Blank lines between frames are tolerated.
std::vector<ExtxyzFrame> parse_extxyz(std::string_view text, const std::string& source_name);

/// Read and parse an extxyz file; errors are labelled with the path.
std::vector<ExtxyzFrame> read_extxyz(const std::filesystem::path& path);

/// Write one frame as ASE writes it:
///   Lattice="..." Properties=species:S:1:pos:R:3 <info...> pbc="T T T"
/// Positions are Cartesian with 16 decimals (round-trips to far below 1e-10 A). Entries of
/// `info` named Lattice, Properties or pbc (any case) are dropped, since the frame's own
/// values are written; values with spaces, quotes or '=' are quoted and escaped.
/// Throws std::invalid_argument for mismatched species/frac sizes, a species label that is
/// empty or contains whitespace, or an info key that is empty or contains whitespace, '='
/// or '"'.
std::string format_extxyz(const Structure& s, const std::map<std::string, std::string>& info);

}  // namespace tmorder::lattice
