"""The timeline figure, and the fields of ``ray.timeline()`` that the Tasks page reads."""

from __future__ import annotations

import time

import pytest
import ray
from bokeh.models import HBar, HoverTool, Step

from raycourse.figures import progress_figure, timeline_figure


def test_figure_draws_one_bar_per_run_and_one_row_per_worker() -> None:
    spans = [("w2", 10.2, 11.5), ("w1", 10.0, 11.0), ("w1", 11.1, 12.0)]
    fig = timeline_figure(spans, title="three runs")
    bars = [r for r in fig.renderers if isinstance(r.glyph, HBar)]
    assert len(bars) == 1
    data = bars[0].data_source.data
    assert list(data["left"]) == pytest.approx([0.0, 0.2, 1.1])
    assert list(data["right"]) == pytest.approx([1.0, 1.5, 2.0])
    assert list(data["seconds"]) == pytest.approx([1.0, 1.3, 0.9])
    assert list(data["row"]) == ["worker 1", "worker 2", "worker 1"]
    assert list(fig.y_range.factors) == ["worker 2", "worker 1"]
    assert fig.title.text == "three runs"
    assert fig.xaxis[0].axis_label == "seconds since the first task started"
    (hover,) = fig.select(HoverTool)
    assert dict(hover.tooltips)["ran for"] == "@seconds{0.000} s"


def test_default_title_counts_runs_and_workers() -> None:
    fig = timeline_figure([("a", 0.0, 1.0), ("b", 0.5, 1.0), ("a", 1.0, 2.0)])
    assert fig.title.text == "3 task runs on 2 worker(s)"


@pytest.mark.parametrize(
    ("spans", "error"),
    [
        ([], ValueError),
        ([("w", 1.0)], TypeError),
        (["abc"], TypeError),
        ([("w", 0.0, 1.0), 5], TypeError),
        ([("w", 2.0, 1.0)], ValueError),
        ([("w", float("nan"), 1.0)], ValueError),
    ],
)
def test_bad_spans_are_refused(spans, error) -> None:
    with pytest.raises(error, match="spans"):
        timeline_figure(spans)


@ray.remote
def _short_task(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _runs_of(name: str, since: float) -> list[dict]:
    """The executed runs of task ``name`` since ``since``, as the Tasks page picks them."""
    return [
        event
        for event in ray.timeline()
        if event.get("cat", "").startswith("task::")
        and event["name"].endswith(name)
        and event["ts"] / 1e6 >= since
    ]


def test_the_timeline_holds_what_the_page_reads(ray_session) -> None:
    started = time.time()
    ray.get([_short_task.remote(0.2) for _ in range(4)])
    deadline = time.monotonic() + 30
    runs = _runs_of("_short_task", started)
    while len(runs) < 4 and time.monotonic() < deadline:
        time.sleep(0.2)  # workers report their task events about once a second
        runs = _runs_of("_short_task", started)
    assert len(runs) == 4
    spans = [(run["tid"], run["ts"] / 1e6, (run["ts"] + run["dur"]) / 1e6) for run in runs]
    # Microseconds since the epoch: every run lasted its 0.2 s and ended before now.
    assert all(0.2 <= end - start < 5 and end <= time.time() for _, start, end in spans)
    # Two CPUs: in the middle of any run, at most two runs are going on. (Not at its
    # ends: one worker's next run may be stamped a few microseconds before its last ended.)
    for _, start, end in spans:
        middle = (start + end) / 2
        assert sum(s <= middle <= e for _, s, e in spans) <= 2
    assert timeline_figure(spans).title.text.startswith("4 task runs")


def test_progress_figure_steps_through_the_polls_from_zero() -> None:
    fig = progress_figure([(0.1, 20), (0.2, 60), (0.3, 100)], total_darts=100, tasks=2)
    steps = [r for r in fig.renderers if isinstance(r.glyph, Step)]
    assert len(steps) == 1
    data = steps[0].data_source.data
    assert list(data["seconds"]) == [0.0, 0.1, 0.2, 0.3]
    assert list(data["darts"]) == [0, 20, 60, 100]
    assert list(data["percent"]) == [0.0, 20.0, 60.0, 100.0]
    assert "100 darts, 2 tasks, 3 polls" in fig.title.text


@pytest.mark.parametrize(
    ("history", "options", "error", "message"),
    [
        ([(0.1, 20, 3)], {}, TypeError, r"history\[0\] must be a \(seconds, darts\) pair"),
        (["ab"], {}, TypeError, r"history\[0\] must be a \(seconds, darts\) pair"),
        ([], {"total_darts": 0}, ValueError, "total_darts must be >= 1, got 0"),
        ([], {"tasks": 2.0}, TypeError, "tasks must be an integer, got 2.0"),
    ],
)
def test_progress_figure_refuses_bad_input(history, options, error, message) -> None:
    with pytest.raises(error, match=message):
        progress_figure(history, **{"total_darts": 100, "tasks": 2, **options})
