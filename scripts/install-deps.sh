#!/usr/bin/env bash
# Installs tmorder's build, test and analysis dependencies from Debian 12 packages.
# Idempotent: packages already installed are not touched, and apt is only called when
# something is missing. Run as root (or with sudo available).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libopenmpi-dev openmpi-bin
  libeigen3-dev libboost-serialization-dev libsymspg-dev libhdf5-openmpi-dev
  libtomlplusplus-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-h5py python3-numpy python3-matplotlib python3-pytest python3-ase
  gpaw gpaw-data libopenblas0-serial   # DFT training data (jobs/dft); OpenBLAS: reference BLAS is ~12x slower
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
