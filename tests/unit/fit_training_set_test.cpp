// tmorder::fit training set and convex hull: synthetic truth through the whole library path
// (enumeration -> extxyz text -> mapping -> correlations -> OLS), hulls of hand-built sets,
// and every refusal of build_training_set.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "fit_test_helpers.hpp"
#include "test_lattices.hpp"
#include "tmorder/clusters/cluster_space.hpp"
#include "tmorder/clusters/correlations.hpp"
#include "tmorder/enumeration/enumeration.hpp"
#include "tmorder/fit/fit.hpp"
#include "tmorder/fit/hull.hpp"
#include "tmorder/fit/training_set.hpp"
#include "tmorder/lattice/extxyz.hpp"
#include "tmorder/util/error.hpp"

namespace tmorder {
namespace {

using fit::TrainingSet;

// Triangular binary {Ni, Sb}, a = 3 A: point + pairs up to the third neighbour (6 A): 5 ECIs.
clusters::ClusterSpace space() { return clusters::ClusterSpace(test_lattices::triangular(3.0, 2), {6.1}, 1e-3); }

const std::vector<double> kTrueEcis{-1.25, 0.08, 0.030, -0.012, 0.006};

using test_fit::fmt_double;
using test_fit::noise;

struct Synthetic {
  std::string text;  // extxyz of all enumerated structures
  std::size_t n = 0;
};

Synthetic synthetic_extxyz(const clusters::ClusterSpace& cs, double noise_amplitude) {
  enumeration::EnumerationOptions opt;
  opt.min_size = 1;
  opt.max_size = 4;
  opt.in_plane_only = true;
  const enumeration::Enumerator en(cs.parent(), opt);
  Synthetic out;
  const Eigen::VectorXd J = Eigen::Map<const Eigen::VectorXd>(kTrueEcis.data(), static_cast<Eigen::Index>(kTrueEcis.size()));
  for (const auto& d : en.enumerate()) {
    const lattice::Supercell sc(d.supercell_matrix, 1);
    const Eigen::VectorXd x = clusters::correlations(cs, sc, d.occupation);
    const double e_cell = x.dot(J) + noise(out.n, noise_amplitude);
    const double total = e_cell * d.size;
    out.text += lattice::format_extxyz(en.structure(d), {{"energy", fmt_double(total)}});
    ++out.n;
  }
  return out;
}

TEST(FitTrainingSet, RecoversKnownEcisExactlyWithoutNoise) {
  const auto cs = space();
  ASSERT_EQ(cs.n_functions(), kTrueEcis.size());
  const auto syn = synthetic_extxyz(cs, 0.0);
  ASSERT_GE(syn.n, 10u);
  const auto frames = lattice::parse_extxyz(syn.text, "synthetic.xyz");
  const TrainingSet set = fit::build_training_set(cs, frames, "synthetic.xyz");
  ASSERT_EQ(set.size(), syn.n);
  EXPECT_NO_THROW(fit::check_ols_feasible(set, "synthetic.xyz"));
  const auto r = fit::fit_ols(set.correlations, set.energies);
  // Noise-free: ECIs to 1e-8 eV per parent cell (rounding of positions and energies only).
  for (std::size_t j = 0; j < kTrueEcis.size(); ++j) EXPECT_NEAR(r.ecis[j], kTrueEcis[j], 1e-8) << "ECI " << j;
  EXPECT_LT(r.train_rmse, 1e-9);
  // Compositions: one sublattice, two species; fractions sum to 1.
  ASSERT_EQ(set.axes.size(), 2u);
  EXPECT_EQ(set.axes[1].label, "M:Sb");
  for (std::size_t i = 0; i < set.size(); ++i)
    EXPECT_NEAR(set.compositions(static_cast<Eigen::Index>(i), 0) + set.compositions(static_cast<Eigen::Index>(i), 1), 1.0, 1e-12);
}

TEST(FitTrainingSet, RecoversKnownEcisWithNoise) {
  const auto cs = space();
  const double amplitude = 1e-4;  // eV per parent cell, uniform
  const auto syn = synthetic_extxyz(cs, amplitude);
  const TrainingSet set = fit::build_training_set(cs, lattice::parse_extxyz(syn.text, "noisy.xyz"), "noisy.xyz");
  const auto r = fit::fit_ols(set.correlations, set.energies);
  // Stated tolerance: 2e-3 eV per cell per ECI (20x the noise amplitude) and a train RMSE
  // below the noise amplitude.
  for (std::size_t j = 0; j < kTrueEcis.size(); ++j) EXPECT_NEAR(r.ecis[j], kTrueEcis[j], 2e-3) << "ECI " << j;
  EXPECT_LT(r.train_rmse, amplitude);
  EXPECT_GT(r.cv_rmse, 0.0);
}

TEST(FitTrainingSet, ReferenceEnergiesAreSubtractedPerAtom) {
  const auto cs = space();
  const auto syn = synthetic_extxyz(cs, 0.0);
  const auto frames = lattice::parse_extxyz(syn.text, "s.xyz");
  fit::TrainingSetOptions opt;
  opt.reference_energies = fit::parse_reference_energies(cs.parent(), {"Sb=-2.5"});
  const TrainingSet plain = fit::build_training_set(cs, frames, "s.xyz");
  const TrainingSet ref = fit::build_training_set(cs, frames, "s.xyz", opt);
  for (std::size_t i = 0; i < plain.size(); ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    EXPECT_NEAR(ref.energies[r], plain.energies[r] + 2.5 * plain.compositions(r, 1), 1e-12);
  }
}

TEST(FitTrainingSet, RefusesBadFrames) {
  const auto cs = space();
  const auto syn = synthetic_extxyz(cs, 0.0);
  const auto good = lattice::parse_extxyz(syn.text, "t.xyz");
  auto expect_refusal = [&](const std::vector<lattice::ExtxyzFrame>& frames, const std::vector<std::string>& parts) {
    try {
      fit::build_training_set(cs, frames, "t.xyz");
      ADD_FAILURE() << "no refusal; expected " << parts.front();
    } catch (const InputError& e) {
      for (const auto& p : parts) EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what() << " lacks " << p;
    }
  };
  {
    auto f = good;
    f[2].energy.reset();
    expect_refusal(f, {"t.xyz: frame 2", "'energy'", "missing"});
  }
  {
    auto f = good;
    f[1].energy = std::numeric_limits<double>::quiet_NaN();
    expect_refusal(f, {"frame 1", "'energy'", "not finite"});
  }
  {
    auto f = good;
    f[3].structure.species[0] = "Fe";
    expect_refusal(f, {"frame 3", "'species'", "'Fe'", "unknown to the model"});
  }
  {
    auto f = good;
    f[4].structure.frac[0] += Vec3(0.3, 0.2, 0.0);
    expect_refusal(f, {"frame 4", "does not map"});
  }
  {
    auto f = good;
    f.push_back(good[1]);
    expect_refusal(f, {"duplicate", "frames 1 and " + std::to_string(good.size())});
  }
  {
    // The same correlations with another energy: not a duplicate but indistinguishable by
    // this cluster space; kept, with a warning naming both frames.
    auto f = good;
    f.push_back(good[1]);
    *f.back().energy += 0.05 * f.back().structure.size();
    const auto set = fit::build_training_set(cs, f, "train.xyz");
    EXPECT_EQ(set.size(), f.size());
    ASSERT_EQ(set.warnings.size(), 1u);
    EXPECT_NE(set.warnings[0].find("frames 1 and " + std::to_string(good.size())), std::string::npos) << set.warnings[0];
  }
  expect_refusal({}, {"no frames"});

  // OLS with fewer structures than ECIs.
  const std::vector<lattice::ExtxyzFrame> few(good.begin(), good.begin() + 3);
  const auto small = fit::build_training_set(cs, few, "t.xyz");
  try {
    fit::check_ols_feasible(small, "t.xyz");
    ADD_FAILURE() << "no refusal";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("use --method ridge/lasso/ard"), std::string::npos) << e.what();
  }
}

TEST(FitTrainingSet, OptionParsing) {
  const auto parent = test_lattices::triangular(3.0, 2);
  EXPECT_EQ(fit::parse_composition_axis(parent, "").label, "M:Ni");
  EXPECT_EQ(fit::parse_composition_axis(parent, "M:Sb").species, 1);
  EXPECT_THROW(fit::parse_composition_axis(parent, "M"), InputError);
  EXPECT_THROW(fit::parse_composition_axis(parent, "X:Sb"), InputError);
  EXPECT_THROW(fit::parse_composition_axis(parent, "M:Fe"), InputError);
  EXPECT_EQ(fit::parse_reference_energies(parent, {"Ni=-1.5", "Sb=2"}).at("Sb"), 2.0);
  EXPECT_THROW(fit::parse_reference_energies(parent, {"Ni"}), InputError);
  EXPECT_THROW(fit::parse_reference_energies(parent, {"Ni=abc"}), InputError);
  EXPECT_THROW(fit::parse_reference_energies(parent, {"Ni=inf"}), InputError);
  EXPECT_THROW(fit::parse_reference_energies(parent, {"Fe=-1"}), InputError);
  EXPECT_THROW(fit::parse_reference_energies(parent, {"Ni=1", "Ni=2"}), InputError);
}

// x:       0     0.25  0.5   0.5   0.75  1     0.5
// energy:  0    -0.4  -1.0  -0.5  -0.6   0    -1.0   (then + 1 + 2x: end-member shift)
const std::vector<double> kX{0.0, 0.25, 0.5, 0.5, 0.75, 1.0, 0.5};
std::vector<double> hull_energies() {
  std::vector<double> e{0.0, -0.4, -1.0, -0.5, -0.6, 0.0, -1.0};
  for (std::size_t i = 0; i < e.size(); ++i) e[i] += 1.0 + 2.0 * kX[i];
  return e;
}

TEST(FitHull, KnownVerticesAndDistances) {
  const auto h = fit::lower_hull(kX, hull_energies());
  EXPECT_EQ(h.vertices, (std::vector<std::size_t>{0, 2, 4, 5}));
  const std::vector<double> formation{0.0, -0.4, -1.0, -0.5, -0.6, 0.0, -1.0};
  const std::vector<double> distance{0.0, 0.1, 0.0, 0.5, 0.0, 0.0, 0.0};
  for (std::size_t i = 0; i < kX.size(); ++i) {
    EXPECT_NEAR(h.formation_energy[i], formation[i], 1e-12) << i;
    EXPECT_NEAR(h.distance[i], distance[i], 1e-12) << i;
  }
}

TEST(FitHull, CollinearPointIsNotAVertex) {
  const auto h = fit::lower_hull({0.0, 0.5, 1.0}, {0.0, -0.5, -1.0});
  EXPECT_EQ(h.vertices, (std::vector<std::size_t>{0, 2}));
  EXPECT_NEAR(h.distance[1], 0.0, 1e-12);
  const auto single = fit::lower_hull({0.3, 0.3}, {1.0, 0.5});
  EXPECT_EQ(single.vertices, (std::vector<std::size_t>{1}));
  EXPECT_NEAR(single.distance[0], 0.5, 1e-12);
  EXPECT_THROW(fit::lower_hull({}, {}), std::invalid_argument);
  EXPECT_THROW(fit::lower_hull({0.0}, {std::nan("")}), std::invalid_argument);
}

TEST(FitHull, ComparisonKeptLostAdded) {
  const auto dft = fit::lower_hull(kX, hull_energies());
  auto ce_e = hull_energies();
  ce_e[4] = 1.0 + 2.0 * 0.75;         // formation 0: off the CE hull -> lost
  ce_e[1] = -0.8 + 1.0 + 2.0 * 0.25;  // formation -0.8: on the CE hull only -> added
  const auto ce = fit::lower_hull(kX, ce_e);
  const auto c = fit::compare_hulls(dft, ce);
  EXPECT_EQ(c.kept, (std::vector<std::size_t>{0, 2, 5}));
  EXPECT_EQ(c.lost, (std::vector<std::size_t>{4}));
  EXPECT_EQ(c.added, (std::vector<std::size_t>{1}));
}

}  // namespace
}  // namespace tmorder
