#!/usr/bin/env python3
"""The project's benchmarks behind one command (issues 9 and 12 name it).

  scripts/benchmark.py [--models tiny.en base ...]  the models table (benchmarks.models)
  scripts/benchmark.py --real [ARGS]                 real clips, pipeline vs plain (benchmarks.real)
  scripts/benchmark.py --speed [ARGS]                cost of scoring (benchmarks.speed)
  scripts/benchmark.py --rubric [ARGS]               rubric agreement (benchmarks.rubric)

Everything after the first flag is handed to that benchmark; each one's ``--help`` lists its own
options. Heavy: run it under ``nice -n 10`` on a shared machine.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `benchmarks` lives at the top

# A leading flag that names another benchmark -> its module; anything else is the models table's.
FORWARD = {
    "--real": "benchmarks.real",
    "--speed": "benchmarks.speed",
    "--rubric": "benchmarks.rubric",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if argv and argv[0] in FORWARD:
        return importlib.import_module(FORWARD[argv[0]]).main(argv[1:]) or 0
    return importlib.import_module("benchmarks.models").main(argv)


if __name__ == "__main__":
    sys.exit(main())
