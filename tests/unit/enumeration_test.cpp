// Derivative-superstructure enumeration: Hermite normal forms, symmetry-inequivalent
// supercells, symmetry-distinct non-superperiodic decorations, and the structures written
// from them. Every expected number names its source next to it.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "test_lattices.hpp"
#include "tmorder/clusters/cluster_space.hpp"
#include "tmorder/clusters/correlations.hpp"
#include "tmorder/enumeration/enumeration.hpp"
#include "tmorder/lattice/ideal_mapping.hpp"
#include "tmorder/lattice/smith_normal_form.hpp"
#include "tmorder/lattice/supercell.hpp"

using namespace tmorder;
using enumeration::CompositionRange;
using enumeration::DerivativeStructure;
using enumeration::EnumerationOptions;
using enumeration::Enumerator;
using lattice::ParentLattice;

namespace {

EnumerationOptions sizes(int lo, int hi, bool label_exchange = false, bool in_plane = false) {
  EnumerationOptions o;
  o.min_size = lo;
  o.max_size = hi;
  o.label_exchange = label_exchange;
  o.in_plane_only = in_plane;
  o.symprec = 1e-4;
  return o;
}

std::vector<int> counts_by_size(const Enumerator& e) {
  std::vector<int> out;
  for (int n = e.options().min_size; n <= e.options().max_size; ++n) {
    int count = 0;
    for (const auto& P : e.supercells(n)) count += static_cast<int>(e.decorations(P).size());
    out.push_back(count);
  }
  return out;
}

std::vector<int> supercell_counts(const Enumerator& e, int max_n) {
  std::vector<int> out;
  for (int n = 1; n <= max_n; ++n) out.push_back(static_cast<int>(e.supercells(n).size()));
  return out;
}

int total(const std::vector<int>& v) { return std::accumulate(v.begin(), v.end(), 0); }

// ase.build.bulk('Au', 'hcp', a=4.0): ideal c/a = sqrt(8/3), sites (0,0,0), (1/3,2/3,1/2).
ParentLattice hcp(double a = 4.0) {
  ParentLattice p;
  const double c = a * std::sqrt(8.0 / 3.0);
  p.structure.cell << a, 0, 0, -a / 2, a * std::sqrt(3.0) / 2, 0, 0, 0, c;
  p.structure.species = {"Au", "Au"};
  p.structure.frac = {Vec3::Zero(), Vec3(1.0 / 3, 2.0 / 3, 0.5)};
  p.sublattices = {{"M", {"Au", "Pd"}}};
  p.site_sublattice = {0, 0};
  return p;
}

// icet's "FCC, elongated cell, two sites": bulk('Au', 'fcc', a=4.0) with a1 scaled by 1.33
// and an H site at Cartesian (2, 2, 2); species [['Au', 'Pd'], ['H', 'V']].
ParentLattice elongated_fcc_two_sites() {
  ParentLattice p = test_lattices::fcc(4.0, 2);
  p.structure.cell.row(0) *= 1.33;
  p.structure.species = {"Au", "H"};
  p.structure.frac = {Vec3::Zero(), p.structure.fractional(Vec3(2.0, 2.0, 2.0))};
  p.sublattices = {{"M", {"Au", "Pd"}}, {"X", {"H", "V"}}};
  p.site_sublattice = {0, 1};
  return p;
}

}  // namespace

// ---- Hermite normal forms and supercells ------------------------------------------------

TEST(EnumerationHnf, CountsMatchTheNumberOfSublattices) {
  // Number of sublattices of index n of Z^3 (OEIS A001001) and of Z^2 (sigma(n), OEIS
  // A000203): every sublattice has exactly one HNF.
  const std::vector<int> z3{1, 7, 13, 35, 31, 91, 57, 155, 130, 217};
  const std::vector<int> z2{1, 3, 4, 7, 6, 12, 8, 15, 13, 18};
  for (int n = 1; n <= 10; ++n) {
    const auto all = enumeration::hermite_normal_forms(n);
    EXPECT_EQ(static_cast<int>(all.size()), z3[static_cast<std::size_t>(n - 1)]) << "n = " << n;
    EXPECT_EQ(static_cast<int>(enumeration::hermite_normal_forms(n, true).size()), z2[static_cast<std::size_t>(n - 1)]);
    for (const auto& H : all) {
      EXPECT_EQ(lattice::integer_determinant(H), n);
      EXPECT_EQ(H(0, 1), 0);
      EXPECT_EQ(H(0, 2), 0);
      EXPECT_EQ(H(1, 2), 0);
      EXPECT_TRUE(H(1, 0) >= 0 && H(1, 0) < H(0, 0));
      EXPECT_TRUE(H(2, 0) >= 0 && H(2, 0) < H(0, 0));
      EXPECT_TRUE(H(2, 1) >= 0 && H(2, 1) < H(1, 1));
    }
    // Distinct HNFs are distinct lattices (only the identity relates them).
    for (std::size_t i = 0; i < all.size(); ++i)
      for (std::size_t j = 0; j < i; ++j) EXPECT_FALSE(enumeration::equivalent_supercells(all[i], all[j], {IMat3::Identity()}));
  }
  EXPECT_THROW(enumeration::hermite_normal_forms(0), std::invalid_argument);
}

