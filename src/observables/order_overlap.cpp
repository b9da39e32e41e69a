#include "tmorder/observables/order_overlap.hpp"

#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "tmorder/util/error.hpp"

namespace tmorder::observables {

namespace {

std::string matrix_text(const IMat3& m) {
  std::ostringstream s;
  for (int r = 0; r < 3; ++r) {
    s << (r ? " / " : "") << m(r, 0) << ' ' << m(r, 1) << ' ' << m(r, 2);
  }
  return "[" + s.str() + "]";
}

// The inverse of one space-group operation on parent sites. The rotation part is an
// integer unimodular matrix in the lattice basis, so its inverse is integer too; computing
// it once in floating point and rounding is exact (checked).
struct InverseOperation {
  IMat3 rotation_inverse;
  std::vector<int> preimage_basis;   // [b'] = b with g(b) on basis b'
  std::vector<IVec3> image_cell;     // [b'] = cell of g(b, 0) for that b
};

InverseOperation invert(const symmetry::SpaceGroup& group, std::size_t op, int n_basis) {
  InverseOperation inv;
  const IMat3& r = group.operations[op].rotation;
  const Eigen::Matrix3d rd = r.cast<double>().inverse();
  inv.rotation_inverse = rd.array().round().cast<int>().matrix();
  if (r * inv.rotation_inverse != IMat3::Identity())
    throw std::logic_error("OrderOverlap: space-group rotation is not unimodular");
  inv.preimage_basis.assign(static_cast<std::size_t>(n_basis), -1);
  inv.image_cell.assign(static_cast<std::size_t>(n_basis), IVec3::Zero());
  for (int b = 0; b < n_basis; ++b) {
    const lattice::LatticeSite& img = group.site_images[op][static_cast<std::size_t>(b)];
    inv.preimage_basis[static_cast<std::size_t>(img.basis)] = b;
    inv.image_cell[static_cast<std::size_t>(img.basis)] = img.cell;
  }
  if (std::find(inv.preimage_basis.begin(), inv.preimage_basis.end(), -1) != inv.preimage_basis.end())
    throw std::logic_error("OrderOverlap: space-group operation does not permute the basis sites");
  return inv;
}

}  // namespace

OrderOverlap::OrderOverlap(const clusters::ClusterSpace& space, const lattice::Supercell& reference_cell,
                           std::vector<ce::Occupation> reference_occ, const lattice::Supercell& simulation_cell,
                           std::string sublattice_name)
    : sublattice_name_(std::move(sublattice_name)), n_simulation_sites_(simulation_cell.n_sites()) {
  const lattice::ParentLattice& parent = space.parent();
  const int n_basis = static_cast<int>(parent.n_sites());
  const std::string what = "order parameter on sublattice '" + sublattice_name_ + "'";
  if (reference_cell.n_basis() != n_basis || simulation_cell.n_basis() != n_basis)
    throw InputError(what + ": the reference and simulation supercells must have " + std::to_string(n_basis) +
                     " basis sites (the parent's), got " + std::to_string(reference_cell.n_basis()) + " and " +
                     std::to_string(simulation_cell.n_basis()));

  int sublattice = -1;
  std::string known;
  for (std::size_t k = 0; k < parent.sublattices.size(); ++k) {
    known += (k ? ", " : "") + parent.sublattices[k].name;
    if (parent.sublattices[k].name == sublattice_name_) sublattice = static_cast<int>(k);
  }
  if (sublattice < 0) throw InputError(what + ": unknown sublattice (known: " + known + ")");
  const int n_species = static_cast<int>(parent.sublattices[static_cast<std::size_t>(sublattice)].species.size());

  if (static_cast<int>(reference_occ.size()) != reference_cell.n_sites())
    throw InputError(what + ": the reference ordering has " + std::to_string(reference_occ.size()) +
                     " site occupations, its supercell " + std::to_string(reference_cell.n_sites()) + " sites");
  for (int i = 0; i < reference_cell.n_sites(); ++i) {
    const int b = i / reference_cell.n_cells();
    if (reference_occ[static_cast<std::size_t>(i)] >= parent.n_species(b))
      throw InputError(what + ": reference site " + std::to_string(i) + " has species index " +
                       std::to_string(reference_occ[static_cast<std::size_t>(i)]) + ", but the site allows only " +
                       std::to_string(parent.n_species(b)) + " species");
  }

  // Reference composition on the sublattice -> f0 = sum_s c_s^2.
  std::vector<int> basis_sites;
  for (int b = 0; b < n_basis; ++b)
    if (parent.site_sublattice[static_cast<std::size_t>(b)] == sublattice) basis_sites.push_back(b);
  std::vector<double> count(static_cast<std::size_t>(n_species), 0.0);
  for (int b : basis_sites)
    for (int c = 0; c < reference_cell.n_cells(); ++c)
      count[reference_occ[static_cast<std::size_t>(b * reference_cell.n_cells() + c)]] += 1.0;
  const double n_ref = static_cast<double>(basis_sites.size()) * reference_cell.n_cells();
  for (double x : count) f0_ += (x / n_ref) * (x / n_ref);
  if (f0_ > 1.0 - 1e-12)
    throw InputError(what + ": the reference ordering holds a single species there, so it has no order to measure");

  for (int b : basis_sites)
    for (int c = 0; c < simulation_cell.n_cells(); ++c) sites_.push_back(b * simulation_cell.n_cells() + c);

  // Enumerate variants g(s + t') (see the header for why this set is complete).
  const symmetry::SpaceGroup& group = space.space_group();
  const IMat3& p_sim = simulation_cell.matrix();
  // Distinct variants in enumeration order (operations, then translations). A linear search
  // is enough: there are at most
  // n_operations x n_reference_cells candidates, and it avoids ordering byte vectors.
  std::vector<std::vector<ce::Occupation>> distinct;
  std::vector<ce::Occupation> candidate(sites_.size());
  std::size_t n_tried = 0;
  for (std::size_t op = 0; op < group.operations.size(); ++op) {
    const InverseOperation inv = invert(group, op, n_basis);
    for (int t = 0; t < reference_cell.n_cells(); ++t) {
      const IVec3& shift = reference_cell.cell_translation(t);
      // Species that this variant puts on parent site (b', n'): that of reference site
      // g^-1(b', n') - t'.
      auto species_at = [&](int b_image, const IVec3& n) {
        const int b = inv.preimage_basis[static_cast<std::size_t>(b_image)];
        const IVec3 cell = inv.rotation_inverse * (n - inv.image_cell[static_cast<std::size_t>(b_image)]) - shift;
        return reference_occ[static_cast<std::size_t>(reference_cell.site_index(b, cell))];
      };
      ++n_tried;
      // Commensurability: the variant must be invariant under the simulation-cell vectors
      // (rows of P), i.e. every simulation site gets one species from all its periodic
      // images. The variant is periodic with g(reference lattice), so the invariance has to
      // be checked on a full residue system of that lattice, which is the image
      // g(s + t') of one reference cell; checking only the simulation cell's own sites is
      // not enough when the simulation cell is smaller than the pattern in some direction.
      bool commensurate = true;
      for (int b : basis_sites) {
        for (int c = 0; c < reference_cell.n_cells() && commensurate; ++c) {
          const lattice::LatticeSite p =
              group.apply(op, lattice::LatticeSite{b, IVec3(reference_cell.cell_translation(c) + shift)});
          const ce::Occupation here = species_at(p.basis, p.cell);
          for (int r = 0; r < 3 && commensurate; ++r)
            if (species_at(p.basis, IVec3(p.cell + p_sim.row(r).transpose())) != here) commensurate = false;
        }
      }
      if (!commensurate) continue;
      for (std::size_t k = 0; k < sites_.size(); ++k) {
        const lattice::LatticeSite p = simulation_cell.lattice_site(sites_[k]);
        candidate[k] = species_at(p.basis, p.cell);
      }
      if (std::find(distinct.begin(), distinct.end(), candidate) == distinct.end()) distinct.push_back(candidate);
    }
  }
  if (distinct.empty())
    throw InputError(what + ": the simulation cell " + matrix_text(p_sim) +
                     " cannot hold the reference ordering of supercell " + matrix_text(reference_cell.matrix()) +
                     ": none of its " + std::to_string(n_tried) +
                     " symmetry/translation variants is periodic with the simulation cell");
  n_variants_ = static_cast<int>(distinct.size());
  variants_.reserve(distinct.size() * sites_.size());
  for (const auto& v : distinct) variants_.insert(variants_.end(), v.begin(), v.end());
}

std::span<const ce::Occupation> OrderOverlap::variant(int v) const {
  if (v < 0 || v >= n_variants_) throw std::out_of_range("OrderOverlap::variant: index out of range");
  return {variants_.data() + static_cast<std::size_t>(v) * sites_.size(), sites_.size()};
}

std::vector<double> OrderOverlap::overlaps(std::span<const ce::Occupation> occ) const {
  if (static_cast<int>(occ.size()) != n_simulation_sites_)
    throw std::invalid_argument("OrderOverlap: occupation size does not match the simulation cell");
  std::vector<double> out(static_cast<std::size_t>(n_variants_));
  const std::size_t n = sites_.size();
  for (int v = 0; v < n_variants_; ++v) {
    const ce::Occupation* var = variants_.data() + static_cast<std::size_t>(v) * n;
    std::size_t match = 0;
    for (std::size_t k = 0; k < n; ++k) match += occ[static_cast<std::size_t>(sites_[k])] == var[k] ? 1u : 0u;
    const double f = static_cast<double>(match) / static_cast<double>(n);
    out[static_cast<std::size_t>(v)] = (f - f0_) / (1.0 - f0_);
  }
  return out;
}

double OrderOverlap::compute(std::span<const ce::Occupation> occ) const {
  if (static_cast<int>(occ.size()) != n_simulation_sites_)
    throw std::invalid_argument("OrderOverlap: occupation size does not match the simulation cell");
  // Count the best match directly (integer counts, no per-variant buffer): the map
  // f -> (f - f0)/(1 - f0) is increasing, so the max over variants commutes with it.
  const std::size_t n = sites_.size();
  std::size_t best = 0;
  for (int v = 0; v < n_variants_; ++v) {
    const ce::Occupation* var = variants_.data() + static_cast<std::size_t>(v) * n;
    std::size_t match = 0;
    for (std::size_t k = 0; k < n; ++k) match += occ[static_cast<std::size_t>(sites_[k])] == var[k] ? 1u : 0u;
    best = std::max(best, match);
  }
  const double f = static_cast<double>(best) / static_cast<double>(n);
  return (f - f0_) / (1.0 - f0_);
}

}  // namespace tmorder::observables
