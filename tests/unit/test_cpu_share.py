"""The share of the CPUs that other processes took: exact on a made-up /proc, real under hogs."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from raycourse import cpu_share
from raycourse.cpu_share import OthersShare

HOG = "import time\nend = time.monotonic() + 60\nwhile time.monotonic() < end: pass\n"


def write_proc(root: Path, machine: tuple[int, int], processes: dict[int, tuple[int, int]]):
    """Write /proc/stat (busy, idle ticks) and one stat file per pid (parent, ticks)."""
    busy, idle = machine
    (root / "stat").write_text(f"cpu  {busy} 0 0 {idle} 0 0 0 0 0 0\ncpu0 ...\n")
    for path in root.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
    for pid, (parent, ticks) in processes.items():
        (root / str(pid)).mkdir()
        # pid (comm with spaces) state ppid ... utime stime cutime cstime at fields 14-17.
        fields = ["S", str(parent)] + ["0"] * 10 + [str(ticks), "0", "0", "0"] + ["0"] * 20
        (root / str(pid) / "stat").write_text(f"{pid} (a name) with) {' '.join(fields)}\n")


def test_counts_only_processes_outside_the_tree(tmp_path, monkeypatch):
    monkeypatch.setattr(cpu_share, "_PROC", tmp_path)
    # 10 is the root; 11 its child, 12 a grandchild; 20 is someone else.
    write_proc(tmp_path, (1000, 1000), {10: (1, 100), 11: (10, 50), 12: (11, 0), 20: (1, 400)})
    with OthersShare(root=10) as others:
        # 200 busy ticks of 400: the tree took 30 + 20 + a new child's 40, others 110.
        write_proc(
            tmp_path,
            (1200, 1200),
            {10: (1, 130), 11: (10, 70), 12: (11, 0), 13: (10, 40), 20: (1, 510)},
        )
    assert others.share == pytest.approx(110 / 400)


def test_own_work_is_not_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(cpu_share, "_PROC", tmp_path)
    write_proc(tmp_path, (0, 0), {10: (1, 0), 11: (10, 0)})
    with OthersShare(root=10) as others:
        write_proc(tmp_path, (100, 100), {10: (1, 40), 11: (10, 60)})
    assert others.share == 0.0


def test_an_own_process_that_ended_lends_nothing_to_others(tmp_path, monkeypatch):
    monkeypatch.setattr(cpu_share, "_PROC", tmp_path)
    # 11 is a worker of ours (a killed actor) that ends during the interval.
    write_proc(tmp_path, (0, 0), {10: (1, 0), 11: (10, 30), 20: (1, 0)})
    with OthersShare(root=10) as others:
        write_proc(tmp_path, (50, 50), {10: (1, 20), 20: (1, 10)})
    assert others.share == pytest.approx(10 / 100)


def test_a_process_that_ended_hands_its_reaper_only_its_ticks_of_the_interval(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(cpu_share, "_PROC", tmp_path)
    # 20 is a stranger's shell; its child 21 had used 300 ticks before the interval, uses
    # 30 more and ends; when 20 reaps it, 20's count grows by all 330.
    write_proc(tmp_path, (0, 0), {10: (1, 0), 20: (1, 100), 21: (20, 300)})
    with OthersShare(root=10) as others:
        write_proc(tmp_path, (100, 100), {10: (1, 50), 20: (1, 430)})
    assert others.share == pytest.approx(30 / 200)


def test_ticks_handed_up_a_chain_of_ended_processes_are_taken_back_too(tmp_path, monkeypatch):
    monkeypatch.setattr(cpu_share, "_PROC", tmp_path)
    # 20 (a shell) ran 21 (`timeout`), which ran 22 (a test run, 500 ticks so far); 22 uses
    # 40 more and ends, 21 reaps it and ends, 20 reaps 21 and grows by 2 + 500 + 40.
    write_proc(tmp_path, (0, 0), {10: (1, 0), 20: (1, 0), 21: (20, 2), 22: (21, 500)})
    with OthersShare(root=10) as others:
        write_proc(tmp_path, (100, 100), {10: (1, 50), 20: (1, 542)})
    assert others.share == pytest.approx(40 / 200)


def test_a_neighbours_short_jobs_still_count(tmp_path, monkeypatch):
    monkeypatch.setattr(cpu_share, "_PROC", tmp_path)
    # 20 is a compiler driver: its jobs start and end within the interval (120 ticks in
    # all), and reach the count only through 20, as children it reaped.
    write_proc(tmp_path, (0, 0), {10: (1, 0), 20: (1, 10)})
    with OthersShare(root=10) as others:
        write_proc(tmp_path, (100, 100), {10: (1, 50), 20: (1, 10 + 120)})
    assert others.share == pytest.approx(120 / 200)


def test_the_ray_our_parent_started_is_ours_before_we_join_it(tmp_path, monkeypatch):
    monkeypatch.setattr(cpu_share, "_PROC", tmp_path)
    monkeypatch.delitem(sys.modules, "ray", raising=False)  # not connected
    # 5 is a build that started a Ray (6, its GCS; 7, its raylet; 8, a worker) and us (10);
    # 40 is a stranger's GCS of another session, 41 its worker.
    before = {5: (1, 0), 6: (5, 0), 7: (5, 0), 8: (7, 0), 10: (5, 0), 40: (1, 0), 41: (40, 0)}
    after = {5: (1, 5), 6: (5, 10), 7: (5, 10), 8: (7, 20), 10: (5, 50), 40: (1, 30), 41: (40, 40)}

    def write_with_commands(machine, processes):
        write_proc(tmp_path, machine, processes)
        commands = {
            6: b"gcs_server\0--session-dir=/tmp/ray/session_1\0",
            7: b"raylet\0--raylet_socket_name=/tmp/ray/session_1/sockets/raylet\0",
            40: b"gcs_server\0--session-dir=/tmp/ray/session_2\0",
        }
        for pid, command in commands.items():
            (tmp_path / str(pid) / "cmdline").write_bytes(command)

    write_with_commands((0, 0), before)
    with OthersShare(root=10) as others:
        write_with_commands((100, 100), after)
    # The build itself (5) and the stranger's session (40, 41) are others: 75 of 200.
    assert others.share == pytest.approx(75 / 200)


class FakeRay:
    """Stands in for a connected ``ray`` module: one node whose session folder is given."""

    def __init__(self, session: Path) -> None:
        self.session = session

    def is_initialized(self) -> bool:
        return True

    def nodes(self) -> list[dict[str, str]]:
        return [{"RayletSocketName": str(self.session / "sockets" / "raylet")}]


def test_the_connected_ray_session_is_ours_whoever_started_it(tmp_path, monkeypatch):
    proc, session = tmp_path / "proc", tmp_path / "ray" / "session_1"
    proc.mkdir()
    monkeypatch.setattr(cpu_share, "_PROC", proc)
    monkeypatch.setitem(sys.modules, "ray", FakeRay(session))
    # 30 is a raylet started by another process (a build), 31 its worker; 40 is a stranger
    # whose command line names another session.
    before = {10: (1, 0), 30: (1, 0), 31: (30, 0), 40: (1, 0)}
    after = {10: (1, 10), 30: (1, 20), 31: (30, 50), 40: (1, 20)}

    def write_with_commands(machine, processes):
        write_proc(proc, machine, processes)
        (proc / "30" / "cmdline").write_bytes(f"raylet\0--session_dir={session}\0".encode())
        (proc / "40" / "cmdline").write_bytes(b"raylet\0--session_dir=/tmp/ray/session_2\0")

    write_with_commands((0, 0), before)
    with OthersShare(root=10) as others:
        write_with_commands((50, 50), after)
    assert others.share == pytest.approx(20 / 100)


def test_unknown_without_proc(tmp_path, monkeypatch):
    monkeypatch.setattr(cpu_share, "_PROC", tmp_path / "missing")
    with OthersShare() as others:
        pass
    assert others.share is None


def start_detached_hogs(count: int) -> list[int]:
    """Start busy loops that are not our descendants (their shell parent exits)."""
    hog = f'"{sys.executable}" -c "$HOG" >/dev/null 2>&1 & echo $!'
    script = f"for i in $(seq {count}); do {hog}; done"
    out = subprocess.run(
        ["sh", "-c", script], env={**os.environ, "HOG": HOG}, capture_output=True, text=True
    )
    return [int(pid) for pid in out.stdout.split()]


def stop_hogs(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="needs Linux /proc")
def test_busy_neighbours_take_most_of_the_machine():
    hogs = start_detached_hogs(2 * (os.cpu_count() or 1))
    try:
        time.sleep(0.2)
        with OthersShare() as others:
            time.sleep(1.0)
    finally:
        stop_hogs(hogs)
    # Two busy loops per CPU outside our tree: whatever else runs, others hold nearly all.
    assert others.share is not None and others.share > 0.8
