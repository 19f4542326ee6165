"""Build the site while busy loops hold the CPUs, and compare its timings with an idle build.

Run as ``python tools/build_under_load.py [--idle _build/html] [--out /tmp/loaded]``
(``make build-under-load``). It starts two busy loops per CPU, runs a forced build
of the whole site into ``--out``, stops the loops, and prints every timing table
of both sites side by side: each candidate's best round, the share of the CPUs
that others took, and whether a *Disturbed figure* note stands beside it. An
idle build should carry no note; the loaded one should carry one on nearly
every timing, with a share near the loops' share of the machine.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CAPTION = re.compile(r"<caption>(\d+) rounds side by side; others took (\S+) of (\d+) CPUs")
ROW = re.compile(r"<tr><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>")
NOTE = 'class="disturbed-figure"'
BUSY_LOOP = "while True: pass"


def timings(site: Path) -> dict[str, list[tuple[str, str, bool]]]:
    """Each page's timing tables as (best rounds, others' share, note shown)."""
    pages = {}
    for page in sorted((site / "book").glob("*.html")):
        text = page.read_text()
        found = []
        for match in CAPTION.finditer(text):
            end = text.index("</table>", match.end())
            best = ", ".join(
                f"{unescape(n)} {unescape(b)}" for n, b in ROW.findall(text[match.end() : end])
            )
            noted = text[end + len("</table>") :].lstrip().startswith(f"<p {NOTE}")
            found.append((best, match.group(2), noted))
        if found:
            pages[page.stem] = found
    return pages


def build_under_load(out: Path, loops_per_cpu: int) -> None:
    """Run a forced build into ``out`` while busy loops run, and stop them after."""
    loops = [
        subprocess.Popen([sys.executable, "-c", BUSY_LOOP])
        for _ in range(loops_per_cpu * (os.cpu_count() or 1))
    ]
    try:
        command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(REPO)]
        command += ["--all", "--path-output", str(out)]
        env = {**os.environ, "RAYCOURSE_EXECUTION_MODE": "force"}
        subprocess.run(command, env=env, check=True)
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


def main() -> int:
    """Build under load, then print both builds' timings side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--out", type=Path, default=Path("/tmp/raycourse-under-load"))
    parser.add_argument("--loops-per-cpu", type=int, default=2)
    args = parser.parse_args()
    if not (args.idle / "book").is_dir():
        parser.error(f"--idle: no built site at {args.idle} (run `make book-strict` first)")
    build_under_load(args.out, args.loops_per_cpu)
    idle, loaded = timings(args.idle), timings(args.out / "_build" / "html")
    notes = {"idle": 0, "loaded": 0}
    for page in sorted(set(idle) | set(loaded)):
        pairs = zip(idle.get(page, []), loaded.get(page, []), strict=False)
        for number, ((i_best, i_share, i_note), (l_best, l_share, l_note)) in enumerate(pairs, 1):
            notes["idle"] += i_note
            notes["loaded"] += l_note
            print(f"{page} timing {number}")
            print(f"  idle:   others {i_share:>4}, note {'yes' if i_note else 'no '}  {i_best}")
            print(f"  loaded: others {l_share:>4}, note {'yes' if l_note else 'no '}  {l_best}")
    print(f"disturbed notes: idle build {notes['idle']}, loaded build {notes['loaded']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
