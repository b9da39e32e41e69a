// `tmorder run INPUT.toml`: replica-exchange Monte Carlo over MPI ranks with
// checkpoint/restart and one HDF5 results file.
//
// Every rank builds the same setup from the same files (deterministic, no broadcast of
// tables), holds a contiguous block of replicas, and keeps an identical copy of the
// replica-exchange bookkeeping. Per exchange round the ranks allgather one energy per
// replica; per sample they gather a few numbers per replica on rank 0. Nothing that grows
// with the lattice crosses the network except snapshots and checkpoints.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <memory>
#include <sstream>

#include "tmorder/app/commands.hpp"
#include "tmorder/app/mpi_session.hpp"
#include "tmorder/app/run_checkpoint.hpp"
#include "tmorder/app/run_observables.hpp"
#include "tmorder/app/run_results.hpp"
#include "tmorder/app/run_setup.hpp"
#include "tmorder/app/stop_signals.hpp"
#include "tmorder/io/atomic_file.hpp"
#include "tmorder/mc/initial_configuration.hpp"
#include "tmorder/util/clock.hpp"
#include "tmorder/util/error.hpp"
#include "tmorder/version.hpp"

namespace tmorder::app {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct RunOptions {
  std::string input;
  bool force = false;
  bool restart = false;
  bool quiet = false;
  bool verbose = false;
  long long stop_after = 0;  // sweeps of this invocation, 0 = no limit
};

// Runs `work` on rank 0 only; an InputError there becomes an InputError on every rank, so
// all ranks leave together instead of waiting for each other forever.
template <class F>
void on_root(const MpiSession& mpi, F&& work) {
  std::string message;
  if (mpi.root()) {
    try {
      work();
    } catch (const InputError& e) {
      message = e.what();
      if (message.empty()) message = "error";
    }
  }
  message = mpi.broadcast(message);
  if (!message.empty()) throw InputError(message);
}

std::string format_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  if (s < 120) return fmt::format("{:.0f} s", s);
  if (s < 7200) return fmt::format("{:.1f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

class Run {
 public:
  Run(const MpiSession& mpi, const RunOptions& opt, const Invocation& inv) : mpi_(mpi), opt_(opt), inv_(inv) {}

  int execute() {
    const auto t_start = Clock::now();
    setup_ = build_run_setup(io::read_run_input(opt_.input));
    const auto& in = setup_->input;
    observables_ = std::make_unique<RunObservables>(*setup_);
    const int n_t = setup_->n_temperatures();
    if (mpi_.size() > n_t)
      throw InputError(keyed(in.source_path, "temperatures",
                             fmt::format("{} temperatures cannot occupy {} MPI ranks (one replica per temperature, at least one "
                                         "per rank): run on at most {} ranks or add temperatures",
                                         n_t, mpi_.size(), n_t)));
    block_ = replica_block(n_t, mpi_.rank(), mpi_.size());
    output_ = in.output;
    checkpoint_path_ = in.checkpoint.empty() ? std::filesystem::path(output_.string() + ".chk") : in.checkpoint;
    on_root(mpi_, [&] { io::check_output_path(output_, opt_.force); });

    identity_ = {version_string, in.source_sha256, setup_->model_sha256, mpi_.size(), n_t, setup_->supercell.n_sites()};
    bool resume = false;
    on_root(mpi_, [&] {
      resume = std::filesystem::exists(checkpoint_path_);
      if (opt_.restart && !resume)
        throw InputError(checkpoint_path_.string() + ": --restart given but there is no checkpoint to continue from");
    });
    resume = mpi_.broadcast(resume ? "1" : "") == "1";
    make_replicas();
    if (resume) load_checkpoint();
    else {
      state_.identity = identity_;
      state_.started_utc = utc_timestamp();
      state_.exchange = mc::ReplicaExchange(in.ladder.temperatures, mc::Rng(in.seed, 0));
    }
    print_header(resume);

    install_stop_handlers();
    const std::int64_t total = in.equilibration_sweeps + in.production_sweeps;
    const std::int64_t first = state_.sweeps_done;
    auto last_progress = Clock::now();
    const auto loop_start = Clock::now();
    while (state_.sweeps_done < total) {
      sweep_all();
      const std::int64_t s = ++state_.sweeps_done;
      if (s % in.exchange_interval == 0) exchange(s <= in.equilibration_sweeps);
      if (s > in.equilibration_sweeps) {
        const std::int64_t p = s - in.equilibration_sweeps;
        if (p % in.sample_interval == 0) sample(p);
        if (in.snapshot_interval > 0 && p % in.snapshot_interval == 0) snapshot(p);
      }
      const bool limit = opt_.stop_after > 0 && s - first >= opt_.stop_after;
      const bool stop = mpi_.any(stop_signal() != 0 || limit);
      if (stop || (in.checkpoint_interval > 0 && s % in.checkpoint_interval == 0)) save_checkpoint(t_start);
      if (stop) {
        if (mpi_.root()) {
          const std::string why = stop_signal() ? std::string("received ") + signal_name(stop_signal())
                                                : fmt::format("stopping after {} sweeps as requested (--stop-after-sweeps)", opt_.stop_after);
          std::cout << fmt::format("tmorder run: {}; checkpoint written to {} at sweep {}/{}; run the same command again to continue\n",
                                   why, checkpoint_path_.string(), s, total)
                    << std::flush;
        }
        return 0;
      }
      if (mpi_.root() && !opt_.quiet && seconds_since(last_progress) >= in.progress_interval) {
        progress(s, total, first, seconds_since(loop_start));
        last_progress = Clock::now();
      }
    }
    // The finished state is checkpointed before the results are written, so a failure
    // while writing them loses nothing; the checkpoint goes once the results exist.
    save_checkpoint(t_start);
    finish(t_start);
    return 0;
  }

 private:
  void make_replicas() {
    const auto& in = setup_->input;
    const auto& parent = setup_->parent();
    for (int r = block_.first; r < block_.first + block_.count; ++r) {
      mc::Rng rng(in.seed, static_cast<std::uint64_t>(r) + 1);  // stream 0 is the exchange stream
      std::vector<ce::Occupation> occ(static_cast<std::size_t>(setup_->supercell.n_sites()), 0);
      if (!in.composition.empty()) occ = mc::random_configuration(parent, setup_->supercell, in.composition, rng);
      replicas_.push_back(std::make_unique<mc::MonteCarlo>(*setup_->local, parent, std::move(occ), rng,
                                                           in.ladder.temperatures[static_cast<std::size_t>(r)], in.moves, setup_->mu,
                                                           setup_->electrostatics.get()));
    }
  }

  void load_checkpoint() {
    std::vector<std::string> parts;
    std::string exchange_bytes, scalars;
    on_root(mpi_, [&] {
      state_ = read_checkpoint(checkpoint_path_);
      check_identity(checkpoint_path_, state_.identity, identity_);
      if (state_.rank_states.size() != static_cast<std::size_t>(mpi_.size()))
        throw InputError(checkpoint_path_.string() + ": checkpoint is corrupt (rank states do not match its rank count)");
      parts = state_.rank_states;
      exchange_bytes = pack(state_.exchange);
      scalars = fmt::format("{} {}", state_.sweeps_done, state_.restarts);
    });
    const std::string mine = mpi_.scatter_strings(parts);
    exchange_bytes = mpi_.broadcast(exchange_bytes);
    scalars = mpi_.broadcast(scalars);
    if (!mpi_.root()) {
      state_.exchange = unpack_exchange(exchange_bytes);
      std::istringstream(scalars) >> state_.sweeps_done >> state_.restarts;
    }
    ++state_.restarts;
    std::string problem;
    try {
      const RankState rs = unpack_rank_state(mine, checkpoint_path_);
      if (rs.replicas.size() != replicas_.size()) throw InputError("wrong number of replicas for this rank");
      for (std::size_t k = 0; k < replicas_.size(); ++k) replicas_[k]->restore(rs.replicas[k]);
      sweep_seconds_ = rs.sweep_seconds;
      exchange_seconds_ = rs.exchange_seconds;
    } catch (const std::exception& e) {
      problem = checkpoint_path_.string() + ": checkpoint does not fit this run (" + e.what() + ")";
    }
    if (mpi_.any(!problem.empty())) {
      // Every rank leaves with an error; rank 0's message if it has one.
      throw InputError(problem.empty() ? checkpoint_path_.string() + ": checkpoint does not fit this run (see rank messages)" : problem);
    }
  }

  void save_checkpoint(Clock::time_point t_start) {
    RankState rs;
    for (const auto& r : replicas_) rs.replicas.push_back(r->state());
    rs.sweep_seconds = sweep_seconds_;
    rs.exchange_seconds = exchange_seconds_;
    const auto parts = mpi_.gather_strings(pack(rs));
    on_root(mpi_, [&] {
      state_.rank_states = parts;
      const double before = state_.wall_seconds;
      state_.wall_seconds = before + seconds_since(t_start);
      write_checkpoint(checkpoint_path_, state_);
      state_.wall_seconds = before;
      state_.rank_states.clear();
    });
  }

  void sweep_all() {
    const auto t0 = Clock::now();
    for (auto& r : replicas_) r->sweep();
    sweep_seconds_ += seconds_since(t0);
  }

  void exchange(bool equilibrating) {
    const auto t0 = Clock::now();
    // Exchanges weigh the quantity in each replica's Boltzmann factor: E in the canonical
    // ensemble, E - sum mu N in the semi-grand one (chemical_work() is 0 without mu).
    std::vector<double> mine;
    for (const auto& r : replicas_) mine.push_back(r->energy() - r->chemical_work());
    energies_ = mpi_.allgather(mine);
    auto& rx = state_.exchange;
    rx.attempt(energies_);
    const auto& in = setup_->input;
    if (equilibrating && in.ladder.adaptive && rx.rounds() % static_cast<std::uint64_t>(in.ladder.adaptive_interval) == 0)
      rx.adapt(in.ladder.adaptive_target);
    for (std::size_t k = 0; k < replicas_.size(); ++k)
      replicas_[k]->set_temperature(rx.temperature_of(block_.first + static_cast<int>(k)));
    exchange_seconds_ += seconds_since(t0);
  }

  void sample(std::int64_t production_sweep) {
    const auto t0 = Clock::now();
    std::vector<double> mine;
    for (const auto& r : replicas_) observables_->sample(r->occupation(), r->energy(), mine);
    const auto all = mpi_.gather(mine);
    if (mpi_.root()) {
      const auto& rx = state_.exchange;
      const int n_t = rx.n_temperatures(), n_obs = observables_->size();
      auto& st = state_.samples;
      st.sweep.push_back(production_sweep);
      for (int k = 0; k < n_t; ++k) st.replica.push_back(rx.replica_at(k));
      for (int o = 0; o < n_obs; ++o)
        for (int k = 0; k < n_t; ++k)
          st.values.push_back(all[static_cast<std::size_t>(rx.replica_at(k) * n_obs + o)]);
    }
    exchange_seconds_ += seconds_since(t0);  // communication, accounted with the exchanges
  }

  void snapshot(std::int64_t production_sweep) {
    std::vector<std::uint8_t> mine;
    for (const auto& r : replicas_) mine.insert(mine.end(), r->occupation().begin(), r->occupation().end());
    const auto all = mpi_.gather(mine);
    if (!mpi_.root()) return;
    const auto& rx = state_.exchange;
    const std::size_t n = static_cast<std::size_t>(setup_->supercell.n_sites());
    auto& st = state_.samples;
    st.snapshot_sweep.push_back(production_sweep);
    for (int k = 0; k < rx.n_temperatures(); ++k) {
      const auto at = all.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(rx.replica_at(k)) * n);
      st.snapshots.insert(st.snapshots.end(), at, at + static_cast<std::ptrdiff_t>(n));
    }
  }

  void progress(std::int64_t s, std::int64_t total, std::int64_t first, double elapsed) const {
    const auto& in = setup_->input;
    const double rate = static_cast<double>(s - first) / std::max(elapsed, 1e-9);
    const auto acc = state_.exchange.pair_acceptance();
    double lo = 1, hi = 0;
    for (const double a : acc)
      if (std::isfinite(a)) lo = std::min(lo, a), hi = std::max(hi, a);
    double e_lo = 0, e_hi = 0;
    if (!energies_.empty()) {
      e_lo = *std::min_element(energies_.begin(), energies_.end()) / setup_->n_active;
      e_hi = *std::max_element(energies_.begin(), energies_.end()) / setup_->n_active;
    }
    std::cout << fmt::format("sweep {}/{} ({}) | {:.1f} sweeps/s | ETA {} | exchange acceptance {} | {} {:.5f}..{:.5f} eV/site\n", s,
                             total, s <= in.equilibration_sweeps ? "equilibration" : "production", rate,
                             format_duration(static_cast<double>(total - s) / rate),
                             lo <= hi ? fmt::format("{:.2f}-{:.2f}", lo, hi) : std::string("n/a"),
                             in.ensemble == "semi-grand" ? "E - mu N" : "E", e_lo, e_hi)
              << std::flush;
  }

  void print_header(bool resume) const {
    if (!mpi_.root() || opt_.quiet) return;
    const auto& in = setup_->input;
    const auto& t = in.ladder.temperatures;
    std::cout << fmt::format("tmorder run {} (tmorder {} {})\n", in.source_path, version_string, git_commit);
    std::cout << fmt::format("  model   {} ({}): {}\n", setup_->model->name, in.model.string(), setup_->energy_model);
    std::cout << fmt::format("  cell    {} sites ({} active, {} formula units), {} ensemble\n", setup_->supercell.n_sites(),
                             setup_->n_active, setup_->n_formula_units, in.ensemble);
    std::cout << fmt::format("  ladder  {} temperatures {:.1f}..{:.1f} K{} on {} MPI ranks\n", t.size(), t.front(), t.back(),
                             in.ladder.adaptive ? " (adaptive during equilibration)" : "", mpi_.size());
    std::cout << fmt::format("  sweeps  {} equilibration + {} production; output {}; checkpoint {}\n", in.equilibration_sweeps,
                             in.production_sweeps, output_.string(), checkpoint_path_.string());
    if (resume)
      std::cout << fmt::format("  resumed from {} at sweep {} (restart {})\n", checkpoint_path_.string(), state_.sweeps_done,
                               state_.restarts);
    if (opt_.verbose) {
      std::cout << "  observables:";
      for (const auto& n : observables_->names()) std::cout << " " << n;
      std::cout << "\n  temperatures (K):";
      for (const double x : t) std::cout << fmt::format(" {:.1f}", x);
      std::cout << "\n";
    }
    std::cout << std::flush;
  }

  void finish(Clock::time_point t_start) {
    // Exchange-energy probe on the final configuration of every temperature.
    std::vector<double> mine;
    if (observables_->probes())
      for (std::size_t k = 0; k < replicas_.size(); ++k) {
        const int t_index = state_.exchange.temperature_index(block_.first + static_cast<int>(k));
        const auto occ = replicas_[k]->occupation();
        for (const double e : observables_->probe(std::vector<ce::Occupation>(occ.begin(), occ.end())))
          mine.insert(mine.end(), {static_cast<double>(t_index), e});
      }
    const auto probes = mpi_.gather(mine);
    const auto sweep_seconds = mpi_.gather(std::vector<double>{sweep_seconds_});
    const auto exchange_seconds = mpi_.gather(std::vector<double>{exchange_seconds_});
    on_root(mpi_, [&] {
      RunRecord rec;
      rec.setup = setup_.get();
      rec.observables = observables_.get();
      rec.state = &state_;
      rec.sweep_seconds = sweep_seconds;
      rec.exchange_seconds = exchange_seconds;
      for (std::size_t x = 0; x + 1 < probes.size(); x += 2) {
        rec.probe_temperature.push_back(static_cast<std::int64_t>(probes[x]));
        rec.probe_energy.push_back(probes[x + 1]);
      }
      rec.command_line = inv_.command_line;
      rec.n_ranks = mpi_.size();
      rec.wall_seconds = state_.wall_seconds + seconds_since(t_start);
      rec.finished_utc = utc_timestamp();
      write_run_results(output_, opt_.force, rec);
      std::filesystem::remove(checkpoint_path_);
      if (!opt_.quiet) print_summary(rec);
    });
  }

  void print_summary(const RunRecord& rec) const {
    const auto& rx = state_.exchange;
    const auto acc = rx.pair_acceptance();
    std::cout << fmt::format("done: {} sweeps in {} ({} restarts); {} round trips; wrote {}\n", state_.sweeps_done,
                             format_duration(rec.wall_seconds), state_.restarts, rx.total_round_trips(), output_.string());
    std::cout << "      T (K)   <E> (eV/site)   acceptance to next T\n";
    const auto& st = state_.samples;
    const std::size_t n_t = static_cast<std::size_t>(rx.n_temperatures()), n_s = st.sweep.size();
    for (std::size_t k = 0; k < n_t; ++k) {
      std::vector<double> e;
      for (std::size_t s = 0; s < n_s; ++s) e.push_back(st.values[(s * static_cast<std::size_t>(observables_->size())) * n_t + k]);
      const auto sum = summarize_series(e);
      std::cout << fmt::format("  {:9.1f}   {:13.6f}   {}\n", rx.temperatures()[k], sum.mean,
                               k + 1 < n_t ? fmt::format("{:.3f}", acc[k]) : std::string());
    }
    std::cout << std::flush;
  }

  const MpiSession& mpi_;
  const RunOptions& opt_;
  const Invocation& inv_;
  std::unique_ptr<RunSetup> setup_;
  std::unique_ptr<RunObservables> observables_;
  ReplicaBlock block_;
  std::filesystem::path output_, checkpoint_path_;
  CheckpointIdentity identity_;
  Checkpoint state_;  // on rank 0 with the samples; on the others the exchange bookkeeping and counters
  std::vector<std::unique_ptr<mc::MonteCarlo>> replicas_;
  std::vector<double> energies_;  // last gathered, per replica
  double sweep_seconds_ = 0.0, exchange_seconds_ = 0.0;
};

}  // namespace

