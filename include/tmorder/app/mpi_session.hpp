#pragma once
// MPI for `tmorder run`: initialised only by the run command (the other subcommands stay
// plain serial programs), finalised when the session goes out of scope, and a few typed
// collectives so the driver reads as what it does.
#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tmorder::app {

class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }
  [[nodiscard]] bool root() const { return rank_ == 0; }

  /// Every rank's values, concatenated in rank order (counts may differ between ranks).
  [[nodiscard]] std::vector<double> allgather(const std::vector<double>& mine) const;
  /// Same, gathered on rank 0 only (other ranks get an empty vector).
  [[nodiscard]] std::vector<double> gather(const std::vector<double>& mine) const;
  [[nodiscard]] std::vector<std::uint8_t> gather(const std::vector<std::uint8_t>& mine) const;
  /// Per rank, its bytes (rank 0 only; others get an empty vector).
  [[nodiscard]] std::vector<std::string> gather_strings(const std::string& mine) const;
  /// Rank 0's `parts[r]` delivered to rank r.
  [[nodiscard]] std::string scatter_strings(const std::vector<std::string>& parts) const;
  /// Rank 0's string on every rank.
  [[nodiscard]] std::string broadcast(const std::string& text) const;
  /// Logical or over ranks.
  [[nodiscard]] bool any(bool mine) const;
  /// Largest value over ranks.
  [[nodiscard]] double max(double mine) const;
  void barrier() const;

 private:
  bool owns_ = false;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace tmorder::app
