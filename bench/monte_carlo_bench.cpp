// Monte Carlo trial moves per second on one core (issue 3 figures).
//   build/bench/monte_carlo_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cmath>
#include <fstream>
#include <random>
#include <string>

#include "tmorder/ce/electrostatics.hpp"
#include "tmorder/io/model_definition.hpp"
#include "tmorder/mc/monte_carlo.hpp"

using namespace tmorder;

namespace {

lattice::ParentLattice one_site(const Mat3& cell, std::vector<std::string> species) {
  lattice::ParentLattice p;
  p.structure.cell = cell;
  p.structure.species = {species[0]};
  p.structure.frac = {Vec3::Zero()};
  p.sublattices = {{"M", std::move(species)}};
  p.site_sublattice = {0};
  return p;
}

// Anchor model shared with the ICET/smol measurements: hexagonal a = 3.0 A, c = 5.3 A,
// {Ni, Sb}, pairs to 6.5 A, triplets to 4.0 A (7 orbits, 8 functions); fixed random ECIs
// with the nearest-neighbour pair positive.
const clusters::ClusterSpace& anchor_space() {
  static const clusters::ClusterSpace cs = [] {
    Mat3 cell;
    cell << 3.0, 0, 0, -1.5, 1.5 * std::sqrt(3.0), 0, 0, 0, 5.3;
    return clusters::ClusterSpace(one_site(cell, {"Ni", "Sb"}), {6.5, 4.0}, 1e-5);
  }();
  return cs;
}

std::vector<double> anchor_ecis(const clusters::ClusterSpace& cs) {
  std::mt19937 rng(12345);
  std::normal_distribution<double> g(0.0, 0.02);
  std::vector<double> j(cs.n_functions());
  for (auto& x : j) x = g(rng);
  j[cs.function_offset(1)] = 0.08;  // nearest-neighbour pair, positive (repulsive Sb-Sb)
  return j;
}

std::vector<ce::Occupation> composition(int n, double fraction_second, std::uint64_t seed) {
  std::vector<ce::Occupation> occ(static_cast<std::size_t>(n), 0);
  const int n_second = static_cast<int>(std::lround(fraction_second * n));
  for (int i = 0; i < n_second; ++i) occ[static_cast<std::size_t>(i)] = 1;
  std::shuffle(occ.begin(), occ.end(), std::mt19937_64(seed));
  return occ;
}

long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string key;
  long value = 0;
  while (in >> key) {
    if (key == "VmRSS:") {
      in >> value;
      return value;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

void run_trials(benchmark::State& state, mc::MonteCarlo& sampler) {
  for (int s = 0; s < 2; ++s) sampler.sweep();  // leave the initial state
  const int batch = 100000;
  for (auto _ : state)
    for (int k = 0; k < batch; ++k) benchmark::DoNotOptimize(sampler.step());
  state.SetItemsProcessed(state.iterations() * batch);  // items/s = trials/s
}

// Canonical swaps at 1000 K; argument = in-plane repeat L (supercell L x L x L/3).
void BM_AnchorSwaps(benchmark::State& state) {
  const int L = static_cast<int>(state.range(0)), H = static_cast<int>(state.range(1));
  const auto& cs = anchor_space();
  const ce::ClusterExpansion model(cs, anchor_ecis(cs));
  IMat3 P = IMat3::Zero();
  P.diagonal() << L, L, H;
  const long before = rss_kib();
  const lattice::Supercell sc(P, 1);
  const ce::LocalEnergy local(model, sc);
  mc::MonteCarlo sampler(local, cs.parent(), composition(sc.n_sites(), 1.0 / 3.0, 7), mc::Rng(1), 1000.0, mc::MoveSet{});
  const long after = rss_kib();
  run_trials(state, sampler);
  state.counters["sites"] = sc.n_sites();
  state.counters["bytes/site"] = 1024.0 * static_cast<double>(after - before) / sc.n_sites();
  state.counters["accept"] = static_cast<double>(sampler.statistics().accepted[0]) / static_cast<double>(sampler.statistics().trials[0]);
}
BENCHMARK(BM_AnchorSwaps)
    ->Args({12, 4})       // 576 sites (as measured in ICET/smol)
    ->Args({24, 8})       // 4,608
    ->Args({48, 16})      // 36,864
    ->Args({100, 100})    // 10^6
    ->Args({216, 215})    // ~10^7
    ->Unit(benchmark::kMillisecond);

// 2D Ising (nearest-neighbour pair only), single flips at T = 2 J / k_B.
void BM_IsingFlips(benchmark::State& state) {
  const int L = static_cast<int>(state.range(0));
  Mat3 cell;
  cell << 3, 0, 0, 0, 3, 0, 0, 0, 30;
  static const clusters::ClusterSpace cs(one_site(cell, {"A", "B"}), {3.5}, 1e-5);
  std::vector<double> j(cs.n_functions(), 0.0);
  const double J = mc::kBoltzmann * 100.0;
  j[cs.function_offset(1)] = -2.0 * J;
  const ce::ClusterExpansion model(cs, j);
  IMat3 P = IMat3::Identity();
  P(0, 0) = L;
  P(1, 1) = L;
  const lattice::Supercell sc(P, 1);
  const ce::LocalEnergy local(model, sc);
  mc::MonteCarlo sampler(local, cs.parent(), composition(sc.n_sites(), 0.5, 3), mc::Rng(2), 200.0, mc::MoveSet{0, 0, 1},
                         {{0.0, 0.0}});
  run_trials(state, sampler);
  state.counters["sites"] = sc.n_sites();
}
BENCHMARK(BM_IsingFlips)->Arg(64)->Arg(1024)->Arg(3163)->Unit(benchmark::kMillisecond);

// The O3 Ni/Sb/Cu model (pairs 8 A, triplets 6 A, quadruplets 4.5 A), canonical swaps on
// both sublattices, Ni0.5 Cu1/6 Sb1/3 on TM, Na0.8 Va0.2 in the Na layer, 1000 K; optionally
// with the Ewald term (formal charges).
void BM_O3Swaps(benchmark::State& state) {
  const int L = static_cast<int>(state.range(0));
  const bool ewald = state.range(1) != 0;
  static const io::ModelDefinition def =
      io::read_model_definition(std::string(TMORDER_SOURCE_DIR) + "/clusters/o3-nanisbcu/model.toml");
  static const clusters::ClusterSpace cs(def.parent, def.cutoffs, def.symprec);
  std::mt19937 rng(99);
  std::normal_distribution<double> g(0.0, 0.01);
  std::vector<double> j(cs.n_functions());
  for (auto& x : j) x = g(rng);
  const ce::ClusterExpansion model(cs, j);
  IMat3 P = IMat3::Identity() * L;
  const lattice::Supercell sc(P, 4);
  const ce::LocalEnergy local(model, sc);
  const int n = sc.n_cells();
  std::vector<ce::Occupation> occ(static_cast<std::size_t>(sc.n_sites()), 0);
  std::mt19937_64 shuffle(5);
  std::vector<ce::Occupation> tm(static_cast<std::size_t>(n), 0), na(static_cast<std::size_t>(n), 0);
  for (int c = 0; c < n; ++c) {
    tm[static_cast<std::size_t>(c)] = c % 6 < 3 ? 0 : (c % 6 == 3 ? 2 : 1);  // Ni 1/2, Cu 1/6, Sb 1/3
    na[static_cast<std::size_t>(c)] = c % 5 == 0 ? 1 : 0;                     // Va 1/5
  }
  std::shuffle(tm.begin(), tm.end(), shuffle);
  std::shuffle(na.begin(), na.end(), shuffle);
  std::copy(tm.begin(), tm.end(), occ.begin());
  std::copy(na.begin(), na.end(), occ.begin() + n);
  std::unique_ptr<ce::Electrostatics> es;
  if (ewald)
    es = std::make_unique<ce::Electrostatics>(def.parent, sc,
                                              std::map<std::string, double>{{"Ni", 2}, {"Sb", 5}, {"Cu", 2}, {"Na", 1}, {"Va", 0}, {"O", -2}},
                                              1.0);
  mc::MonteCarlo sampler(local, def.parent, occ, mc::Rng(3), 1000.0, mc::MoveSet{}, {}, es.get());
  run_trials(state, sampler);
  state.counters["sites"] = sc.n_sites();
  state.counters["accept"] = static_cast<double>(sampler.statistics().accepted[0]) / static_cast<double>(sampler.statistics().trials[0]);
}
BENCHMARK(BM_O3Swaps)->Args({6, 0})->Args({12, 0})->Args({30, 0})->Args({6, 1})->Args({12, 1})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
