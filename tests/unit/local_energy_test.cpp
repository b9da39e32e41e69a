// Local energy changes of the compiled cluster expansion against total energies computed
// independently from correlation vectors: E = N_cells * sum_alpha J_alpha Pi_alpha.
#include "tmorder/ce/local_energy.hpp"

#include <gtest/gtest.h>

#include <random>

#include "test_lattices.hpp"
#include "tmorder/clusters/correlations.hpp"

using namespace tmorder;
using ce::Occupation;

namespace {

std::vector<double> random_ecis(const clusters::ClusterSpace& cs, std::mt19937& rng) {
  std::normal_distribution<double> g(0.0, 0.05);  // eV, a realistic scale
  std::vector<double> j(cs.n_functions());
  for (auto& x : j) x = g(rng);
  return j;
}

std::vector<Occupation> random_occupation(const clusters::ClusterSpace& cs, const lattice::Supercell& sc, std::mt19937& rng) {
  std::vector<Occupation> occ(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i)
    occ[static_cast<std::size_t>(i)] = static_cast<Occupation>(rng() % static_cast<unsigned>(cs.parent().n_species(i / sc.n_cells())));
  return occ;
}

// Independent reference: total energy through the correlation vector.
double reference_energy(const ce::ClusterExpansion& ce, const clusters::CorrelationCalculator& calc,
                        const std::vector<Occupation>& occ) {
  const std::vector<int> as_int(occ.begin(), occ.end());
  return calc.supercell().n_cells() * ce.energy_per_cell(calc.compute(as_int));
}

struct Case {
  const char* name;
  clusters::ClusterSpace space;
  IMat3 P;
};

std::vector<Case> cases() {
  IMat3 skew, tiny, o3cell;
  skew << 2, 1, 0, -1, 2, 1, 1, 0, 2;  // det 11
  tiny << 1, 0, 0, 0, 1, 0, 0, 1, 2;   // det 2: clusters wrap onto themselves
  o3cell << 2, 1, 0, -1, 2, 0, 0, 0, 2;  // det 10
  std::vector<Case> c;
  c.push_back({"fcc ternary, skewed", clusters::ClusterSpace(test_lattices::fcc(4.0, 3), {6.0, 4.5, 3.0}, 1e-5), skew});
  c.push_back({"fcc ternary, tiny", clusters::ClusterSpace(test_lattices::fcc(4.0, 3), {6.0, 4.5, 3.0}, 1e-5), tiny});
  c.push_back({"bcc quaternary", clusters::ClusterSpace(test_lattices::bcc(3.0, 4), {4.4, 3.1}, 1e-5), skew});
  c.push_back({"O3 NaTMO2", clusters::ClusterSpace(test_lattices::o3_natmo2(), {6.0, 4.0, 3.3}, 1e-4), o3cell});
  return c;
}

}  // namespace

TEST(LocalEnergyTest, TotalEnergyEqualsCorrelationEnergy) {
  std::mt19937 rng(17);
  for (const auto& c : cases()) {
    const ce::ClusterExpansion model(c.space, random_ecis(c.space, rng));
    const lattice::Supercell sc(c.P, static_cast<int>(c.space.parent().n_sites()));
    const ce::LocalEnergy local(model, sc);
    const clusters::CorrelationCalculator calc(c.space, sc);
    for (int trial = 0; trial < 5; ++trial) {
      const auto occ = random_occupation(c.space, sc, rng);
      EXPECT_NEAR(local.total_energy(occ), reference_energy(model, calc, occ), 1e-9) << c.name;
    }
  }
}

// 10^4 random moves of every kind per model: single-site flips, swaps of two sites of one
// sublattice (near or far, with clusters holding both), and exchanges between two
// different sublattices of a species allowed on both (Cu between TM and Na layers in O3).
// Both neighbour gathers are checked: the per-class offset table (default) and the
// wrap-table fallback (forced by a zero table budget).
class LocalEnergyMoves : public ::testing::TestWithParam<bool> {};

