"""Resumable DFT single points (GPAW, plane waves, PBE+U) for tmorder training sets.

Takes the extended-XYZ file written by `tmorder enumerate`, computes one single point per
structure, keeps one JSON result file per structure (finished ones are skipped on the next
call, so the driver can be killed and restarted at any time), records crashed and
unconverged jobs as such, and assembles the training extxyz for `tmorder fit` with full
per-structure provenance. Only converged energies enter the training file; every excluded
structure is listed with its reason in `<training>-excluded.txt` (never dropped silently).

    /usr/bin/python3 jobs/dft/tmorder_dft.py run STRUCTURES.extxyz RESULTS_DIR [--only ID ...] [--settings JSON]
    /usr/bin/python3 jobs/dft/tmorder_dft.py collect STRUCTURES.extxyz RESULTS_DIR TRAINING.extxyz

Settings (DEFAULT_SETTINGS; justify changes in the model's provenance): PBE+U (Dudarev,
U(Ni) = 6.2 eV, U(Mn) = 3.9 eV: Materials Project values), plane-wave cutoff 450 eV,
Monkhorst-Pack k-points at a constant density (n_i = ceil(13.5 A |b_i|), b_i reciprocal
vectors without 2 pi: 3 x 3 x 3 for the 12-atom sqrt3 x sqrt3 O3 cells, the same density for
every cell), Fermi-Dirac smearing 0.05 eV, ferromagnetic initial moments, ideal unrelaxed
positions at the lattice parameters of the model; `--settings '{"relax": {...}}'` relaxes
positions (and optionally the cell) first and trains on the relaxed geometry. Run one process per core with
OMP_NUM_THREADS=1 (see jobs/dft/dft.sbatch); Debian's gpaw with libopenblas0-serial.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import sys
import time
import traceback
from pathlib import Path

DEFAULT_SETTINGS = {
    "code": "gpaw",
    "mode": "pw",
    "xc": "PBE",
    "ecut_eV": 450.0,
    "hubbard_u_eV": {"Ni": 6.2, "Mn": 3.9},
    "kpoint_density_per_inv_angstrom": 13.5,  # n_i = ceil(13.5 |b_i|): 3 x 3 x 3 for the 12-atom O3 cells
    "smearing": {"type": "fermi-dirac", "width_eV": 0.05},
    "initial_magnetic_moments_muB": {"Ni": 2.0, "Mn": 4.0, "Cu": 1.0, "Ru": 2.0},
    "spin_polarized": True,
    # SCF stops when the energy changes by < 2e-5 eV per valence electron over 3 iterations
    # and the density by < 5e-4 electrons per valence electron: ~1-2 meV per 12-atom cell,
    # far below the ordering energies (tens of meV per site); tighter criteria cost 2-3x more
    # iterations in these magnetic oxides without moving the energy differences.
    "convergence": {"energy_eV_per_electron": 2e-5, "density": 5e-4, "eigenstates": 1e-6, "maxiter": 300},
    # Pulay mixing with a small step and long memory damps charge sloshing in the layered
    # magnetic cells (GPAW's default beta 0.05 left some 12-atom cells oscillating).
    "mixer": {"beta": 0.05, "nmaxold": 8, "weight": 100.0},
    # A single point whose SCF has not converged after `after_iterations` starts again with
    # this gentler mixer (GPAW's advice for charge sloshing) for the rest of maxiter, instead
    # of spending all of maxiter oscillating: a few layered cells (Ru-rich 19-atom, Na0.8
    # with Cu in the Na layer) sloshed for 100-300 iterations with the mixer above. Both
    # attempts are recorded; the training frame names the mixer that converged. None: off.
    # Optional "anneal_width_eV": the fallback first converges with this wider Fermi-Dirac
    # smearing and then continues from that density at the standard width to convergence
    # (the energy is the standard-width one, as for every other cell): for SCFs that
    # oscillate between near-degenerate occupations (Mn3+ e_g at undistorted sites, moments
    # drifting in Cu-exchanged Na-deficient cells) rather than slosh charge.
    "scf_fallback": {"after_iterations": 120, "mixer": {"beta": 0.02, "nmaxold": 5, "weight": 100.0}},
    "geometry": "ideal unrelaxed positions at the model's lattice parameters",
    # None: single points at the ideal positions. {"fmax_eV_per_A": f, "max_steps": n,
    # "cell": bool}: BFGS relaxation of the positions (and, with cell = true, of the cell
    # shape and volume through ASE's UnitCellFilter) until every force (and stress x volume)
    # is below f; a relaxation that does not get there in n steps is recorded as unconverged.
    # Needed where the ideal sites cannot represent the physics, e.g. the cooperative
    # Jahn-Teller distortion of Mn3+ in O'3 NaMn(Al)O2. Optional "rattle_angstrom",
    # "strain" and "seed" start the relaxation off the ideal sites (_break_symmetry); with
    # cell = true the Pulay stress is corrected unless "pulay_stress" is set to "none".
    # Optional "relax_settings": top-level settings to relax at (e.g. a lower cutoff and
    # coarser k-points); the energy is then one single point at the full settings on the
    # relaxed geometry (relax_stage_settings).
    "relax": None,
    # The same lattice in its Niggli-reduced basis: enumerated supercells come as Hermite
    # normal forms of the primitive cell, often very skewed; a reduced cell needs fewer plane
    # waves and k-points for the same accuracy. tmorder fit maps either basis back.
    "niggli_reduce": True,
    # Translations and time reversal only: with the point group, GPAW forces a real-space
    # grid that every rotation maps onto itself, which for the skewed reduced cells of
    # enumerated supercells is up to 4x larger (15x28x40 -> 40x40x40 points measured on a
    # 12-atom cell) and costs more than the irreducible k-points save.
    "point_group_symmetry": False,
}


def structure_id(atoms, index):
    return str(atoms.info.get("config_id", f"frame{index}"))


def kpoint_mesh(cell, density):
    """Monkhorst-Pack divisions n_i = max(1, ceil(density * |b_i|)) with b_i the reciprocal
    vectors without 2 pi, so every cell samples the Brillouin zone equally densely (for a
    vacuum direction |b_i| is small and n_i = 1)."""
    import numpy as np

    recip = np.linalg.inv(np.asarray(cell, dtype=float)).T
    return [max(1, int(math.ceil(density * np.linalg.norm(b) - 1e-9))) for b in recip]


def make_calculator(atoms, settings, txt, mixer=None, maxiter=None, width=None):
    from gpaw import GPAW, PW, FermiDirac

    setups = {el: f":d,{u}" for el, u in settings["hubbard_u_eV"].items() if el in atoms.get_chemical_symbols()}
    conv = settings["convergence"]
    criteria = {"energy": conv["energy_eV_per_electron"]}
    if "density" in conv:
        criteria["density"] = conv["density"]
    if "eigenstates" in conv:
        criteria["eigenstates"] = conv["eigenstates"]
    extra = {}
    m = mixer or settings.get("mixer")
    if m:
        from gpaw import Mixer, MixerSum

        # Spin-polarised: mix the total density (MixerSum), as GPAW recommends for magnetic
        # systems whose moments should find their own size.
        cls = MixerSum if settings["spin_polarized"] else Mixer
        extra["mixer"] = cls(beta=m["beta"], nmaxold=m["nmaxold"], weight=m["weight"])
    if settings.get("point_group_symmetry", True) is False:
        extra["symmetry"] = {"point_group": False}
    pw = {}
    relax = settings.get("relax") or {}
    if relax.get("cell") and relax.get("pulay_stress", "estimate") == "estimate":
        # GPAW's plane-wave stress keeps the number of plane waves fixed, so at a finite cutoff
        # it carries a compressive Pulay stress: a cell relaxation at 450 eV without this
        # correction shrank O3 NaMnO2 by 5 % in layer spacing while its energy rose 0.5 eV.
        # GPAW estimates dE/d(ecut) from the PAW setups and adds the correction.
        pw["dedecut"] = "estimate"
    return GPAW(
        mode=PW(settings["ecut_eV"], **pw),
        xc=settings["xc"],
        kpts={"size": kpoint_mesh(atoms.cell, settings["kpoint_density_per_inv_angstrom"]), "gamma": True},
        occupations=FermiDirac(width or settings["smearing"]["width_eV"]),
        spinpol=settings["spin_polarized"],
        setups=setups or "paw",
        convergence=criteria,
        maxiter=maxiter or conv["maxiter"],
        txt=txt if hasattr(txt, "write") else str(txt),
        **extra,
    )


def relax_stage_settings(settings):
    """The settings the relaxation runs at: the run's own, or with relax["relax_settings"]
    (top-level keys, e.g. {"ecut_eV": 350, "kpoint_density_per_inv_angstrom": 9}) put over
    them. The cheap route on 2 cores: relax where forces and stress are cheap, then take the
    training energy from one single point at the full settings on the relaxed geometry
    (run_one). Whether the reduced settings move the relaxed energy is measured, not assumed:
    clusters/o3-nanisbcu-dft/dft/run_relaxed.sh relaxes the same cells both ways."""
    cheap = (settings.get("relax") or {}).get("relax_settings")
    if not cheap:
        return settings
    unknown = sorted(set(cheap) - set(DEFAULT_SETTINGS))
    if unknown or "relax" in cheap:
        raise ValueError(f"relax_settings: unknown or not allowed keys {unknown or ['relax']}")
    return dict(settings, **cheap)


def _break_symmetry(atoms, relax):
    """Displaces every atom by a random vector of length relax["rattle_angstrom"] and strains
    the cell by a random symmetric strain with entries up to relax["strain"] (positions move
    with the cell), reproducibly from relax["seed"]. Why: started exactly on the ideal sites,
    forces and stress keep the parent's symmetry and BFGS never leaves it, e.g. O3 NaMnO2
    would stay trigonal on the saddle above its Jahn-Teller-distorted monoclinic minimum.
    Returns what was applied (recorded in the result), or None when both are zero."""
    import numpy as np

    rattle = float(relax.get("rattle_angstrom", 0.0))
    strain = float(relax.get("strain", 0.0))
    if rattle <= 0.0 and strain <= 0.0:
        return None
    rng = np.random.default_rng(int(relax.get("seed", 0)))
    eps = rng.uniform(-strain, strain, size=(3, 3))
    eps = 0.5 * (eps + eps.T)
    atoms.set_cell(np.asarray(atoms.cell) @ (np.eye(3) + eps), scale_atoms=True)
    step = rng.normal(size=(len(atoms), 3))
    step *= rattle / np.maximum(np.linalg.norm(step, axis=1, keepdims=True), 1e-12)
    atoms.positions += step
    return {"rattle_angstrom": rattle, "strain": strain, "seed": int(relax.get("seed", 0)),
            "strain_tensor": eps.tolist()}


def relax_state_files(result_path):
    """The files that let an interrupted relaxation resume (next to the result file, removed
    once the result is written): the BFGS trajectory, BFGS's own restart file (Hessian, last
    step) and a note of the steps taken and of what they belong to."""
    base = Path(result_path).with_suffix("")
    return {"traj": base.with_name(base.name + ".relax.traj"), "bfgs": base.with_name(base.name + ".relax.bfgs.json"),
            "note": base.with_name(base.name + ".relax.resume.json")}


def _relax_fingerprint(atoms, settings):
    """What a saved relaxation belongs to: the settings and the starting structure. A state
    left by other settings or another structure is not resumed."""
    import hashlib

    key = {"settings": settings, "symbols": atoms.get_chemical_symbols(),
           "cell": [[round(x, 8) for x in row] for row in atoms.cell.tolist()],
           "positions": [[round(x, 8) for x in row] for row in atoms.positions.tolist()]}
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()


def _saved_relaxation(state, fingerprint, log):
    """(steps already taken, wall seconds spent, last geometry) of a relaxation interrupted
    with the same fingerprint, or None (and any stale state removed) when there is nothing to
    resume."""
    from ase.io import read

    try:
        note = json.loads(state["note"].read_text())
        last = read(str(state["traj"]), index=-1)
        if note["fingerprint"] == fingerprint and state["bfgs"].exists():
            return int(note["steps"]), float(note["wall_seconds"]), last
        reason = "it belongs to other settings or another structure"
    except FileNotFoundError:
        reason = None
    except Exception as exc:  # noqa: BLE001 - a damaged state file only means starting over
        reason = f"it could not be read ({type(exc).__name__}: {exc})"
    if reason:
        with open(log, "a") as f:
            f.write(f"saved relaxation state not resumed: {reason}; starting over\n")
    for path in state.values():
        path.unlink(missing_ok=True)
    return None


def _relax(atoms, relax, record, log, state=None, fingerprint=""):
    """BFGS on the positions (and the cell with relax["cell"]) in place; records the relaxed
    geometry, the step count and the largest remaining force in record["relax"].

    With `state` (relax_state_files) the relaxation survives being killed (a batch job's wall
    time, a crash): every BFGS step appends to the trajectory and saves the Hessian, and a
    rerun with the same `fingerprint` continues from the last step, counting max_steps over
    all runs. Only the SCF of the step in progress is lost. The wall seconds the earlier runs
    spent go into record["wall_seconds_earlier_runs"] as soon as they are known, so a run
    that then fails still counts them."""
    import numpy as np
    from ase.optimize import BFGS

    seed = _break_symmetry(atoms, relax)
    target = atoms
    if relax.get("cell"):
        from ase.constraints import UnitCellFilter

        # Made before the saved geometry is put back: the filter's coordinates are strains
        # relative to the cell it was made with, which must be the same start cell as in the
        # interrupted run for the saved Hessian and last step to mean the same thing.
        target = UnitCellFilter(atoms)
    t0 = time.time()
    saved = _saved_relaxation(state, fingerprint, log) if state else None
    done, spent = 0, 0.0
    if saved:
        done, spent, last = saved
        record["wall_seconds_earlier_runs"] = spent
        atoms.set_cell(last.cell, scale_atoms=False)
        atoms.set_positions(last.positions)
        with open(log, "a") as f:
            f.write(f"resumed after step {done} from {state['traj'].name}\n")
    kw = {}
    if state:
        from ase.io.trajectory import Trajectory

        # appended to, never rewritten: the steps of the earlier runs stay in it
        kw = {"restart": str(state["bfgs"]), "trajectory": Trajectory(str(state["traj"]), mode="a", atoms=target)}
    opt = BFGS(target, logfile=str(log), **kw)
    if state:
        def note():  # after every step: how many were taken over all runs, and for what
            tmp = state["note"].with_name(state["note"].name + f".tmp-{os.getpid()}")
            tmp.write_text(json.dumps({"fingerprint": fingerprint, "steps": done + opt.nsteps,
                                       "wall_seconds": spent + time.time() - t0}))
            os.replace(tmp, state["note"])
        opt.attach(note)
    remaining = relax["max_steps"] - done
    try:
        if remaining > 0:
            converged = bool(opt.run(fmax=relax["fmax_eV_per_A"], steps=remaining))
        else:  # the earlier runs used every step (BFGS.run would read steps=0 as no limit)
            opt.fmax = relax["fmax_eV_per_A"]
            converged = bool(opt.converged())
    finally:
        if state:
            kw["trajectory"].close()
    forces = target.get_forces()
    record["relax"] = {
        "converged": converged,
        "steps": done + int(opt.get_number_of_steps()),
        "resumed_after_step": done or None,
        "fmax_final_eV_per_A": float(np.sqrt((forces ** 2).sum(axis=1)).max()),
        "cell": bool(relax.get("cell")),
        "symmetry_breaking": seed,
        "positions_angstrom": atoms.positions.tolist(),
        "cell_angstrom": atoms.cell.tolist(),
        "symbols": atoms.get_chemical_symbols(),
    }


def _single_point(atoms, settings, log_path, record):
    """The energy with settings["mixer"], and if the SCF has not converged after
    scf_fallback["after_iterations"], once more from scratch with scf_fallback["mixer"] for the
    rest of maxiter (its GPAW log next to the first, *.retry.txt); with
    scf_fallback["anneal_width_eV"] that retry first converges at the wider smearing and then
    at the standard width from the density it reached. record["scf_attempts"] lists every SCF
    (mixer, iteration limit, smearing width, status, iterations taken); record["mixer_used"] is the mixer that
    converged. Raises GPAW's convergence error if none does."""
    from gpaw import FermiDirac, KohnShamConvergenceError

    maxiter = settings["convergence"]["maxiter"]
    width = settings["smearing"]["width_eV"]
    fallback = settings.get("scf_fallback")
    plan = [(settings.get("mixer"), maxiter, None)]
    # no restart when the run already uses the fallback mixer at the same width: it would only start over
    anneal = (fallback or {}).get("anneal_width_eV")
    if fallback and fallback["after_iterations"] < maxiter and (fallback["mixer"] != settings.get("mixer") or anneal):
        plan = [(settings.get("mixer"), fallback["after_iterations"], None),
                (fallback["mixer"], maxiter - fallback["after_iterations"], anneal)]
    record["scf_attempts"] = []
    for k, (mixer, iterations, hot) in enumerate(plan):
        txt = log_path if k == 0 else Path(log_path).with_suffix(".retry.txt")
        atoms.calc = make_calculator(atoms, settings, txt, mixer, iterations, width=hot)
        attempt = {"mixer": mixer, "maxiter": iterations, "smearing_width_eV": hot or width}
        record["scf_attempts"].append(attempt)
        try:
            energy = float(atoms.get_potential_energy())
            if hot:
                # the wide-smearing energy is not used: continue from its density at the
                # standard width with the iterations left
                used = int(atoms.calc.get_number_of_iterations())
                attempt.update(status="converged", iterations=used)
                attempt = {"mixer": mixer, "maxiter": iterations - used, "smearing_width_eV": width,
                           "start": "density of the previous attempt"}
                record["scf_attempts"].append(attempt)
                if iterations - used < 1:
                    raise KohnShamConvergenceError("no iterations left after the wide-smearing SCF")
                atoms.calc.set(occupations=FermiDirac(width), maxiter=iterations - used)
                energy = float(atoms.get_potential_energy())
        except KohnShamConvergenceError:
            attempt["status"] = "unconverged"
            if k == len(plan) - 1:
                raise
            continue
        attempt.update(status="converged", iterations=int(atoms.calc.get_number_of_iterations()))
        record["mixer_used"] = mixer
        return energy
    raise AssertionError("unreachable")