TEST(EnumerationSupercells, FccAndBccInequivalentSupercells) {
  // Hart & Forcade, PRB 77, 224115 (2008), Table III (fcc and bcc share the point group m-3m):
  // n = 1..8: 1, 2, 3, 7, 5, 10, 7, 20. Cross-check: icet's test suite
  // (tests/unit/tools/test_structure_enumeration.py) asserts 10 fcc supercells at n = 6 and
  // 18 for n = 1..5. n = 9, 10: 14, 18, as computed here and confirmed by the Burnside count
  // of the next test (the value 13 at n = 9 quoted from memory in the issue is not what the
  // orbit count gives).
  const std::vector<int> expected{1, 2, 3, 7, 5, 10, 7, 20, 14, 18};
  const Enumerator fcc(test_lattices::fcc(), sizes(1, 1));
  const Enumerator bcc(test_lattices::bcc(), sizes(1, 1));
  EXPECT_EQ(fcc.rotations().size(), 48u);
  EXPECT_EQ(supercell_counts(fcc, 10), expected);
  EXPECT_EQ(supercell_counts(bcc, 10), expected);
}

TEST(EnumerationSupercells, BurnsideCountAgreesWithRepresentatives) {
  // Independent count of the classes: (1/|G|) sum over rotations R of the number of HNFs
  // (lattices) that R maps onto themselves (Burnside's lemma).
  for (const auto& parent : {test_lattices::fcc(), test_lattices::simple_cubic(), test_lattices::o3_natmo2()}) {
    const Enumerator e(parent, sizes(1, 1));
    for (int n = 1; n <= 10; ++n) {
      int fixed = 0;
      for (const auto& R : e.rotations())
        for (const auto& H : enumeration::hermite_normal_forms(n)) fixed += enumeration::rotation_preserves_supercell(R, H) ? 1 : 0;
      ASSERT_EQ(fixed % static_cast<int>(e.rotations().size()), 0);
      EXPECT_EQ(static_cast<int>(e.supercells(n).size()), fixed / static_cast<int>(e.rotations().size())) << "n = " << n;
    }
  }
}

TEST(EnumerationSupercells, EquivalenceTestIsSymmetricAndKeepsDeterminant) {
  const Enumerator fcc(test_lattices::fcc(), sizes(1, 1));
  const auto& R = fcc.rotations();
  const auto hnfs = enumeration::hermite_normal_forms(4);
  for (const auto& A : hnfs)
    for (const auto& B : hnfs) EXPECT_EQ(enumeration::equivalent_supercells(A, B, R), enumeration::equivalent_supercells(B, A, R));
  // Every HNF is equivalent to exactly one representative.
  const auto reps = fcc.supercells(4);
  for (const auto& H : hnfs) {
    int n_equivalent = 0;
    for (const auto& r : reps) n_equivalent += enumeration::equivalent_supercells(H, r, R) ? 1 : 0;
    EXPECT_EQ(n_equivalent, 1);
  }
  EXPECT_FALSE(enumeration::equivalent_supercells(IMat3::Identity(), hnfs.front(), R));
}

TEST(EnumerationSupercells, InPlaceOnlyKeepsTheThirdVector) {
  const Enumerator tri(test_lattices::triangular(), sizes(1, 1, false, true));
  for (int n = 1; n <= 8; ++n)
    for (const auto& P : tri.supercells(n)) {
      EXPECT_EQ(P.row(2), IVec3(0, 0, 1).transpose());
      EXPECT_EQ(P(0, 2), 0);
      EXPECT_EQ(P(1, 2), 0);
    }
}

