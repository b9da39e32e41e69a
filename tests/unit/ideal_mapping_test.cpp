// map_ideal_structure: a structure written down from a decorated supercell (atoms in any
// order, vacancies left out, small displacements) maps back onto the same supercell and the
// same decoration; every kind of bad input is refused with a message naming the source,
// the atom and the problem.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "test_lattices.hpp"
#include "tmorder/clusters/cluster_space.hpp"
#include "tmorder/clusters/correlations.hpp"
#include "tmorder/lattice/ideal_mapping.hpp"
#include "tmorder/lattice/supercell.hpp"
#include "tmorder/util/error.hpp"

using namespace tmorder;
using lattice::LatticeSite;
using lattice::ParentLattice;
using lattice::Structure;
using lattice::Supercell;

namespace {

constexpr double kTolerance = 0.1;  // Angstrom, the default of map_ideal_structure

IMat3 skewed_matrix() {
  IMat3 P;
  P << 2, 1, 0, -1, 2, 1, 1, 0, 2;  // det 11: no parent symmetry keeps this cell
  return P;
}

/// A decorated supercell of the O3 parent and the structure written from it: atoms
/// shuffled, vacancies dropped, every atom displaced by less than the tolerance.
struct Decorated {
  ParentLattice parent = test_lattices::o3_natmo2();
  Supercell supercell{skewed_matrix(), 4};
  std::vector<std::string> species;  // per supercell site, "Va" included
  Structure structure;               // what a file would hold
};

Decorated decorated(unsigned seed) {
  Decorated d;
  std::mt19937 rng(seed);
  const Supercell& sc = d.supercell;
  d.species.resize(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i) {
    const auto allowed = d.parent.allowed_species(i / sc.n_cells());
    std::uniform_int_distribution<std::size_t> pick(0, allowed.size() - 1);
    d.species[static_cast<std::size_t>(i)] = allowed[pick(rng)];
  }
  // Make sure every species of each sublattice appears at least once.
  const int na = 1 * sc.n_cells();
  d.species[0] = "Ni";
  d.species[1] = "Sb";
  d.species[2] = "Cu";
  d.species[static_cast<std::size_t>(na)] = "Na";
  d.species[static_cast<std::size_t>(na + 1)] = "Va";
  d.species[static_cast<std::size_t>(na + 2)] = "Cu";

  const Structure ideal = sc.structure(d.parent.structure, d.species);
  std::vector<std::size_t> order(ideal.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::uniform_int_distribution<int> shift(-2, 2);
  d.structure.cell = ideal.cell;
  for (std::size_t i : order) {
    if (ideal.species[i] == "Va") continue;
    Vec3 dr(unit(rng), unit(rng), unit(rng));
    dr *= 0.6 * kTolerance / std::sqrt(3.0);  // |dr| < 0.6 tolerance
    Vec3 f = ideal.frac[i] + d.structure.fractional(dr);
    f += Vec3(shift(rng), shift(rng), shift(rng));  // any periodic image is the same atom
    d.structure.species.push_back(ideal.species[i]);
    d.structure.frac.push_back(f);
  }
  return d;
}

/// Occupation indices of a species-per-site list.
std::vector<int> occupation_of(const ParentLattice& parent, const Supercell& sc, const std::vector<std::string>& species) {
  std::vector<int> occ;
  for (int i = 0; i < sc.n_sites(); ++i) {
    const auto allowed = parent.allowed_species(i / sc.n_cells());
    const auto it = std::find(allowed.begin(), allowed.end(), species[static_cast<std::size_t>(i)]);
    EXPECT_NE(it, allowed.end());
    occ.push_back(static_cast<int>(it - allowed.begin()));
  }
  return occ;
}

/// Both supercells hold the same parent translations (the same lattice of supercell
/// vectors): each one's cell indices are a bijection on the other's translations.
void expect_same_lattice(const Supercell& a, const Supercell& b) {
  ASSERT_EQ(a.n_cells(), b.n_cells());
  ASSERT_EQ(a.n_basis(), b.n_basis());
  std::set<int> seen_ab, seen_ba;
  for (int c = 0; c < a.n_cells(); ++c) {
    seen_ab.insert(b.cell_index(a.cell_translation(c)));
    seen_ba.insert(a.cell_index(b.cell_translation(c)));
  }
  EXPECT_EQ(static_cast<int>(seen_ab.size()), a.n_cells());
  EXPECT_EQ(static_cast<int>(seen_ba.size()), a.n_cells());
  // The supercell lattice vectors of each are translations by a whole cell of the other.
  for (int r = 0; r < 3; ++r) {
    EXPECT_EQ(b.cell_index(a.matrix().row(r).transpose()), b.cell_index(IVec3::Zero())) << "row " << r;
    EXPECT_EQ(a.cell_index(b.matrix().row(r).transpose()), a.cell_index(IVec3::Zero())) << "row " << r;
  }
}

/// The mapped occupation reproduces the decoration at every parent lattice site.
void expect_same_decoration(const Decorated& d, const lattice::MappedConfiguration& m) {
  ASSERT_EQ(m.occupation.size(), d.species.size());
  for (int j = 0; j < m.supercell.n_sites(); ++j) {
    const LatticeSite ls = m.supercell.lattice_site(j);
    const int i = d.supercell.site_index(ls);
    const auto allowed = d.parent.allowed_species(ls.basis);
    const int o = m.occupation[static_cast<std::size_t>(j)];
    ASSERT_GE(o, 0);
    ASSERT_LT(o, static_cast<int>(allowed.size()));
    EXPECT_EQ(allowed[static_cast<std::size_t>(o)], d.species[static_cast<std::size_t>(i)])
        << "basis " << ls.basis << " cell " << ls.cell.transpose();
  }
}

const clusters::ClusterSpace& o3_space() {
  static const clusters::ClusterSpace cs(test_lattices::o3_natmo2(), {6.0, 4.0}, 1e-4);
  return cs;
}

std::string message_of(const ParentLattice& parent, const Structure& s, const std::string& source,
                       const std::vector<long>& lines = {}) {
  try {
    (void)lattice::map_ideal_structure(parent, s, source, kTolerance, lines);
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

/// Index of the first atom sitting on a parent basis site `basis` (by nearest position).
std::size_t atom_on_basis(const Decorated& d, int basis) {
  const Structure& p = d.parent.structure;
  for (std::size_t i = 0; i < d.structure.size(); ++i) {
    const Vec3 f = p.fractional(d.structure.cartesian_of(i)) - p.frac[static_cast<std::size_t>(basis)];
    if (p.cartesian(f - f.array().round().matrix()).norm() < kTolerance) return i;
  }
  ADD_FAILURE() << "no atom on basis " << basis;
  return 0;
}

}  // namespace

TEST(IdealMappingTest, ShuffledDisplacedStructureWithVacanciesMapsBack) {
  for (unsigned seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Decorated d = decorated(seed);
    ASSERT_LT(d.structure.size(), d.species.size()) << "some vacancies must be left out";
    const auto m = lattice::map_ideal_structure(d.parent, d.structure, "random.vasp");
    expect_same_lattice(m.supercell, d.supercell);
    expect_same_decoration(d, m);
  }
}

TEST(IdealMappingTest, CorrelationsEqualThoseOfTheOriginalOccupation) {
  const auto& cs = o3_space();
  for (unsigned seed : {4u, 5u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Decorated d = decorated(seed);
    const auto m = lattice::map_ideal_structure(cs.parent(), d.structure, "random.vasp");
    const Eigen::VectorXd expected = clusters::correlations(cs, d.supercell, occupation_of(d.parent, d.supercell, d.species));
    const Eigen::VectorXd got = clusters::correlations(cs, m.supercell, m.occupation);
    ASSERT_EQ(got.size(), expected.size());
    EXPECT_LT((got - expected).cwiseAbs().maxCoeff(), 1e-12);
  }
}

TEST(IdealMappingTest, OtherBasisOfTheSameSupercellLattice) {
  // Supercell vectors U * (P A) with a unimodular U span the same lattice: the mapping must
  // find the same translations and decoration, whatever matrix it reports.
  Decorated d = decorated(6);
  IMat3 U;
  U << 1, 1, 0, 0, 1, 0, -1, 0, 1;  // det 1
  std::vector<Vec3> cart;
  for (std::size_t i = 0; i < d.structure.size(); ++i) cart.push_back(d.structure.cartesian_of(i));
  d.structure.cell = U.cast<double>() * d.structure.cell;
  for (std::size_t i = 0; i < cart.size(); ++i) d.structure.frac[i] = d.structure.fractional(cart[i]);
  const auto m = lattice::map_ideal_structure(d.parent, d.structure, "other_basis.vasp");
  EXPECT_EQ(m.supercell.matrix(), IMat3(U * skewed_matrix()));
  expect_same_lattice(m.supercell, d.supercell);
  expect_same_decoration(d, m);
  const auto& cs = o3_space();
  const Eigen::VectorXd expected = clusters::correlations(cs, d.supercell, occupation_of(d.parent, d.supercell, d.species));
  EXPECT_LT((clusters::correlations(cs, m.supercell, m.occupation) - expected).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(IdealMappingTest, ExplicitVacancyAtomsAreAccepted) {
  // "Va" written as an atom (as some tools do) is the same as leaving the site empty.
  const Decorated d = decorated(7);
  const Structure ideal = d.supercell.structure(d.parent.structure, d.species);
  const auto m = lattice::map_ideal_structure(d.parent, ideal, "with_va.vasp");
  expect_same_decoration(d, m);
}

TEST(IdealMappingTest, StrainedCellIsRefused) {
  Decorated d = decorated(8);
  d.structure.cell *= 1.02;
  const std::string msg = message_of(d.parent, d.structure, "strained.vasp");
  EXPECT_CONTAINS(msg, "strained.vasp");
  EXPECT_CONTAINS(msg, "not an integer supercell");
}

TEST(IdealMappingTest, AtomOffEverySiteIsRefused) {
  Decorated d = decorated(9);
  const std::size_t i = 4;
  d.structure.frac[i] += d.structure.fractional(Vec3(0.5, 0.0, 0.0));
  const std::string msg = message_of(d.parent, d.structure, "off_site.vasp");
  EXPECT_CONTAINS(msg, "off_site.vasp");
  EXPECT_CONTAINS(msg, "atom " + std::to_string(i + 1) + " (" + d.structure.species[i] + ")");
  EXPECT_CONTAINS(msg, "farther than");
  EXPECT_CONTAINS(msg, "A from the nearest parent-lattice site");
}

TEST(IdealMappingTest, TwoAtomsOnOneSiteAreRefused) {
  Decorated d = decorated(10);
  const std::size_t i = first_atom(d.structure, "O");
  d.structure.species.push_back("O");
  d.structure.frac.push_back(d.structure.frac[i] + d.structure.fractional(Vec3(0.02, -0.01, 0.03)));
  const std::string msg = message_of(d.parent, d.structure, "double.vasp");
  EXPECT_CONTAINS(msg, "double.vasp");
  EXPECT_CONTAINS(msg, "atom " + std::to_string(d.structure.size()) + " (O)");
  EXPECT_CONTAINS(msg, "same site as atom " + std::to_string(i + 1));
}

TEST(IdealMappingTest, SpeciesNotAllowedOnSublatticeIsRefused) {
  Decorated d = decorated(11);
  const std::size_t i = atom_on_basis(d, 1);  // a Na-layer site
  d.structure.species[i] = "Sb";
  const std::string msg = message_of(d.parent, d.structure, "sb_on_na.vasp");
  EXPECT_CONTAINS(msg, "sb_on_na.vasp");
  EXPECT_CONTAINS(msg, "atom " + std::to_string(i + 1) + " (Sb)");
  EXPECT_CONTAINS(msg, "sublattice Na");
  EXPECT_CONTAINS(msg, "allows only Na, Va, Cu");
}

TEST(IdealMappingTest, EmptyOxygenSiteIsRefused) {
  Decorated d = decorated(12);
  const std::size_t i = first_atom(d.structure, "O");
  d.structure.species.erase(d.structure.species.begin() + static_cast<std::ptrdiff_t>(i));
  d.structure.frac.erase(d.structure.frac.begin() + static_cast<std::ptrdiff_t>(i));
  const std::string msg = message_of(d.parent, d.structure, "no_oxygen.vasp");
  EXPECT_CONTAINS(msg, "no_oxygen.vasp");
  EXPECT_CONTAINS(msg, "fixed O site");
  EXPECT_CONTAINS(msg, "does not allow a vacancy");
}

TEST(IdealMappingTest, WrongSpeciesOnFixedOxygenSiteIsRefused) {
  Decorated d = decorated(13);
  const std::size_t i = first_atom(d.structure, "O");
  d.structure.species[i] = "Ni";
  const std::string msg = message_of(d.parent, d.structure, "ni_on_o.vasp");
  EXPECT_CONTAINS(msg, "ni_on_o.vasp");
  EXPECT_CONTAINS(msg, "atom " + std::to_string(i + 1) + " (Ni)");
  EXPECT_CONTAINS(msg, "fixed O site");
  EXPECT_CONTAINS(msg, "allows only O");
}

TEST(IdealMappingTest, AtomLinesGiveTheLineInTheMessage) {
  Decorated d = decorated(14);
  std::vector<long> lines(d.structure.size());
  std::iota(lines.begin(), lines.end(), 3L);  // extxyz: atom k on line k + 3 (1-based k)
  const std::size_t i = first_atom(d.structure, "O");
  d.structure.species[i] = "Na";
  const std::string msg = message_of(d.parent, d.structure, "frames.xyz", lines);
  EXPECT_CONTAINS(msg, "frames.xyz:" + std::to_string(lines[i]) + ":");
  EXPECT_CONTAINS(msg, "atom " + std::to_string(i + 1) + " (Na)");
  EXPECT_CONTAINS(msg, "allows only O");

  Decorated off = decorated(15);
  std::vector<long> off_lines(off.structure.size());
  std::iota(off_lines.begin(), off_lines.end(), 10L);
  off.structure.frac[2] += off.structure.fractional(Vec3(0.0, 0.0, 0.5));
  const std::string off_msg = message_of(off.parent, off.structure, "frames.xyz", off_lines);
  EXPECT_CONTAINS(off_msg, "frames.xyz:12:");
  EXPECT_CONTAINS(off_msg, "atom 3");
  EXPECT_CONTAINS(off_msg, "farther than");
}
