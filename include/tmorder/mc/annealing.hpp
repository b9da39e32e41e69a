#pragma once
// Simulated annealing: cool a Monte Carlo chain geometrically and keep the lowest-energy
// configuration seen, to find low-energy orderings in a given supercell.
#include <vector>

#include "tmorder/mc/monte_carlo.hpp"

namespace tmorder::mc {

struct AnnealingSchedule {
  double t_start = 2000.0;  ///< K
  double t_end = 10.0;      ///< K
  int stages = 40;          ///< temperatures, geometric from t_start to t_end
  int sweeps_per_stage = 50;
};

struct AnnealingResult {
  std::vector<ce::Occupation> best;  ///< lowest-energy configuration seen
  double best_energy = 0.0;          ///< its energy, eV
  std::vector<double> temperatures;  ///< per stage, K
  std::vector<double> energies;      ///< energy at the end of each stage, eV
};

/// Throws std::invalid_argument for a schedule with t_end > t_start, non-positive
/// temperatures, or fewer than one stage or sweep.
AnnealingResult anneal(MonteCarlo& sampler, const AnnealingSchedule& schedule);

}  // namespace tmorder::mc
