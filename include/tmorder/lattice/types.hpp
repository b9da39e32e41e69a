#pragma once
// Small fixed-size linear-algebra types shared by every module.
#include <Eigen/Core>
#include <Eigen/LU>  // determinant() and inverse() of the 3x3 cells

namespace tmorder {
using Vec3 = Eigen::Vector3d;
using IVec3 = Eigen::Vector3i;
using Mat3 = Eigen::Matrix3d;
using IMat3 = Eigen::Matrix3i;
}  // namespace tmorder
