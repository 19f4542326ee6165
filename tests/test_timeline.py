"""Task spans from Ray's timeline, and the timeline figure."""

from __future__ import annotations

import time

import pytest
import ray
from bokeh.models import HBar

from raycourse import task_spans, timeline_figure
from raycourse.timeline import (
    TaskSpan,
    spans_from_events,
)


def _event(name: str, start_s: float, seconds: float, worker: str, category: str = "task::x"):
    return {
        "cat": category,
        "name": name,
        "pid": "10.0.0.1",
        "tid": f"worker:{worker}",
        "ts": start_s * 1e6,
        "dur": seconds * 1e6,
        "ph": "X",
    }


def test_only_executed_runs_of_the_named_task_are_kept_in_start_order() -> None:
    events = [
        _event("__main__.estimate_pi_task", 105.0, 0.5, "bbbbbbbbbbbb"),
        _event("__main__.estimate_pi_task", 100.0, 1.0, "aaaaaaaaaaaa"),
        _event("__main__.other_task", 101.0, 1.0, "aaaaaaaaaaaa"),
        _event("__main__.my_estimate_pi_task", 101.0, 1.0, "aaaaaaaaaaaa"),
        _event("submit_task", 100.5, 0.1, "driver", category="submit_task"),
        _event("estimate_pi_task", 90.0, 1.0, "aaaaaaaaaaaa"),
    ]
    spans = spans_from_events(events, "estimate_pi_task", since=95.0)
    assert spans == [
        TaskSpan("__main__.estimate_pi_task", "10.0.0.1", "aaaaaaaa", 100.0, 101.0),
        TaskSpan("__main__.estimate_pi_task", "10.0.0.1", "bbbbbbbb", 105.0, 105.5),
    ]
    assert spans[0].seconds == pytest.approx(1.0)


def test_figure_draws_one_bar_per_run_and_one_row_per_worker() -> None:
    spans = [
        TaskSpan("t", "n", "w1", 10.0, 11.0),
        TaskSpan("t", "n", "w2", 10.2, 11.5),
        TaskSpan("t", "n", "w1", 11.1, 12.0),
    ]
    fig = timeline_figure(spans, title="three runs")
    bars = [r for r in fig.renderers if isinstance(r.glyph, HBar)]
    assert len(bars) == 1
    data = bars[0].data_source.data
    assert list(data["left"]) == pytest.approx([0.0, 0.2, 1.1])
    assert list(data["right"]) == pytest.approx([1.0, 1.5, 2.0])
    assert list(data["row"]) == ["worker w1", "worker w2", "worker w1"]
    assert sorted(fig.y_range.factors) == ["worker w1", "worker w2"]
    assert fig.title.text == "three runs"
    assert fig.xaxis[0].axis_label == "seconds since the first task started"


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: timeline_figure([]), ValueError),
        (lambda: timeline_figure([("t", 1.0)]), TypeError),
        (lambda: timeline_figure([TaskSpan("t", "n", "w1", 0.0, 1.0), 5]), TypeError),
        (lambda: task_spans("", since=0.0, count=1), TypeError),
        (lambda: task_spans("f", since=-1.0, count=1), ValueError),
        (lambda: task_spans("f", since=0.0, count=0), ValueError),
        (lambda: task_spans("f", since=0.0, count=1, timeout=0), ValueError),
    ],
)
def test_bad_input_is_refused(call, error) -> None:
    with pytest.raises(error, match=r"spans|since|count|timeout|name"):
        call()


@ray.remote
def _short_task(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_runs_of_real_tasks_are_found(ray_session) -> None:
    started = time.time()
    ray.get([_short_task.remote(0.2) for _ in range(4)])
    spans = task_spans("_short_task", since=started, count=4)
    assert len(spans) == 4
    assert all(span.start >= started and span.seconds >= 0.2 for span in spans)
    # Two CPUs: in the middle of any run, at most two runs are going on. (Not at its
    # ends: one worker's next run may be stamped a few microseconds before its last ended.)
    for span in spans:
        middle = (span.start + span.end) / 2
        assert sum(s.start <= middle <= s.end for s in spans) <= 2
    with pytest.raises(TimeoutError, match="0 of 1 runs"):
        task_spans("_no_such_task", since=started, count=1, timeout=0.5)
