#include "tmorder/mc/annealing.hpp"

#include <cmath>
#include <stdexcept>

namespace tmorder::mc {

AnnealingResult anneal(MonteCarlo& sampler, const AnnealingSchedule& s) {
  if (!(s.t_start > 0.0 && s.t_end > 0.0 && s.t_end <= s.t_start) || s.stages < 1 || s.sweeps_per_stage < 1)
    throw std::invalid_argument("annealing: need 0 < t_end <= t_start and at least one stage and sweep");
  AnnealingResult r;
  r.best.assign(sampler.occupation().begin(), sampler.occupation().end());
  r.best_energy = sampler.energy();
  for (int k = 0; k < s.stages; ++k) {
    const double f = s.stages == 1 ? 1.0 : static_cast<double>(k) / (s.stages - 1);
    const double t = s.t_start * std::pow(s.t_end / s.t_start, f);
    sampler.set_temperature(t);
    for (int sweep = 0; sweep < s.sweeps_per_stage; ++sweep) {
      sampler.sweep();
      if (sampler.energy() < r.best_energy - 1e-12) {
        r.best_energy = sampler.energy();
        r.best.assign(sampler.occupation().begin(), sampler.occupation().end());
      }
    }
    r.temperatures.push_back(t);
    r.energies.push_back(sampler.energy());
  }
  return r;
}

}  // namespace tmorder::mc
