#pragma once
// The run input of `tmorder run` (TOML; every key documented in docs/input.md).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tmorder/lattice/types.hpp"
#include "tmorder/mc/initial_configuration.hpp"
#include "tmorder/mc/monte_carlo.hpp"

namespace tmorder::io {

/// The temperature ladder of a replica-exchange run.
struct LadderSpec {
  enum class Kind { geometric, list };
  Kind kind = Kind::geometric;
  double t_min = 0.0;  ///< K (geometric; list: filled by the parser with the first entry)
  double t_max = 0.0;  ///< K (geometric; list: filled by the parser with the last entry)
  int n = 0;           ///< number of temperatures (geometric); list: temperatures.size()
  std::vector<double> temperatures;  ///< K, strictly increasing (list; filled for geometric too by the parser)
  /// Adaptive ladder: during equilibration the inner temperatures are moved by feedback
  /// towards equal acceptance of all neighbour pairs ("acceptance") or towards the
  /// feedback-optimised round-trip ladder ("round-trip"); the ends stay fixed; the ladder is
  /// frozen at the start of production.
  bool adaptive = false;
  std::string adaptive_target = "acceptance";  ///< "acceptance" | "round-trip"
  int adaptive_interval = 100;                 ///< exchange rounds between ladder updates (> 0; default 100)
};

struct RunInput {
  // ---- provenance ----
  std::string source_path;    ///< the TOML file as given
  std::string source_text;    ///< its full text
  std::string source_sha256;  ///< hash of its bytes

  // ---- [model] ----
  std::filesystem::path model;  ///< model file (.json) or definition (.toml); relative paths resolved against the input's folder

  // ---- [supercell] ---- exactly one of repetitions / matrix
  IMat3 supercell = IMat3::Identity();  ///< integer matrix P, rows = supercell vectors in parent-lattice units (diag(repetitions) for repetitions)

  // ---- [ensemble] ----
  std::string ensemble = "canonical";  ///< "canonical" | "semi-grand"
  mc::Composition composition;         ///< canonical (required) and the starting configuration of semi-grand (optional: default first species)
  std::map<std::string, std::map<std::string, double>> chemical_potentials;  ///< eV, semi-grand (required there, refused in canonical)
  mc::MoveSet moves;                   ///< [moves] swap / exchange / flip weights; defaults: canonical swap=1, semi-grand flip=1

  // ---- [temperatures] ----
  LadderSpec ladder;

  // ---- [sampling] ---- all intervals in sweeps (one sweep = as many trials as active sites)
  std::int64_t equilibration_sweeps = 0;  ///< >= 0
  std::int64_t production_sweeps = 0;     ///< > 0
  std::int64_t sample_interval = 1;       ///< > 0
  std::int64_t exchange_interval = 1;     ///< > 0
  std::int64_t snapshot_interval = 0;     ///< 0 = none; else > 0
  std::vector<std::string> observables;   ///< subset of kKnownObservables; "energy" always recorded
  /// Honeycomb order parameter: which sublattice and species (e.g. TM / Sb); required if
  /// "honeycomb" is observed.
  std::string honeycomb_sublattice;
  std::string honeycomb_species;
  /// Exchange-energy probe at the end of the run: which species leaves which sublattice for
  /// which (e.g. Cu from TM to Na), required if "exchange_probe" is observed.
  std::string probe_species;
  std::string probe_from;
  std::string probe_to;

  // ---- [checkpoint] ----
  std::int64_t checkpoint_interval = 0;  ///< sweeps; 0 = only at the end and on signals
  std::filesystem::path checkpoint;      ///< default: output path with ".chk" appended

  // ---- [run] ----
  std::uint64_t seed = 0;                ///< required
  std::filesystem::path output;          ///< HDF5 results file (required); relative to the current directory
  double progress_interval = 10.0;       ///< seconds of wall clock between progress lines, > 0
};

/// Observable names a run can record: "energy", "concentrations", "honeycomb",
/// "warren_cowley", "exchange_probe".
inline const std::vector<std::string> kKnownObservables = {"energy", "concentrations", "honeycomb", "warren_cowley",
                                                           "exchange_probe"};

/// Parses and validates a run input; `path` names the file in messages and anchors the
/// model path. Throws tmorder::InputError naming the file, line and key and what was
/// expected for: malformed TOML, unknown keys or tables, missing required keys, wrong types,
/// values out of range (temperatures <= 0 or not increasing, n < 2 for geometric, sweeps or
/// intervals < 0 or 0 where > 0 is needed, fractions not in [0, 1], unknown observables,
/// unknown ensemble), both or neither of repetitions / matrix, a singular matrix, chemical
/// potentials in a canonical run, missing composition in a canonical run, composition
/// fractions of a sublattice not summing to 1 (within 1e-9), a model file that does not
/// exist. Species and sublattice names, and whether a composition fits the supercell, are
/// checked later against the model (they need it).
RunInput parse_run_input(const std::string& text, const std::filesystem::path& path);

/// Reads and parses a run input file (InputError naming the file if it cannot be read).
RunInput read_run_input(const std::filesystem::path& path);

}  // namespace tmorder::io
