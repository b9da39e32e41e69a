// Exhaustive ground-state search over enumerated structures, against a case whose ground
// state is known exactly, and simulated annealing in a larger supercell reaching it.
#include "tmorder/enumeration/ground_states.hpp"

#include <gtest/gtest.h>

#include "test_lattices.hpp"
#include "tmorder/mc/annealing.hpp"
#include "tmorder/mc/initial_configuration.hpp"
#include "tmorder/util/error.hpp"

#include <cmath>
#include <map>

using namespace tmorder;

namespace {
// Triangular layer, nearest-neighbour pair only, J > 0 on the pair correlation (unlike
// neighbours favoured). At 1/3 Sb the only arrangement without B-B neighbours is the
// sqrt3 x sqrt3 honeycomb (the densest independent set of the triangular lattice), whose
// nearest-neighbour correlation is -1/3 (AA = N, AB = 2N of 3N bonds): E = -J/3 per cell.
constexpr double kJ = 0.1;

enumeration::EnumerationOptions in_plane(int max_size) {
  enumeration::EnumerationOptions o;
  o.min_size = 1;
  o.max_size = max_size;
  o.in_plane_only = true;
  return o;
}
}  // namespace

TEST(GroundStates, HoneycombIsTheUniqueGroundStateAtOneThird) {
  const clusters::ClusterSpace cs(test_lattices::triangular(), {3.5}, 1e-5);
  ASSERT_EQ(cs.n_functions(), 3u);  // empty, point, nearest-neighbour pair
  const ce::ClusterExpansion model(cs, {0.0, 0.0, kJ});
  const enumeration::Enumerator e(cs.parent(), in_plane(6));
  const auto states = enumeration::exhaustive_ground_states(e, model, nullptr);
  bool found_third = false, found_pure = false;
  for (const auto& gs : states) {
    if (gs.composition == "M: Ni 2/3 Sb 1/3") {
      found_third = true;
      EXPECT_EQ(gs.structure.size, 3);
      EXPECT_NEAR(gs.energy_per_cell, -kJ / 3.0, 1e-12);
      EXPECT_EQ(gs.n_degenerate, 1) << "the honeycomb is unique up to symmetry";
      EXPECT_GT(gs.n_structures, 3) << "sizes 3 and 6 both reach 1/3: the test must compare candidates";
    }
    if (gs.composition == "M: Ni 1") {
      found_pure = true;
      EXPECT_NEAR(gs.energy_per_cell, kJ, 1e-12);  // every pair like: correlation +1
    }
    // No composition can beat the bound of a nearest-neighbour antiferro-like model on a
    // frustrated lattice: the pair correlation is at least -1/3.
    EXPECT_GE(gs.energy_per_cell, -kJ / 3.0 - 1e-12) << gs.composition;
  }
  EXPECT_TRUE(found_third);
  EXPECT_TRUE(found_pure);
}

TEST(GroundStates, CompositionLabelsAreReducedFractions) {
  const auto parent = test_lattices::o3_natmo2();
  IMat3 P = IMat3::Identity();
  P(0, 0) = 2;
  P(1, 1) = 3;
  const lattice::Supercell sc(P, 4);
  std::vector<int> occ(static_cast<std::size_t>(sc.n_sites()), 0);
  for (int c = 0; c < 2; ++c) occ[static_cast<std::size_t>(c)] = 1;       // 2 of 6 TM sites Sb
  occ[static_cast<std::size_t>(sc.n_cells())] = 1;                        // 1 of 6 Na sites empty
  EXPECT_EQ(enumeration::composition_label(parent, sc, occ), "TM: Ni 2/3 Sb 1/3; Na: Na 5/6 Va 1/6");
}

