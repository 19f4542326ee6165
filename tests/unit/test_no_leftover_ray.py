"""Joining a cluster through RAY_ADDRESS, and leaving no Ray process behind.

Other Ray instances may run on the same machine (a notebook, another test
run), so every check here is limited to the processes of one run, recognised
by the run id in their environment (``tools/ray_processes.py``), and nothing
is ever stopped with ``ray stop``.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from raycourse import estimate_pi
from tools.ray_processes import (
    RUN_ID_ENV_VAR,
    HeadNode,
    RayProcess,
    find_ray_processes,
    stop_processes,
    wait_for_exit,
)

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

JOIN_AND_ESTIMATE = """
import json, raycourse
session = raycourse.start_ray()
estimate = raycourse.estimate_pi_parallel(2**24, seed=3, block_size=2**22)
print(json.dumps({
    "joined": session.joined_existing, "cpus": session.num_cpus,
    "nodes": session.num_nodes, "address": session.address, "estimate": estimate,
}))
raycourse.stop_ray()
"""

START_AND_WAIT = """
import sys, raycourse
raycourse.start_ray(num_cpus=2, include_dashboard=False)
raycourse.estimate_pi_parallel(2**24, seed=3, block_size=2**22)
print("ready", flush=True)
sys.stdin.readline()
raycourse.stop_ray()
"""


def test_start_ray_joins_a_head_started_with_ray_start():
    """``ray start --head`` on 127.0.0.1; a fresh driver joins it through RAY_ADDRESS."""
    with HeadNode(num_cpus=2) as head:
        running = {process.name for process in head.processes()}
        assert {"gcs_server", "raylet"} <= running
        # A driver that joins by address must be told that the cluster wants
        # Ray's token; the token itself is the one ``ray start`` used.
        env = dict(os.environ, RAY_ADDRESS=head.address, RAY_AUTH_MODE="token")
        done = subprocess.run(
            [sys.executable, "-c", JOIN_AND_ESTIMATE],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        facts = json.loads(done.stdout.strip().splitlines()[-1])
        assert facts["joined"] is True
        assert facts["cpus"] == 2 and facts["nodes"] == 1
        assert facts["address"].endswith(f":{head.port}")
        assert facts["estimate"] == estimate_pi(2**24, seed=3)
        # The driver left; the cluster keeps running for its other users.
        assert head.processes()
        temp_dir = Path(head.temp_dir)
    assert head.processes() == []
    assert not temp_dir.exists()


def test_a_drivers_ray_processes_are_found_and_none_outlives_it():
    run_id = f"test-leftover-{secrets.token_hex(4)}"
    env = dict(os.environ, **{RUN_ID_ENV_VAR: run_id})
    env.pop("RAY_ADDRESS", None)
    driver = subprocess.Popen(
        [sys.executable, "-c", START_AND_WAIT],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert driver.stdout.readline().strip() == "ready"
        ours = find_ray_processes(run_id)
        names = {process.name for process in ours}
        assert {"gcs_server", "raylet"} <= names, names
        # Another run id sees none of them.
        other = {p.pid for p in find_ray_processes(f"{run_id}-other")}
        assert not other & {p.pid for p in ours}
        # The command-line check reports them while they run.
        check = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "ray_processes.py"), run_id, "0.5"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 1 and "left running" in check.stdout
        driver.communicate("stop\n", timeout=60)  # the driver calls stop_ray() and exits
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.wait()
        for stream in (driver.stdin, driver.stdout):
            if not stream.closed:
                stream.close()
    survivors = wait_for_exit(run_id, timeout=20)
    stop_processes(survivors, grace=1)  # don't leak them into the machine if the check fails
    assert survivors == []


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: find_ray_processes(""), ValueError),
        (lambda: HeadNode(num_cpus=0), ValueError),
        (lambda: HeadNode(port=1.5), TypeError),
        (lambda: wait_for_exit("x", timeout=0), ValueError),
    ],
)
def test_bad_arguments(call, error):
    with pytest.raises(error):
        call()


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (
            "/venv/ray/core/src/ray/raylet/raylet --python_worker_command=/w/setup_worker.py",
            "raylet",
        ),
        ("ray::count_inside_task", "ray::count_inside_task"),
        (
            "/venv/bin/python -u /venv/ray/autoscaler/_private/monitor.py --logs-dir=/t",
            "monitor.py",
        ),
    ],
)
def test_process_names(command, name):
    assert RayProcess(pid=1, command=command).name == name
