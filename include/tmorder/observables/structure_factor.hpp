#pragma once
// Occupational (Laue) structure factor of one species on one sublattice: the diffuse
// superstructure intensity that X-ray/neutron diffraction sees for cation order.
#include <complex>
#include <span>
#include <string>
#include <vector>

#include "tmorder/ce/local_energy.hpp"
#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/lattice/supercell.hpp"

namespace tmorder::observables {

/// S(q) = |sum_j (n_j - c) exp(i q.r_j)|^2 / N_sub
///   j    runs over the N_sub supercell sites of the sublattice,
///   n_j  = 1 if site j holds the species, else 0,
///   c    = sum_j n_j / N_sub, the species' concentration on the sublattice in this configuration,
///   q    = 2 pi (h b1 + k b2 + l b3), b_i the rows of cell^-T of the PARENT (a_i . b_j = delta_ij),
///          given as reduced (h, k, l); then q.r_j = 2 pi (h, k, l) . f_j with f_j the parent
///          fractional coordinates of site j (basis position + integer cell translation).
/// Normalisation: for an uncorrelated arrangement at fixed composition <S(q)> = c(1-c) N/(N-1)
/// at every q that is not a parent reciprocal-lattice vector; for a Bravais sublattice the
/// mean of S over the N_sub wavevectors of the supercell's reciprocal grid is exactly c(1-c)
/// (Parseval); S(0) = 0 because the mean is subtracted; a perfectly ordered superstructure
/// gives S ~ N_sub at its superstructure reflections.
///
/// Each q must be commensurate with the supercell (q.L a multiple of 2 pi for every supercell
/// vector L, i.e. P (h, k, l) integer): otherwise S would depend on which periodic image of a
/// site is used, and the constructor throws tmorder::InputError.
class StructureFactor {
 public:
  StructureFactor(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                  const std::string& sublattice_name, const std::string& species_name, std::vector<Vec3> q_reduced);

  [[nodiscard]] const std::vector<Vec3>& q() const { return q_; }
  [[nodiscard]] int n_sublattice_sites() const { return static_cast<int>(sites_.size()); }

  /// S(q) for every q, in the order given; O(N_sub * n_q), allocating only the result.
  [[nodiscard]] std::vector<double> compute(std::span<const ce::Occupation> occ) const;

 private:
  int n_sites_;
  int species_;
  std::vector<int> sites_;
  std::vector<Vec3> q_;
  std::vector<std::complex<double>> phase_;      // [q * N_sub + j] = exp(i q.r_j)
  std::vector<std::complex<double>> phase_sum_;  // per q: sum_j exp(i q.r_j), for the mean term
};

}  // namespace tmorder::observables
