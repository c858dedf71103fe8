"""benchmarks.speed's StageMeter: each call's CPU counted once, in the outermost stage."""

from __future__ import annotations

import time

import pytest

from benchmarks.speed import StageMeter


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_call_inside_a_timed_call_counts_only_in_the_outer_stage():
    meter = StageMeter()
    encode = meter.timed("window encode", lambda: _burn(0.05))

    def label_many():
        encode()  # the labels' own encode: counted as labels, not as a window encode
        _burn(0.05)

    labels = meter.timed("filler labels", label_many)
    c0 = time.process_time()
    labels()
    encode()
    total = time.process_time() - c0
    assert 0.09 <= meter.cpu["filler labels"] < 0.2
    assert 0.04 <= meter.cpu["window encode"] < 0.1
    rows = dict(meter.rows(total))
    assert abs(sum(rows.values()) - total) < 1e-9  # "everything else" is what the stages leave
    meter.reset()
    assert sum(meter.cpu.values()) == 0.0


def test_a_failing_call_still_counts_and_leaves_the_meter_usable():
    meter = StageMeter()

    def fail():
        _burn(0.02)
        raise ValueError("bad clip")

    failing = meter.timed("VAD", fail)
    with pytest.raises(ValueError):
        failing()
    assert meter.cpu["VAD"] >= 0.015
    meter.timed("analysis", lambda: _burn(0.02))()
    assert meter.cpu["analysis"] >= 0.015  # not swallowed as a nested call
