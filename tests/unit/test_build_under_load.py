"""The under-load comparison reads every timing table of a built page and its note."""

from __future__ import annotations

from pathlib import Path

from tools.build_under_load import timings

TABLE = (
    "<table><caption>{rounds} rounds side by side; others took {share} of 2 CPUs</caption>"
    "<thead><tr><th>candidate</th><th>best</th></tr></thead>"
    '<tbody><tr><td style="text-align: right">{name}</td><td>{best}</td>'
    "<td>x</td></tr></tbody></table>"
)
NOTE = '<p class="disturbed-figure"><strong>Disturbed figure:</strong> others took 60%.</p>'


def test_tables_shares_and_notes_are_read(tmp_path: Path) -> None:
    (tmp_path / "book").mkdir()
    page = TABLE.format(rounds=3, share="1%", name="one core", best="240 ms") + "<p>prose</p>"
    page += TABLE.format(rounds=5, share="60%", name="ray.get &amp; loop", best="2.07 ms") + NOTE
    (tmp_path / "book" / "tasks.html").write_text(page)
    (tmp_path / "book" / "intro.html").write_text("<p>no timings</p>")
    assert timings(tmp_path) == {
        "tasks": [("one core 240 ms", "1%", False), ("ray.get & loop 2.07 ms", "60%", True)]
    }