void register_run(CLI::App& app, const Invocation& inv) {
  auto opt = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Replica-exchange Monte Carlo (mpirun -n N tmorder run INPUT.toml)");
  cmd->add_option("INPUT", opt->input, "run input (TOML; docs/input.md)")->required();
  cmd->add_flag("-f,--force", opt->force, "overwrite an existing results file");
  cmd->add_flag("--restart", opt->restart,
                "continue from the checkpoint (required to exist); without it a run resumes automatically when its checkpoint exists");
  cmd->add_flag("-q,--quiet", opt->quiet, "no progress lines or summary");
  cmd->add_flag("-v,--verbose", opt->verbose, "print observables and the whole ladder at the start");
  cmd->add_option("--stop-after-sweeps", opt->stop_after,
                  "write a checkpoint and exit 0 after this many sweeps of this invocation (as a batch time limit would)")
      ->check(CLI::PositiveNumber);
  cmd->callback([opt, &inv] {
    MpiSession mpi(nullptr, nullptr);
    try {
      Run run(mpi, *opt, inv);
      run.execute();
    } catch (const InputError& e) {
      // Raised on every rank alike (see on_root). Rank 0 reports before any rank exits:
      // mpirun kills the remaining ranks as soon as one exits with an error.
      if (mpi.root()) std::cerr << "tmorder: error: " << e.what() << "\n" << std::flush;
      suppress_error_output();
      mpi.barrier();
      throw;
    } catch (const std::exception& e) {
      // Anything else may have hit one rank only; the others would wait forever.
      std::cerr << "tmorder: internal error on rank " << mpi.rank() << ": " << e.what() << "\n" << std::flush;
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
  });
}

}  // namespace tmorder::app
