"""Joining a cluster through RAY_ADDRESS, and finding a run's Ray processes.

Other Ray instances may run on the same machine (a notebook, another test
run), so every check here is limited to the processes of one run, recognised
by the run id in their environment (``tools/ray_processes.py``), and nothing
is ever stopped with ``ray stop``.

Each Ray start costs many seconds of the two CPUs, so one head node serves
every check here that needs a Ray other than the test session's: joining it,
the estimate on another number of CPUs, finding its processes by run id.
That a driver's own Ray is found by run id and leaves nothing behind is
checked on the command line's run, ``python -m raycourse``
(``tests/cli/test_cli.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from raycourse import estimate_pi
from raycourse.kernel import STREAM_BLOCK
from tools.ray_processes import HeadNode, RayProcess, find_ray_processes, wait_for_exit

ROOT = Path(__file__).resolve().parents[2]

JOIN_AND_ESTIMATE = """
import json, raycourse
session = raycourse.start_ray()
# Blocks that do not line up with the kernel's stream blocks (2**22 darts).
estimate = raycourse.estimate_pi_parallel(3 * 2**22 + 5, seed=31, block_size=1_000_003)
print(json.dumps({
    "cpus": session.num_cpus, "nodes": session.num_nodes, "address": session.address,
    "estimate": estimate,
}))
raycourse.stop_ray()
"""


@pytest.mark.slow
def test_start_ray_joins_a_head_started_with_ray_start():
    """``ray start --head`` on 127.0.0.1 with one CPU; a fresh driver joins it through RAY_ADDRESS.

    The head offers one CPU where the test session's Ray offers two, so its
    estimate also shows that the value does not depend on the number of
    workers (the session's equals the serial one: ``tests/unit/test_parallel.py``).
    """
    with HeadNode(num_cpus=1) as head:
        ours = head.processes()
        assert {"gcs_server", "raylet"} <= {process.name for process in ours}
        # Another run id sees none of them.
        others = find_ray_processes(f"{head.run_id}-other")
        assert not {p.pid for p in others} & {p.pid for p in ours}
        # The command-line check (`make leftovers`) reports them while they run.
        check = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "ray_processes.py"), head.run_id, "0.5"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 1 and "left running" in check.stdout, check.stdout
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
        assert facts["cpus"] == 1 and facts["nodes"] == 1
        assert facts["address"].endswith(f":{head.port}")
        assert facts["estimate"] == estimate_pi(3 * STREAM_BLOCK + 5, seed=31)
        # The driver left; the cluster keeps running for its other users.
        assert head.processes()
        temp_dir = Path(head.temp_dir)
    assert head.processes() == []
    assert not temp_dir.exists()
    assert wait_for_exit(head.run_id, timeout=0.1) == []


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
