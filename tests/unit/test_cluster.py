"""The estimate on a simulated three-node cluster: placement, same seed, faults, teardown.

The scenario (``tests/unit/cluster_scenario.py``) runs once, in a fresh process with
a run id of its own, because a driver can join only one Ray at a time and the
other tests keep a local Ray. The tests below check what it reports, and that
no Ray process of that run survives it.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import ray
from bokeh.models import HBar, Span

from raycourse import estimate_pi
from raycourse.cluster import (
    WORK_BEFORE_FAULT_S,
    Attempt,
    AttemptLog,
    BlockRun,
    PlacedEstimate,
    SimulatedCluster,
    count_inside_where_task,
)
from raycourse.figures import placement_figure
from tools.ray_processes import RUN_ID_ENV_VAR, wait_for_exit

pytestmark = pytest.mark.slow

SCENARIO = Path(__file__).with_name("cluster_scenario.py")
SEED = 2026
# Blocks long enough (a few tenths of a second) that a fault aimed at a
# running block lands before the block can finish.
NUM_SAMPLES = 2**28
BLOCK_SIZE = 2**25
NUM_BLOCKS = NUM_SAMPLES // BLOCK_SIZE


@pytest.fixture(scope="module")
def run_id() -> str:
    return f"test-cluster-{secrets.token_hex(4)}"


@pytest.fixture(scope="module")
def facts(run_id) -> dict:
    env = dict(os.environ, **{RUN_ID_ENV_VAR: run_id})
    env.pop("RAY_ADDRESS", None)
    done = subprocess.run(
        [sys.executable, str(SCENARIO), str(NUM_SAMPLES), str(BLOCK_SIZE), str(SEED)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def one_core() -> float:
    return estimate_pi(NUM_SAMPLES, seed=SEED)


def test_the_driver_sees_three_nodes(facts):
    assert len(facts["node_ids"]) == 3
    assert sorted(facts["alive"]) == sorted(facts["node_ids"])
    assert facts["cpus"] == 3
    assert sorted(facts["labels"].values()) == ["head", "worker 1", "worker 2"]


def test_the_head_takes_jobs(facts):
    # The job server answers through Ray's token; it knows only the scenario's own driver.
    assert facts["jobs"] == [["DRIVER", None]]


def test_blocks_land_on_every_node(facts):
    placed = facts["placed"]
    assert {block["node_id"] for block in placed["blocks"]} == set(facts["node_ids"])


def test_blocks_cover_every_dart_once(facts):
    blocks = facts["placed"]["blocks"]
    assert len(blocks) == NUM_BLOCKS
    assert blocks[0]["start"] == 0 and blocks[-1]["stop"] == NUM_SAMPLES
    assert all(a["stop"] == b["start"] for a, b in itertools.pairwise(blocks))
    assert facts["placed"]["darts_counted"] == NUM_SAMPLES
    # Undisturbed, the attempt log heard of each block once.
    assert facts["placed"]["attempts"] == NUM_BLOCKS and facts["placed"]["retried_blocks"] == []


def test_same_seed_same_value_as_one_core(facts, one_core):
    assert facts["placed"]["estimate"] == one_core
    assert facts["lesson_code"] == one_core


def test_a_killed_worker_is_retried(facts, one_core):
    killed = facts["killed"]
    victim = killed["victim"]
    assert victim["index"] in killed["retried_blocks"]
    assert killed["attempts"] > NUM_BLOCKS
    assert killed["darts_counted"] == NUM_SAMPLES
    assert killed["estimate"] == one_core
    assert killed["blocks"][victim["index"]]["pid"] != victim["pid"]  # rerun elsewhere
    # The log runs before any block is submitted, and the fault hits a started block
    # that has worked a while (the driver starts its wait once the log has the start).
    assert killed["submitted"] <= victim["began"] <= killed["fault_time"]
    assert killed["fault_time"] - victim["began"] >= WORK_BEFORE_FAULT_S - 0.01


def test_without_retries_the_fault_surfaces(facts):
    assert facts["no_retries"]["raised"] == "WorkerCrashedError"
    # The failed estimate cancelled its other blocks: the cluster is free again.
    assert facts["no_retries"]["cpus_free_after"] == 3


def test_a_removed_node_is_retried(facts, one_core):
    removed = facts["removed"]
    dead = removed["victim"]["node_id"]
    assert dead in removed["workers_before"] and dead not in removed["workers_after"]
    assert removed["gone_from_cluster"]
    assert removed["victim"]["index"] in removed["retried_blocks"]
    assert removed["blocks"][removed["victim"]["index"]]["node_id"] != dead
    assert removed["darts_counted"] == NUM_SAMPLES
    assert removed["estimate"] == one_core


@ray.remote(num_cpus=0)
class SlowLog:
    """An attempt log that takes half a second to answer, and notes when it answered."""

    def __init__(self) -> None:
        self.answered: list[float] = []

    def started(self, index: int, node_id: str, pid: int) -> None:
        time.sleep(0.5)
        self.answered.append(time.time())

    def answers(self) -> list[float]:
        return self.answered


@pytest.mark.usefixtures("ray_session")
def test_a_block_starts_when_its_work_starts_not_before_the_log_answers():
    log = SlowLog.remote()
    run = ray.get(count_inside_where_task.remote(SEED, 0, 1000, 0, log))
    (answered,) = ray.get(log.answers.remote())
    assert answered <= run.began <= run.ended
    ray.kill(log)


@pytest.mark.usefixtures("ray_session")
def test_the_attempt_log_stamps_each_report_when_it_arrives():
    log = AttemptLog.remote()
    before = time.time()
    ray.get(log.started.remote(3, "node", 42))
    after = time.time()
    (attempt,) = ray.get(log.attempts.remote())
    assert (attempt.index, attempt.node_id, attempt.pid) == (3, "node", 42)
    assert before <= attempt.began <= after
    ray.kill(log)


def test_the_head_node_cannot_be_removed(facts):
    assert "live worker node" in facts["head_removal"]


def test_stop_leaves_no_process(facts, run_id):
    assert facts["processes_before_stop"] > 0, "the check must see a running cluster"
    assert facts["processes_after_stop"] == 0
    assert facts["raylet_children_unseen"] == [], "agents and workers count as the cluster's"
    assert facts["raylet_children_alive_after_stop"] == []
    assert not facts["ray_initialized_after_stop"]
    assert wait_for_exit(run_id) == []


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"num_nodes": 0}, ValueError), ({"cpus_per_node": 1.5}, TypeError)],
)
def test_bad_cluster_sizes(kwargs, error):
    with pytest.raises(error):
        SimulatedCluster(**kwargs)


def test_the_address_needs_a_running_cluster():
    with pytest.raises(RuntimeError, match="not running"):
        _ = SimulatedCluster().address


# The figure, on made-up runs: no Ray needed.

LABELS = {"a": "head", "b": "worker 1"}
BLOCKS = (
    BlockRun(0, 0, 10, 8, "a", 101, 100.5, 101.0),
    BlockRun(1, 10, 20, 7, "b", 202, 100.6, 101.2),
    BlockRun(2, 20, 25, 4, "a", 101, 101.0, 101.3),
)
PLACED = PlacedEstimate(25, 4 * 19 / 25, BLOCKS, 100.0)


def test_placement_figure_draws_one_bar_per_block():
    fig = placement_figure(PLACED, LABELS)
    bars = [r for r in fig.renderers if isinstance(r.glyph, HBar)]
    assert len(bars) == 1
    data = bars[0].data_source.data
    assert list(data["block"]) == [0, 1, 2]
    assert list(data["node"]) == ["head", "worker 1", "head"]
    assert list(data["left"]) == pytest.approx([0.5, 0.6, 1.0])
    assert list(data["right"]) == pytest.approx([1.0, 1.2, 1.3])
    assert list(fig.y_range.factors) == ["worker 1", "head"]
    assert "3 blocks, 25 darts on 2 nodes" in fig.title.text


def test_placement_figure_marks_the_fault():
    victim = Attempt(index=1, node_id="b", pid=200, began=100.1)
    run = PlacedEstimate(25, PLACED.estimate, BLOCKS, 100.0, (victim,), victim, 100.4)
    fig = placement_figure(run, LABELS)
    bars = [r for r in fig.renderers if isinstance(r.glyph, HBar)]
    assert len(bars) == 2
    lost = bars[1]
    assert lost.glyph.hatch_pattern == "/"
    assert list(lost.data_source.data["left"]) == pytest.approx([0.1])
    assert list(lost.data_source.data["right"]) == pytest.approx([0.4])
    spans = [item for item in fig.center if isinstance(item, Span)]
    assert [span.location for span in spans] == pytest.approx([0.4])


def test_placement_figure_rejects_bad_input():
    with pytest.raises(ValueError, match="no name"):
        placement_figure(PLACED, {"a": "head"})
    with pytest.raises(TypeError, match="PlacedEstimate"):
        placement_figure("not a run", LABELS)
