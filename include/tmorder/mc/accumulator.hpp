#pragma once
// Online binning (blocking) analysis of a Monte Carlo time series, after ALPS/ALPSCore's
// binning accumulator and Flyvbjerg & Petersen, J. Chem. Phys. 91, 461 (1989).
//
// Level k holds the means of consecutive, non-overlapping bins of 2^k samples (level 0: the
// samples themselves). Each level keeps a running (Welford) mean and sum of squared
// deviations of its completed bins, plus at most one half-filled pair, so memory is
// O(log2 n) and add() is amortised O(1). Samples in an incomplete bin of level k are in the
// statistics of the levels below k only.
//
// Conventions (all documented on the members):
//  * error of level k:  se_k = sqrt( s_k^2 / n_k ), s_k^2 = sum_b (x_b - xbar_k)^2 / (n_k - 1)
//    over the n_k bin means x_b of level k, i.e. sqrt( sum_b (x_b - xbar_k)^2 / (n_k (n_k - 1)) )
//    (the same number as ALPS's sqrt((<x^2> - <x>^2) / (n_k - 1)) with the biased variance);
//  * plateau level: the largest level with at least kMinBins = 32 bins; standard_error() is
//    se at that level (with n_k in [32, 63] its own relative statistical uncertainty is
//    about 1/sqrt(2 (n_k - 1)), i.e. 9-13 %);
//  * tau_int = (1/2) (se_plateau / se_0)^2, so uncorrelated data give tau_int = 1/2 and
//    se^2 = 2 tau_int var / n (the Sokal/ALPS convention).
#include <boost/serialization/vector.hpp>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tmorder::mc {

class Accumulator {
 public:
  /// Minimum number of bins of the level chosen by standard_error().
  static constexpr std::uint64_t kMinBins = 32;
  /// Minimum number of bins of the upper of the two levels compared by converged().
  static constexpr std::uint64_t kMinConvergedBins = 64;
  /// Largest relative change of the level error accepted by converged().
  static constexpr double kConvergedTolerance = 0.10;

  /// Add one sample. Amortised O(1), no allocation except when a new level is opened
  /// (log2 n times in all).
  void add(double x);

  /// Number of samples added.
  [[nodiscard]] std::size_t count() const noexcept;
  /// Mean of all samples; NaN when empty.
  [[nodiscard]] double mean() const noexcept;
  /// Unbiased (n - 1) variance of single samples; NaN when count() < 2.
  [[nodiscard]] double variance() const noexcept;
  /// sqrt(variance() / count()): the error of the mean ignoring autocorrelation
  /// (= level_error(0)); NaN when count() < 2.
  [[nodiscard]] double naive_error() const noexcept;
  /// Error of the mean from the binning analysis: level_error(plateau_level()). When fewer
  /// than kMinBins samples exist there is no usable level and this falls back to
  /// naive_error() (and converged() is false). NaN when count() < 2.
  [[nodiscard]] double standard_error() const noexcept;
  /// Integrated autocorrelation time tau_int = 0.5 * (standard_error() / naive_error())^2, in
  /// units of samples; 1/2 for uncorrelated data. Returns 0.5 when naive_error() is 0 (a
  /// constant series: no fluctuation to correlate), NaN when count() < 2.
  [[nodiscard]] double autocorrelation_time() const noexcept;
  /// True when the binning error has levelled off: with C the largest level that has at least
  /// kMinConvergedBins (64) bins, C >= 1 and |se_C - se_{C-1}| < 0.1 * se_{C-1} (or both are
  /// 0). C is one level below plateau_level() (a level with >= 64 bins always has a parent
  /// with >= 32), so this checks that the error curve is flat just before the reported level.
  /// The test is itself statistical (se_C carries ~6-9 % noise), so a converged series can
  /// occasionally read false; a false value on a long run means the bins are still shorter
  /// than the correlation time.
  [[nodiscard]] bool converged() const noexcept;

  /// Number of bin levels (levels with at least one completed bin); 0 when empty.
  [[nodiscard]] std::size_t levels() const noexcept { return n_.size(); }
  /// Number of completed bins of 2^k samples at level k (0 beyond the last level).
  [[nodiscard]] std::uint64_t bin_count(std::size_t k) const noexcept;
  /// se_k as defined above; NaN when level k has fewer than 2 bins.
  [[nodiscard]] double level_error(std::size_t k) const noexcept;
  /// The largest level with at least kMinBins bins, or 0 when there is none.
  [[nodiscard]] std::size_t plateau_level() const noexcept;

  /// Boost.Serialization (checkpoints). Bumping the class version is needed only if the
  /// member layout changes.
  template <class Archive>
  void serialize(Archive& ar, const unsigned int /*version*/) {
    ar & n_;
    ar & mean_;
    ar & m2_;
    ar & pending_;
    ar & has_pending_;
  }

  friend bool operator==(const Accumulator&, const Accumulator&) = default;

 private:
  // Per level k: completed bins, their Welford mean and sum of squared deviations, and the
  // first bin mean of a pair waiting for its partner (valid when has_pending_[k] != 0).
  std::vector<std::uint64_t> n_;
  std::vector<double> mean_;
  std::vector<double> m2_;
  std::vector<double> pending_;
  std::vector<std::uint8_t> has_pending_;
};

}  // namespace tmorder::mc
