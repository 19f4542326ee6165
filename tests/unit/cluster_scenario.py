"""Run the Cluster lesson's scenario on a simulated cluster and print what happened as JSON.

``tests/unit/test_cluster.py`` runs this file in a fresh process: a driver can join
only one Ray at a time, and the other tests keep a local Ray of their own.

    python tests/unit/cluster_scenario.py NUM_SAMPLES BLOCK_SIZE SEED
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict

import ray
from ray.job_submission import JobSubmissionClient

from raycourse import estimate_pi_parallel
from raycourse._machine import child_pids, is_alive
from raycourse.cluster import (
    Attempt,
    SimulatedCluster,
    estimate_pi_placed,
    kill_worker,
)


def wait_until(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)
    return condition()


def alive_node_ids() -> list[str]:
    """Ids of the nodes the cluster still counts as alive."""
    return [node["NodeID"] for node in ray.nodes() if node.get("Alive")]


def fault_facts(run) -> dict:
    return {
        "estimate": run.estimate,
        "darts_counted": run.darts_counted,
        "victim": asdict(run.victim),
        "retried_blocks": run.retried_blocks,
        "attempts": len(run.attempts),
        "blocks": [asdict(block) for block in run.blocks],
        "submitted": run.submitted,
        "fault_time": run.fault_time,
    }


def main(num_samples: int, block_size: int, seed: int) -> dict:
    facts: dict = {}
    cluster = SimulatedCluster(num_nodes=3, cpus_per_node=1).start()
    try:
        facts["node_ids"] = cluster.node_ids
        facts["labels"] = cluster.labels()
        facts["alive"] = alive_node_ids()
        facts["cpus"] = ray.cluster_resources()["CPU"]
        jobs = JobSubmissionClient(cluster.dashboard_url).list_jobs()
        facts["jobs"] = [[job.type, job.submission_id] for job in jobs]

        placed = estimate_pi_placed(num_samples, seed=seed, block_size=block_size)
        facts["placed"] = {
            "estimate": placed.estimate,
            "darts_counted": placed.darts_counted,
            "attempts": len(placed.attempts),
            "retried_blocks": placed.retried_blocks,
            "blocks": [asdict(block) for block in placed.blocks],
        }
        facts["lesson_code"] = estimate_pi_parallel(num_samples, seed=seed, block_size=block_size)

        killed = estimate_pi_placed(
            num_samples, seed=seed, block_size=block_size, fault=kill_worker
        )
        facts["killed"] = fault_facts(killed)

        try:
            estimate_pi_placed(
                num_samples, seed=seed, block_size=block_size, fault=kill_worker, max_retries=0
            )
            facts["no_retries"] = {"raised": None}
        except ray.exceptions.RayError as error:
            facts["no_retries"] = {"raised": type(error).__name__}
        wait_until(lambda: ray.available_resources().get("CPU", 0) == 3)
        facts["no_retries"]["cpus_free_after"] = ray.available_resources().get("CPU", 0)

        workers_before = cluster.worker_node_ids
        cluster.warm_up()  # the kills left a node without a ready worker
        removed = estimate_pi_placed(
            num_samples,
            seed=seed,
            block_size=block_size,
            fault=cluster.remove_node_of,
            on_nodes=workers_before,
        )
        dead = removed.victim.node_id
        facts["removed"] = fault_facts(removed)
        facts["removed"]["workers_before"] = workers_before
        facts["removed"]["workers_after"] = cluster.worker_node_ids
        facts["removed"]["gone_from_cluster"] = wait_until(lambda: dead not in alive_node_ids())
        try:
            cluster.remove_node_of(Attempt(0, cluster.node_ids[0], pid=0, began=0.0))
            facts["head_removal"] = None
        except ValueError as error:
            facts["head_removal"] = str(error)

        seen = {process.pid: process.command for process in cluster.processes()}
        facts["processes_before_stop"] = len(seen)
        # The raylets' children include Ray's agents, whose retitling hides their environment.
        raylets = {pid for pid, command in seen.items() if "/raylet/raylet" in command}
        under_raylets = child_pids(raylets)
        facts["raylet_children_unseen"] = [pid for pid in under_raylets if pid not in seen]
    finally:
        cluster.stop()
    facts["raylet_children_alive_after_stop"] = [pid for pid in under_raylets if is_alive(pid)]
    # stop() returns once every process of the cluster is gone: no waiting here.
    facts["processes_after_stop"] = len(cluster.processes())
    facts["ray_initialized_after_stop"] = ray.is_initialized()
    return facts


if __name__ == "__main__":
    print(json.dumps(main(*(int(arg) for arg in sys.argv[1:4]))))
