#pragma once
// The results file of `tmorder run` (HDF5, schema "tmorder-run" v1, docs/hdf5-format.md):
// written once by rank 0 from the samples it gathered, atomically.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tmorder/app/run_checkpoint.hpp"
#include "tmorder/app/run_observables.hpp"
#include "tmorder/app/run_setup.hpp"

namespace tmorder::app {

struct RunRecord {
  const RunSetup* setup = nullptr;
  const RunObservables* observables = nullptr;
  const Checkpoint* state = nullptr;        ///< samples, exchange statistics, start time, restarts
  std::vector<double> sweep_seconds;        ///< per rank, all invocations
  std::vector<double> exchange_seconds;     ///< per rank
  std::vector<std::int64_t> probe_temperature;  ///< per probed exchange
  std::vector<double> probe_energy;             ///< eV
  std::string command_line;
  int n_ranks = 1;
  double wall_seconds = 0.0;
  std::string finished_utc;
};

/// Writes the results file (InputError if it exists and !force).
void write_run_results(const std::filesystem::path& path, bool force, const RunRecord& record);

/// Mean, standard error and integrated autocorrelation time (samples) of one time series.
struct SeriesSummary {
  double mean = 0.0, stderr_ = 0.0, tau = 0.0;
};
SeriesSummary summarize_series(const std::vector<double>& series);

}  // namespace tmorder::app