TEST(GroundStates, AnnealingInALargerCellReachesTheExhaustiveGroundState) {
  const clusters::ClusterSpace cs(test_lattices::triangular(), {3.5}, 1e-5);
  const ce::ClusterExpansion model(cs, {0.0, 0.0, kJ});
  IMat3 P = IMat3::Identity();
  P(0, 0) = 6;
  P(1, 1) = 6;
  const lattice::Supercell sc(P, 1);
  const ce::LocalEnergy local(model, sc);
  mc::Rng rng(7);
  auto occ = mc::random_configuration(cs.parent(), sc, {{"M", {{"Ni", 2.0 / 3.0}, {"Sb", 1.0 / 3.0}}}}, rng);
  mc::MonteCarlo sampler(local, cs.parent(), occ, rng, 3000.0, mc::MoveSet{});
  const auto result = mc::anneal(sampler, {3000.0, 20.0, 40, 100});
  EXPECT_NEAR(result.best_energy / sc.n_cells(), -kJ / 3.0, 1e-9);
}

// A search restricted to fewer species must find, at every composition it reaches, exactly
// the minimum that the unrestricted search finds among the structures using only those
// species (the restricted enumeration is a subset, evaluated with the same model).
TEST(GroundStates, SpeciesRestrictedSearchEqualsTheFilteredFullSearch) {
  const auto parent = test_lattices::o3_natmo2();  // TM {Ni, Sb, Cu}, Na {Na, Va, Cu}
  const clusters::ClusterSpace cs(parent, {5.5, 3.1}, 1e-5);
  std::vector<double> ecis(cs.n_functions());
  for (std::size_t k = 0; k < ecis.size(); ++k) ecis[k] = 0.05 * std::sin(1.7 * static_cast<double>(k) + 0.3);  // generic, deterministic
  const ce::ClusterExpansion model(cs, ecis);
  const auto restriction = enumeration::restrict_species(parent, {{"TM", {"Sb", "Ni"}}, {"Na", {"Na"}}});
  ASSERT_EQ(restriction.parent.sublattices.size(), 1u);
  EXPECT_EQ(restriction.parent.sublattices[0].species, (std::vector<std::string>{"Ni", "Sb"})) << "the model's order is kept";
  EXPECT_FALSE(restriction.parent.is_active(1)) << "a sublattice left with one species is fixed";
  EXPECT_EQ(restriction.parent.structure.species[1], "Na");

  enumeration::EnumerationOptions o;
  o.min_size = 1;
  o.max_size = 3;
  const auto restricted = enumeration::exhaustive_ground_states(enumeration::Enumerator(restriction.parent, o), model, nullptr,
                                                                &restriction);
  // Full search, keeping only Ni/Sb on TM and Na on the Na layer.
  std::map<std::string, double> best;
  const enumeration::Enumerator full(parent, o);
  for (const auto& d : full.enumerate()) {
    const lattice::Supercell sc(d.supercell_matrix, 4);
    bool only_kept = true;
    for (int i = 0; i < sc.n_sites(); ++i) {
      const int b = i / sc.n_cells();
      const int s = d.occupation[static_cast<std::size_t>(i)];
      if ((b == 0 && s == 2) || (b == 1 && s != 0)) only_kept = false;
    }
    if (!only_kept) continue;
    const std::string label = enumeration::composition_label(parent, sc, d.occupation);
    const double e = enumeration::energy_per_cell(model, nullptr, sc, d.occupation);
    const auto it = best.find(label);
    if (it == best.end() || e < it->second) best[label] = e;
  }
  ASSERT_EQ(restricted.size(), best.size());
  for (const auto& gs : restricted) {
    ASSERT_TRUE(best.count(gs.composition)) << gs.composition;
    EXPECT_NEAR(gs.energy_per_cell, best[gs.composition], 1e-12) << gs.composition;
    EXPECT_NE(gs.composition.find("Na: Na 1"), std::string::npos) << "labels are the model's: " << gs.composition;
  }
}

