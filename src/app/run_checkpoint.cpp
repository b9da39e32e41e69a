#include "tmorder/app/run_checkpoint.hpp"

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <fstream>
#include <sstream>

#include "tmorder/io/atomic_file.hpp"
#include "tmorder/util/error.hpp"
#include "tmorder/util/sha256.hpp"

namespace tmorder::app {

namespace {
constexpr const char* kMagic = "TMORDER-CHECKPOINT 1";

template <class T>
std::string to_bytes(const T& value) {
  std::ostringstream out(std::ios::binary);
  {
    boost::archive::binary_oarchive ar(out);
    ar << value;
  }
  return out.str();
}

template <class T>
T from_bytes(const std::string& bytes) {
  std::istringstream in(bytes, std::ios::binary);
  boost::archive::binary_iarchive ar(in);
  T value;
  ar >> value;
  return value;
}
}  // namespace

std::string pack(const RankState& state) { return to_bytes(state); }
std::string pack(const mc::ReplicaExchange& exchange) { return to_bytes(exchange); }
mc::ReplicaExchange unpack_exchange(const std::string& bytes) { return from_bytes<mc::ReplicaExchange>(bytes); }

RankState unpack_rank_state(const std::string& bytes, const std::filesystem::path& source) {
  try {
    return from_bytes<RankState>(bytes);
  } catch (const std::exception& e) {
    throw InputError(source.string() + ": checkpoint is corrupt (a rank's state does not deserialise: " + e.what() + ")");
  }
}

void write_checkpoint(const std::filesystem::path& path, const Checkpoint& checkpoint) {
  const std::string payload = to_bytes(checkpoint);
  std::string text = std::string(kMagic) + "\n" + sha256_hex(payload) + "\n";
  text += payload;
  io::write_file_atomically(path, text, /*overwrite=*/true);
}

Checkpoint read_checkpoint(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": checkpoint cannot be read");
  std::ostringstream all;
  all << in.rdbuf();
  const std::string text = all.str();
  const auto line1 = text.find('\n');
  if (line1 == std::string::npos || text.substr(0, line1) != kMagic)
    throw InputError(path.string() + ": not a tmorder checkpoint (expected the header line \"" + kMagic + "\")");
  const auto line2 = text.find('\n', line1 + 1);
  if (line2 == std::string::npos || line2 - line1 - 1 != 64)
    throw InputError(path.string() + ": checkpoint is truncated (no checksum line)");
  const std::string expected_hash = text.substr(line1 + 1, 64);
  const std::string payload = text.substr(line2 + 1);
  if (sha256_hex(payload) != expected_hash)
    throw InputError(path.string() + ": checkpoint is truncated or corrupt (SHA-256 of its contents does not match its checksum line); "
                     "it was left untouched");
  try {
    return from_bytes<Checkpoint>(payload);
  } catch (const std::exception& e) {
    throw InputError(path.string() + ": checkpoint does not deserialise (" + e.what() + ")");
  }
}

void check_identity(const std::filesystem::path& path, const CheckpointIdentity& found, const CheckpointIdentity& expected) {
  std::string problems;
  const auto add = [&](const std::string& p) { problems += "\n  - " + p; };
  if (found.model_sha256 != expected.model_sha256)
    add("it was written with another model file (SHA-256 " + found.model_sha256.substr(0, 12) + "..., this model " +
        expected.model_sha256.substr(0, 12) + "...)");
  if (found.input_sha256 != expected.input_sha256)
    add("it was written for another run input (SHA-256 " + found.input_sha256.substr(0, 12) + "..., this input " +
        expected.input_sha256.substr(0, 12) + "...)");
  if (found.n_ranks != expected.n_ranks)
    add("it was written by a run on " + std::to_string(found.n_ranks) + " MPI ranks, this run has " + std::to_string(expected.n_ranks) +
        " (restart with mpirun -n " + std::to_string(found.n_ranks) + ")");
  if (found.n_replicas != expected.n_replicas)
    add("it holds " + std::to_string(found.n_replicas) + " replicas, this input has " + std::to_string(expected.n_replicas) + " temperatures");
  if (found.n_sites != expected.n_sites)
    add("its supercell has " + std::to_string(found.n_sites) + " sites, this input's has " + std::to_string(expected.n_sites));
  if (found.tmorder_version != expected.tmorder_version)
    add("it was written by tmorder " + found.tmorder_version + ", this is " + expected.tmorder_version);
  if (!problems.empty())
    throw InputError(path.string() + ": checkpoint does not belong to this run:" + problems +
                     "\n  (it was left untouched; move it away to start afresh, or restart with the run that wrote it)");
}

}  // namespace tmorder::app
