#include "tmorder/observables/warren_cowley.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "tmorder/lattice/neighbours.hpp"
#include "tmorder/observables/sublattice_sites.hpp"

namespace tmorder::observables {

namespace {

constexpr double kShellTolerance = 1e-4;  // Angstrom

struct Offset {
  int basis;
  IVec3 image;
  double distance;
};

// Same-sublattice neighbours of each sublattice basis site (excluding the site itself), with
// a cutoff grown until at least n_shells distinct distances are complete. Every site within
// the cutoff is returned by sites_within, so each shell below the cutoff is complete.
std::vector<std::vector<Offset>> shell_offsets(const lattice::ParentLattice& parent, int sublattice, int n_shells,
                                               std::vector<double>& shells) {
  const auto& s = parent.structure;
  std::vector<int> bases;
  for (int b = 0; b < static_cast<int>(s.size()); ++b)
    if (parent.site_sublattice[static_cast<std::size_t>(b)] == sublattice) bases.push_back(b);
  // The cube root of the volume per site is the order of the nearest-neighbour distance.
  double cutoff = std::cbrt(s.volume() / static_cast<double>(s.size()));
  for (int attempt = 0; attempt < 40; ++attempt, cutoff *= 1.5) {
    std::vector<std::vector<Offset>> out(bases.size());
    std::vector<double> d;
    for (std::size_t k = 0; k < bases.size(); ++k) {
      for (const auto& n : lattice::sites_within(s, s.frac[static_cast<std::size_t>(bases[k])], cutoff)) {
        if (parent.site_sublattice[static_cast<std::size_t>(n.site.basis)] != sublattice) continue;
        if (n.distance < kShellTolerance) continue;  // the centre itself
        out[k].push_back({n.site.basis, n.site.cell, n.distance});
        d.push_back(n.distance);
      }
    }
    std::sort(d.begin(), d.end());
    shells.clear();
    for (const double x : d)
      if (shells.empty() || x - shells.back() > kShellTolerance) shells.push_back(x);
    if (static_cast<int>(shells.size()) >= n_shells) {
      shells.resize(static_cast<std::size_t>(n_shells));
      return out;
    }
  }
  throw std::invalid_argument(fmt::format("WarrenCowley: could not find {} neighbour shells", n_shells));
}

int shell_of(const std::vector<double>& shells, double d) {
  for (std::size_t k = 0; k < shells.size(); ++k)
    if (std::abs(d - shells[k]) <= kShellTolerance) return static_cast<int>(k);
  return -1;  // beyond the last shell kept
}

}  // namespace

WarrenCowley::WarrenCowley(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                           const std::string& sublattice_name, int n_shells)
    : n_sites_(supercell.n_sites()) {
  check_parent(parent, supercell, "WarrenCowley");
  if (n_shells < 1) throw std::invalid_argument("WarrenCowley: n_shells must be at least 1");
  const int sublattice = find_sublattice(parent, sublattice_name);
  species_ = parent.sublattices[static_cast<std::size_t>(sublattice)].species;
  sites_ = sublattice_sites(parent, supercell, sublattice);
  const auto offsets = shell_offsets(parent, sublattice, n_shells, shell_distance_);

  // Which offsets list belongs to which basis: offsets are in ascending basis order.
  std::vector<int> offset_list(static_cast<std::size_t>(supercell.n_basis()), -1);
  for (int b = 0, k = 0; b < supercell.n_basis(); ++b)
    if (parent.site_sublattice[static_cast<std::size_t>(b)] == sublattice) offset_list[static_cast<std::size_t>(b)] = k++;

  const auto n_sh = static_cast<std::size_t>(n_shells);
  begin_.assign(n_sh, std::vector<int>{0});
  neighbours_.assign(n_sh, {});
  coordination_.assign(n_sh, 0.0);
  for (const int i : sites_) {
    const lattice::LatticeSite centre = supercell.lattice_site(i);
    for (const Offset& o : offsets[static_cast<std::size_t>(offset_list[static_cast<std::size_t>(centre.basis)])]) {
      const int sh = shell_of(shell_distance_, o.distance);
      if (sh < 0) continue;
      neighbours_[static_cast<std::size_t>(sh)].push_back(supercell.site_index(o.basis, centre.cell + o.image));
    }
    for (std::size_t sh = 0; sh < n_sh; ++sh) begin_[sh].push_back(static_cast<int>(neighbours_[sh].size()));
  }
  for (std::size_t sh = 0; sh < n_sh; ++sh)
    coordination_[sh] = sites_.empty() ? 0.0 : static_cast<double>(neighbours_[sh].size()) / static_cast<double>(sites_.size());
}

WarrenCowley::Alpha WarrenCowley::compute(std::span<const ce::Occupation> occ) const {
  if (occ.size() != static_cast<std::size_t>(n_sites_))
    throw std::invalid_argument(
        fmt::format("WarrenCowley: occupation has {} entries, the supercell has {}", occ.size(), n_sites_));
  const std::size_t m = species_.size();
  // Occupation is one byte, so a fixed array on the stack holds every possible species count.
  std::array<long long, 256> count{};
  for (const int i : sites_) {
    const ce::Occupation o = occ[static_cast<std::size_t>(i)];
    if (o >= m) throw std::invalid_argument(fmt::format("WarrenCowley: occupation index {} out of range", int{o}));
    ++count[o];
  }
  const double n_sub = static_cast<double>(sites_.size());

  // The pair counts N_ab are accumulated in the result itself, then turned into alpha.
  Alpha alpha(shell_distance_.size(), std::vector<std::vector<double>>(m, std::vector<double>(m, 0.0)));
  for (std::size_t sh = 0; sh < shell_distance_.size(); ++sh) {
    auto& pairs = alpha[sh];
    const auto& begin = begin_[sh];
    const auto& nbr = neighbours_[sh];
    for (std::size_t k = 0; k < sites_.size(); ++k) {
      auto& row = pairs[occ[static_cast<std::size_t>(sites_[k])]];
      for (int e = begin[k]; e < begin[k + 1]; ++e) row[occ[static_cast<std::size_t>(nbr[static_cast<std::size_t>(e)])]] += 1.0;
    }
    for (std::size_t a = 0; a < m; ++a) {
      double row_total = 0.0;
      for (std::size_t b = 0; b < m; ++b) row_total += pairs[a][b];
      for (std::size_t b = 0; b < m; ++b) {
        const double c_b = static_cast<double>(count[b]) / n_sub;
        pairs[a][b] = (row_total > 0.0 && c_b > 0.0) ? 1.0 - (pairs[a][b] / row_total) / c_b : 0.0;
      }
    }
  }
  return alpha;
}

}  // namespace tmorder::observables
