#pragma once
// The machine-written model file (JSON, schema "tmorder-model", versioned): the parent
// lattice, sublattices, cutoffs, basis, orbits and (once fitted) ECIs, with provenance.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tmorder/clusters/cluster_space.hpp"
#include "tmorder/io/model_definition.hpp"

namespace tmorder::io {

inline constexpr const char* kModelSchema = "tmorder-model";
inline constexpr int kModelSchemaVersion = 1;

/// A loaded model: its cluster space, ECIs if fitted, and where it came from.
struct Model {
  std::string name;
  std::string description;
  clusters::ClusterSpace space;
  std::optional<std::vector<double>> ecis;  ///< eV per parent cell, one per correlation; empty until fitted
  std::optional<ElectrostaticsSpec> electrostatics;  ///< point-charge Ewald term, if the model has one
  nlohmann::json provenance;                ///< definition file, its hash and text, version, date
  std::string source_path;                  ///< the file this model was loaded from
  std::string source_sha256;                ///< hash of that file's bytes
};

/// Serialises a cluster space built from `def` (ECIs null) to the model-file JSON.
nlohmann::json model_to_json(const clusters::ClusterSpace& space, const ModelDefinition& def);

/// Rebuilds a model from its JSON; `source` names the file in messages. Checks the schema,
/// its version, and that the stored symmetry and basis agree with what this build computes.
Model model_from_json(const nlohmann::json& j, const std::string& source);

/// Loads a model from a definition (.toml: orbits are enumerated) or a model file (.json).
Model load_model(const std::filesystem::path& path);

/// Builds the cluster space of a definition.
Model build_model(const ModelDefinition& def);

}  // namespace tmorder::io
