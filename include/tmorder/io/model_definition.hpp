#pragma once
// The hand-written model definition (TOML): parent structure, sublattices, cutoffs.
#include <filesystem>
#include <string>
#include <vector>

#include "tmorder/lattice/parent_lattice.hpp"

namespace tmorder::io {

/// Everything a cluster space is built from, plus where it came from.
struct ModelDefinition {
  std::string name;
  std::string description;
  lattice::ParentLattice parent;
  std::vector<double> cutoffs;  ///< Angstrom; [0] pairs, [1] triplets, [2] quadruplets, ...
  double symprec = 1e-3;        ///< Angstrom, passed to spglib
  std::string source_path;      ///< the TOML file as given
  std::string source_text;      ///< its full text (provenance)
  std::string source_sha256;
};

/// Largest cutoff accepted: beyond it the cluster count explodes and no physical
/// interaction in an oxide is resolved anyway.
inline constexpr double kMaxCutoff = 30.0;

/// Parses a model definition; `path` names the file in messages and anchors relative
/// structure paths. Throws tmorder::InputError naming the file, the line and the key.
ModelDefinition parse_model_definition(const std::string& text, const std::filesystem::path& path);

/// Reads and parses a model definition file.
ModelDefinition read_model_definition(const std::filesystem::path& path);

}  // namespace tmorder::io
