#include "tmorder/symmetry/space_group.hpp"

extern "C" {
#include <spglib.h>
}

#include <cmath>
#include <memory>
#include <stdexcept>

namespace tmorder::symmetry {

namespace {

struct DatasetDeleter {
  void operator()(SpglibDataset* d) const { spg_free_dataset(d); }
};

std::string trimmed(const char* s) {
  std::string out(s);
  while (!out.empty() && (out.back() == ' ' || out.back() == '\0')) out.pop_back();
  return out;
}

// Finds b' and the integer cell with R f_b + t = f_b' + cell, within symprec (Cartesian).
lattice::LatticeSite image_of(const lattice::Structure& s, const std::vector<int>& colours,
                              const SymmetryOperation& op, std::size_t b, double symprec) {
  const Vec3 x = op.rotation.cast<double>() * s.frac[b] + op.translation;
  for (std::size_t j = 0; j < s.size(); ++j) {
    if (colours[j] != colours[b]) continue;
    const Vec3 d = x - s.frac[j];
    const Vec3 n(std::round(d[0]), std::round(d[1]), std::round(d[2]));
    if (s.cartesian(d - n).norm() <= 2.0 * symprec) return {static_cast<int>(j), n.cast<int>()};
  }
  throw std::runtime_error("spglib returned an operation that maps site " + std::to_string(b) +
                           " onto no site of the same sublattice; try another symprec");
}

}  // namespace

SpaceGroup find_space_group(const lattice::Structure& s, const std::vector<int>& colours, double symprec) {
  if (colours.size() != s.size()) throw std::invalid_argument("find_space_group: one colour per site");
  // spglib takes the lattice vectors as columns.
  double lattice[3][3];
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) lattice[i][j] = s.cell(j, i);
  std::vector<double> pos(3 * s.size());
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int k = 0; k < 3; ++k) pos[3 * i + static_cast<std::size_t>(k)] = s.frac[i][k];
  std::vector<int> types(colours.begin(), colours.end());

  std::unique_ptr<SpglibDataset, DatasetDeleter> ds(
      spg_get_dataset(lattice, reinterpret_cast<double(*)[3]>(pos.data()), types.data(),
                      static_cast<int>(s.size()), symprec));
  if (!ds) throw std::runtime_error(std::string("spglib failed: ") + spg_get_error_message(spg_get_error_code()));

  SpaceGroup g;
  g.number = ds->spacegroup_number;
  g.international = trimmed(ds->international_symbol);
  g.hall = trimmed(ds->hall_symbol);
  g.point_group = trimmed(ds->pointgroup_symbol);
  g.operations.reserve(static_cast<std::size_t>(ds->n_operations));
  for (int k = 0; k < ds->n_operations; ++k) {
    SymmetryOperation op;
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) op.rotation(i, j) = ds->rotations[k][i][j];
      op.translation[i] = ds->translations[k][i];
    }
    g.operations.push_back(op);
  }
  g.site_images.resize(g.operations.size());
  for (std::size_t k = 0; k < g.operations.size(); ++k)
    for (std::size_t b = 0; b < s.size(); ++b)
      g.site_images[k].push_back(image_of(s, colours, g.operations[k], b, symprec));
  return g;
}

}  // namespace tmorder::symmetry
