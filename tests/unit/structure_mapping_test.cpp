// map_relaxed_structure: a decorated supercell written down as a DFT code would return it
// (homogeneously strained, atoms rattled, rigidly translated, atoms shuffled, vacancies left
// out) maps back onto the same supercell matrix and the same occupation vector, with the
// applied strain recovered; every kind of bad input is refused with a message naming the
// source, the atom(s) and the problem.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "test_lattices.hpp"
#include "tmorder/lattice/ideal_mapping.hpp"
#include "tmorder/lattice/structure_mapping.hpp"
#include "tmorder/lattice/supercell.hpp"
#include "tmorder/util/error.hpp"

using namespace tmorder;
using lattice::LatticeSite;
using lattice::MappingOptions;
using lattice::ParentLattice;
using lattice::Structure;
using lattice::Supercell;

namespace {

IMat3 o3_matrix() {
  IMat3 P;
  P << 2, 1, 0, -1, 2, 1, 1, 0, 2;  // det 11, skewed
  return P;
}

IMat3 fcc_matrix() {
  IMat3 P;
  P << 3, 1, 0, 0, 3, 1, 1, 0, 2;  // det 19, skewed
  return P;
}

/// A decorated supercell and its ideal structure (atoms shuffled, vacancies dropped).
struct Decorated {
  ParentLattice parent;
  Supercell supercell;
  std::vector<std::string> species;  // per supercell site, "Va" included
  std::vector<int> occupation;       // per supercell site
  Structure structure;               // ideal positions, what map_ideal_structure accepts
};

Decorated decorated(const ParentLattice& parent, const IMat3& P, unsigned seed) {
  Decorated d{parent, Supercell(P, static_cast<int>(parent.n_sites())), {}, {}, {}};
  std::mt19937 rng(seed);
  const Supercell& sc = d.supercell;
  for (int i = 0; i < sc.n_sites(); ++i) {
    const auto allowed = parent.allowed_species(i / sc.n_cells());
    std::uniform_int_distribution<std::size_t> pick(0, allowed.size() - 1);
    const std::size_t o = pick(rng);
    d.species.push_back(allowed[o]);
    d.occupation.push_back(static_cast<int>(o));
  }
  // At least one vacancy wherever the first sublattice allowing one exists.
  for (int i = 0; i < sc.n_sites(); ++i) {
    const auto allowed = parent.allowed_species(i / sc.n_cells());
    const auto va = std::find(allowed.begin(), allowed.end(), "Va");
    if (va == allowed.end()) continue;
    d.species[static_cast<std::size_t>(i)] = "Va";
    d.occupation[static_cast<std::size_t>(i)] = static_cast<int>(va - allowed.begin());
    break;
  }
  const Structure ideal = sc.structure(parent.structure, d.species);
  std::vector<std::size_t> order(ideal.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  d.structure.cell = ideal.cell;
  for (std::size_t i : order) {
    if (ideal.species[i] == "Va") continue;
    d.structure.species.push_back(ideal.species[i]);
    d.structure.frac.push_back(ideal.frac[i]);
  }
  return d;
}

/// The structure as a relaxation would leave it: r -> F r + tau + rattle (each atom by a
/// random direction and a length in [rattle_min, rattle_max]), cell rows L -> L F^T, atoms
/// shuffled again and moved to arbitrary periodic images.
Structure deformed(const Structure& s, const Mat3& F, const Vec3& tau, double rattle_min, double rattle_max, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> length(rattle_min, rattle_max);
  std::uniform_int_distribution<int> image(-2, 2);
  std::vector<std::size_t> order(s.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  Structure out;
  out.cell = s.cell * F.transpose();
  for (std::size_t i : order) {
    Vec3 dir(normal(rng), normal(rng), normal(rng));
    dir.normalize();
    const Vec3 r = F * s.cartesian_of(i) + tau + (rattle_max > 0 ? length(rng) : 0.0) * dir;
    out.species.push_back(s.species[i]);
    out.frac.push_back(out.fractional(r) + Vec3(image(rng), image(rng), image(rng)));
  }
  return out;
}

Mat3 nonuniform_strain() {
  Mat3 eps;
  eps << 0.03, 0.01, -0.005, 0.01, -0.02, 0.015, -0.005, 0.015, 0.025;
  return eps;
}

double largest_principal(const Mat3& eps) {
  return Eigen::SelfAdjointEigenSolver<Mat3>(eps).eigenvalues().cwiseAbs().maxCoeff();
}

std::vector<Decorated> cases(unsigned seed) {
  return {decorated(test_lattices::fcc(4.0, 4), fcc_matrix(), seed),  // Ni, Sb, Cu, Va
          decorated(test_lattices::o3_natmo2(), o3_matrix(), seed + 100)};
}

std::string message_of(const ParentLattice& parent, const Structure& s, const std::string& source,
                       const MappingOptions& options = {}) {
  try {
    (void)lattice::map_relaxed_structure(parent, s, source, options);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected tmorder::InputError";
  return {};
}

#define EXPECT_CONTAINS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << "message: " << (text)

std::size_t first_atom(const Structure& s, const std::string& species) {
  const auto it = std::find(s.species.begin(), s.species.end(), species);
  EXPECT_NE(it, s.species.end());
  return static_cast<std::size_t>(it - s.species.begin());
}

}  // namespace

TEST(StructureMappingTest, IdealStructuresMapExactlyAsMapIdealStructure) {
  for (unsigned seed : {1u, 2u, 3u}) {
    for (const Decorated& d : cases(seed)) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", " + std::to_string(d.parent.n_sites()) + " basis sites");
      ASSERT_LT(d.structure.size(), d.species.size()) << "some vacancies must be left out";
      const auto ideal = lattice::map_ideal_structure(d.parent, d.structure, "ideal.vasp");
      const auto m = lattice::map_relaxed_structure(d.parent, d.structure, "ideal.vasp");
      EXPECT_EQ(m.supercell.matrix(), ideal.supercell.matrix());
      EXPECT_EQ(m.occupation, ideal.occupation);
      EXPECT_EQ(m.occupation, d.occupation);
      EXPECT_LT(m.strain_norm, 1e-12);
      EXPECT_LT(m.max_displacement, 1e-9);
      EXPECT_LT(m.shift.norm(), 1e-9);
      ASSERT_EQ(m.atom_site.size(), d.structure.size());
      for (std::size_t i = 0; i < d.structure.size(); ++i) {
        const LatticeSite ls = m.supercell.lattice_site(m.atom_site[i]);
        const Vec3 site = d.parent.structure.cartesian(d.parent.structure.frac[static_cast<std::size_t>(ls.basis)] +
                                                       ls.cell.cast<double>());
        const Vec3 f = d.structure.fractional(d.structure.cartesian_of(i) - site);
        EXPECT_LT((f - f.array().round().matrix()).norm(), 1e-9) << "atom " << i << " is not on its site";
      }
    }
  }
}

TEST(StructureMappingTest, RattledCopiesMapBack) {
  for (unsigned seed : {4u, 5u, 6u}) {
    for (const Decorated& d : cases(seed)) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", " + std::to_string(d.parent.n_sites()) + " basis sites");
      const Structure s = deformed(d.structure, Mat3::Identity(), Vec3::Zero(), 0.1, 0.2, seed);
      const auto m = lattice::map_relaxed_structure(d.parent, s, "rattled.vasp");
      EXPECT_EQ(m.supercell.matrix(), d.supercell.matrix());
      EXPECT_EQ(m.occupation, d.occupation);
      EXPECT_LT(m.strain_norm, 1e-12);
      EXPECT_GT(m.max_displacement, 0.1);
      EXPECT_LT(m.max_displacement, 0.25);  // 0.2 plus the removed mean
      EXPECT_GT(m.mean_displacement, 0.05);
      EXPECT_LT(m.mean_displacement, m.max_displacement);
      Vec3 mean = Vec3::Zero();
      for (const Vec3& u : m.displacements) mean += u;
      EXPECT_LT(mean.norm() / static_cast<double>(m.displacements.size()), 1e-9) << "the mean displacement is removed";
    }
  }
}

