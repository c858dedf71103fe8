"""Benchmarks: scripts that measure accuracy, speed and latency and print tables.

Run them from the repository root as modules, e.g. ``python -m benchmarks.accuracy`` or
``python -m benchmarks.latency``. ``truth`` holds the comparison rules (word error rate, matching
detected fillers and pauses to the known truth of a fixture), shared with the accuracy tests.
Nothing here is imported by the package; tests may import ``benchmarks.truth``.
"""