// ---- decorations: published counts ----------------------------------------------------

TEST(EnumerationDecorations, FccBinaryWithLabelExchangeMatchesHartForcade) {
  // Hart & Forcade, PRB 77, 224115 (2008), Table IV, fcc binary derivative structures with
  // labelings related by exchanging A and B counted once: n = 2..8: 2, 3, 12, 14, 50, 52, 229.
  // At n = 1 label exchange leaves one class (pure A ~ pure B); the table lists the two
  // pure elements, so n = 1 is asserted as 1 here and 2 in the no-exchange test below.
  const auto t0 = std::chrono::steady_clock::now();
  const Enumerator fcc(test_lattices::fcc(), sizes(1, 8, true));
  const std::vector<int> expected{1, 2, 3, 12, 14, 50, 52, 229};
  EXPECT_EQ(counts_by_size(fcc), expected);
  const Enumerator bcc(test_lattices::bcc(), sizes(1, 8, true));
  EXPECT_EQ(counts_by_size(bcc), expected);  // same point group as fcc, same counts (ibid.)
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "[ fcc + bcc binary, n <= 8, label exchange: " << seconds << " s ]\n";
}

TEST(EnumerationDecorations, FccBinaryWithoutLabelExchange) {
  // icet test suite (test_structure_enumeration.py, "FCC, small set"): 29 fcc binary
  // structures for sizes 1..4. Per size: 2 (pure A, pure B), 2 (the AB superlattices L1_0,
  // L1_1), 6 (A2B and AB2 on each of the 3 supercells), 19.
  const Enumerator fcc(test_lattices::fcc(), sizes(1, 4));
  const auto counts = counts_by_size(fcc);
  EXPECT_EQ(counts, (std::vector<int>{2, 2, 6, 19}));
  EXPECT_EQ(total(counts), 29);
}

TEST(EnumerationDecorations, FccTernarySizesOneToSix) {
  // icet test suite ("FCC, 3 elements"): 1081 structures for sizes 1..6.
  const auto t0 = std::chrono::steady_clock::now();
  const Enumerator fcc(test_lattices::fcc(4.0, 3), sizes(1, 6));
  EXPECT_EQ(fcc.enumerate().size(), 1081u);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "[ fcc ternary, n <= 6: " << seconds << " s ]\n";
}

TEST(EnumerationDecorations, SimpleCubicBinary) {
  // Hart & Forcade, PRB 77, 224115 (2008), Table IV, simple cubic binary with label
  // exchange: n = 2..4: 3, 3, 15 (n = 1 is one class under label exchange, see above).
  const Enumerator sc(test_lattices::simple_cubic(), sizes(1, 4, true));
  EXPECT_EQ(counts_by_size(sc), (std::vector<int>{1, 3, 3, 15}));
}

TEST(EnumerationDecorations, HcpBinaryMultilattice) {
  // icet test suite ("HCP"): 984 binary hcp structures for sizes 1..5 (two sites per cell).
  const Enumerator e(hcp(), sizes(1, 5));
  EXPECT_EQ(e.enumerate().size(), 984u);
}

TEST(EnumerationDecorations, TwoSublatticesWithDifferentSpecies) {
  // icet test suite ("FCC, elongated cell, two sites"): 1500 structures for sizes 1..4.
  const Enumerator e(elongated_fcc_two_sites(), sizes(1, 4));
  const auto all = e.enumerate();
  EXPECT_EQ(all.size(), 1500u);
}

TEST(EnumerationDecorations, SquareLayerInPlane) {
  // icet test suite ("Surface", fcc100 monolayer, periodic in-plane only): 271 binary
  // structures for sizes 1..8.
  const Enumerator e(test_lattices::square(), sizes(1, 8, false, true));
  EXPECT_EQ(e.enumerate().size(), 271u);
}

// ---- decorations: independent brute force on 2D lattices ------------------------------

