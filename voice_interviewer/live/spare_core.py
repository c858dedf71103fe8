"""Whether the machine has a core to spare for a second decode beside the worker (``LiveAnswer``'s
decode ahead of Enter).

Measured (benchmarks/results/latency_ahead.md, 2 cores, tiny.en): on a quiet machine (load average
0.1-1.7) the decode ahead in a thread of its own was as fast or faster in 10 of 12 cells, the real
60 s answer's silence ending 3.2-4.5 s -> 1.5-1.7 s; with three other jobs running (load 4-6) it
competed with the worker and the real answer took twice as long. Between the two, the line is the
core count plus one: this process's own worker and capture make about one.
"""

from __future__ import annotations

import os

__all__ = ["BUSY_LOAD_OVER_CORES", "core_to_spare"]

# A 1-minute load average this far over the core count: no core to spare.
BUSY_LOAD_OVER_CORES = 1.0


def core_to_spare(load: float | None = None, cores: int | None = None) -> bool:
    """True unless the load average (``os.getloadavg``, or ``load``) reaches the cores plus
    ``BUSY_LOAD_OVER_CORES``; True where the load is not known (as on a quiet machine)."""
    if load is None:
        try:
            load = os.getloadavg()[0]
        except (OSError, AttributeError):  # not on this platform
            return True
    return load < (cores or os.cpu_count() or 1) + BUSY_LOAD_OVER_CORES
