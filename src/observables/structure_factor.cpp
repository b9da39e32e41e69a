#include "tmorder/observables/structure_factor.hpp"

#include <fmt/format.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "tmorder/observables/sublattice_sites.hpp"
#include "tmorder/util/error.hpp"

namespace tmorder::observables {

StructureFactor::StructureFactor(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                                 const std::string& sublattice_name, const std::string& species_name,
                                 std::vector<Vec3> q_reduced)
    : n_sites_(supercell.n_sites()), q_(std::move(q_reduced)) {
  check_parent(parent, supercell, "StructureFactor");
  const int sublattice = find_sublattice(parent, sublattice_name);
  species_ = find_species(parent, sublattice, species_name);
  sites_ = sublattice_sites(parent, supercell, sublattice);

  // q.L_k / 2 pi = (P h)_k must be an integer for each supercell vector L_k = sum_l P_kl a_l.
  const Mat3 P = supercell.matrix().cast<double>();
  for (const Vec3& h : q_) {
    const Vec3 m = P * h;
    for (int k = 0; k < 3; ++k)
      if (std::abs(m[k] - std::round(m[k])) > 1e-8)
        throw InputError(fmt::format("structure factor: q = ({}, {}, {}) is not commensurate with the supercell "
                                     "(q . L_{} = 2 pi * {}, not a multiple of 2 pi)",
                                     h[0], h[1], h[2], k + 1, m[k]));
  }

  const std::size_t n = sites_.size();
  phase_.resize(q_.size() * n);
  phase_sum_.assign(q_.size(), {0.0, 0.0});
  for (std::size_t iq = 0; iq < q_.size(); ++iq) {
    for (std::size_t j = 0; j < n; ++j) {
      const lattice::LatticeSite ls = supercell.lattice_site(sites_[j]);
      const Vec3 f = parent.structure.frac[static_cast<std::size_t>(ls.basis)] + ls.cell.cast<double>();
      const double arg = 2.0 * std::numbers::pi * q_[iq].dot(f);
      phase_[iq * n + j] = std::polar(1.0, arg);
      phase_sum_[iq] += phase_[iq * n + j];
    }
  }
}

std::vector<double> StructureFactor::compute(std::span<const ce::Occupation> occ) const {
  if (occ.size() != static_cast<std::size_t>(n_sites_))
    throw std::invalid_argument(
        fmt::format("StructureFactor: occupation has {} entries, the supercell has {}", occ.size(), n_sites_));
  const std::size_t n = sites_.size();
  std::vector<double> s(q_.size(), 0.0);
  if (n == 0) return s;
  long long hits = 0;
  for (const int i : sites_) hits += occ[static_cast<std::size_t>(i)] == species_ ? 1 : 0;
  const double c = static_cast<double>(hits) / static_cast<double>(n);
  for (std::size_t iq = 0; iq < q_.size(); ++iq) {
    // sum_j (n_j - c) e^{iq r_j} = sum_{j: n_j = 1} e^{iq r_j} - c sum_j e^{iq r_j}
    std::complex<double> a{0.0, 0.0};
    const std::complex<double>* ph = phase_.data() + iq * n;
    for (std::size_t j = 0; j < n; ++j)
      if (occ[static_cast<std::size_t>(sites_[j])] == species_) a += ph[j];
    a -= c * phase_sum_[iq];
    s[iq] = std::norm(a) / static_cast<double>(n);
  }
  return s;
}

}  // namespace tmorder::observables