namespace {

// A 2D brute force that shares nothing with the module: sublattices of Z^2 as 2x2 HNFs with
// rows (a, 0), (b, c); point operations found from the Cartesian metric; a structure's key is
// the smallest (HNF, sampled decoration) over all point operations and translations.
struct Hnf2 {
  int a, b, c;
  auto operator<=>(const Hnf2&) const = default;
};

long floor_div(long x, long d) { return x >= 0 ? x / d : -((-x + d - 1) / d); }
long pos_mod(long x, long d) { return ((x % d) + d) % d; }

// Index of the coset of (x, y) in the box 0 <= x < a, 0 <= y < c.
int coset(const Hnf2& L, long x, long y) {
  const long k = floor_div(y, L.c);
  x -= k * L.b;
  y -= k * L.c;
  return static_cast<int>(y * L.a + pos_mod(x, L.a));
}

std::vector<int> brute_force_counts(const Eigen::Matrix2d& A, int max_n) {
  const Eigen::Matrix2d G = A * A.transpose();
  std::vector<Eigen::Matrix2i> ops;
  for (int code = 0; code < 81; ++code) {
    Eigen::Matrix2i M;
    int c = code;
    for (int k = 0; k < 4; ++k, c /= 3) M(k / 2, k % 2) = c % 3 - 1;
    const Eigen::Matrix2d Md = M.cast<double>();
    if ((Md.transpose() * G * Md - G).cwiseAbs().maxCoeff() < 1e-9) ops.push_back(M);
  }
  std::vector<int> counts;
  for (int n = 1; n <= max_n; ++n) {
    std::vector<Hnf2> hnfs;
    for (int a = 1; a <= n; ++a)
      if (n % a == 0)
        for (int b = 0; b < a; ++b) hnfs.push_back({a, b, n / a});
    std::set<std::pair<Hnf2, std::vector<int>>> classes;
    for (const Hnf2& L : hnfs)
      for (int bits = 0; bits < (1 << n); ++bits) {
        std::vector<int> f(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) f[static_cast<std::size_t>(i)] = (bits >> i) & 1;
        // superperiodic: invariant under a translation that is not in L
        bool super = false;
        for (int t = 1; t < n && !super; ++t) {
          const long tx = t % L.a, ty = t / L.a;
          bool same = true;
          for (int i = 0; i < n && same; ++i)
            same = f[static_cast<std::size_t>(coset(L, i % L.a + tx, i / L.a + ty))] == f[static_cast<std::size_t>(i)];
          super = same;
        }
        if (super) continue;
        std::pair<Hnf2, std::vector<int>> best{{n + 1, 0, 0}, {}};
        for (const auto& M : ops) {
          // image lattice M L, as the HNF that contains both image basis vectors
          const Eigen::Vector2i v1 = M * Eigen::Vector2i(L.a, 0), v2 = M * Eigen::Vector2i(L.b, L.c);
          const Hnf2* image = nullptr;
          for (const auto& H : hnfs)
            if (coset(H, v1[0], v1[1]) == 0 && coset(H, v2[0], v2[1]) == 0) image = &H;
          if (image == nullptr) {
            ADD_FAILURE() << "brute force: no image lattice";
            return {};
          }
          const Eigen::Matrix2i Minv = (M.cast<double>().inverse().array().round()).cast<int>().matrix();
          for (int t = 0; t < n; ++t) {
            const long tx = t % L.a, ty = t / L.a;
            // g(y) = f(M^-1 y - t) for y in the box of the image lattice
            std::vector<int> g(static_cast<std::size_t>(n));
            for (int j = 0; j < n; ++j) {
              const Eigen::Vector2i y(j % image->a, j / image->a);
              const Eigen::Vector2i x = Minv * y;
              g[static_cast<std::size_t>(j)] = f[static_cast<std::size_t>(coset(L, x[0] - tx, x[1] - ty))];
            }
            std::pair<Hnf2, std::vector<int>> key{*image, std::move(g)};
            if (key < best) best = std::move(key);
          }
        }
        classes.insert(best);
      }
    counts.push_back(static_cast<int>(classes.size()));
  }
  return counts;
}

}  // namespace

TEST(EnumerationDecorations, TriangularLayerMatchesBruteForce) {
  // Counts from the independent brute force above (Cartesian metric, canonical keys), n = 1..8.
  Eigen::Matrix2d tri;
  tri << 1.0, 0.0, -0.5, std::sqrt(3.0) / 2;
  const auto brute = brute_force_counts(tri, 8);
  // Pinned from that brute force (no published table found for the 2D triangular lattice
  // without label exchange), so a change in both at once is noticed too.
  EXPECT_EQ(brute, (std::vector<int>{2, 1, 4, 8, 12, 24, 40, 100}));
  const Enumerator e(test_lattices::triangular(), sizes(1, 8, false, true));
  EXPECT_EQ(counts_by_size(e), brute);
  std::cout << "[ triangular binary in-plane n = 1..8:";
  for (int c : brute) std::cout << ' ' << c;
  std::cout << " ]\n";
}