TEST(StructureMappingTest, StrainedTranslatedShuffledCopiesMapBackWithTheirStrain) {
  const Mat3 eps = nonuniform_strain();
  const Vec3 tau(0.37, -0.21, 0.55);
  const Mat3 R = Eigen::AngleAxisd(0.05, Vec3(1, 2, 3).normalized()).toRotationMatrix();
  for (const bool rotated : {false, true}) {
    const Mat3 F = (rotated ? R : Mat3::Identity()) * (Mat3::Identity() + eps);
    for (const Decorated& d : cases(7)) {
      SCOPED_TRACE(std::string(rotated ? "rotated, " : "") + std::to_string(d.parent.n_sites()) + " basis sites");
      const Structure s = deformed(d.structure, F, tau, 0.0, 0.0, 8);
      const auto m = lattice::map_relaxed_structure(d.parent, s, "strained.vasp");
      EXPECT_EQ(m.supercell.matrix(), d.supercell.matrix());
      EXPECT_EQ(m.occupation, d.occupation);
      EXPECT_LT((m.strain - eps).cwiseAbs().maxCoeff(), 1e-6) << "strain\n" << m.strain;
      EXPECT_NEAR(m.strain_norm, largest_principal(eps), 1e-6);
      EXPECT_LT((m.deformation - F).cwiseAbs().maxCoeff(), 1e-6);
      const Mat3 C = F.transpose() * F;
      EXPECT_LT((m.green_lagrange - 0.5 * (C - Mat3::Identity())).cwiseAbs().maxCoeff(), 1e-9);
      EXPECT_LT(m.max_displacement, 1e-6);
      EXPECT_LT((m.shift + F.inverse() * tau).norm(), 1e-6) << "shift " << m.shift.transpose();
    }
  }
}

