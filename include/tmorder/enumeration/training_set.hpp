#pragma once
// Training-set selection: a diverse subset of candidate structures, chosen by greedy
// farthest-point sampling of their feature vectors (for tmorder enumerate: correlation vectors).
//
// Method. The selection starts from the `required` points (in the order given; e.g. the pure /
// end-member structures). If there are none, it starts from the point closest to the mean of
// all points. It then adds, one at a time, the point whose Euclidean distance to its nearest
// already-selected point is largest (the classic 2-approximation of the k-centre problem),
// until `k` points are chosen. Distances that are equal to within 1e-9 (relative to the largest
// distance) count as ties; a tie is broken by a pseudo-random choice from `seed` (std::mt19937_64,
// so the result depends only on the inputs and the seed, on every platform).
//
// Not built: D-optimal design (maximising det(X^T X) of the correlation matrix X of the
// selected structures), which targets the variance of the fitted ECIs rather than coverage.
#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tmorder::enumeration {

/// Indices of `k` points chosen by farthest-point sampling (see above), in selection order,
/// `required` first. Points must all have the same dimension. Throws std::invalid_argument if
/// k > points.size(), if `required` holds an index out of range or a duplicate, or if
/// required.size() > k.
std::vector<std::size_t> farthest_point_selection(const std::vector<Eigen::VectorXd>& points, std::size_t k,
                                                  const std::vector<std::size_t>& required, std::uint64_t seed);

}  // namespace tmorder::enumeration