TEST(EnumerationDecorations, SquareLayerMatchesBruteForce) {
  Eigen::Matrix2d sq = Eigen::Matrix2d::Identity();
  const auto brute = brute_force_counts(sq, 8);
  EXPECT_EQ(total(brute), 271);  // icet's "Surface" count, see SquareLayerInPlane
  const Enumerator e(test_lattices::square(), sizes(1, 8, false, true));
  EXPECT_EQ(counts_by_size(e), brute);
}

// ---- properties of the representatives ------------------------------------------------

TEST(EnumerationDecorations, RepresentativesAreLexicographicallySmallestAndNotSuperperiodic) {
  const Enumerator e(test_lattices::fcc(), sizes(1, 1));
  for (int n = 1; n <= 6; ++n)
    for (const auto& P : e.supercells(n)) {
      const auto perms = e.site_permutations(P);
      const lattice::Supercell sc(P, 1);
      for (const auto& d : e.decorations(P)) {
        for (std::size_t g = 0; g < perms.size(); ++g) {
          std::vector<int> image(d.occupation.size());
          for (std::size_t i = 0; i < image.size(); ++i) image[static_cast<std::size_t>(perms[g][i])] = d.occupation[i];
          EXPECT_LE(d.occupation, image);
          if (g > 0 && g < static_cast<std::size_t>(sc.n_cells())) {
            EXPECT_NE(d.occupation, image);
          }
        }
      }
    }
}

TEST(EnumerationDecorations, DistinctCorrelationVectors) {
  // As icet's "FCC, small set": the 29 fcc binary structures of sizes 1..4 have pairwise
  // different correlation vectors with pair cutoff 6.0 A and triplet cutoff 5.0 A (a = 4.08).
  const ParentLattice parent = test_lattices::fcc(4.08, 2);
  const clusters::ClusterSpace space(parent, {6.0, 5.0}, 1e-5);
  const Enumerator e(parent, sizes(1, 4));
  std::vector<Eigen::VectorXd> cvs;
  for (const auto& d : e.enumerate()) {
    const lattice::Supercell sc(d.supercell_matrix, 1);
    cvs.push_back(clusters::correlations(space, sc, d.occupation));
  }
  ASSERT_EQ(cvs.size(), 29u);
  for (std::size_t i = 0; i < cvs.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) EXPECT_GT((cvs[i] - cvs[j]).cwiseAbs().maxCoeff(), 1e-8) << i << " vs " << j;
}

TEST(EnumerationDecorations, CompositionRangesFilter) {
  // icet test suite ("FCC, concentration restricted"): 134 fcc binary structures of sizes
  // 1..8 with the Au fraction in [0, 0.36].
  EnumerationOptions o = sizes(1, 8);
  o.composition = {{"M", "Ni", 0.0, 0.36}};
  const Enumerator restricted(test_lattices::fcc(), o);
  const auto kept = restricted.enumerate();
  EXPECT_EQ(kept.size(), 134u);
  // The same as filtering the unrestricted list afterwards (lexicographic representatives do
  // not depend on the filter).
  const Enumerator all(test_lattices::fcc(), sizes(1, 8));
  std::vector<DerivativeStructure> filtered;
  for (const auto& d : all.enumerate()) {
    const double x = static_cast<double>(std::count(d.occupation.begin(), d.occupation.end(), 0)) /
                     static_cast<double>(d.occupation.size());
    if (x <= 0.36) filtered.push_back(d);
  }
  ASSERT_EQ(filtered.size(), kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    EXPECT_EQ(kept[i].supercell_matrix, filtered[i].supercell_matrix);
    EXPECT_EQ(kept[i].occupation, filtered[i].occupation);
  }
}

TEST(EnumerationDecorations, RejectsBadOptions) {
  EnumerationOptions o = sizes(1, 2, true);
  o.composition = {{"M", "Ni", 0.0, 0.5}};
  EXPECT_THROW(Enumerator(test_lattices::fcc(), o), std::invalid_argument);
  EXPECT_THROW(Enumerator(test_lattices::fcc(), sizes(3, 2)), std::invalid_argument);
  EnumerationOptions bad = sizes(1, 2);
  bad.composition = {{"M", "Xx", 0.0, 0.5}};
  EXPECT_ANY_THROW(Enumerator(test_lattices::fcc(), bad));
  EnumerationOptions tiny = sizes(1, 4);
  tiny.max_decorations_per_supercell = 8;
  const Enumerator e(test_lattices::fcc(), tiny);
  EXPECT_THROW((void)e.decorations(e.supercells(4).front()), std::invalid_argument);
}