TEST(StructureMappingTest, StrainedRattledCopiesMapBack) {
  const Mat3 F = Mat3::Identity() + nonuniform_strain();
  for (unsigned seed : {9u, 10u}) {
    for (const Decorated& d : cases(seed)) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", " + std::to_string(d.parent.n_sites()) + " basis sites");
      const Structure s = deformed(d.structure, F, Vec3(-0.4, 0.3, 0.1), 0.1, 0.2, seed);
      const auto m = lattice::map_relaxed_structure(d.parent, s, "relaxed.vasp");
      EXPECT_EQ(m.supercell.matrix(), d.supercell.matrix());
      EXPECT_EQ(m.occupation, d.occupation);
      EXPECT_NEAR(m.strain_norm, largest_principal(nonuniform_strain()), 1e-6);
      EXPECT_LT(m.max_displacement, 0.25);
    }
  }
}

TEST(StructureMappingTest, TranslationByALatticeVectorGivesATranslatedDecoration) {
  for (const Decorated& d : cases(11)) {
    const Vec3 a1 = d.parent.structure.cell.row(0).transpose();
    const Structure s = deformed(d.structure, Mat3::Identity(), 2.0 * a1 + Vec3(0.2, 0.1, -0.3), 0.1, 0.15, 12);
    const auto m = lattice::map_relaxed_structure(d.parent, s, "translated.vasp");
    EXPECT_EQ(m.supercell.matrix(), d.supercell.matrix());
    // Some parent translation t maps the original decoration onto the mapped one.
    const Supercell& sc = d.supercell;
    bool found = false;
    for (int t = 0; t < sc.n_cells() && !found; ++t) {
      bool all = true;
      for (int i = 0; i < sc.n_sites() && all; ++i) {
        const LatticeSite ls = sc.lattice_site(i);
        const int j = sc.site_index(ls.basis, ls.cell + sc.cell_translation(t));
        all = m.occupation[static_cast<std::size_t>(j)] == d.occupation[static_cast<std::size_t>(i)];
      }
      found = all;
    }
    EXPECT_TRUE(found);
  }
}

TEST(StructureMappingTest, VacanciesWhereAllowed) {
  const Decorated d = decorated(test_lattices::fcc(4.0, 4), fcc_matrix(), 13);
  Structure s = deformed(d.structure, Mat3::Identity() + 0.5 * nonuniform_strain(), Vec3(0.1, 0.2, 0.3), 0.1, 0.2, 14);
  // Remove two more atoms: their sites become vacancies (index 3 = "Va" on fcc(4.0, 4)).
  s.species.erase(s.species.begin(), s.species.begin() + 2);
  s.frac.erase(s.frac.begin(), s.frac.begin() + 2);
  const auto m = lattice::map_relaxed_structure(d.parent, s, "vacancies.vasp");
  const auto n_va = std::count(m.occupation.begin(), m.occupation.end(), 3);
  EXPECT_EQ(static_cast<std::size_t>(n_va), m.occupation.size() - s.size());
  for (std::size_t i = 0; i < m.occupation.size(); ++i)
    if (m.occupation[i] != 3) {
      EXPECT_EQ(m.occupation[i], d.occupation[i]) << "site " << i;
    }
}

