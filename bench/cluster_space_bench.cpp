// Throughput of cluster-space construction and correlation vectors (issue 2 figures).
//   build/bench/cluster_space_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <random>

#include "tmorder/clusters/correlations.hpp"
#include "tmorder/io/model_definition.hpp"

using namespace tmorder;

namespace {

const io::ModelDefinition& o3_definition() {
  static const io::ModelDefinition def =
      io::read_model_definition(std::string(TMORDER_SOURCE_DIR) + "/clusters/o3-nanisbcu/model.toml");
  return def;
}

// Orbit enumeration, decoration classes and spglib for the O3 model: pairs 8 A, triplets
// 6 A, quadruplets 4.5 A (the cutoffs of the shipped definition).
void BM_OrbitEnumerationO3(benchmark::State& state) {
  const auto& def = o3_definition();
  std::size_t n_functions = 0;
  for (auto _ : state) {
    clusters::ClusterSpace cs(def.parent, {8.0, 6.0, 4.5}, def.symprec);
    n_functions = cs.n_functions();
    benchmark::DoNotOptimize(n_functions);
  }
  state.counters["functions"] = static_cast<double>(n_functions);
}
BENCHMARK(BM_OrbitEnumerationO3)->Unit(benchmark::kMillisecond);

// One correlation vector of the O3 model on an L x L x M supercell (4 parent sites per
// cell, O included); argument = number of cells.
void BM_CorrelationVectorO3(benchmark::State& state) {
  static const clusters::ClusterSpace cs(o3_definition().parent, o3_definition().cutoffs, o3_definition().symprec);
  const int cells = static_cast<int>(state.range(0));
  IMat3 P = IMat3::Zero();
  // Near-cubic diagonal supercells: 10x10x10, 25x25x16, 25x25x40.
  if (cells == 1000) P.diagonal() << 10, 10, 10;
  else if (cells == 10000) P.diagonal() << 25, 25, 16;
  else P.diagonal() << 25, 25, 40;
  const lattice::Supercell sc(P, static_cast<int>(cs.parent().n_sites()));
  const clusters::CorrelationCalculator calc(cs, sc);
  std::mt19937 rng(1);
  std::vector<int> occ(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i)
    occ[static_cast<std::size_t>(i)] = static_cast<int>(rng() % static_cast<unsigned>(cs.parent().n_species(i / sc.n_cells())));
  for (auto _ : state) benchmark::DoNotOptimize(calc.compute(occ));
  state.counters["sites"] = sc.n_sites();
  state.counters["sites/s"] = benchmark::Counter(static_cast<double>(sc.n_sites()), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_CorrelationVectorO3)->Arg(1000)->Arg(10000)->Arg(25000)->Unit(benchmark::kMillisecond);

// Compiling the flat tables for a 10^5-site supercell (done once per supercell).
void BM_CompileCorrelationTablesO3(benchmark::State& state) {
  static const clusters::ClusterSpace cs(o3_definition().parent, o3_definition().cutoffs, o3_definition().symprec);
  IMat3 P = IMat3::Zero();
  P.diagonal() << 25, 25, 40;
  const lattice::Supercell sc(P, static_cast<int>(cs.parent().n_sites()));
  for (auto _ : state) benchmark::DoNotOptimize(clusters::CorrelationCalculator(cs, sc));
}
BENCHMARK(BM_CompileCorrelationTablesO3)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
