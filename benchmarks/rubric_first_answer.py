"""What the first typed answer of a process costs in CPU, with and without the embedding cache.

    python -m benchmarks.rubric_first_answer [--runs N]

Each row is a fresh process (nothing in memory) that loads the sentence model, then scores one
answer to a shipped-bank question and a second answer to the same question. The first answer
embeds the bank's texts for the off-topic guard (every point of the other questions); "no disk
cache" is how it was before the cache, "cold cache" writes the cache (the first run on a machine),
"warm cache" reads it (every run after). CPU seconds of the process (``time.process_time``); the
machine may be shared, so wall time is not shown.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ANSWER = (
    "Overfitting is when a model memorizes the noise in the training data and then fails to "
    "generalize to unseen data. You can detect it by comparing training loss with validation "
    "loss. Collect more training data, simplify the model and use early stopping."
)
LATER = "Dropout and weight decay also help, and cross-validation shows it early."

CHILD = """
import json, sys, time
from pathlib import Path
from voice_interviewer.bank import resolve_bank
from voice_interviewer.scoring.semantic_model import EmbedderSettings, MiniLMEmbedder
from voice_interviewer.scoring.text_answer import score_text

cache = None if sys.argv[1] == "-" else Path(sys.argv[1])
q = resolve_bank(None).question("overfitting")
t0 = time.process_time()
embedder = MiniLMEmbedder(EmbedderSettings(cache_dir=cache))
t1 = time.process_time()
score_text(q, sys.argv[2], embedder)
t2 = time.process_time()
score_text(q, sys.argv[3], embedder)
t3 = time.process_time()
print(json.dumps({"load": t1 - t0, "first": t2 - t1, "second": t3 - t2}))
"""


def run_child(cache: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, cache, ANSWER, LATER],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=2, help="processes per row (median shown)")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = str(Path(tmp) / "embeddings")
        rows.append(("no disk cache (before)", [run_child("-") for _ in range(args.runs)]))
        cold = [run_child(cache)]  # only the first process finds the folder empty
        rows.append(("cold cache (writes it)", cold))
        rows.append(("warm cache (reads it)", [run_child(cache) for _ in range(args.runs)]))
        size = sum(p.stat().st_size for p in Path(cache).glob("*.npz"))
    print("| process | runs | CPU s load model | CPU s first answer | CPU s second answer |")
    print("|---|---|---|---|---|")
    for label, runs in rows:
        med = {k: statistics.median(r[k] for r in runs) for k in ("load", "first", "second")}
        print(
            f"| {label} | {len(runs)} | {med['load']:.2f} | {med['first']:.2f} | "
            f"{med['second']:.2f} |"
        )
    print(f"\ncache file: {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
