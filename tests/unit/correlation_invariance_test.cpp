// Correlations are properties of the periodic structure, not of how it is written down:
// invariant under every space-group operation and every parent translation, and equal on
// any two supercells that describe the same periodic structure.
#include <gtest/gtest.h>

#include <random>

#include "test_lattices.hpp"
#include "tmorder/clusters/correlations.hpp"

using namespace tmorder;
using namespace tmorder::clusters;
using lattice::Supercell;

namespace {

std::vector<int> random_occupation(const ClusterSpace& cs, const Supercell& sc, std::mt19937& rng) {
  std::vector<int> occ(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i) {
    std::uniform_int_distribution<int> d(0, cs.parent().n_species(i / sc.n_cells()) - 1);
    occ[static_cast<std::size_t>(i)] = d(rng);
  }
  return occ;
}

// The configuration moved by operation `op`: the species on site s goes to op(s). The image
// lives on the supercell P W^T, whose translations are W times the original ones.
std::pair<Supercell, std::vector<int>> transformed(const ClusterSpace& cs, const Supercell& sc,
                                                   const std::vector<int>& occ, std::size_t op) {
  const auto& g = cs.space_group();
  const IMat3 W = g.operations[op].rotation;
  Supercell image(sc.matrix() * W.transpose(), sc.n_basis());
  std::vector<int> out(occ.size(), -1);
  for (int i = 0; i < sc.n_sites(); ++i) {
    const int j = image.site_index(g.apply(op, sc.lattice_site(i)));
    EXPECT_EQ(out[static_cast<std::size_t>(j)], -1) << "operation is not a bijection of sites";
    out[static_cast<std::size_t>(j)] = occ[static_cast<std::size_t>(i)];
  }
  return {image, out};
}

void expect_same(const Eigen::VectorXd& a, const Eigen::VectorXd& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size());
  EXPECT_LT((a - b).cwiseAbs().maxCoeff(), 1e-12) << what;
}

struct Model {
  const char* name;
  ClusterSpace space;
};

std::vector<Model> models() {
  std::vector<Model> m;
  m.push_back({"fcc ternary", ClusterSpace(test_lattices::fcc(4.0, 3), {6.0, 4.5, 3.0}, 1e-5)});
  m.push_back({"bcc quaternary", ClusterSpace(test_lattices::bcc(3.0, 4), {4.4, 3.1}, 1e-5)});
  m.push_back({"triangular binary", ClusterSpace(test_lattices::triangular(3.0, 2), {6.5, 4.0, 3.1}, 1e-5)});
  m.push_back({"O3 NaTMO2", ClusterSpace(test_lattices::o3_natmo2(), {6.0, 4.0, 3.3}, 1e-4)});
  return m;
}

std::vector<IMat3> supercells() {
  IMat3 diag = IMat3::Zero();
  diag.diagonal() << 3, 2, 2;
  IMat3 skew1, skew2;
  skew1 << 2, 1, 0, -1, 2, 1, 1, 0, 2;   // det 11: no symmetry of the parent keeps it
  skew2 << 1, -1, 0, 1, 2, 0, 0, 1, 3;   // det 9
  return {diag, skew1, skew2};
}

}  // namespace

TEST(CorrelationInvarianceTest, EverySpaceGroupOperation) {
  std::mt19937 rng(7);
  for (const auto& model : models()) {
    const auto& cs = model.space;
    for (const IMat3& P : supercells()) {
      const Supercell sc(P, static_cast<int>(cs.parent().n_sites()));
      const auto occ = random_occupation(cs, sc, rng);
      const Eigen::VectorXd ref = correlations(cs, sc, occ);
      for (std::size_t op = 0; op < cs.space_group().operations.size(); ++op) {
        const auto [image_cell, image_occ] = transformed(cs, sc, occ, op);
        expect_same(correlations(cs, image_cell, image_occ), ref,
                    std::string(model.name) + ", operation " + std::to_string(op));
      }
    }
  }
}

TEST(CorrelationInvarianceTest, EveryParentTranslation) {
  std::mt19937 rng(11);
  for (const auto& model : models()) {
    const auto& cs = model.space;
    for (const IMat3& P : supercells()) {
      const Supercell sc(P, static_cast<int>(cs.parent().n_sites()));
      const auto occ = random_occupation(cs, sc, rng);
      const Eigen::VectorXd ref = correlations(cs, sc, occ);
      for (int c = 0; c < sc.n_cells(); ++c) {  // every distinct translation of this supercell
        const IVec3 t = sc.cell_translation(c);
        std::vector<int> moved(occ.size());
        for (int i = 0; i < sc.n_sites(); ++i) {
          auto s = sc.lattice_site(i);
          s.cell += t;
          moved[static_cast<std::size_t>(sc.site_index(s))] = occ[static_cast<std::size_t>(i)];
        }
        expect_same(correlations(cs, sc, moved), ref, std::string(model.name) + ", translation " + std::to_string(c));
      }
    }
  }
}

TEST(CorrelationInvarianceTest, SamePeriodicStructureOnDifferentSupercells) {
  std::mt19937 rng(5);
  for (const auto& model : models()) {
    const auto& cs = model.space;
    const int nb = static_cast<int>(cs.parent().n_sites());
    IMat3 P;
    P << 2, 1, 0, -1, 1, 1, 0, 1, 2;  // det 5
    const Supercell small(P, nb);
    const auto occ = random_occupation(cs, small, rng);
    const Eigen::VectorXd ref = correlations(cs, small, occ);
    IMat3 M1, M2;
    M1 << 2, 1, 0, 0, 1, 0, 1, 0, 2;   // a larger supercell of the small one (det 4)
    M2 << 1, 1, 0, 0, 1, 0, 0, 2, 1;   // the same lattice, other basis (det 1)
    for (const IMat3& M : {M1, M2}) {
      const Supercell big(M * P, nb);
      std::vector<int> tiled(static_cast<std::size_t>(big.n_sites()));
      for (int i = 0; i < big.n_sites(); ++i)
        tiled[static_cast<std::size_t>(i)] = occ[static_cast<std::size_t>(small.site_index(big.lattice_site(i)))];
      expect_same(correlations(cs, big, tiled), ref, model.name);
    }
  }
}

TEST(CorrelationInvarianceTest, RandomConfigurationsAreNotTriviallyEqual) {
  // Guards the tests above: two different random configurations differ in correlations.
  std::mt19937 rng(3);
  const auto m = models();
  const auto& cs = m[0].space;
  const Supercell sc(supercells()[1], 1);
  const auto a = correlations(cs, sc, random_occupation(cs, sc, rng));
  const auto b = correlations(cs, sc, random_occupation(cs, sc, rng));
  EXPECT_GT((a - b).cwiseAbs().maxCoeff(), 1e-3);
}
