"""The pi estimate as a command: options, output, reproducibility, exit status.

Most runs call :func:`raycourse.cli.main` in this process, on the test
session's Ray; one runs ``python -m raycourse`` for real, with its own Ray.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import subprocess
import sys
import time
import tomllib
from importlib import import_module
from pathlib import Path

import pytest
import ray

from raycourse import estimate_pi
from raycourse.cli import build_parser, main, run_estimate, summary, whole_number
from raycourse.kernel import SPREAD_PER_DART
from tools.ray_processes import (
    RUN_ID_ENV_VAR,
    find_ray_processes,
    stop_processes,
    wait_for_exit,
)

ROOT = Path(__file__).parents[2]
DARTS = 2_000_000
SEED = 5


def run_json(capsys: pytest.CaptureFixture[str], *options: str) -> dict:
    """Run the command in this process with ``--json``; return the object it printed."""
    assert main([*options, "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1, out
    return json.loads(out[0])


def test_same_seed_same_estimate_for_any_number_of_tasks(ray_session, capsys):
    runs = {
        tasks: run_json(capsys, "--darts", "2000000", "--tasks", str(tasks), "--seed", "5")
        for tasks in (1, 3, 4)
    }
    assert {run["tasks"] for run in runs.values()} == {1, 3, 4}
    estimates = {run["estimate"] for run in runs.values()}
    assert estimates == {estimate_pi(DARTS, seed=SEED)}
    estimate = estimates.pop()
    assert abs(estimate - math.pi) < 5 * SPREAD_PER_DART / math.sqrt(DARTS)


def test_json_object_fields(ray_session, capsys):
    run = run_json(capsys, "--darts", "2_000_000", "--tasks", "4", "--seed", "5")
    assert run["darts"] == DARTS and run["tasks"] == 4 and run["seed"] == SEED
    assert run["seconds"] > 0 and run["cpus"] == ray_session.num_cpus
    assert run["error"] == run["estimate"] - math.pi
    assert run["standard_error"] == pytest.approx(1.642 / math.sqrt(DARTS), rel=1e-3)
    assert run["ray_version"] == ray.__version__


def test_without_seed_the_seed_used_is_reported(ray_session, capsys):
    run = run_json(capsys, "--darts", "1e5", "--tasks", "2")
    assert run["estimate"] == estimate_pi(100_000, seed=run["seed"])


def test_summary_line_and_no_bar_when_stderr_is_not_a_terminal(ray_session, capsys):
    assert main(["--darts", "2e6", "--tasks", "4", "--seed", "5"]) == 0
    captured = capsys.readouterr()
    expected = estimate_pi(DARTS, seed=SEED)
    assert captured.out.startswith(f"pi ~ {expected:.8f} (error ")
    assert "from 2,000,000 darts" in captured.out and "4 tasks" in captured.out
    assert f"{ray_session.num_cpus} CPUs" in captured.out and captured.out.endswith("seed 5\n")
    assert captured.err == ""


@pytest.mark.parametrize("json_output", [False, True])
def test_progress_bar_only_on_a_terminal_and_never_with_json(
    ray_session, capsys, monkeypatch, json_output
):
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["--darts", "2e6", "--tasks", "3", "--seed", "1"] + ["--json"] * json_output) == 0
    err = capsys.readouterr().err
    if json_output:
        assert err == ""
    else:
        assert "tasks: 100%" in err and "3/3" in err


def test_leaves_running_ray_running(ray_session, capsys):
    main(["--darts", "1000", "--tasks", "1", "--seed", "0", "--json"])
    assert ray.is_initialized()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2000000", 2_000_000),
        ("2_000_000", 2_000_000),
        ("2e6", 2_000_000),
        ("1e9", 10**9),
        ("1.5E3", 1500),
        (" 7 ", 7),
        (str(2**63 - 1), 2**63 - 1),
    ],
)
def test_whole_number_accepts_exact_integers(text, value):
    assert whole_number(text) == value
    assert type(whole_number(text)) is int


@pytest.mark.parametrize(
    ("argv", "option", "reason"),
    [
        (["--darts", "-5"], "--darts", "must be >= 1, got '-5'"),
        (["--darts", "0"], "--darts", "must be >= 1"),
        (["--darts", "2.5"], "--darts", "must be a whole number"),
        (["--darts", "1e-3"], "--darts", "must be a whole number"),
        (["--darts", "1e9.5"], "--darts", "not a number"),
        (["--darts", "2,000"], "--darts", "not a number"),
        (["--darts", "0x10"], "--darts", "not a number"),
        (["--darts", "inf"], "--darts", "not a finite number"),
        (["--darts", "nan"], "--darts", "not a finite number"),
        (["--darts", "1e19"], "--darts", "at most 2**63 - 1"),
        (["--darts", "1e999999999"], "--darts", "at most 2**63 - 1"),
        (["--tasks", "0"], "--tasks", "must be >= 1"),
        (["--tasks", "2.5"], "--tasks", "must be a whole number"),
        (["--darts", "4", "--tasks", "5"], "--tasks", "at most --darts (4), got 5"),
        (["--seed", "-1"], "--seed", "must be >= 0"),
        (["--seed", "1.5"], "--seed", "must be a whole number"),
        (["--darts"], "--darts", "expected one argument"),
        (["--dart", "5"], "--dart", "unrecognized arguments"),
    ],
)
def test_bad_options_exit_2_naming_the_option(capsys, argv, option, reason):
    # No Ray is needed: the options are checked before Ray starts.
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"error: argument {option}" in err or f"error: {reason}" in err, err
    assert reason in err and option in err


def test_the_parser_reads_what_main_reads():
    args = build_parser().parse_args(["--darts", "1e9", "--tasks", "64", "--seed", "2026"])
    assert (args.darts, args.tasks, args.seed, args.json, args.address) == (
        10**9,
        64,
        2026,
        False,
        None,
    )


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: run_estimate(0), ValueError),
        (lambda: run_estimate(1.5e6), TypeError),
        (lambda: run_estimate(10, tasks=0), ValueError),
        (lambda: run_estimate(10, seed=-1), ValueError),
        (lambda: run_estimate(10, progress="yes"), TypeError),
    ],
)
def test_run_estimate_bad_arguments(ray_session, call, error):
    with pytest.raises(error):
        call()


def test_summary_names_nodes_in_the_singular_and_plural():
    run = {"estimate": 3.0, "error": 3.0 - math.pi, "standard_error": 0.16, "darts": 100}
    run |= {"seconds": 0.5, "darts_per_second": 200, "tasks": 2, "cpus": 2, "seed": 1}
    assert "200 darts/s, 2 tasks, 2 CPUs on 1 node; seed 1" in summary(run | {"nodes": 1})
    assert "4 CPUs on 2 nodes;" in summary(run | {"cpus": 4, "nodes": 2})


def test_console_script_points_at_main():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, name = scripts["raycourse-pi"].partition(":")
    assert getattr(import_module(module), name) is main


def test_whole_number_is_an_argparse_type():
    with pytest.raises(argparse.ArgumentTypeError, match="whole number"):
        whole_number("0.5")


@pytest.mark.slow
def test_python_dash_m_raycourse_starts_and_stops_its_own_ray(tmp_path):
    """The command starts a Ray of its own and stops it: found by run id while it runs, then gone.

    This is the one check that a driver's own Ray (``start_ray`` then
    ``stop_ray``) leaves no process behind, as ``make leftovers`` expects.
    """
    run_id = f"test-cli-{secrets.token_hex(4)}"
    env = dict(os.environ, **{RUN_ID_ENV_VAR: run_id})
    env.pop("RAY_ADDRESS", None)
    command = [sys.executable, "-m", "raycourse", "--darts", "2000000", "--tasks", "4"]
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    seen: set[str] = set()
    with out.open("w") as stdout, err.open("w") as stderr:
        done = subprocess.Popen(
            [*command, "--seed", "5", "--json"], env=env, stdout=stdout, stderr=stderr
        )
        # Ray's start alone takes seconds: polling this often sees its processes.
        deadline = time.monotonic() + 300
        while done.poll() is None and time.monotonic() < deadline:
            seen.update(process.name for process in find_ray_processes(run_id))
            time.sleep(0.1)
        if done.poll() is None:
            done.kill()
        done.wait()
    survivors = wait_for_exit(run_id, timeout=20)
    stop_processes(survivors, grace=1)
    assert done.returncode == 0, err.read_text()[-3000:]
    assert {"gcs_server", "raylet"} <= seen, seen
    lines = out.read_text().strip().splitlines()
    assert len(lines) == 1, lines
    run = json.loads(lines[0])
    assert run["estimate"] == estimate_pi(DARTS, seed=SEED) and run["tasks"] == 4
    assert survivors == [], "the command left Ray processes running"
