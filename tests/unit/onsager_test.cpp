#include "onsager.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace {

using namespace tmorder::exact;

// Reference energies: u = -d(ln Z / N)/dK from Onsager's double integral
//   ln Z / N = ln2/2 + (1/(8 pi^2)) int_0^2pi int_0^2pi ln[cosh^2 2K - sinh 2K (cos t1 + cos t2)],
// differentiated under the integral sign and integrated with scipy.integrate.dblquad
// (epsabs = epsrel = 1e-14); this shares no code or formula with onsager.hpp. Specific heats:
// the closed form evaluated with scipy.special.ellipk/ellipe (an independent elliptic-integral
// implementation), itself checked against a central difference of the integral energies.
struct Reference {
  double T;
  double u;
  double c;
};
constexpr std::array<Reference, 8> kReference = {{
    {0.5, -1.999999098811657, 0.000028852552717},
    {1.0, -1.997160204112251, 0.023379564686542},
    {2.0, -1.745564575312554, 0.724871448601573},
    {2.25, -1.463102732587092, 2.053077025388597},
    {2.3, -1.342866387695927, 1.822368686122956},
    {3.0, -0.817309592502420, 0.401379575895925},
    {5.0, -0.428228833240348, 0.097652177588480},
    {10.0, -0.203377391097356, 0.021022315788654},
}};

TEST(OnsagerTest, CriticalTemperature) {
  EXPECT_NEAR(onsager_tc(), 2.269185314213022, 1e-15);
  // sinh(2 / Tc) = 1 is the self-dual point.
  EXPECT_NEAR(std::sinh(2.0 / onsager_tc()), 1.0, 1e-15);
}

TEST(OnsagerTest, EllipticIntegralsKnownValues) {
  // K(1/sqrt 2) = Gamma(1/4)^2 / (4 sqrt pi); E from Legendre's relation at k = 1/sqrt 2.
  const double g = std::tgamma(0.25);
  const double k_sym = g * g / (4.0 * std::sqrt(std::numbers::pi));
  EXPECT_NEAR(elliptic_k(1.0 / std::numbers::sqrt2), k_sym, 1e-14);
  EXPECT_NEAR(elliptic_e(1.0 / std::numbers::sqrt2), std::numbers::pi / (4.0 * k_sym) + 0.5 * k_sym, 1e-14);
  EXPECT_NEAR(elliptic_k(0.9), 2.280549138422770, 1e-14);  // scipy.special.ellipk(0.81)
  EXPECT_NEAR(elliptic_e(0.9), 1.171697052781614, 1e-14);  // scipy.special.ellipe(0.81)
  EXPECT_NEAR(elliptic_k(0.0), std::numbers::pi / 2, 1e-15);
  EXPECT_NEAR(elliptic_e(0.0), std::numbers::pi / 2, 1e-15);
  EXPECT_EQ(elliptic_e(1.0), 1.0);
  EXPECT_TRUE(std::isinf(elliptic_k(1.0)));
}

TEST(OnsagerTest, EnergyAgainstOnsagerIntegral) {
  for (const auto& r : kReference) {
    EXPECT_NEAR(onsager_energy_per_site(r.T), r.u, 1e-12) << "T = " << r.T;
  }
}

TEST(OnsagerTest, EnergyAtTwo) {
  // The brief's -1.7455648 is a rounding of -1.74556457531 (it differs by 2.2e-7).
  EXPECT_NEAR(onsager_energy_per_site(2.0), -1.7455648, 1e-6);
  EXPECT_NEAR(onsager_energy_per_site(2.0), -1.7455645753, 1e-10);
}

TEST(OnsagerTest, EnergyLimits) {
  EXPECT_NEAR(onsager_energy_per_site(onsager_tc()), -std::numbers::sqrt2, 1e-14);
  EXPECT_NEAR(onsager_energy_per_site(std::nextafter(onsager_tc(), 0.0)), -std::numbers::sqrt2, 1e-12);
  EXPECT_NEAR(onsager_energy_per_site(std::nextafter(onsager_tc(), 10.0)), -std::numbers::sqrt2, 1e-12);
  EXPECT_NEAR(onsager_energy_per_site(0.2), -2.0, 1e-15);
  EXPECT_EQ(onsager_energy_per_site(1e-3), -2.0);  // no overflow of cosh(2000)
  // High temperature: u = -2 tanh K (1 + O(tanh^4 K)... ) -> -2/T.
  EXPECT_NEAR(onsager_energy_per_site(1000.0), -2.0 / 1000.0, 1e-8);
  for (double T = 0.3; T < 8.0; T += 0.05) {
    const double u = onsager_energy_per_site(T);
    ASSERT_TRUE(std::isfinite(u)) << T;
    ASSERT_GE(u, -2.0) << T;
    ASSERT_LT(u, 0.0) << T;
  }
}

