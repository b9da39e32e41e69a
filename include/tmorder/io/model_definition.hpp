#pragma once
// The hand-written model definition (TOML): parent structure, sublattices, cutoffs.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tmorder/lattice/parent_lattice.hpp"

namespace tmorder::io {

/// The optional electrostatic part of a model's energy: formal point charges per species and
/// the coefficient that scales the Ewald energy (E_total = E_CE + coefficient * E_Ewald; a
/// coefficient of 1/eps_r screens the bare point-charge energy). TOML:
///   [electrostatics]
///   charges = { Ni = 2, Sb = 5, Na = 1, Va = 0, O = -2 }   # e, every species of the model
///   coefficient = 0.1                                       # dimensionless, finite, > 0
struct ElectrostaticsSpec {
  std::map<std::string, double> charges;  ///< e; every species the parent allows (fixed ones and Va included)
  double coefficient = 1.0;
};

/// Everything a cluster space is built from, plus where it came from.
struct ModelDefinition {
  std::string name;
  std::string description;
  lattice::ParentLattice parent;
  std::vector<double> cutoffs;  ///< Angstrom; [0] pairs, [1] triplets, [2] quadruplets, ...
  double symprec = 1e-3;        ///< Angstrom, passed to spglib
  std::optional<ElectrostaticsSpec> electrostatics;  ///< [electrostatics], if given
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