TEST(GroundStates, SpeciesRestrictionRefusesUnknownNames) {
  const auto parent = test_lattices::o3_natmo2();
  EXPECT_THROW((void)enumeration::restrict_species(parent, {{"XX", {"Ni"}}}), tmorder::InputError);
  EXPECT_THROW((void)enumeration::restrict_species(parent, {{"TM", {"Ru"}}}), tmorder::InputError);
  EXPECT_THROW((void)enumeration::restrict_species(parent, {{"TM", {}}}), tmorder::InputError);
  EXPECT_THROW((void)enumeration::restrict_species(parent, {{"TM", {"Ni", "Ni"}}}), tmorder::InputError);
}

// The degenerate level, when kept, is exactly the n_degenerate structures within the
// tolerance of the lowest energy, all distinct, the printed ground state first. Checked on
// two cases known independently: with no interactions every structure of a composition is
// degenerate; with the nearest-neighbour pair the 1/3 level is the honeycomb alone.
TEST(GroundStates, KeptDegenerateLevelIsEveryLowestStructureAndNothingElse) {
  const clusters::ClusterSpace cs(test_lattices::triangular(), {3.5}, 1e-5);
  const enumeration::Enumerator e(cs.parent(), in_plane(6));
  std::map<std::string, int> per_composition;
  for (const auto& d : e.enumerate())
    ++per_composition[enumeration::composition_label(cs.parent(), lattice::Supercell(d.supercell_matrix, 1), d.occupation)];

  const ce::ClusterExpansion flat(cs, {0.0, 0.0, 0.0});
  for (const auto& gs : enumeration::exhaustive_ground_states(e, flat, nullptr, nullptr, true)) {
    EXPECT_EQ(gs.n_degenerate, per_composition[gs.composition]) << gs.composition;
    EXPECT_EQ(static_cast<int>(gs.degenerate.size()), gs.n_degenerate) << gs.composition;
  }

  const ce::ClusterExpansion model(cs, {0.0, 0.0, kJ});
  const auto kept = enumeration::exhaustive_ground_states(e, model, nullptr, nullptr, true);
  const auto plain = enumeration::exhaustive_ground_states(e, model, nullptr);
  ASSERT_EQ(kept.size(), plain.size());
  bool found_third = false;
  for (std::size_t k = 0; k < kept.size(); ++k) {
    const auto& gs = kept[k];
    EXPECT_TRUE(plain[k].degenerate.empty()) << "not kept unless asked";
    EXPECT_EQ(gs.n_degenerate, plain[k].n_degenerate);
    ASSERT_EQ(static_cast<int>(gs.degenerate.size()), gs.n_degenerate) << gs.composition;
    EXPECT_EQ(gs.degenerate.front().structure.occupation, gs.structure.occupation) << "the ground state comes first";
    EXPECT_EQ(gs.degenerate.front().energy_per_cell, gs.energy_per_cell);
    for (std::size_t a = 0; a < gs.degenerate.size(); ++a) {
      const auto& d = gs.degenerate[a].structure;
      const lattice::Supercell sc(d.supercell_matrix, 1);
      EXPECT_EQ(enumeration::composition_label(cs.parent(), sc, d.occupation), gs.composition);
      // The stored energy is the structure's own (recomputed here), and at the lowest level.
      const double e = enumeration::energy_per_cell(model, nullptr, sc, d.occupation);
      EXPECT_NEAR(gs.degenerate[a].energy_per_cell, e, 1e-12);
      EXPECT_NEAR(e, gs.energy_per_cell, 1e-6);
      for (std::size_t b = 0; b < a; ++b)
        EXPECT_FALSE(gs.degenerate[b].structure.supercell_matrix == d.supercell_matrix && gs.degenerate[b].structure.occupation == d.occupation)
            << "structure listed twice at " << gs.composition;
    }
    if (gs.composition == "M: Ni 2/3 Sb 1/3") {
      found_third = true;
      EXPECT_EQ(gs.degenerate.size(), 1u) << "the honeycomb alone";
    }
  }
  EXPECT_TRUE(found_third);
}
