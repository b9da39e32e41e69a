#include "tmorder/ce/local_energy.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>

#include "tmorder/clusters/orbit_table.hpp"

namespace tmorder::ce {

LocalEnergy::LocalEnergy(const ClusterExpansion& ce, const lattice::Supercell& supercell, std::size_t max_offset_table_entries)
    : supercell_(supercell),
      n_cells_(supercell.n_cells()),
      d1_(supercell.snf_diagonal()[0]),
      d2_(supercell.snf_diagonal()[1]),
      d3_(supercell.snf_diagonal()[2]),
      by_cells_(static_cast<std::uint32_t>(supercell.n_cells())),
      by_d3_(static_cast<std::uint32_t>(supercell.snf_diagonal()[2])),
      by_d2_(static_cast<std::uint32_t>(supercell.snf_diagonal()[1])) {
  const auto& space = ce.space();
  const int n_basis = static_cast<int>(space.parent().n_sites());
  if (supercell.n_basis() != n_basis) throw std::invalid_argument("LocalEnergy: supercell basis does not match the parent");
  constant_ = n_cells_ * ce.ecis()[0];

  struct Pending {
    Template t;
    std::vector<std::array<int, 4>> others;  // basis, du0, du1, du2
    std::vector<int> strides;
    std::vector<int> n_species;  // of each other site
  };
  std::vector<std::vector<Pending>> by_basis(static_cast<std::size_t>(n_basis));
  for (std::size_t k = 0; k < space.orbits().size(); ++k) {
    const auto& orbit = space.orbits()[k];
    const clusters::OrbitTable table = clusters::orbit_table(space, k);
    const int offset = static_cast<int>(energies_.size());
    const std::size_t first = space.function_offset(k);
    for (int tuple = 0; tuple < table.n_tuples; ++tuple) {
      double e = 0.0;
      for (int f = 0; f < table.n_functions; ++f)
        e += ce.ecis()[first + static_cast<std::size_t>(f)] * table.values[static_cast<std::size_t>(tuple * table.n_functions + f)];
      energies_.push_back(e / orbit.multiplicity());
    }
    for (const auto& cluster : orbit.clusters)
      for (std::size_t p = 0; p < cluster.size(); ++p) {
        Pending pend;
        pend.t = {offset, table.stride[p], 0, 0, p == 0, false};
        for (std::size_t q = 0; q < cluster.size(); ++q) {
          if (q == p) continue;
          const IVec3 du = supercell.snf_coordinates(cluster[q].cell - cluster[p].cell);
          // In a small supercell a cluster can hold the centre twice (periodic image). That is
          // a property of the template, not of the cell: count such a cluster once, at the
          // first position, with every copy changed together.
          if (cluster[q].basis == cluster[p].basis && du.isZero()) {
            if (q < p) pend.t.skip = true;
            pend.t.self_stride += table.stride[q];
            continue;
          }
          pend.others.push_back({cluster[q].basis, du[0], du[1], du[2]});
          pend.strides.push_back(table.stride[q]);
          pend.n_species.push_back(table.n_species[q]);
        }
        by_basis[static_cast<std::size_t>(cluster[p].basis)].push_back(std::move(pend));
      }
  }
  template_begin_.push_back(0);
  neighbour_begin_.push_back(0);
  fixed_begin_.push_back({0, 0, 0, 0, 0});
  pair_run_begin_.push_back(0);
  for (int b = 0; b < n_basis; ++b) {
    std::map<std::array<int, 4>, int> slot;  // first slot of each distinct neighbour of this basis site
    int n_slots = 0;
    const auto add_slot = [&](const std::array<int, 4>& nb) {
      neighbour_base_.push_back(nb[0] * n_cells_);
      neighbour_du_.insert(neighbour_du_.end(), {nb[1], nb[2], nb[3]});
      slot.try_emplace(nb, n_slots);
      return n_slots++;
    };
    // Pair templates first, grouped by (table, strides): each group's neighbours fill a
    // contiguous run of slots (a neighbour reached by two pair templates, possible only in
    // a small supercell, is gathered twice), so a flip sums a pair orbit by counting species.
    auto& pendings = by_basis[static_cast<std::size_t>(b)];
    std::vector<int> pair_slot(pendings.size(), -1);
    // Group key: the pair energies e(centre species, neighbour species) themselves, so the two
    // orientations of a symmetric pair (same table, strides swapped) share one run.
    using Key = std::vector<double>;
    std::map<Key, std::vector<std::size_t>> groups;
    std::map<Key, std::array<int, 3>> layout;  // table offset and strides of the group's first member
    std::vector<Key> group_order;
    const int n_centre_species = space.parent().n_species(b);
    for (std::size_t i = 0; i < pendings.size(); ++i) {
      const auto& pend = pendings[i];
      // (Counts are packed one byte per species: sublattices of more than 8 species keep
      // their pairs in the general path.)
      if (pend.t.skip || pend.others.size() != 1 || pend.n_species[0] > 8) continue;
      Key key{static_cast<double>(pend.n_species[0])};
      for (int c = 0; c < n_centre_species; ++c)
        for (int x = 0; x < pend.n_species[0]; ++x)
          key.push_back(energies_[static_cast<std::size_t>(pend.t.table_offset + c * pend.t.self_stride + x * pend.strides[0])]);
      layout.try_emplace(key, std::array<int, 3>{pend.t.table_offset, pend.t.self_stride, pend.strides[0]});
      auto [it, inserted] = groups.try_emplace(key);
      if (inserted) group_order.push_back(key);
      it->second.push_back(i);
    }
    for (const auto& key : group_order) {
      const auto& members = groups[key];
      const auto& where = layout[key];
      for (std::size_t first = 0; first < members.size(); first += 255) {  // counts are packed in bytes
        const std::size_t last = std::min(members.size(), first + 255);
        PairRun run{n_slots, 0, where[0], where[1], where[2], pendings[members[first]].n_species[0]};
        for (std::size_t m = first; m < last; ++m) pair_slot[members[m]] = add_slot(pendings[members[m]].others[0]);
        run.end = n_slots;
        pair_runs_.push_back(run);
      }
    }
    pair_run_begin_.push_back(static_cast<int>(pair_runs_.size()));
    for (std::size_t i = 0; i < pendings.size(); ++i) {
      auto& pend = pendings[i];
      pend.t.others_begin = static_cast<int>(other_slot_.size());
      for (std::size_t o = 0; o < pend.others.size(); ++o) {
        int s_index = pair_slot[i];
        if (s_index < 0) {
          const auto it = slot.find(pend.others[o]);
          s_index = it != slot.end() ? it->second : add_slot(pend.others[o]);
        }
        other_slot_.push_back(static_cast<std::uint16_t>(s_index));
        other_stride_.push_back(pend.strides[o]);
      }
      pend.t.others_end = static_cast<int>(other_slot_.size());
      templates_.push_back(pend.t);
      if (pend.t.skip) continue;  // counted at the template of the centre's first position
      if (pair_slot[i] >= 0) continue;  // summed by its pair run
      const int k = pend.t.others_end - pend.t.others_begin;
      const auto fill = [&](auto& list) {
        auto& f = list.emplace_back();
        f.table_offset = pend.t.table_offset;
        f.self_stride = pend.t.self_stride;
        for (int q = 0; q < k; ++q) {
          f.slot[static_cast<std::size_t>(q)] = other_slot_[static_cast<std::size_t>(pend.t.others_begin + q)];
          f.stride[static_cast<std::size_t>(q)] = other_stride_[static_cast<std::size_t>(pend.t.others_begin + q)];
        }
        if (k == 0) {
          f.slot[0] = 0;
          f.stride[0] = 0;
        }
      };
      if (k == 0) fill(fixed0_);
      else if (k == 1) fill(fixed1_);
      else if (k == 2) fill(fixed2_);
      else if (k == 3) fill(fixed3_);
      else general_.push_back(static_cast<int>(templates_.size()) - 1);
    }
    fixed_begin_.push_back({static_cast<int>(fixed0_.size()), static_cast<int>(fixed1_.size()), static_cast<int>(fixed2_.size()),
                            static_cast<int>(fixed3_.size()), static_cast<int>(general_.size())});
    if (n_slots > kMaxNeighbours)
      throw std::invalid_argument("LocalEnergy: a site has " + std::to_string(n_slots) + " cluster neighbours, more than " +
                                  std::to_string(kMaxNeighbours) + "; reduce the cutoffs");
    template_begin_.push_back(static_cast<int>(templates_.size()));
    neighbour_begin_.push_back(static_cast<int>(neighbour_base_.size()));
  }
  for (int x = 0; x < 2 * d1_; ++x) wrap0_.push_back((x % d1_) * d2_ * d3_);
  for (int x = 0; x < 2 * d2_; ++x) wrap1_.push_back((x % d2_) * d3_);
  for (int x = 0; x < 2 * d3_; ++x) wrap2_.push_back(x % d3_);
  build_wrap_classes(n_basis, max_offset_table_entries);
}

void LocalEnergy::build_wrap_classes(int n_basis, std::size_t max_entries) {
  const std::array<int, 3> d{d1_, d2_, d3_};
  const std::array<int, 3> stride{d2_ * d3_, d3_, 1};
  const auto n_nb = static_cast<std::size_t>(neighbour_base_.size());
  // Per axis: the distinct neighbour displacements, then the classes of coordinates u with
  // the same shift pattern (wrapped(u + du) - u for every du).
  std::array<std::vector<int>, 3> shifts_of_class;  // [axis]: class-major, one entry per distinct du
  std::array<std::vector<int>, 3> du_slot;          // [axis]: per neighbour, index of its du among the distinct ones
  std::array<std::vector<int>, 3> class_of;         // [axis]: per coordinate u, class id
  std::array<int, 3> n_class{};
  for (int k = 0; k < 3; ++k) {
    std::map<int, int> distinct;
    for (std::size_t m = 0; m < n_nb; ++m) distinct.try_emplace(neighbour_du_[3 * m + static_cast<std::size_t>(k)], 0);
    int idx = 0;
    std::vector<int> values;
    for (auto& [du, slot] : distinct) {
      slot = idx++;
      values.push_back(du);
    }
    for (std::size_t m = 0; m < n_nb; ++m) du_slot[static_cast<std::size_t>(k)].push_back(distinct[neighbour_du_[3 * m + static_cast<std::size_t>(k)]]);
    std::map<std::vector<int>, int> classes;
    for (int u = 0; u < d[static_cast<std::size_t>(k)]; ++u) {
      std::vector<int> pattern;
      for (const int du : values) pattern.push_back((u + du) % d[static_cast<std::size_t>(k)] - u);
      auto [it, inserted] = classes.try_emplace(pattern, static_cast<int>(classes.size()));
      if (inserted) shifts_of_class[static_cast<std::size_t>(k)].insert(shifts_of_class[static_cast<std::size_t>(k)].end(), pattern.begin(), pattern.end());
      class_of[static_cast<std::size_t>(k)].push_back(it->second);
    }
    n_class[static_cast<std::size_t>(k)] = static_cast<int>(classes.size());
  }
  const std::size_t combos = static_cast<std::size_t>(n_class[0]) * static_cast<std::size_t>(n_class[1]) * static_cast<std::size_t>(n_class[2]);
  // The table replaces per-neighbour wrap arithmetic only while it stays cache-sized.
  if (combos * n_nb > max_entries) return;
  n_classes_ = static_cast<int>(combos);
  for (int u = 0; u < d1_; ++u) class0_.push_back(class_of[0][static_cast<std::size_t>(u)] * n_class[1] * n_class[2]);
  for (int u = 0; u < d2_; ++u) class1_.push_back(class_of[1][static_cast<std::size_t>(u)] * n_class[2]);
  for (int u = 0; u < d3_; ++u) class2_.push_back(class_of[2][static_cast<std::size_t>(u)]);
  for (int b = 0; b < n_basis; ++b) {
    const int begin = neighbour_begin_[static_cast<std::size_t>(b)];
    const int end = neighbour_begin_[static_cast<std::size_t>(b) + 1];
    class_offset_begin_.push_back(static_cast<int>(class_offset_.size()));
    for (int c0 = 0; c0 < n_class[0]; ++c0)
      for (int c1 = 0; c1 < n_class[1]; ++c1)
        for (int c2 = 0; c2 < n_class[2]; ++c2)
          for (int m = begin; m < end; ++m) {
            const std::array<int, 3> c{c0, c1, c2};
            int offset = neighbour_base_[static_cast<std::size_t>(m)] - b * n_cells_;
            for (std::size_t k = 0; k < 3; ++k) {
              const auto n_du = shifts_of_class[k].size() / static_cast<std::size_t>(n_class[k]);
              offset += shifts_of_class[k][static_cast<std::size_t>(c[k]) * n_du + static_cast<std::size_t>(du_slot[k][static_cast<std::size_t>(m)])] * stride[k];
            }
            class_offset_.push_back(offset);
          }
  }
}

void LocalEnergy::gather(std::span<const Occupation> occ, int b, int cell, Occupation* out) const {
  const auto c = static_cast<std::uint32_t>(cell);
  const std::uint32_t q = by_d3_.divide(c);  // cell = (u0 d2 + u1) d3 + u2
  const int u2 = static_cast<int>(c - q * static_cast<std::uint32_t>(d3_));
  const std::uint32_t u0q = by_d2_.divide(q);
  const int u1 = static_cast<int>(q - u0q * static_cast<std::uint32_t>(d2_));
  const int u0 = static_cast<int>(u0q);
  const int begin = neighbour_begin_[static_cast<std::size_t>(b)];
  const int end = neighbour_begin_[static_cast<std::size_t>(b) + 1];
  const Occupation* o = occ.data();
  if (n_classes_ > 0) {  // one tabulated offset per neighbour
    const int combo = class0_[static_cast<std::size_t>(u0)] + class1_[static_cast<std::size_t>(u1)] + class2_[static_cast<std::size_t>(u2)];
    const int n = end - begin;
    const int* off = class_offset_.data() + class_offset_begin_[static_cast<std::size_t>(b)] + combo * n;
    const Occupation* centre = o + b * n_cells_ + cell;
    for (int k = 0; k < n; ++k) out[k] = centre[off[k]];
    return;
  }
  const int* du = neighbour_du_.data() + 3 * begin;
  const int* base = neighbour_base_.data();
  const int* w0 = wrap0_.data() + u0;
  const int* w1 = wrap1_.data() + u1;
  const int* w2 = wrap2_.data() + u2;
  for (int k = begin; k < end; ++k, du += 3) *out++ = o[base[k] + w0[du[0]] + w1[du[1]] + w2[du[2]]];
}

double LocalEnergy::total_energy(std::span<const Occupation> occ) const {
  if (occ.size() != static_cast<std::size_t>(supercell_.n_sites()))
    throw std::invalid_argument("LocalEnergy: occupation has " + std::to_string(occ.size()) + " sites, expected " +
                                std::to_string(supercell_.n_sites()));
  std::array<Occupation, kMaxNeighbours> nb;
  double e = constant_;
  for (int b = 0; b < supercell_.n_basis(); ++b) {
    const int t_end = template_begin_[static_cast<std::size_t>(b) + 1];
    for (int cell = 0; cell < n_cells_; ++cell) {
      gather(occ, b, cell, nb.data());
      const int own = occ[static_cast<std::size_t>(b * n_cells_ + cell)];
      for (int ti = template_begin_[static_cast<std::size_t>(b)]; ti < t_end; ++ti) {
        const Template& t = templates_[static_cast<std::size_t>(ti)];
        if (!t.anchor) continue;
        int tuple = own * t.self_stride;
        for (int o = t.others_begin; o < t.others_end; ++o)
          tuple += nb[other_slot_[static_cast<std::size_t>(o)]] * other_stride_[static_cast<std::size_t>(o)];
        e += energies_[static_cast<std::size_t>(t.table_offset + tuple)];
      }
    }
  }
  return e;
}

template <int K>
double LocalEnergy::sum_fixed(const std::vector<Fixed<K>>& list, int begin, int end, const Occupation* nb, const double* e,
                              int old_species, int new_species) {
  const auto delta = [&](const Fixed<K>& t) {
    int rest = t.table_offset;
    for (int q = 0; q < K; ++q) rest += nb[t.slot[static_cast<std::size_t>(q)]] * t.stride[static_cast<std::size_t>(q)];
    return e[rest + new_species * t.self_stride] - e[rest + old_species * t.self_stride];
  };
  double acc0 = 0.0, acc1 = 0.0;
  int i = begin;
  for (; i + 1 < end; i += 2) {
    acc0 += delta(list[static_cast<std::size_t>(i)]);
    acc1 += delta(list[static_cast<std::size_t>(i) + 1]);
  }
  if (i < end) acc0 += delta(list[static_cast<std::size_t>(i)]);
  return acc0 + acc1;
}

double LocalEnergy::flip_delta(std::span<const Occupation> occ, int site, int species) const {
  const int old = occ[static_cast<std::size_t>(site)];
  if (old == species) return 0.0;
  const int b = static_cast<int>(by_cells_.divide(static_cast<std::uint32_t>(site)));
  std::array<Occupation, kMaxNeighbours> nb;
  gather(occ, b, site - b * n_cells_, nb.data());
  const auto& lo = fixed_begin_[static_cast<std::size_t>(b)];
  const auto& hi = fixed_begin_[static_cast<std::size_t>(b) + 1];
  const double* e = energies_.data();
  double delta = 0.0;
  for (int r = pair_run_begin_[static_cast<std::size_t>(b)]; r < pair_run_begin_[static_cast<std::size_t>(b) + 1]; ++r) {
    const PairRun& run = pair_runs_[static_cast<std::size_t>(r)];
    // Species counts of the run's neighbours, one byte each in a 64-bit word (runs < 256).
    std::uint64_t counts = 0;
    for (int k = run.begin; k < run.end; ++k) counts += std::uint64_t{1} << (8 * nb[static_cast<std::size_t>(k)]);
    const double* row_new = e + run.table_offset + species * run.self_stride;
    const double* row_old = e + run.table_offset + old * run.self_stride;
    for (int x = 0; x < run.n_species; ++x, counts >>= 8)
      delta += static_cast<double>(counts & 0xFF) * (row_new[x * run.other_stride] - row_old[x * run.other_stride]);
  }
  delta += sum_fixed(fixed0_, lo[0], hi[0], nb.data(), e, old, species) +
                 sum_fixed(fixed1_, lo[1], hi[1], nb.data(), e, old, species) +
                 sum_fixed(fixed2_, lo[2], hi[2], nb.data(), e, old, species) +
                 sum_fixed(fixed3_, lo[3], hi[3], nb.data(), e, old, species);
  for (int g = lo[4]; g < hi[4]; ++g) {  // clusters of five or more sites
    const Template& t = templates_[static_cast<std::size_t>(general_[static_cast<std::size_t>(g)])];
    int rest = t.table_offset;
    for (int o = t.others_begin; o < t.others_end; ++o)
      rest += nb[other_slot_[static_cast<std::size_t>(o)]] * other_stride_[static_cast<std::size_t>(o)];
    delta += e[rest + species * t.self_stride] - e[rest + old * t.self_stride];
  }
  return delta;
}

double LocalEnergy::pair_delta(std::span<Occupation> occ, int i, int a, int j, int b) const {
  // E(both changed) - E(before) = [E(i changed) - E(before)] + [E(both) - E(i changed)]:
  // exact for any i, j, including clusters that contain both.
  const double first = flip_delta(occ, i, a);
  const Occupation old_i = occ[static_cast<std::size_t>(i)];
  occ[static_cast<std::size_t>(i)] = static_cast<Occupation>(a);
  const double second = flip_delta(occ, j, b);
  occ[static_cast<std::size_t>(i)] = old_i;
  return first + second;
}

std::size_t LocalEnergy::table_bytes() const {
  return energies_.size() * sizeof(double) + templates_.size() * sizeof(Template) + fixed0_.size() * sizeof(Fixed<0>) +
         fixed1_.size() * sizeof(Fixed<1>) + fixed2_.size() * sizeof(Fixed<2>) + fixed3_.size() * sizeof(Fixed<3>) +
         fixed_begin_.size() * sizeof(std::array<int, 5>) + general_.size() * sizeof(int) +
         other_slot_.size() * sizeof(std::uint16_t) + other_stride_.size() * sizeof(int) +
         (template_begin_.size() + neighbour_begin_.size() + neighbour_base_.size() + neighbour_du_.size() + wrap0_.size() +
          wrap1_.size() + wrap2_.size() + class0_.size() + class1_.size() + class2_.size() + class_offset_begin_.size() +
          class_offset_.size() + pair_run_begin_.size()) * sizeof(int) + pair_runs_.size() * sizeof(PairRun);
}

}  // namespace tmorder::ce
