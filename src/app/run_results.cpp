#include "tmorder/app/run_results.hpp"

#include <cmath>
#include <limits>

#include "tmorder/io/hdf5_file.hpp"
#include "tmorder/mc/accumulator.hpp"
#include "tmorder/observables/thermodynamics.hpp"
#include "tmorder/version.hpp"

namespace tmorder::app {

SeriesSummary summarize_series(const std::vector<double>& series) {
  mc::Accumulator acc;
  for (const double x : series) acc.add(x);
  return {acc.mean(), acc.standard_error(), acc.autocorrelation_time()};
}

void write_run_results(const std::filesystem::path& path, bool force, const RunRecord& rec) {
  const RunSetup& setup = *rec.setup;
  const RunObservables& obs = *rec.observables;
  const Checkpoint& st = *rec.state;
  const auto& in = setup.input;
  const auto& samples = st.samples;
  const auto& rx = st.exchange;
  const std::size_t n_t = static_cast<std::size_t>(rx.n_temperatures());
  const std::size_t n_obs = static_cast<std::size_t>(obs.size());
  const std::size_t n_s = samples.sweep.size();
  const auto& parent = setup.parent();

  io::Hdf5Writer h5(path, force);
  h5.set_attribute("/", "schema", std::string("tmorder-run"));
  h5.set_attribute("/", "schema_version", std::int64_t{1});
  h5.set_attribute("/", "tmorder_version", std::string(version_string));
  h5.set_attribute("/", "git_commit", std::string(git_commit));
  h5.set_attribute("/", "command_line", rec.command_line);
  h5.set_attribute("/", "n_ranks", std::int64_t{rec.n_ranks});
  h5.set_attribute("/", "n_replicas", static_cast<std::int64_t>(n_t));
  h5.set_attribute("/", "seed", static_cast<std::int64_t>(in.seed));
  h5.set_attribute("/", "started_utc", st.started_utc);
  h5.set_attribute("/", "finished_utc", rec.finished_utc);
  h5.set_attribute("/", "wall_seconds", rec.wall_seconds);
  h5.set_attribute("/", "restarts", std::int64_t{st.restarts});
  h5.set_attribute("/", "model_name", setup.model->name);
  h5.set_attribute("/", "model_file", in.model.string());
  h5.set_attribute("/", "model_sha256", setup.model_sha256);
  h5.set_attribute("/", "input_file", in.source_path);
  h5.set_attribute("/", "input_sha256", in.source_sha256);
  h5.set_attribute("/", "energy_model", setup.energy_model);
  h5.set_attribute("/", "ensemble", in.ensemble);
  h5.set_attribute("/", "n_sites", std::int64_t{setup.n_active});
  h5.set_attribute("/", "n_formula_units", std::int64_t{setup.n_formula_units});
  h5.set_attribute("/", "formula_unit", setup.formula_unit);
  h5.set_attribute("/", "equilibration_sweeps", in.equilibration_sweeps);
  h5.set_attribute("/", "production_sweeps", in.production_sweeps);
  h5.set_attribute("/", "sample_interval", in.sample_interval);
  h5.set_attribute("/", "exchange_interval", in.exchange_interval);

  h5.write_strings("/input/text", {in.source_text});
  h5.write_strings("/model/text", {setup.model_text});
  h5.write("/temperatures", rx.temperatures(), "K");
  std::vector<double> history;
  for (const auto& ladder : rx.ladder_history()) history.insert(history.end(), ladder.begin(), ladder.end());
  if (history.empty()) history = rx.temperatures();
  h5.write_array("/ladder/history", history, {history.size() / n_t, n_t}, "K");

  // Time series, one [n_s, n_T] dataset per observable.
  h5.write("/timeseries/sweep", samples.sweep, "sweeps");
  h5.write_array("/timeseries/replica", samples.replica, {n_s, n_t}, "1");
  std::vector<std::vector<double>> per_t(n_t);
  for (std::size_t o = 0; o < n_obs; ++o) {
    std::vector<double> series(n_s * n_t);
    for (std::size_t s = 0; s < n_s; ++s)
      for (std::size_t k = 0; k < n_t; ++k) series[s * n_t + k] = samples.values[(s * n_obs + o) * n_t + k];
    const std::string& name = obs.names()[o];
    const std::string& units = obs.units()[o];
    h5.write_array("/timeseries/" + name, series, {n_s, n_t}, units);
    std::vector<double> mean(n_t), err(n_t), tau(n_t);
    for (std::size_t k = 0; k < n_t; ++k) {
      std::vector<double> one(n_s);
      for (std::size_t s = 0; s < n_s; ++s) one[s] = series[s * n_t + k];
      const auto sum = summarize_series(one);
      mean[k] = sum.mean;
      err[k] = sum.stderr_;
      tau[k] = sum.tau;
      if (o == static_cast<std::size_t>(RunObservables::kEnergy)) per_t[k] = std::move(one);
    }
    h5.write("/averages/" + name + "/mean", mean, units);
    h5.write("/averages/" + name + "/stderr", err, units);
    h5.write("/averages/" + name + "/tau", tau, "samples");
  }
  // Heat capacity and energy per formula unit from the energy series.
  std::vector<double> c(n_t), c_err(n_t), e_fu(n_t), e_fu_err(n_t);
  for (std::size_t k = 0; k < n_t; ++k) {
    observables::ThermodynamicAverages thermo(rx.temperatures()[k], setup.n_active, setup.n_formula_units);
    for (const double e : per_t[k]) thermo.add(e * setup.n_active);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const bool any = thermo.count() > 0;
    c[k] = any ? thermo.heat_capacity_per_site().value : nan;
    c_err[k] = any ? thermo.heat_capacity_per_site().error : nan;
    e_fu[k] = any ? thermo.energy_per_formula_unit().value : nan;
    e_fu_err[k] = any ? thermo.energy_per_formula_unit().error : nan;
  }
  h5.write("/averages/heat_capacity/mean", c, "k_B/site");
  h5.write("/averages/heat_capacity/stderr", c_err, "k_B/site");
  h5.write("/averages/energy_per_formula_unit/mean", e_fu, "eV/f.u.");
  h5.write("/averages/energy_per_formula_unit/stderr", e_fu_err, "eV/f.u.");

  // Replica exchange.
  h5.write("/exchange/pair_acceptance", rx.pair_acceptance(), "1");
  std::vector<std::int64_t> attempts(rx.pair_attempts().begin(), rx.pair_attempts().end());
  h5.write("/exchange/pair_attempts", attempts, "1");
  std::vector<std::int64_t> trips(rx.round_trips().begin(), rx.round_trips().end());
  h5.write("/exchange/round_trips", trips, "1");
  h5.write("/exchange/up_fraction", rx.up_fraction(), "1");
  h5.set_attribute("/exchange", "rounds", static_cast<std::int64_t>(rx.rounds()));
  h5.write("/timing/sweep_seconds", rec.sweep_seconds, "s");
  h5.write("/timing/exchange_seconds", rec.exchange_seconds, "s");

  // The supercell, enough to rebuild every snapshot as a structure.
  std::vector<std::string> species_names;
  std::vector<std::vector<std::int64_t>> name_of(parent.n_sites());  // [basis][occupation index] -> species name index
  const auto name_index = [&](const std::string& s) {
    for (std::size_t k = 0; k < species_names.size(); ++k)
      if (species_names[k] == s) return static_cast<std::int64_t>(k);
    species_names.push_back(s);
    return static_cast<std::int64_t>(species_names.size() - 1);
  };
  for (std::size_t b = 0; b < parent.n_sites(); ++b)
    for (const auto& s : parent.allowed_species(static_cast<int>(b))) name_of[b].push_back(name_index(s));
  const auto& sc = setup.supercell;
  std::vector<std::string> site_species(static_cast<std::size_t>(sc.n_sites()));
  std::vector<std::int64_t> sublattice(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i) {
    const int b = i / sc.n_cells();
    site_species[static_cast<std::size_t>(i)] = parent.allowed_species(b).front();
    sublattice[static_cast<std::size_t>(i)] = parent.site_sublattice[static_cast<std::size_t>(b)];
  }
  const lattice::Structure structure = sc.structure(parent.structure, site_species);
  std::vector<double> lattice_rows(9), positions;
  for (int r = 0; r < 3; ++r)
    for (int col = 0; col < 3; ++col) lattice_rows[static_cast<std::size_t>(3 * r + col)] = structure.cell(r, col);
  for (std::size_t i = 0; i < structure.frac.size(); ++i) {
    const Vec3 x = structure.cartesian_of(i);
    positions.insert(positions.end(), {x[0], x[1], x[2]});
  }
  h5.write_matrix("/structure/lattice", lattice_rows, 3, 3, "angstrom");
  h5.write_matrix("/structure/positions", positions, structure.frac.size(), 3, "angstrom");
  h5.write_strings("/structure/species_names", species_names);
  h5.write("/structure/sublattice", sublattice, "1");
  std::vector<std::string> sub_names;
  for (const auto& s : parent.sublattices) sub_names.push_back(s.name);
  h5.write_strings("/structure/sublattice_names", sub_names);

  if (!samples.snapshot_sweep.empty()) {
    const std::size_t n_sites = static_cast<std::size_t>(sc.n_sites());
    const std::size_t n_snap = samples.snapshot_sweep.size();
    std::vector<std::int64_t> species(samples.snapshots.size());
    for (std::size_t x = 0; x < species.size(); ++x) {
      const std::size_t site = x % n_sites;
      species[x] = name_of[site / static_cast<std::size_t>(sc.n_cells())][samples.snapshots[x]];
    }
    h5.write("/snapshots/sweep", samples.snapshot_sweep, "sweeps");
    h5.write_array("/snapshots/species", species, {n_snap, n_t, n_sites}, "1");
  }
  if (obs.probes()) {
    h5.write("/exchange_probe/temperature_index", rec.probe_temperature, "1");
    h5.write("/exchange_probe/energy", rec.probe_energy, "eV");
    h5.set_attribute("/exchange_probe", "species", in.probe_species);
    h5.set_attribute("/exchange_probe", "from", in.probe_from);
    h5.set_attribute("/exchange_probe", "to", in.probe_to);
  }
  h5.commit();
}

}  // namespace tmorder::app