TEST(StructureMappingTest, EmptySiteWithoutVacancyIsRefused) {
  // fcc ternary without "Va".
  const Decorated d = decorated(test_lattices::fcc(4.0, 3), fcc_matrix(), 15);
  ASSERT_EQ(d.structure.size(), d.species.size());
  Structure s = deformed(d.structure, Mat3::Identity() + nonuniform_strain(), Vec3::Zero(), 0.1, 0.2, 16);
  ASSERT_NO_THROW((void)lattice::map_relaxed_structure(d.parent, s, "full.vasp"));
  s.species.pop_back();
  s.frac.pop_back();
  const std::string msg = message_of(d.parent, s, "missing.vasp");
  EXPECT_CONTAINS(msg, "missing.vasp");
  EXPECT_CONTAINS(msg, "no atom on a site of sublattice M");
  EXPECT_CONTAINS(msg, "does not allow a vacancy (Va); allowed: Ni, Sb, Cu");

  // A missing oxygen of the O3 parent.
  const Decorated o3 = decorated(test_lattices::o3_natmo2(), o3_matrix(), 17);
  Structure t = deformed(o3.structure, Mat3::Identity(), Vec3::Zero(), 0.1, 0.2, 18);
  const std::size_t i = first_atom(t, "O");
  t.species.erase(t.species.begin() + static_cast<std::ptrdiff_t>(i));
  t.frac.erase(t.frac.begin() + static_cast<std::ptrdiff_t>(i));
  const std::string o_msg = message_of(o3.parent, t, "no_oxygen.vasp");
  EXPECT_CONTAINS(o_msg, "no_oxygen.vasp");
  EXPECT_CONTAINS(o_msg, "no atom on a fixed O site");
  EXPECT_CONTAINS(o_msg, "does not allow a vacancy");
}

TEST(StructureMappingTest, AtomFarFromEverySiteIsRefused) {
  const Decorated d = decorated(test_lattices::fcc(4.0, 4), fcc_matrix(), 19);
  Structure s = deformed(d.structure, Mat3::Identity(), Vec3::Zero(), 0.1, 0.2, 20);
  const std::size_t i = 5;
  // The octahedral interstice, a/2 = 2 A from the six nearest sites.
  s.frac[i] += s.fractional(Vec3(2.0, 0.0, 0.0));
  MappingOptions options;
  options.atom_lines.resize(s.size());
  std::iota(options.atom_lines.begin(), options.atom_lines.end(), 3L);
  const std::string msg = message_of(d.parent, s, "frames.xyz", options);
  EXPECT_CONTAINS(msg, "frames.xyz:" + std::to_string(options.atom_lines[i]) + ":");
  EXPECT_CONTAINS(msg, "atom " + std::to_string(i + 1) + " (" + s.species[i] + ") is ");
  EXPECT_CONTAINS(msg, "farther than max_displacement 1 A");

  // A looser tolerance accepts it (the site it leaves becomes the vacancy or the atom lands
  // on an empty one), so the refusal above came from the tolerance.
  MappingOptions loose;
  loose.max_displacement = 2.5;
  try {
    (void)lattice::map_relaxed_structure(d.parent, s, "frames.xyz", loose);
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).find("farther than"), std::string::npos) << e.what();
  }
}

