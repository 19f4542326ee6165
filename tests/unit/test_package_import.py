"""Ray workers and jobs import the package for its darts: that must not pull in Bokeh."""

from __future__ import annotations

import subprocess
import sys


def test_the_darts_need_no_bokeh() -> None:
    code = (
        "import sys, raycourse, raycourse.parallel, raycourse.cli\n"
        "assert 'bokeh' not in sys.modules, 'bokeh was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
