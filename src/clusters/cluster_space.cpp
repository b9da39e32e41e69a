#include "tmorder/clusters/cluster_space.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "tmorder/lattice/neighbours.hpp"

namespace tmorder::clusters {

using lattice::LatticeSite;
using Cluster = std::vector<LatticeSite>;

namespace {

constexpr double kDistanceTol = 1e-6;        // Angstrom; ties at a cutoff are kept
constexpr std::size_t kMaxCandidates = 5'000'000;  // refuse cutoffs that would exhaust memory

// Translates the cluster so that its smallest site lies in the home cell; keeps the order.
Cluster home(Cluster c) {
  const IVec3 shift = std::min_element(c.begin(), c.end())->cell;
  for (auto& s : c) s.cell -= shift;
  return c;
}

// The canonical form of a translation class: sorted sites, smallest in the home cell.
Cluster canonical(Cluster c) {
  std::sort(c.begin(), c.end());
  return home(std::move(c));
}

Cluster image(const symmetry::SpaceGroup& g, std::size_t op, const Cluster& c) {
  Cluster out;
  out.reserve(c.size());
  for (const auto& s : c) out.push_back(g.apply(op, s));
  return out;
}

// Every canonical cluster of `order` sites whose longest distance is <= cutoff: the
// smallest site is the anchor in the home cell, the others are larger neighbours, so each
// translation class is produced exactly once.
std::set<Cluster> enumerate_candidates(const ClusterSpace& cs, int order, double cutoff) {
  const auto& parent = cs.parent();
  std::set<Cluster> out;
  for (int b0 = 0; b0 < static_cast<int>(parent.n_sites()); ++b0) {
    if (!parent.is_active(b0)) continue;
    const LatticeSite anchor{b0, IVec3::Zero()};
    std::vector<LatticeSite> nb;
    std::vector<Vec3> pos;
    for (const auto& n : lattice::sites_within(parent.structure, parent.structure.frac[static_cast<std::size_t>(b0)], cutoff)) {
      if (!parent.is_active(n.site.basis) || !(anchor < n.site)) continue;
      nb.push_back(n.site);
      pos.push_back(cs.position(n.site));
    }
    const Vec3 p0 = cs.position(anchor);
    std::vector<std::size_t> chosen;
    // Depth-first over increasing neighbour indices, pruning on every new distance.
    auto extend = [&](auto&& self, std::size_t start) -> void {
      if (static_cast<int>(chosen.size()) + 1 == order) {
        Cluster c{anchor};
        for (std::size_t i : chosen) c.push_back(nb[i]);
        out.insert(canonical(std::move(c)));
        if (out.size() > kMaxCandidates)
          throw std::invalid_argument("cutoff " + std::to_string(cutoff) + " A for order " + std::to_string(order) +
                                      " gives more than 5e6 clusters; reduce it");
        return;
      }
      for (std::size_t i = start; i < nb.size(); ++i) {
        if ((pos[i] - p0).norm() > cutoff + kDistanceTol) continue;
        bool ok = true;
        for (std::size_t j : chosen)
          if ((pos[i] - pos[j]).norm() > cutoff + kDistanceTol) { ok = false; break; }
        if (!ok) continue;
        chosen.push_back(i);
        self(self, i + 1);
        chosen.pop_back();
      }
    };
    extend(extend, 0);
  }
  return out;
}

// Site permutations induced by the operations that map the representative onto itself.
std::vector<std::vector<int>> stabiliser_permutations(const symmetry::SpaceGroup& g, const Cluster& rep) {
  std::set<std::vector<int>> perms;
  for (std::size_t op = 0; op < g.operations.size(); ++op) {
    const Cluster img = home(image(g, op, rep));
    if (canonical(img) != rep) continue;
    std::vector<int> perm(rep.size());
    for (std::size_t i = 0; i < img.size(); ++i)
      perm[i] = static_cast<int>(std::find(rep.begin(), rep.end(), img[i]) - rep.begin());
    perms.insert(perm);
  }
  return {perms.begin(), perms.end()};
}

// Groups all decorations of the representative into classes under the stabiliser.
std::vector<ClusterFunction> decoration_classes(const std::vector<int>& n_species,
                                                const std::vector<std::vector<int>>& perms) {
  const std::size_t k = n_species.size();
  // All tuples with t_i in 1..M_i-1, in lexicographic order (an odometer).
  std::vector<Decoration> all;
  Decoration d(k, 1);
  for (;;) {
    all.push_back(d);
    std::size_t i = k;
    while (i > 0 && ++d[i - 1] >= n_species[i - 1]) d[--i] = 1;
    if (i == 0) break;
  }
  std::set<Decoration> assigned;
  std::vector<ClusterFunction> classes;
  for (const auto& t : all) {
    if (assigned.count(t)) continue;
    std::set<Decoration> cls;
    for (const auto& p : perms) {
      Decoration u(k);
      for (std::size_t i = 0; i < k; ++i) u[static_cast<std::size_t>(p[i])] = t[i];
      cls.insert(u);
    }
    assigned.insert(cls.begin(), cls.end());
    classes.emplace_back(cls.begin(), cls.end());
  }
  return classes;
}

}  // namespace

ClusterSpace::ClusterSpace(lattice::ParentLattice parent, std::vector<double> cutoffs, double symprec)
    : parent_(std::move(parent)), cutoffs_(std::move(cutoffs)), symprec_(symprec) {
  parent_.validate();
  for (std::size_t k = 0; k < cutoffs_.size(); ++k)
    if (!std::isfinite(cutoffs_[k]) || cutoffs_[k] <= 0.0)
      throw std::invalid_argument("cutoff for order " + std::to_string(k + 2) + " must be a positive number");
  if (!(symprec_ > 0.0)) throw std::invalid_argument("symprec must be positive");
  space_group_ = symmetry::find_space_group(parent_.structure, parent_.colours(), symprec_);

  std::vector<std::set<Cluster>> candidates;
  {
    std::set<Cluster> points;
    for (int b = 0; b < static_cast<int>(parent_.n_sites()); ++b)
      if (parent_.is_active(b)) points.insert({LatticeSite{b, IVec3::Zero()}});
    candidates.push_back(std::move(points));
  }
  for (std::size_t k = 0; k < cutoffs_.size(); ++k)
    candidates.push_back(enumerate_candidates(*this, static_cast<int>(k) + 2, cutoffs_[k]));

  for (const auto& cands : candidates) {
    std::vector<Orbit> of_order;
    std::set<Cluster> assigned;
    for (const auto& rep : cands) {
      if (assigned.count(rep)) continue;  // iteration is sorted, so rep is its orbit's minimum
      Orbit orbit;
      orbit.order = static_cast<int>(rep.size());
      std::set<Cluster> seen;
      orbit.clusters.push_back(rep);
      seen.insert(rep);
      for (std::size_t op = 0; op < space_group_.operations.size(); ++op) {
        Cluster img = home(image(space_group_, op, rep));
        if (seen.insert(canonical(img)).second) orbit.clusters.push_back(std::move(img));
      }
      for (const auto& c : seen) {
        if (!cands.count(c))
          throw std::logic_error("cluster orbit not closed under symmetry (symprec too large?)");
        assigned.insert(c);
      }
      std::vector<int> n_species;
      for (const auto& s : rep) {
        orbit.sublattices.push_back(parent_.site_sublattice[static_cast<std::size_t>(s.basis)]);
        n_species.push_back(parent_.n_species(s.basis));
      }
      orbit.functions = decoration_classes(n_species, stabiliser_permutations(space_group_, rep));
      of_order.push_back(std::move(orbit));
    }
    for (auto& o : of_order) {
      std::vector<Vec3> p;
      for (const auto& s : o.clusters[0]) p.push_back(position(s));
      Vec3 centroid = Vec3::Zero();
      for (const auto& x : p) centroid += x;
      centroid /= static_cast<double>(p.size());
      for (std::size_t i = 0; i < p.size(); ++i) {
        o.radius += (p[i] - centroid).norm() / static_cast<double>(p.size());
        for (std::size_t j = i + 1; j < p.size(); ++j) o.max_distance = std::max(o.max_distance, (p[i] - p[j]).norm());
      }
    }
    // Shortest clusters first; ties broken by radius and then by the representative, so the
    // order is the same on every machine and every MPI rank.
    std::stable_sort(of_order.begin(), of_order.end(), [](const Orbit& a, const Orbit& b) {
      if (std::abs(a.max_distance - b.max_distance) > kDistanceTol) return a.max_distance < b.max_distance;
      if (std::abs(a.radius - b.radius) > kDistanceTol) return a.radius < b.radius;
      return a.clusters[0] < b.clusters[0];
    });
    for (auto& o : of_order) orbits_.push_back(std::move(o));
  }
  finish_setup();
}

ClusterSpace::ClusterSpace(lattice::ParentLattice parent, std::vector<double> cutoffs, double symprec,
                           symmetry::SpaceGroup space_group, std::vector<Orbit> orbits)
    : parent_(std::move(parent)),
      cutoffs_(std::move(cutoffs)),
      symprec_(symprec),
      space_group_(std::move(space_group)),
      orbits_(std::move(orbits)) {
  parent_.validate();
  finish_setup();
}

void ClusterSpace::finish_setup() {
  bases_.clear();
  for (const auto& sl : parent_.sublattices) bases_.emplace_back(static_cast<int>(sl.species.size()));
  offsets_.assign(1, 1);
  for (const auto& o : orbits_) offsets_.push_back(offsets_.back() + o.functions.size());
}

Vec3 ClusterSpace::position(const LatticeSite& s) const {
  return parent_.structure.cartesian(parent_.structure.frac[static_cast<std::size_t>(s.basis)] + s.cell.cast<double>());
}

}  // namespace tmorder::clusters