TEST(OnsagerTest, SpecificHeatAgainstReference) {
  for (const auto& r : kReference) {
    EXPECT_NEAR(onsager_specific_heat_per_site(r.T), r.c, 1e-11 * std::max(1.0, r.c)) << "T = " << r.T;
  }
  EXPECT_TRUE(std::isinf(onsager_specific_heat_per_site(onsager_tc())) ||
              onsager_specific_heat_per_site(onsager_tc()) > 10.0);
  EXPECT_NEAR(onsager_specific_heat_per_site(0.1), 0.0, 1e-12);
  EXPECT_NEAR(onsager_specific_heat_per_site(1e-3), 0.0, 1e-12);
}

TEST(OnsagerTest, SpecificHeatIsDerivativeOfEnergy) {
  // Central difference with h = 1e-4: truncation h^2 u'''/6 and rounding 1e-16/h, both
  // < 1e-7 away from Tc.
  const double h = 1e-4;
  for (const double T : {0.8, 1.2, 1.6, 2.0, 2.2, 2.35, 2.6, 3.0, 4.0, 6.0}) {
    const double fd = (onsager_energy_per_site(T + h) - onsager_energy_per_site(T - h)) / (2.0 * h);
    EXPECT_NEAR(onsager_specific_heat_per_site(T), fd, 1e-6 * std::max(1.0, fd)) << "T = " << T;
  }
}

TEST(OnsagerTest, SpecificHeatIntegratesToEnergyDifference) {
  // Thermodynamic consistency: int_{T1}^{T2} c dT = u(T2) - u(T1), composite Simpson, on
  // intervals that avoid the log singularity at Tc.
  const auto simpson = [](double a, double b, int n) {
    const double h = (b - a) / n;
    double s = onsager_specific_heat_per_site(a) + onsager_specific_heat_per_site(b);
    for (int i = 1; i < n; ++i) s += (i % 2 ? 4.0 : 2.0) * onsager_specific_heat_per_site(a + i * h);
    return s * h / 3.0;
  };
  EXPECT_NEAR(simpson(0.5, 2.0, 400), onsager_energy_per_site(2.0) - onsager_energy_per_site(0.5), 1e-8);
  EXPECT_NEAR(simpson(2.5, 5.0, 400), onsager_energy_per_site(5.0) - onsager_energy_per_site(2.5), 1e-8);
}

TEST(OnsagerTest, Magnetisation) {
  EXPECT_NEAR(onsager_magnetisation(2.0), 0.9113194, 1e-6);  // Yang 1952
  EXPECT_NEAR(onsager_magnetisation(2.0), 0.9113193779, 1e-10);
  EXPECT_NEAR(onsager_magnetisation(1.0), std::pow(1.0 - std::pow(std::sinh(2.0), -4.0), 0.125), 1e-15);
  EXPECT_EQ(onsager_magnetisation(onsager_tc()), 0.0);
  EXPECT_EQ(onsager_magnetisation(3.0), 0.0);
  EXPECT_EQ(onsager_magnetisation(1e-3), 1.0);
  // Critical behaviour m ~ (Tc - T)^(1/8): small but nonzero just below Tc, decreasing in T.
  const double just_below = onsager_magnetisation(onsager_tc() * (1.0 - 1e-8));
  EXPECT_GT(just_below, 0.0);
  EXPECT_LT(just_below, 0.2);
  double previous = 1.0;
  for (double T = 0.5; T < onsager_tc(); T += 0.05) {
    const double m = onsager_magnetisation(T);
    ASSERT_LE(m, previous) << T;
    previous = m;
  }
}

TEST(OnsagerTest, RejectsBadTemperature) {
  EXPECT_THROW(onsager_energy_per_site(0.0), std::invalid_argument);
  EXPECT_THROW(onsager_specific_heat_per_site(-1.0), std::invalid_argument);
  EXPECT_THROW(onsager_magnetisation(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  EXPECT_THROW(onsager_energy_per_site(std::numeric_limits<double>::infinity()), std::invalid_argument);
}

}  // namespace
