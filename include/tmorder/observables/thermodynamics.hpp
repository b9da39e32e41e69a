#pragma once
// Thermodynamic averages of a canonical Monte Carlo run at one temperature: the mean
// energy and the heat capacity from the energy fluctuations, with error bars.
#include <array>
#include <cstdint>

#include "tmorder/mc/accumulator.hpp"

namespace tmorder::observables {

/// A value and its one-standard-error uncertainty.
struct Estimate {
  double value = 0.0;
  double error = 0.0;
};

/// Accumulates total energies E (eV, one per Monte Carlo sample) at temperature T and
/// reports
///   * energy per site and per formula unit: <E>/n, error from the binning analysis of
///     mc::Accumulator (autocorrelation-aware);
///   * heat capacity per site and per formula unit in units of k_B (fluctuation formula)
///       C/k_B = (<E^2> - <E>^2) / (k_B T)^2 / n,
///     with <.> the plain sample means over all samples (the 1/N, "biased" variance; its
///     bias is -Var/N, far below the statistical error for any usable run).
///
/// Heat-capacity error: delete-one-block jackknife over equal blocks of consecutive
/// samples. The series is cut into between 16 and 31 complete blocks (kMinBlocks..
/// 2 kMinBlocks - 1): blocks start at one sample; when 32 blocks are complete, neighbours are
/// merged pairwise, doubling the block length. So the blocks grow with the run, and once
/// they are longer than the energy autocorrelation time the block estimates are independent
/// and the jackknife error is honest. With K blocks the error itself is uncertain by about
/// 1/sqrt(2 (K - 1)), i.e. 13-18 %. The samples of the incomplete last block enter the
/// point estimates but not the jackknife. Memory is fixed (32 blocks) and add() never
/// allocates beyond the Accumulator's log2(N) levels.
///
/// To keep <E^2> - <E>^2 free of cancellation for large total energies (|E| ~ 10^3 eV with
/// fluctuations of ~10^-1 eV), every sum is taken over d = E - E_first, the shift by the
/// first sample.
class ThermodynamicAverages {
 public:
  static constexpr int kMinBlocks = 16;

  /// Throws InputError unless temperature_K > 0 and both counts are positive.
  ThermodynamicAverages(double temperature_K, int n_sites, int n_formula_units);

  /// Add one sample of the total energy (eV).
  void add(double total_energy);

  [[nodiscard]] std::uint64_t count() const { return n_; }
  [[nodiscard]] double temperature() const { return temperature_; }
  [[nodiscard]] int n_sites() const { return n_sites_; }
  [[nodiscard]] int n_formula_units() const { return n_formula_units_; }

  /// Mean total energy (eV) and its binning-analysis standard error.
  [[nodiscard]] Estimate energy() const;
  [[nodiscard]] Estimate energy_per_site() const;
  [[nodiscard]] Estimate energy_per_formula_unit() const;
  /// Sample variance <E^2> - <E>^2 of the total energy (eV^2) with its jackknife error.
  [[nodiscard]] Estimate energy_variance() const;
  /// C/k_B per site and per formula unit; errors by the block jackknife (NaN with < 2 blocks).
  [[nodiscard]] Estimate heat_capacity_per_site() const;
  [[nodiscard]] Estimate heat_capacity_per_formula_unit() const;
  /// Number of complete jackknife blocks and their length in samples.
  [[nodiscard]] int n_blocks() const { return n_blocks_; }
  [[nodiscard]] std::uint64_t block_length() const { return block_length_; }

  [[nodiscard]] const mc::Accumulator& energy_accumulator() const { return energy_; }

 private:
  struct Block {
    double sum = 0.0;     // sum of d
    double sum_sq = 0.0;  // sum of d^2
  };
  static constexpr int kMaxBlocks = 2 * kMinBlocks;

  [[nodiscard]] Estimate per(double n, const Estimate& e) const { return {e.value / n, e.error / n}; }

  double temperature_;
  int n_sites_;
  int n_formula_units_;
  mc::Accumulator energy_;
  std::uint64_t n_ = 0;
  double shift_ = 0.0;
  double sum_ = 0.0;     // over all samples, of d
  double sum_sq_ = 0.0;  // of d^2
  std::array<Block, kMaxBlocks> blocks_{};
  int n_blocks_ = 0;               // complete blocks
  std::uint64_t block_length_ = 1;
  Block partial_{};                // the block being filled
  std::uint64_t partial_count_ = 0;
};

}  // namespace tmorder::observables
