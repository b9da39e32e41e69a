"""The DFT driver (jobs/dft/tmorder_dft.py) on seconds-long GPAW jobs: results are written
per structure with provenance, finished ones are skipped on a rerun, an unconverged job is
recorded as such and excluded from the training file by name (never silently dropped), and
the training file carries the energies tmorder fit reads."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "jobs" / "dft"))

# Loose settings: 1-atom bcc Na, 150 eV, Gamma-only, 1e-3 eV/electron: about a second.
LOOSE = {"ecut_eV": 150, "kpoint_density_per_inv_angstrom": 1.0,
         "convergence": {"energy_eV_per_electron": 1e-3, "maxiter": 100}}


@pytest.fixture()
def structures(tmp_path):
    if subprocess.run([sys.executable, "-c", "import gpaw"], capture_output=True).returncode != 0:
        pytest.fail("GPAW is not installed (Debian packages gpaw gpaw-data; scripts/install-deps.sh installs them)")
    from ase.build import bulk
    from ase.io import write

    frames = []
    for cid, a in (("na-a", 4.23), ("na-b", 4.10)):
        atoms = bulk("Na", "bcc", a=a)
        atoms.info["config_id"] = cid
        frames.append(atoms)
    path = tmp_path / "structures.extxyz"
    write(str(path), frames, format="extxyz")
    return path


@pytest.fixture()
def displaced_na(tmp_path):
    """bcc Na in its 2-atom cubic cell with the body-centre atom pushed 0.2 A off centre
    (config_id na-displaced), as an extxyz file; by symmetry it relaxes back to the centre."""
    if subprocess.run([sys.executable, "-c", "import gpaw"], capture_output=True).returncode != 0:
        pytest.fail("GPAW is not installed (Debian packages gpaw gpaw-data; scripts/install-deps.sh installs them)")
    from ase.build import bulk
    from ase.io import write

    a = bulk("Na", "bcc", a=4.23, cubic=True)
    a.positions[1, 0] += 0.2
    a.info["config_id"] = "na-displaced"
    path = tmp_path / "s.extxyz"
    write(str(path), [a], format="extxyz")
    return path


def dft_cli(*args):
    """Runs the driver in a child process: GPAW initialises MPI when imported, and an MPI
    singleton in the pytest process would break the mpirun calls of the other tests."""
    script = REPO / "jobs" / "dft" / "tmorder_dft.py"
    env = dict(os.environ, OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True, text=True, env=env,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def test_run_resume_record_failures_and_collect(tmp_path, structures):
    import tmorder_dft as dft  # collect() and kpoint_mesh() need ase and numpy only
    from ase.io import read

    results = tmp_path / "results"
    assert "1 computed" in dft_cli("run", structures, results, "--settings", json.dumps(LOOSE), "--only", "na-a")
    rec = json.loads((results / "na-a.json").read_text())
    assert rec["status"] == "converged" and rec["code"] == "gpaw"
    assert rec["settings"]["xc"] == "PBE" and rec["settings"]["hubbard_u_eV"] == {"Ni": 6.2, "Mn": 3.9}
    assert rec["kpoints"] == [1, 1, 1] and rec["wall_seconds"] > 0
    assert -4.0 < rec["energy_eV"] < -2.0  # PBE Na at 150 eV, Gamma only: about -3 eV

    # An unconverged job (one SCF iteration allowed) is recorded, not lost.
    strict = dict(LOOSE, convergence={"energy_eV_per_electron": 1e-8, "maxiter": 1})
    out = dft_cli("run", structures, results, "--settings", json.dumps(strict))
    assert "1 computed, 1 already done" in out  # na-a is skipped: resumable
    bad = json.loads((results / "na-b.json").read_text())
    assert bad["status"] == "unconverged" and "Convergence" in bad["error"]
    assert "0 computed" in dft_cli("run", structures, results, "--settings", json.dumps(LOOSE))  # no retry by default

    training = tmp_path / "training.extxyz"
    n, excluded = dft.collect(structures, results, training)
    assert n == 1 and [sid for sid, _ in excluded] == ["na-b"]
    assert "unconverged" in (tmp_path / "training-excluded.txt").read_text()
    frames = read(str(training), index=":")
    assert len(frames) == 1
    info = frames[0].info
    assert info["config_id"] == "na-a"
    assert frames[0].get_potential_energy() == pytest.approx(rec["energy_eV"])
    for key in ("dft_code", "dft_xc", "dft_hubbard_u", "dft_ecut_eV", "dft_kpoints", "dft_smearing",
                "dft_magnetic_init", "dft_geometry", "dft_wall_seconds", "dft_scf_criteria", "dft_mixer"):
        assert key in info, key

    # --retry-failed recomputes the unconverged one (now with loose settings it converges).
    assert "1 computed" in dft_cli("run", structures, results, "--settings", json.dumps(LOOSE), "--retry-failed")
    assert json.loads((results / "na-b.json").read_text())["status"] == "converged"


def test_drivers_sharing_a_folder_claim_structures(tmp_path, structures):
    """Two drivers on one results folder (two cores, SLURM array tasks) never compute the same
    structure: a live lock is respected, a lock whose process is gone is taken over, and
    --reverse starts from the last structure."""
    import socket

    results = tmp_path / "results"
    results.mkdir()
    lock = results / "na-a.running"
    lock.write_text(f"{socket.gethostname()} {os.getpid()}")  # this (live) pytest process holds na-a
    out = dft_cli("run", structures, results, "--settings", json.dumps(LOOSE), "--reverse")
    assert "1 computed, 0 already done" in out and "na-b: converged" in out
    assert not (results / "na-a.json").exists() and lock.exists()

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock.write_text(f"{socket.gethostname()} {dead.stdout.strip()}")  # its process has exited: stale
    out = dft_cli("run", structures, results, "--settings", json.dumps(LOOSE))
    assert "1 computed, 1 already done" in out and "na-a: converged" in out
    assert not lock.exists(), "the driver removes its lock when the structure is done"

    other = results / "na-c.running"  # a lock from another host is never taken over
    other.write_text("some-other-node 12345")
    import tmorder_dft as dft

    assert dft._claim(other) is None and other.exists()


def test_command_line(tmp_path, structures):
    script = REPO / "jobs" / "dft" / "tmorder_dft.py"
    env = dict(os.environ, OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, str(script), "run", str(structures), str(tmp_path / "r"), "--settings",
                          json.dumps(LOOSE)], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "2 computed" in out.stdout
    out = subprocess.run([sys.executable, str(script), "collect", str(structures), str(tmp_path / "r"),
                          str(tmp_path / "t.extxyz")], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0 and "2 converged" in out.stdout, out.stdout + out.stderr


def test_kpoint_mesh_has_constant_density():
    sys.path.insert(0, str(REPO / "jobs" / "dft"))
    import numpy as np
    import tmorder_dft as dft

    cell = np.diag([5.0, 10.0, 30.0])
    assert dft.kpoint_mesh(cell, 3.0) == [1, 1, 1]  # |b| = 0.2, 0.1, 0.033 per Angstrom: ceil(0.6) = 1
    assert dft.kpoint_mesh(np.diag([2.0, 4.0, 8.0]), 3.0) == [2, 1, 1]
    assert dft.kpoint_mesh(np.diag([1.0, 1.0, 1.0]), 3.0) == [3, 3, 3]


def test_scf_that_does_not_converge_is_retried_with_the_fallback_mixer(structures, tmp_path):
    """With the first attempt cut off after 2 SCF iterations (too few for the energy
    criterion) the driver starts again with the fallback mixer, converges, records both
    attempts and the mixer that converged, and lands on the energy of an ordinary run; the
    training frame names the fallback mixer. A run already on the fallback mixer is not restarted."""
    import tmorder_dft as dft
    from ase.io import read

    plain = dict(LOOSE, scf_fallback=None)
    dft_cli("run", structures, tmp_path / "plain", "--settings", json.dumps(plain), "--only", "na-a")
    reference = json.loads((tmp_path / "plain" / "na-a.json").read_text())
    assert reference["scf_attempts"][0]["status"] == "converged" and len(reference["scf_attempts"]) == 1

    gentle = {"beta": 0.02, "nmaxold": 5, "weight": 100.0}
    retry = dict(LOOSE, scf_fallback={"after_iterations": 2, "mixer": gentle})
    dft_cli("run", structures, tmp_path / "retry", "--settings", json.dumps(retry), "--only", "na-a")
    rec = json.loads((tmp_path / "retry" / "na-a.json").read_text())
    assert rec["status"] == "converged", rec.get("error")
    assert [(a["status"], a["maxiter"]) for a in rec["scf_attempts"]] == [("unconverged", 2), ("converged", 98)]
    assert rec["mixer_used"] == gentle
    assert rec["energy_eV"] == pytest.approx(reference["energy_eV"], abs=5e-3)
    dft.collect(structures, tmp_path / "retry", tmp_path / "t.extxyz")
    assert "beta:0.02" in read(str(tmp_path / "t.extxyz")).info["dft_mixer"]

    # A run that already uses the fallback mixer is not restarted with the same mixer.
    same = dict(retry, mixer=gentle)
    dft_cli("run", structures, tmp_path / "same", "--settings", json.dumps(same), "--only", "na-a")
    rec = json.loads((tmp_path / "same" / "na-a.json").read_text())
    assert rec["status"] == "converged" and len(rec["scf_attempts"]) == 1


def test_fallback_with_smearing_annealing_ends_at_the_standard_width_from_the_wide_density(structures, tmp_path):
    """With scf_fallback["anneal_width_eV"] the retry converges at the wide smearing, then
    continues from that density at the standard width: three SCFs recorded, the last at the
    standard width, started from the density and needing fewer iterations than a run from
    scratch, and its energy is the standard-width energy of an ordinary run (not the
    wide-smearing one, which differs measurably for this metal)."""
    plain = dict(LOOSE, scf_fallback=None)
    dft_cli("run", structures, tmp_path / "plain", "--settings", json.dumps(plain), "--only", "na-a")
    reference = json.loads((tmp_path / "plain" / "na-a.json").read_text())
    hot = dict(plain, smearing={"type": "fermi-dirac", "width_eV": 0.5})
    dft_cli("run", structures, tmp_path / "hot", "--settings", json.dumps(hot), "--only", "na-a")
    hot_energy = json.loads((tmp_path / "hot" / "na-a.json").read_text())["energy_eV"]
    assert abs(hot_energy - reference["energy_eV"]) > 2e-2  # the test can tell the widths apart

    gentle = {"beta": 0.02, "nmaxold": 5, "weight": 100.0}
    anneal = dict(LOOSE, scf_fallback={"after_iterations": 2, "mixer": gentle, "anneal_width_eV": 0.5})
    dft_cli("run", structures, tmp_path / "anneal", "--settings", json.dumps(anneal), "--only", "na-a")
    rec = json.loads((tmp_path / "anneal" / "na-a.json").read_text())
    assert rec["status"] == "converged", rec.get("error")
    steps = rec["scf_attempts"]
    assert [(a["status"], a["smearing_width_eV"]) for a in steps] == [("unconverged", 0.05), ("converged", 0.5),
                                                                      ("converged", 0.05)]
    assert steps[2]["start"] == "density of the previous attempt"
    assert steps[1]["maxiter"] == 98 and steps[2]["maxiter"] == 98 - steps[1]["iterations"]
    assert steps[2]["iterations"] < reference["scf_attempts"][0]["iterations"]
    assert rec["mixer_used"] == gentle
    assert rec["energy_eV"] == pytest.approx(reference["energy_eV"], abs=5e-3)
    from ase.io import read
    import tmorder_dft as dft
    dft.collect(structures, tmp_path / "anneal", tmp_path / "t.extxyz")
    frame = read(str(tmp_path / "t.extxyz"))
    assert frame.info["dft_smearing"] == "fermi-dirac:0.05"
    assert frame.info["dft_scf_start"] == "density converged at fermi-dirac:0.5"
    dft.collect(structures, tmp_path / "plain", tmp_path / "p.extxyz")
    assert "dft_scf_start" not in read(str(tmp_path / "p.extxyz")).info


def test_symmetry_breaking_start_is_reproducible_and_has_the_asked_size():
    """The start of a relaxation is moved off the ideal sites by a symmetric strain with
    entries up to `strain` (atoms move with the cell) plus a displacement of exactly
    `rattle_angstrom` per atom, the same for the same seed and different for another; with
    both zero nothing moves and nothing is recorded."""
    import numpy as np
    import tmorder_dft as dft
    from ase.build import bulk

    ideal = bulk("NaCl", "rocksalt", a=5.6, cubic=True)
    relax = {"rattle_angstrom": 0.04, "strain": 0.02, "seed": 7}
    a, b, c = ideal.copy(), ideal.copy(), ideal.copy()
    seed = dft._break_symmetry(a, relax)
    dft._break_symmetry(b, relax)
    dft._break_symmetry(c, dict(relax, seed=8))
    assert np.array_equal(a.positions, b.positions) and np.array_equal(a.cell, b.cell)
    assert not np.allclose(a.positions, c.positions)
    eps = np.asarray(seed["strain_tensor"])
    assert np.allclose(eps, eps.T) and np.abs(eps).max() <= 0.02 and np.abs(eps).max() > 0.0
    assert np.allclose(a.cell, ideal.cell @ (np.eye(3) + eps))
    strained_sites = ideal.positions @ (np.eye(3) + eps)
    assert np.allclose(np.linalg.norm(a.positions - strained_sites, axis=1), 0.04)

    d = ideal.copy()
    assert dft._break_symmetry(d, {"fmax_eV_per_A": 0.05}) is None
    assert np.array_equal(d.positions, ideal.positions) and np.array_equal(d.cell, ideal.cell)


def test_relaxation_lowers_the_energy_and_trains_on_the_relaxed_geometry(tmp_path, displaced_na):
    """bcc Na with the body-centre atom off centre (displaced_na): by symmetry the relaxed
    position is the centre again. The relaxed energy lies below the single point of the
    displaced geometry, the forces end below fmax, the training frame holds the relaxed
    positions and says so; a relaxation cut off after one step is recorded as unconverged
    and excluded."""
    import numpy as np
    import tmorder_dft as dft
    from ase.io import read

    structures = displaced_na
    loose = dict(LOOSE, niggli_reduce=False)
    dft_cli("run", structures, tmp_path / "sp", "--settings", json.dumps(loose))
    single = json.loads((tmp_path / "sp" / "na-displaced.json").read_text())

    relax = dict(loose, relax={"fmax_eV_per_A": 0.02, "max_steps": 30})
    dft_cli("run", structures, tmp_path / "rx", "--settings", json.dumps(relax))
    rec = json.loads((tmp_path / "rx" / "na-displaced.json").read_text())
    assert rec["status"] == "converged", rec.get("error")
    assert rec["relax"]["converged"] and rec["relax"]["steps"] >= 1 and rec["relax"]["fmax_final_eV_per_A"] < 0.02
    assert rec["energy_eV"] < single["energy_eV"] - 1e-3
    moved = np.asarray(rec["relax"]["positions_angstrom"])
    offset = (moved[1] - moved[0]) % 4.23
    assert np.allclose(offset, [2.115, 2.115, 2.115], atol=0.05)  # back to the body centre

    n, _ = dft.collect(structures, tmp_path / "rx", tmp_path / "t.extxyz")
    frame = read(str(tmp_path / "t.extxyz"))
    assert n == 1 and np.allclose(frame.positions, moved)
    assert frame.info["dft_geometry"].startswith("relaxed positions, fixed cell")
    assert frame.get_potential_energy() == pytest.approx(rec["energy_eV"])

    cut = dict(loose, relax={"fmax_eV_per_A": 1e-4, "max_steps": 1})
    dft_cli("run", structures, tmp_path / "cut", "--settings", json.dumps(cut))
    bad = json.loads((tmp_path / "cut" / "na-displaced.json").read_text())
    assert bad["status"] == "unconverged" and "relaxation" in bad["error"]
    n, excluded = dft.collect(structures, tmp_path / "cut", tmp_path / "t2.extxyz")
    assert n == 0 and excluded[0][0] == "na-displaced"


def test_relaxation_at_reduced_settings_ends_with_a_full_settings_single_point(tmp_path, displaced_na):
    """The cheap route (relax at a lower cutoff, train on a single point at the full settings):
    the atom still relaxes back to the body centre; the recorded energy is the full-settings
    energy of the relaxed geometry (an independent single point on it agrees), not the
    reduced-settings energy, which is kept beside it and differs; the training frame says how
    the geometry was obtained."""
    import numpy as np
    import tmorder_dft as dft
    from ase import Atoms
    from ase.io import read, write

    loose = dict(LOOSE, niggli_reduce=False)
    cheap = dict(loose, relax={"fmax_eV_per_A": 0.02, "max_steps": 30, "relax_settings": {"ecut_eV": 120}})
    dft_cli("run", displaced_na, tmp_path / "rx", "--settings", json.dumps(cheap))
    rec = json.loads((tmp_path / "rx" / "na-displaced.json").read_text())
    assert rec["status"] == "converged", rec.get("error")
    relaxed = rec["relax"]
    assert relaxed["relax_settings"] == {"ecut_eV": 120} and relaxed["converged"]
    moved = np.asarray(relaxed["positions_angstrom"])
    assert np.allclose((moved[1] - moved[0]) % 4.23, [2.115, 2.115, 2.115], atol=0.05)
    assert abs(relaxed["energy_eV_at_relax_settings"] - rec["energy_eV"]) > 1e-3  # 120 eV vs 150 eV cutoff
    assert [a["status"] for a in rec["scf_attempts"]][-1] == "converged"
    assert (tmp_path / "rx" / "na-displaced.final.txt").exists()  # the final single point's own GPAW log

    # independent check: a plain single point at the full (loose) settings on the relaxed geometry
    frame = Atoms(relaxed["symbols"], positions=moved, cell=relaxed["cell_angstrom"], pbc=True)
    frame.info["config_id"] = "na-relaxed"
    write(str(tmp_path / "relaxed.extxyz"), [frame], format="extxyz")
    dft_cli("run", tmp_path / "relaxed.extxyz", tmp_path / "sp", "--settings", json.dumps(loose))
    single = json.loads((tmp_path / "sp" / "na-relaxed.json").read_text())
    assert rec["energy_eV"] == pytest.approx(single["energy_eV"], abs=2e-3)

    dft.collect(displaced_na, tmp_path / "rx", tmp_path / "t.extxyz")
    info = read(str(tmp_path / "t.extxyz")).info
    assert "relaxed at ecut_eV 120, energy a single point at the full settings" in info["dft_geometry"]
    assert info["dft_ecut_eV"] == 150

    bad = dict(loose, relax={"fmax_eV_per_A": 0.02, "max_steps": 3, "relax_settings": {"ecutt": 100}})
    dft_cli("run", displaced_na, tmp_path / "bad", "--settings", json.dumps(bad))
    rec = json.loads((tmp_path / "bad" / "na-displaced.json").read_text())
    assert rec["status"] == "failed" and "ecutt" in rec["error"]


def _kill_after_steps(args, note, steps):
    """Starts the driver and kills it (SIGKILL, as a batch system at the wall time would)
    once its relaxation has saved `steps` BFGS steps."""
    import time

    script = REPO / "jobs" / "dft" / "tmorder_dft.py"
    proc = subprocess.Popen([sys.executable, str(script), *map(str, args)], env=dict(os.environ, OMP_NUM_THREADS="1"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while proc.poll() is None:
            try:
                if json.loads(note.read_text())["steps"] >= steps:
                    proc.kill()
                    break
            except (FileNotFoundError, ValueError, KeyError):
                pass
            time.sleep(0.02)
    finally:
        proc.kill()
        proc.wait()
    assert not note.with_name(note.name.replace(".relax.resume.json", ".json")).exists(), \
        "the relaxation finished before it could be interrupted"


def test_interrupted_relaxation_resumes_from_its_last_step(tmp_path, displaced_na):
    """A relaxation of positions and cell killed after 3 BFGS steps (a batch job's wall time)
    continues on the rerun from its last saved step with BFGS's saved Hessian, so it takes
    the same steps to the same end as an uninterrupted relaxation (same step count, cell,
    positions and energy); the record says after which step it resumed, the GPAW log keeps
    the killed run's SCF history and appends the rerun's, and the resume files
    are gone once the result is written. A saved state from other settings is not resumed."""
    import numpy as np
    import tmorder_dft as dft

    structures = displaced_na
    relax = dict(LOOSE, niggli_reduce=False, relax={"fmax_eV_per_A": 0.02, "max_steps": 30, "cell": True})
    settings = json.dumps(relax)

    dft_cli("run", structures, tmp_path / "whole", "--settings", settings)
    whole = json.loads((tmp_path / "whole" / "na-displaced.json").read_text())
    assert whole["status"] == "converged" and whole["relax"]["steps"] >= 6, whole["relax"]["steps"]
    assert whole["relax"]["resumed_after_step"] is None

    folder = tmp_path / "killed"
    state = dft.relax_state_files(folder / "na-displaced.json")
    _kill_after_steps(["run", structures, folder, "--settings", settings], state["note"], 3)
    assert all(p.exists() for p in state.values())
    killed_log = (folder / "na-displaced.txt").read_text()
    dft_cli("run", structures, folder, "--settings", settings)
    rec = json.loads((folder / "na-displaced.json").read_text())
    assert rec["status"] == "converged"
    assert rec["relax"]["resumed_after_step"] >= 3
    assert rec["wall_seconds"] > rec["wall_seconds_earlier_runs"] > 0  # both runs counted
    assert rec["relax"]["steps"] == whole["relax"]["steps"]
    assert np.allclose(rec["relax"]["cell_angstrom"], whole["relax"]["cell_angstrom"], atol=1e-5)
    assert np.allclose(rec["relax"]["positions_angstrom"], whole["relax"]["positions_angstrom"], atol=1e-5)
    assert rec["energy_eV"] == pytest.approx(whole["energy_eV"], abs=1e-5)
    assert "resumed after step" in (folder / "na-displaced.relax.log").read_text()
    gpaw_log = (folder / "na-displaced.txt").read_text()  # the killed run's SCF history kept
    assert gpaw_log.startswith(killed_log) and gpaw_log.count("\nDate:") == 2
    assert not any(p.exists() for p in state.values()), "resume files left after the result was written"

    other = tmp_path / "other"
    state = dft.relax_state_files(other / "na-displaced.json")
    _kill_after_steps(["run", structures, other, "--settings", settings], state["note"], 2)
    looser = dict(relax, relax=dict(relax["relax"], fmax_eV_per_A=0.03))
    dft_cli("run", structures, other, "--settings", json.dumps(looser))
    rec = json.loads((other / "na-displaced.json").read_text())
    assert rec["status"] == "converged" and rec["relax"]["resumed_after_step"] is None
    assert "not resumed: it belongs to other settings" in (other / "na-displaced.relax.log").read_text()