TEST_P(LocalEnergyMoves, MoveEnergiesEqualTotalEnergyDifferences) {
  const bool offset_table = GetParam();
  std::mt19937 rng(23);
  for (const auto& c : cases()) {
    const ce::ClusterExpansion model(c.space, random_ecis(c.space, rng));
    const lattice::Supercell sc(c.P, static_cast<int>(c.space.parent().n_sites()));
    const ce::LocalEnergy local(model, sc, offset_table ? ce::LocalEnergy::kMaxOffsetTableEntries : 0);
    ASSERT_EQ(local.uses_offset_table(), offset_table) << c.name;
    const clusters::CorrelationCalculator calc(c.space, sc);
    auto occ = random_occupation(c.space, sc, rng);
    double energy = reference_energy(model, calc, occ);
    std::vector<int> active;
    for (int i = 0; i < sc.n_sites(); ++i)
      if (c.space.parent().is_active(i / sc.n_cells())) active.push_back(i);
    int checked = 0;
    for (int move = 0; move < 10000; ++move) {
      const int i = active[rng() % active.size()];
      int j = active[rng() % active.size()];
      const auto species_i = c.space.parent().allowed_species(i / sc.n_cells());
      const auto species_j = c.space.parent().allowed_species(j / sc.n_cells());
      int a, b;
      if (move % 3 == 0) {  // flip i to a random species
        a = static_cast<int>(rng() % species_i.size());
        j = i;
        b = a;
      } else {  // exchange the species of i and j where both sites allow them
        const auto name_i = species_i[occ[static_cast<std::size_t>(i)]];
        const auto name_j = species_j[occ[static_cast<std::size_t>(j)]];
        const auto ai = std::find(species_i.begin(), species_i.end(), name_j);
        const auto bj = std::find(species_j.begin(), species_j.end(), name_i);
        if (ai == species_i.end() || bj == species_j.end() || i == j) continue;
        a = static_cast<int>(ai - species_i.begin());
        b = static_cast<int>(bj - species_j.begin());
      }
      const double delta = move % 3 == 0 ? local.flip_delta(occ, i, a) : local.pair_delta(occ, i, a, j, b);
      occ[static_cast<std::size_t>(i)] = static_cast<Occupation>(a);
      occ[static_cast<std::size_t>(j)] = static_cast<Occupation>(b);
      const double after = reference_energy(model, calc, occ);
      ASSERT_NEAR(delta, after - energy, 1e-9) << c.name << ", move " << move;
      energy = after;
      ++checked;
    }
    EXPECT_GT(checked, 5000) << c.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Gathers, LocalEnergyMoves, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "OffsetTable" : "WrapTables"; });

TEST(LocalEnergyTest, TablesDoNotGrowWithTheSupercell) {
  std::mt19937 rng(3);
  const clusters::ClusterSpace cs(test_lattices::o3_natmo2(), {8.0, 6.0, 4.5}, 1e-3);
  const ce::ClusterExpansion model(cs, random_ecis(cs, rng));
  // Only the wrap tables (2 d_k ints per Smith axis) and the wrap-class maps (d_k ints per
  // axis) depend on the supercell, linearly in its edge; 8x more sites add 3 * (120 - 60)
  // ints. The per-class neighbour offsets depend on the cluster reach only. (A very small supercell can have fewer
  // distinct neighbours, as periodic images coincide, so 20^3 is the smaller one here.)
  IMat3 small = IMat3::Identity() * 20, large = IMat3::Identity() * 40;
  const auto bytes_small = ce::LocalEnergy(model, lattice::Supercell(small, 4)).table_bytes();
  const auto bytes_large = ce::LocalEnergy(model, lattice::Supercell(large, 4)).table_bytes();
  EXPECT_EQ(bytes_large - bytes_small, 3 * (120 - 60) * sizeof(int));
}
