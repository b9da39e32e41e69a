#pragma once
// Parallel-tempering bookkeeping: which replica sits at which temperature, exchange
// decisions, per-pair acceptance, round trips, and the adaptive ladder. Pure logic without
// MPI: every rank holds an identical copy and feeds it the same energies, and all decisions
// come from one shared exchange generator, so the copies never diverge and an exchange costs
// one gather of n_replicas energies, independent of the lattice size.
#include <boost/serialization/array.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tmorder/mc/random.hpp"

namespace tmorder::mc {

/// n temperatures from t_min to t_max (both included) in geometric progression, K.
/// Throws std::invalid_argument unless 0 < t_min < t_max and n >= 2 (or n == 1 with t_min == t_max).
std::vector<double> geometric_ladder(double t_min, double t_max, int n);

/// Temperatures are exchanged between replicas, never configurations: replica r keeps its
/// configuration and generator and moves along the ladder.
///
/// Exchange rounds alternate between the even pairs (0,1), (2,3), ... and the odd pairs
/// (1,2), (3,4), ... (deterministic even-odd scheme). The pair (k, k+1) of temperature
/// indices, occupied by replicas i and j with total energies E_i and E_j, is swapped with the
/// Metropolis probability min(1, exp[(beta_k - beta_{k+1}) (E_i - E_j)]), beta = 1/(k_B T).
///
/// Round trips: a replica is labelled "up" when it visits the lowest temperature and "down"
/// when it visits the highest; a round trip is counted each time a replica labelled "down"
/// reaches the lowest temperature (T_min -> T_max -> T_min). The fraction of "up" visitors
/// per temperature, f(T), is kept for the feedback-optimised ladder (Katzgraber, Trebst,
/// Huse and Troyer, J. Stat. Mech. P03018 (2006)).
class ReplicaExchange {
 public:
  ReplicaExchange() = default;  // for deserialisation only
  /// Replica r starts at temperature index r. Throws std::invalid_argument for an empty or
  /// not strictly increasing ladder or a temperature <= 0.
  ReplicaExchange(std::vector<double> temperatures, Rng exchange_rng);

  [[nodiscard]] int n_temperatures() const { return static_cast<int>(temperatures_.size()); }
  [[nodiscard]] const std::vector<double>& temperatures() const { return temperatures_; }
  /// Temperature index of replica r, and the replica at temperature index k.
  [[nodiscard]] int temperature_index(int replica) const;
  [[nodiscard]] int replica_at(int temperature_index) const;
  [[nodiscard]] double temperature_of(int replica) const;

  /// One exchange round. `energies[r]` is the total energy of replica r (eV). Returns the
  /// number of accepted swaps.
  int attempt(std::span<const double> energies);

  [[nodiscard]] std::uint64_t rounds() const { return rounds_; }
  /// Per neighbour pair (k, k+1), k = 0 .. n-2: attempts and accepted swaps over the whole
  /// run (never reset by the adaptive ladder).
  [[nodiscard]] const std::vector<std::uint64_t>& pair_attempts() const { return pair_attempts_; }
  [[nodiscard]] const std::vector<std::uint64_t>& pair_accepted() const { return pair_accepted_; }
  [[nodiscard]] std::vector<double> pair_acceptance() const;  ///< accepted / attempts (NaN where no attempt)
  /// Completed round trips per replica.
  [[nodiscard]] const std::vector<std::uint64_t>& round_trips() const { return round_trips_; }
  [[nodiscard]] std::uint64_t total_round_trips() const;
  /// f(T_k): fraction of visits to temperature k by replicas labelled "up" (NaN where no
  /// labelled visit yet).
  [[nodiscard]] std::vector<double> up_fraction() const;

  /// Adaptive ladder, called by the driver every `adaptive_interval` rounds during
  /// equilibration. `target` is "acceptance" (move the inner temperatures so that all pairs
  /// approach the same acceptance, measured since the last update) or "round-trip"
  /// (feedback-optimised ladder from f(T) since the last update). The lowest and highest
  /// temperatures never move, the ladder stays strictly increasing, and replicas keep their
  /// temperature indices. Statistics of the window are then reset (the whole-run counters
  /// above are not). Throws std::invalid_argument for an unknown target.
  void adapt(const std::string& target);
  /// Ladders after each adapt() call (the initial ladder first).
  [[nodiscard]] const std::vector<std::vector<double>>& ladder_history() const { return ladder_history_; }

  [[nodiscard]] const Rng& rng() const { return rng_; }

  template <class Archive>
  void serialize(Archive& ar, const unsigned /*version*/) {
    Rng::State state = rng_.state();
    ar & temperatures_ & replica_at_ & index_of_ & rounds_ & pair_attempts_ & pair_accepted_ & window_attempts_ &
        window_accepted_ & label_ & round_trips_ & up_visits_ & down_visits_ & ladder_history_ & state;
    rng_.set_state(state);
  }

 private:
  std::vector<double> temperatures_;
  std::vector<int> replica_at_;  // [temperature index] -> replica
  std::vector<int> index_of_;    // [replica] -> temperature index
  std::uint64_t rounds_ = 0;
  std::vector<std::uint64_t> pair_attempts_, pair_accepted_;    // whole run
  std::vector<std::uint64_t> window_attempts_, window_accepted_;  // since the last adapt()
  std::vector<int> label_;  // per replica: +1 up, -1 down, 0 unlabelled
  std::vector<std::uint64_t> round_trips_;
  std::vector<std::uint64_t> up_visits_, down_visits_;  // per temperature index, since the last adapt()
  std::vector<std::vector<double>> ladder_history_;
  Rng rng_{0};
};

}  // namespace tmorder::mc