TEST(StructureMappingTest, TwoAtomsOnOneSiteAreRefusedNamingBoth) {
  const Decorated d = decorated(test_lattices::o3_natmo2(), o3_matrix(), 21);
  Structure s = deformed(d.structure, Mat3::Identity() + nonuniform_strain(), Vec3(0.3, 0.0, 0.0), 0.0, 0.0, 22);
  const std::size_t i = first_atom(s, "O");
  s.species.push_back("O");
  s.frac.push_back(s.frac[i] + s.fractional(Vec3(0.05, -0.03, 0.04)));
  const std::string msg = message_of(d.parent, s, "double.vasp");
  EXPECT_CONTAINS(msg, "double.vasp");
  EXPECT_CONTAINS(msg, "ambiguous mapping");
  EXPECT_CONTAINS(msg, "atom " + std::to_string(s.size()) + " (O) and atom " + std::to_string(i + 1) + " (O)");
  EXPECT_CONTAINS(msg, "a fixed O site");
}

TEST(StructureMappingTest, SpeciesNotAllowedOnItsSiteIsRefused) {
  const Decorated d = decorated(test_lattices::o3_natmo2(), o3_matrix(), 23);
  Structure s = deformed(d.structure, Mat3::Identity() + nonuniform_strain(), Vec3::Zero(), 0.1, 0.2, 24);
  const std::size_t i = first_atom(s, "Ni");  // Ni is allowed only on the TM sublattice
  s.species[i] = "O";
  const std::string msg = message_of(d.parent, s, "o_on_tm.vasp");
  EXPECT_CONTAINS(msg, "o_on_tm.vasp");
  EXPECT_CONTAINS(msg, "atom " + std::to_string(i + 1) + " (O) maps to a site of sublattice TM");
  EXPECT_CONTAINS(msg, "allows only Ni, Sb, Cu");
}

TEST(StructureMappingTest, CellThatIsNotASupercellIsRefusedWithItsStrain) {
  for (const Decorated& d : cases(25)) {
    Mat3 shear = Mat3::Identity();
    shear(0, 1) = 0.3;
    const Structure s = deformed(d.structure, shear, Vec3::Zero(), 0.0, 0.0, 26);
    const std::string msg = message_of(d.parent, s, "sheared.vasp");
    EXPECT_CONTAINS(msg, "sheared.vasp");
    EXPECT_CONTAINS(msg, "not a supercell of the parent lattice within the strain tolerance");
    EXPECT_CONTAINS(msg, "more than max_strain 0.1");
    EXPECT_CONTAINS(msg, "needs a strain of ");
  }
  // The threshold is options.max_strain: 3.6 % principal strain passes at 0.1, not at 0.03.
  const Decorated d = decorated(test_lattices::o3_natmo2(), o3_matrix(), 27);
  const Structure s = deformed(d.structure, Mat3::Identity() + nonuniform_strain(), Vec3::Zero(), 0.0, 0.0, 28);
  EXPECT_NO_THROW((void)lattice::map_relaxed_structure(d.parent, s, "strained.vasp"));
  MappingOptions tight;
  tight.max_strain = 0.03;
  const std::string msg = message_of(d.parent, s, "strained.vasp", tight);
  EXPECT_CONTAINS(msg, fmt::format("needs a strain of {:.4f}", largest_principal(nonuniform_strain())));
  EXPECT_CONTAINS(msg, "more than max_strain 0.03");
}

TEST(StructureMappingTest, LeftHandedCellIsRefused) {
  const Decorated d = decorated(test_lattices::fcc(4.0, 4), fcc_matrix(), 29);
  Structure s;
  s.cell = d.structure.cell;
  s.cell.row(0).swap(s.cell.row(1));
  s.species = d.structure.species;
  for (std::size_t i = 0; i < d.structure.size(); ++i) s.frac.push_back(s.fractional(d.structure.cartesian_of(i)));
  const std::string msg = message_of(d.parent, s, "mirrored.vasp");
  EXPECT_CONTAINS(msg, "mirrored.vasp");
  EXPECT_CONTAINS(msg, "det P = -19");
}

TEST(StructureMappingTest, MoreAtomsThanSitesAreRefused) {
  const Decorated d = decorated(test_lattices::fcc(4.0, 3), fcc_matrix(), 31);
  Structure s = d.structure;
  s.species.push_back("Ni");
  s.frac.push_back(s.frac[0] + s.fractional(Vec3(0.1, 0.0, 0.0)));
  const std::string msg = message_of(d.parent, s, "crowded.vasp");
  EXPECT_CONTAINS(msg, "crowded.vasp");
  EXPECT_CONTAINS(msg, "20 atoms for the 19 sites");
}
