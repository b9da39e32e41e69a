"""Reading helpers shared by the file readers of this package: attribute decoding, the
"every numeric dataset has a string units attribute" rule, and validated dataset reads
with messages that name the file and the dataset."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List, Mapping

import h5py
import numpy as np


def checked_hdf5_path(path) -> Path:
    """``path`` as a Path after checking it names an existing regular HDF5 file
    (FileNotFoundError / ValueError naming the file otherwise)."""
    path = Path(os.fspath(path))
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if not path.is_file():
        raise ValueError(f"{path}: not a regular file")
    if not h5py.is_hdf5(path):
        raise ValueError(f"{path}: not an HDF5 file")
    return path


def as_str(value) -> str:
    """Decode an HDF5 attribute value to a Python string."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        if value.size == 1:
            return as_str(value.reshape(()).item())
        return ",".join(as_str(v) for v in value.ravel())
    if isinstance(value, np.generic):
        return as_str(value.item())
    return str(value)


def is_string_value(value) -> bool:
    if isinstance(value, (str, bytes)):
        return True
    arr = np.asarray(value)
    return arr.size == 1 and arr.dtype.kind in "OSU"


def is_numeric(dtype: np.dtype) -> bool:
    return h5py.check_string_dtype(dtype) is None and dtype.kind in "biufc"


def collect_units(h5: h5py.File, path: Path) -> Dict[str, str]:
    """Return {dataset path: units}; every numeric dataset must have a string "units"."""
    units: Dict[str, str] = {}
    missing: List[str] = []

    def visit(name: str, obj) -> None:
        if isinstance(obj, h5py.Dataset) and is_numeric(obj.dtype):
            full = "/" + name
            if "units" not in obj.attrs:
                missing.append(full)
                return
            raw = obj.attrs["units"]
            if not is_string_value(raw):
                raise ValueError(f"{path}: 'units' attribute of numeric dataset '{full}' is not a string")
            units[full] = as_str(raw)

    h5.visititems(visit)
    if missing:
        raise ValueError(
            f"{path}: numeric dataset(s) without a 'units' attribute: {', '.join(sorted(missing))}"
        )
    return units


def read_checked(h5: h5py.File, path: Path, name: str, spec, units: Mapping[str, str], file_kind: str) -> np.ndarray:
    """Read dataset ``name`` after checking presence, kind ("str", "int", "float"), rank and
    units; ``spec`` = (kind, ndim, expected units or None). ``file_kind`` completes the
    missing-dataset message ("not a <file_kind>: missing dataset ...")."""
    kind, ndim, expected_units = spec
    if name not in h5:
        raise ValueError(f"{path}: not a {file_kind}: missing dataset '{name}'")
    obj = h5[name]
    if not isinstance(obj, h5py.Dataset):
        raise ValueError(f"{path}: '{name}' must be a dataset, found a group")
    if obj.ndim != ndim:
        raise ValueError(f"{path}: dataset '{name}' must have {ndim} dimension(s), has shape {obj.shape}")
    is_string = h5py.check_string_dtype(obj.dtype) is not None
    if kind == "str":
        if not is_string:
            raise ValueError(f"{path}: dataset '{name}' must hold strings, has dtype {obj.dtype}")
        return np.asarray(obj.asstr()[()], dtype=str).reshape(obj.shape)
    if is_string or obj.dtype.kind not in ("iu" if kind == "int" else "iuf"):
        raise ValueError(f"{path}: dataset '{name}' must be {kind}, has dtype {obj.dtype}")
    if expected_units is not None and units.get(name) != expected_units:
        raise ValueError(
            f"{path}: dataset '{name}' has units {units.get(name)!r}, expected {expected_units!r}"
        )
    return np.asarray(obj[()], dtype=np.float64 if kind == "float" else np.int64)
