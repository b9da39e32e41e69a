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
/// (1,2), (3,4), ... (deterministic even-odd scheme; round t, counted from 0, uses the even
/// pairs when t is even). The pair (k, k+1) of temperature indices, occupied by replicas i and
/// j with total energies E_i and E_j, is swapped with the Metropolis probability
/// min(1, exp[x]), x = (beta_k - beta_{k+1}) (E_i - E_j), beta = 1/(k_B T). The pairs of a
/// round are disjoint and are decided in increasing k. Random numbers: a pair with x >= 0 is
/// accepted without a draw; a pair with x < 0 (even where exp(x) underflows to 0) takes
/// exactly one uniform() u from the exchange generator and is accepted iff u < exp(x). A
/// round therefore draws as many numbers as it has attempted pairs with a negative exponent,
/// a pure function of the ladder, the permutation and the energies, so copies (one build)
/// fed identical energies make identical decisions and keep identical generators.
///
/// Round trips: a replica is labelled "up" when it visits the lowest temperature and "down"
/// when it visits the highest; a round trip is counted each time a replica labelled "down"
/// reaches the lowest temperature after having visited it before (T_min -> T_max -> T_min:
/// a replica that starts above T_min completes its first round trip only on its second
/// arrival at T_min; the first passage T_max -> T_min is only half a trip). At construction
/// the replica at index 0 is labelled "up" and the one at index n-1 "down". Labels, round
/// trips and the visit counts behind f(T) are updated after the exchanges of every round,
/// from the permutation that the round leaves. The fraction of "up" visitors per
/// temperature, f(T), is kept for the feedback-optimised ladder (Katzgraber, Trebst, Huse
/// and Troyer, J. Stat. Mech. P03018 (2006)). With a single temperature nothing is labelled.
class ReplicaExchange {
 public:
  ReplicaExchange() = default;  // for deserialisation only
  /// Replica r starts at temperature index r. Throws std::invalid_argument for an empty or
  /// not strictly increasing ladder or a temperature <= 0.
  ReplicaExchange(std::vector<double> temperatures, Rng exchange_rng);

  [[nodiscard]] int n_temperatures() const { return static_cast<int>(temperatures_.size()); }
  [[nodiscard]] const std::vector<double>& temperatures() const { return temperatures_; }
  /// Temperature index of replica r, and the replica at temperature index k.
  /// Both throw std::out_of_range for an index outside [0, n_temperatures()).
  [[nodiscard]] int temperature_index(int replica) const;
  [[nodiscard]] int replica_at(int temperature_index) const;
  [[nodiscard]] double temperature_of(int replica) const;

  /// One exchange round. `energies[r]` is the total energy of replica r (eV). Returns the
  /// number of accepted swaps. Throws std::invalid_argument (before changing anything) unless
  /// there are n_temperatures() energies, all finite. Allocation-free.
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
  /// f(T_k): fraction of visits to temperature k by replicas labelled "up", over the current
  /// window (since the last adapt(); NaN where the window has no labelled visit).
  [[nodiscard]] std::vector<double> up_fraction() const;

  /// Adaptive ladder, called by the driver every `adaptive_interval` rounds during
  /// equilibration. `target` is "acceptance" (move the inner temperatures so that all pairs
  /// approach the same acceptance, measured since the last update) or "round-trip"
  /// (feedback-optimised ladder from f(T) since the last update). The lowest and highest
  /// temperatures never move, the ladder stays strictly increasing, and replicas keep their
  /// temperature indices. Statistics of the window are then reset (the whole-run counters
  /// above, labels and round trips are not) and the ladder, changed or not, is appended to
  /// ladder_history(). Throws std::invalid_argument for an unknown target (nothing changes).
  ///
  /// "acceptance": in u = ln T, each pair k with window attempts n_k and accepted swaps a_k
  /// gets the acceptance estimate A_k = (a_k + 1/2) / (n_k + 1) (never 0 or 1) and the
  /// thermodynamic distance d_k = 2 erfc^-1(A_k) (if the exchange exponent x is Gaussian, as
  /// in large systems, detailed balance makes var x = -2 <x> and A = erfc(d/2) exactly, with
  /// d^2 = -<x>; d is additive along the ladder, about sqrt(C) ln(T'/T) for heat capacity C).
  /// With the local density rho_k = d_k / g_k over the ln T gap g_k, equal distances need
  /// g*_k proportional to 1 / rho_k = g_k / d_k, normalised to the sum of the old gaps of the
  /// measured pairs (a fixed point exactly when all measured acceptances are equal). The
  /// update is damped, g_k <- (1 - 1/2) g_k + (1/2) g*_k, gaps are floored at 2% of the mean
  /// measured gap (redistributing the rest), and pairs without window attempts keep their
  /// gaps (fewer than two measured pairs: no change).
  ///
  /// "round-trip": Katzgraber et al.'s feedback, eta'(T) ~ sqrt(eta(T) df/dT) with
  /// eta = 1 / Delta T: on the old intervals the new density is piecewise constant, interval
  /// k receiving the weight w_k = sqrt(max(f_k - f_{k+1}, 0)) (floored at 10% of the mean
  /// weight so no interval is emptied), and the inner temperatures are placed at equal steps
  /// of the cumulative weight, linear in T inside an interval. Damped like the acceptance
  /// update (half-way from the old to the new temperature) and with gaps floored at 2% of
  /// the mean gap. Temperatures whose f is undefined (no labelled visit in the window), and
  /// their neighbours, do not move; the feedback acts on the stretches between them.
  void adapt(const std::string& target);
  /// Ladders after each adapt() call (the initial ladder first).
  [[nodiscard]] const std::vector<std::vector<double>>& ladder_history() const { return ladder_history_; }

  [[nodiscard]] const Rng& rng() const { return rng_; }

  template <class Archive>
  void serialize(Archive& ar, const unsigned /*version*/) {
    Rng::State state = rng_.state();
    ar & temperatures_ & replica_at_ & index_of_ & rounds_ & pair_attempts_ & pair_accepted_ & window_attempts_ &
        window_accepted_ & label_ & visited_min_ & round_trips_ & up_visits_ & down_visits_ & ladder_history_ & state;
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
  std::vector<int> visited_min_;  // per replica: 1 once it has been at the lowest temperature
  std::vector<std::uint64_t> round_trips_;
  std::vector<std::uint64_t> up_visits_, down_visits_;  // per temperature index, since the last adapt()
  std::vector<std::vector<double>> ladder_history_;
  Rng rng_{0};

  void update_labels();
  std::vector<double> acceptance_ladder() const;
  std::vector<double> round_trip_ladder() const;
};

}  // namespace tmorder::mc
