"""The progress-bar rule: a bar only when asked, and none in the site build."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from raycourse import estimate_pi_parallel

pytestmark = pytest.mark.usefixtures("ray_session")


def test_no_progress_bar_unless_asked(capsys, monkeypatch):
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    estimate_pi_parallel(2**22, seed=1, block_size=2**21)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.slow
def test_progress_bar_on_request(capsys, monkeypatch):
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    estimate_pi_parallel(2**22, seed=1, block_size=2**21, progress=True)
    assert "blocks:" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize(("switch", "shown"), [("1", False), (None, True)])
def test_the_site_build_switch_silences_requested_bars(switch, shown):
    # tqdm reads TQDM_* when it is imported, as in the kernels of a site build.
    script = "from raycourse.parallel import open_bar\nopen_bar(3, 'blocks').close()\n"
    environment = {name: value for name, value in os.environ.items() if name != "TQDM_DISABLE"}
    if switch:
        environment["TQDM_DISABLE"] = switch
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    )
    assert done.stdout == ""
    assert ("blocks:" in done.stderr) == shown


@pytest.mark.parametrize("progress", [None, 1, "yes"])
def test_progress_must_be_a_bool(progress):
    with pytest.raises(TypeError, match=rf"progress must be True or False, got {progress!r}"):
        estimate_pi_parallel(1_000, progress=progress)