// ---- O3 multi-sublattice and structures ------------------------------------------------

namespace {

ParentLattice o3(bool sodium_vacancies) {
  ParentLattice p = test_lattices::o3_natmo2();
  p.sublattices = {{"TM", {"Ni", "Sb"}}};
  p.site_sublattice = {0, -1, -1, -1};
  if (sodium_vacancies) {
    p.sublattices.push_back({"Na", {"Na", "Va"}});
    p.site_sublattice[1] = 1;
  }
  return p;
}

// Maps a structure back with map_ideal_structure and compares occupations site by site.
void expect_round_trip(const Enumerator& e, const DerivativeStructure& d) {
  const lattice::Structure s = e.structure(d);
  const auto mapped = lattice::map_ideal_structure(e.parent(), s, "enumerated");
  const lattice::Supercell sc(d.supercell_matrix, static_cast<int>(e.parent().n_sites()));
  ASSERT_EQ(mapped.supercell.n_sites(), sc.n_sites());
  for (int i = 0; i < sc.n_sites(); ++i) {
    const int j = mapped.supercell.site_index(sc.lattice_site(i));
    EXPECT_EQ(mapped.occupation[static_cast<std::size_t>(j)], d.occupation[static_cast<std::size_t>(i)]);
  }
}

}  // namespace

TEST(EnumerationStructures, FccStructuresMapBackOntoTheirOccupation) {
  const Enumerator e(test_lattices::fcc(), sizes(1, 5));
  for (const auto& d : e.enumerate()) {
    expect_round_trip(e, d);
    EXPECT_EQ(e.structure(d).size(), d.occupation.size());
  }
}

TEST(EnumerationStructures, O3TransitionMetalLayer) {
  for (const bool vacancies : {false, true}) {
    const Enumerator e(o3(vacancies), sizes(1, 3));
    EXPECT_EQ(e.space_group().number, 166);  // R-3m
    const auto all = e.enumerate();
    EXPECT_FALSE(all.empty());
    std::set<std::vector<int>> seen_tm;
    for (const auto& d : all) {
      const lattice::Supercell sc(d.supercell_matrix, 4);
      const auto nc = static_cast<std::size_t>(sc.n_cells());
      for (std::size_t i = 0; i < d.occupation.size(); ++i) {
        const std::size_t basis = i / nc;
        const bool active = basis == 0 || (basis == 1 && vacancies);
        if (active) {
          EXPECT_TRUE(d.occupation[i] == 0 || d.occupation[i] == 1);
        } else {
          EXPECT_EQ(d.occupation[i], 0);
        }
      }
      const lattice::Structure s = e.structure(d);
      EXPECT_EQ(std::count(s.species.begin(), s.species.end(), "O"), static_cast<long>(2 * nc));
      for (const auto& sp : s.species) EXPECT_TRUE(sp == "Ni" || sp == "Sb" || sp == "Na" || sp == "O") << sp;
      EXPECT_EQ(std::count(s.species.begin(), s.species.end(), "Va"), 0);
      expect_round_trip(e, d);
    }
    std::cout << "[ O3 " << (vacancies ? "TM {Ni,Sb} x Na {Na,Va}" : "TM {Ni,Sb}, Na fixed") << ", n <= 3: " << all.size()
              << " structures ]\n";
  }
}

TEST(EnumerationStructures, O3WithSodiumFixedMatchesTheRhombohedralLattice) {
  // With Na and O fixed, the TM sublattice alone is a rhombohedral lattice with the same
  // point group (-3m), so the counts equal those of a one-site parent with the O3 cell.
  ParentLattice one_site = test_lattices::o3_natmo2();
  one_site.structure.species = {"Ni"};
  one_site.structure.frac = {Vec3::Zero()};
  one_site.sublattices = {{"TM", {"Ni", "Sb"}}};
  one_site.site_sublattice = {0};
  const Enumerator a(o3(false), sizes(1, 4));
  const Enumerator b(one_site, sizes(1, 4));
  EXPECT_EQ(counts_by_size(a), counts_by_size(b));
}