def _write_json_atomically(path, data):
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def run_one(atoms, settings, result_path, log_path):
    """One single point; always leaves a result file: status converged / unconverged / failed."""
    import gpaw

    atoms = atoms.copy()
    if settings.get("niggli_reduce", True):
        from ase.build import niggli_reduce

        atoms.pbc = True
        niggli_reduce(atoms)
    moments = settings["initial_magnetic_moments_muB"]
    atoms.set_initial_magnetic_moments([moments.get(s, 0.0) for s in atoms.get_chemical_symbols()])
    atoms.pbc = True
    record = {
        "status": "failed",
        "code": "gpaw",
        "code_version": gpaw.__version__,
        "settings": settings,
        "kpoints": kpoint_mesh(atoms.cell, settings["kpoint_density_per_inv_angstrom"]),
        "formula": atoms.get_chemical_formula(),
        "cell_angstrom": atoms.cell.tolist(),
        "n_atoms": len(atoms),
        "host": socket.gethostname(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    t0 = time.time()
    try:
        if settings.get("relax"):
            state = relax_state_files(result_path)
            cheap = settings["relax"].get("relax_settings")
            at = relax_stage_settings(settings)
            # A relaxation that will resume appends to its earlier runs' GPAW log: given a
            # name, GPAW would truncate it and the SCF history of the killed run would be lost.
            with open(log_path, "a" if state["note"].exists() else "w") as txt:
                atoms.calc = make_calculator(atoms, at, txt)
                _relax(atoms, settings["relax"], record, Path(log_path).with_suffix(".relax.log"),
                       state, _relax_fingerprint(atoms, settings))
                record["energy_eV"] = float(atoms.get_potential_energy())
            if cheap:
                # Relaxed at reduced settings: the training energy is a single point at the
                # full settings on the relaxed geometry (with the usual SCF fallback).
                record["relax"]["relax_settings"] = cheap
                record["relax"]["energy_eV_at_relax_settings"] = record.pop("energy_eV")
                record["relax"]["kpoints_at_relax_settings"] = kpoint_mesh(
                    atoms.cell, at["kpoint_density_per_inv_angstrom"])
                record["kpoints"] = kpoint_mesh(atoms.cell, settings["kpoint_density_per_inv_angstrom"])
                final = dict(settings, relax=None)
                record["energy_eV"] = _single_point(atoms, final, Path(log_path).with_suffix(".final.txt"), record)
        else:
            record["energy_eV"] = _single_point(atoms, settings, log_path, record)
        record["magnetic_moment_muB"] = float(atoms.get_magnetic_moment()) if settings["spin_polarized"] else 0.0
        record["status"] = "converged"
        if settings.get("relax") and not record["relax"]["converged"]:
            record["status"] = "unconverged"
            record["error"] = (f"relaxation: largest force {record['relax']['fmax_final_eV_per_A']:.3f} eV/A after "
                               f"{record['relax']['steps']} steps (target {settings['relax']['fmax_eV_per_A']})")
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, never dropped
        name = type(exc).__name__
        record["status"] = "unconverged" if "Convergence" in name else "failed"
        record["error"] = f"{name}: {exc}"
        record["traceback"] = traceback.format_exc(limit=5)
    # with the earlier runs of an interrupted relaxation this run resumed
    record["wall_seconds"] = record.get("wall_seconds_earlier_runs", 0.0) + time.time() - t0
    _write_json_atomically(result_path, record)
    for path in relax_state_files(result_path).values():  # the result is written: nothing to resume
        path.unlink(missing_ok=True)
    return record


def _claim(lock):
    """Claims a structure for this process: creates LOCK exclusively (host and pid inside).
    Several drivers may share one results folder (one per core, or SLURM array tasks); a lock
    left by a dead process on this host is taken over, one from another host is respected
    (remove it by hand if that job died). Returns the lock path, or None if it is taken."""
    me = f"{socket.gethostname()} {os.getpid()}"
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                host, pid = lock.read_text().split()
            except (OSError, ValueError):
                return None  # being written right now, or unreadable: leave it
            if host != socket.gethostname():
                return None
            try:
                os.kill(int(pid), 0)
                return None  # alive
            except ProcessLookupError:
                lock.unlink(missing_ok=True)  # stale: its process is gone
                continue
            except PermissionError:
                return None
        with os.fdopen(fd, "w") as f:
            f.write(me)
        return lock
    return None


def run_all(structures, results_dir, settings=None, only=None, retry_failed=False, out=sys.stdout, reverse=False):
    from ase.io import read

    settings = dict(DEFAULT_SETTINGS, **(settings or {}))
    results_dir = Path(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    frames = list(enumerate(read(str(structures), index=":")))
    if reverse:
        frames.reverse()
    done = computed = 0
    for i, atoms in frames:
        sid = structure_id(atoms, i)
        if only and sid not in only:
            continue
        result = results_dir / f"{sid}.json"
        if result.exists():
            status = json.loads(result.read_text()).get("status")
            if status == "converged" or not retry_failed:
                done += 1
                continue
        lock = _claim(results_dir / f"{sid}.running")
        if lock is None:  # another driver (other core, array task) is computing it
            continue
        try:
            if result.exists() and json.loads(result.read_text()).get("status") == "converged":
                continue  # finished by another driver between our check and the claim
            rec = run_one(atoms, settings, result, results_dir / f"{sid}.txt")
        finally:
            lock.unlink(missing_ok=True)
        computed += 1
        print(f"{sid}: {rec['status']} {rec.get('energy_eV', '')} ({rec['wall_seconds']:.0f} s)", file=out, flush=True)
    print(f"{computed} computed, {done} already done, results in {results_dir}", file=out)
    return computed


def _seed_text(seed):
    if not seed:
        return ""
    return f", started off the ideal sites (rattle {seed['rattle_angstrom']} A, strain {seed['strain']}, seed {seed['seed']})"


def _relax_settings_text(cheap):
    if not cheap:
        return ""
    what = ", ".join(f"{k} {v}" for k, v in sorted(cheap.items()))
    return f", relaxed at {what}, energy a single point at the full settings"


def collect(structures, results_dir, training, out=sys.stdout):
    """Training extxyz of the converged structures, with per-structure provenance in the info
    line; <training stem>-excluded.txt (next to it) lists the others with their reasons."""
    from ase.io import read, write

    frames = read(str(structures), index=":")
    kept, excluded = [], []
    for i, atoms in enumerate(frames):
        sid = structure_id(atoms, i)
        path = Path(results_dir) / f"{sid}.json"
        if not path.exists():
            excluded.append((sid, "not computed"))
            continue
        rec = json.loads(path.read_text())
        if rec["status"] != "converged":
            excluded.append((sid, f"{rec['status']}: {rec.get('error', '')}"))
            continue
        a = atoms.copy()
        s = rec["settings"]
        relaxed = rec.get("relax")
        if relaxed:
            # The relaxed geometry (in the driver's reduced cell); tmorder fit maps it back
            # onto the parent lattice and reports strain and displacements.
            from ase import Atoms

            info = dict(a.info)
            a = Atoms(relaxed["symbols"], positions=relaxed["positions_angstrom"], cell=relaxed["cell_angstrom"], pbc=True)
            a.info.update(info)
        a.info.update({
            "energy": rec["energy_eV"],
            "dft_code": f"{rec['code']} {rec['code_version']}",
            "dft_xc": s["xc"],
            "dft_hubbard_u": ",".join(f"{k}:{v}" for k, v in sorted(s["hubbard_u_eV"].items())),
            "dft_ecut_eV": s["ecut_eV"],
            "dft_kpoint_density": s["kpoint_density_per_inv_angstrom"],
            "dft_kpoints": "x".join(str(k) for k in rec["kpoints"]),
            "dft_smearing": f"{s['smearing']['type']}:{s['smearing']['width_eV']}",
            "dft_magnetic_init": "ferromagnetic",
            "dft_magnetic_moment": rec.get("magnetic_moment_muB", 0.0),
            "dft_geometry": (("relaxed positions and cell (Pulay stress corrected)" if relaxed["cell"] else "relaxed positions, fixed cell")
                             + f", fmax {s['relax']['fmax_eV_per_A']} eV/A, {relaxed['steps']} steps"
                             + _relax_settings_text(relaxed.get("relax_settings"))
                             + _seed_text(relaxed.get("symmetry_breaking"))) if relaxed else "unrelaxed",
            "dft_scf_criteria": ",".join(f"{k}:{v}" for k, v in sorted(s["convergence"].items())),
            "dft_mixer": ",".join(f"{k}:{v}" for k, v in sorted((rec.get("mixer_used", s.get("mixer")) or {}).items()))
                         or "gpaw-default",
            "dft_point_group_symmetry": bool(s.get("point_group_symmetry", True)),
            "dft_wall_seconds": round(rec["wall_seconds"], 1),
        })
        attempts = rec.get("scf_attempts") or []
        if attempts and attempts[-1].get("start"):  # smearing annealing: say where the final SCF started
            a.info["dft_scf_start"] = f"density converged at fermi-dirac:{attempts[-2]['smearing_width_eV']}"
        kept.append(a)
    write(str(training), kept, format="extxyz")
    report = Path(training).with_name(Path(training).stem + "-excluded.txt")
    report.write_text("".join(f"{sid}\t{why}\n" for sid, why in excluded))
    print(f"{len(kept)} converged structures -> {training}; {len(excluded)} excluded (listed in {report})", file=out)
    return len(kept), excluded


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="compute the missing single points")
    r.add_argument("structures")
    r.add_argument("results_dir")
    r.add_argument("--only", nargs="*", help="config_ids to compute")
    r.add_argument("--settings", help="JSON object overriding DEFAULT_SETTINGS keys")
    r.add_argument("--retry-failed", action="store_true", help="recompute failed/unconverged structures")
    r.add_argument("--reverse", action="store_true",
                   help="last structure first (a second driver on the same folder meets the first in the middle)")
    c = sub.add_parser("collect", help="assemble the training extxyz")
    c.add_argument("structures")
    c.add_argument("results_dir")
    c.add_argument("training")
    args = p.parse_args(argv)
    if args.command == "run":
        settings = json.loads(args.settings) if args.settings else None
        run_all(args.structures, args.results_dir, settings, args.only, args.retry_failed, reverse=args.reverse)
    else:
        collect(args.structures, args.results_dir, args.training)
    return 0


if __name__ == "__main__":
    sys.exit(main())
