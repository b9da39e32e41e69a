#include "tmorder/clusters/orbit_table.hpp"

namespace tmorder::clusters {

OrbitTable orbit_table(const ClusterSpace& space, std::size_t k) {
  const Orbit& orbit = space.orbits()[k];
  OrbitTable t;
  for (int sl : orbit.sublattices) t.n_species.push_back(space.basis(sl).n_species());
  const std::size_t order = t.n_species.size();
  t.stride.assign(order, 1);
  for (std::size_t i = order - 1; i > 0; --i) t.stride[i - 1] = t.stride[i] * t.n_species[i];
  t.n_tuples = t.stride[0] * t.n_species[0];
  t.n_functions = static_cast<int>(orbit.functions.size());
  t.values.assign(static_cast<std::size_t>(t.n_tuples * t.n_functions), 0.0);
  for (int tuple = 0; tuple < t.n_tuples; ++tuple)
    for (int f = 0; f < t.n_functions; ++f) {
      const ClusterFunction& fn = orbit.functions[static_cast<std::size_t>(f)];
      double sum = 0.0;
      for (const Decoration& d : fn) {
        double prod = 1.0;
        for (std::size_t i = 0; i < order; ++i) {
          const int sigma = (tuple / t.stride[i]) % t.n_species[i];
          prod *= space.basis(orbit.sublattices[i])(d[i], sigma);
        }
        sum += prod;
      }
      t.values[static_cast<std::size_t>(tuple * t.n_functions + f)] = sum / static_cast<double>(fn.size());
    }
  return t;
}

}  // namespace tmorder::clusters
