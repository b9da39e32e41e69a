#pragma once
// Checkpoints of `tmorder run`: the full state of a replica-exchange run in one file written
// by rank 0, so a batch job can stop at any sweep and a later job continue bit for bit.
//
// File layout: a text line "TMORDER-CHECKPOINT 1", a line with the SHA-256 (hex) of the
// payload, then the payload, a Boost.Serialization binary archive of Checkpoint. The hash
// detects truncated or corrupt files before anything is deserialised. Files are written
// atomically (temporary file, fsync, rename), so a kill -9 during a write leaves the
// previous checkpoint intact.
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tmorder/mc/monte_carlo.hpp"
#include "tmorder/mc/replica_exchange.hpp"

namespace tmorder::app {

/// What a checkpoint must agree with to be resumed.
struct CheckpointIdentity {
  std::string tmorder_version;
  std::string input_sha256;
  std::string model_sha256;
  int n_ranks = 0;
  int n_replicas = 0;
  std::int64_t n_sites = 0;

  template <class Archive>
  void serialize(Archive& ar, const unsigned /*version*/) {
    ar & tmorder_version & input_sha256 & model_sha256 & n_ranks & n_replicas & n_sites;
  }
};

/// Samples collected on rank 0 during production (all that the results file is made of).
struct SampleStore {
  std::vector<std::int64_t> sweep;     ///< [sample]
  std::vector<std::int64_t> replica;   ///< [sample][temperature index]
  std::vector<double> values;          ///< [sample][observable][temperature index]
  std::vector<std::int64_t> snapshot_sweep;
  std::vector<std::uint8_t> snapshots;  ///< [snapshot][temperature index][site] occupation indices

  template <class Archive>
  void serialize(Archive& ar, const unsigned /*version*/) {
    ar & sweep & replica & values & snapshot_sweep & snapshots;
  }
};

/// The replicas of one rank and its wall-clock accounts.
struct RankState {
  std::vector<mc::MonteCarlo::State> replicas;
  double sweep_seconds = 0.0;
  double exchange_seconds = 0.0;

  template <class Archive>
  void serialize(Archive& ar, const unsigned /*version*/) {
    ar & replicas & sweep_seconds & exchange_seconds;
  }
};

struct Checkpoint {
  CheckpointIdentity identity;
  std::int64_t sweeps_done = 0;
  int restarts = 0;
  std::string started_utc;
  double wall_seconds = 0.0;  ///< of all previous invocations
  mc::ReplicaExchange exchange;
  SampleStore samples;
  std::vector<std::string> rank_states;  ///< per rank: a binary archive of RankState

  template <class Archive>
  void serialize(Archive& ar, const unsigned /*version*/) {
    ar & identity & sweeps_done & restarts & started_utc & wall_seconds & exchange & samples & rank_states;
  }
};

/// Writes atomically, replacing an existing checkpoint only by the rename.
void write_checkpoint(const std::filesystem::path& path, const Checkpoint& checkpoint);
/// Reads and verifies a checkpoint. Throws tmorder::InputError naming the file for a missing
/// or unreadable file, a wrong header, a hash mismatch (truncated or corrupt) or a payload
/// that does not deserialise.
Checkpoint read_checkpoint(const std::filesystem::path& path);
/// Throws tmorder::InputError naming the file and every mismatch (model, input, tmorder
/// version, rank count, replica count, supercell size) with what to do about it.
void check_identity(const std::filesystem::path& path, const CheckpointIdentity& found, const CheckpointIdentity& expected);

/// Binary archives of one rank's state (for the gather into a checkpoint).
std::string pack(const RankState& state);
RankState unpack_rank_state(const std::string& bytes, const std::filesystem::path& source);
std::string pack(const mc::ReplicaExchange& exchange);
mc::ReplicaExchange unpack_exchange(const std::string& bytes);

}  // namespace tmorder::app
