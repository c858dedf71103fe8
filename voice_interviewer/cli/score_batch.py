"""`score` over many recordings: several paths, folders, globs or a manifest; worker processes or a
Dask cluster; a progress bar on stderr; results appended to --output (JSONL) and --csv."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from voice_interviewer.cli.common import stderr_console
from voice_interviewer.errors import UsageError


def add_batch_options(s: argparse.ArgumentParser) -> None:
    g = s.add_argument_group(
        "many recordings",
        "Give several AUDIO paths, folders (their audio files, recursively) or globs "
        "('answers/*.wav'), or --manifest; results go to --output and/or --csv (or JSON lines on "
        "stdout). A file that cannot be scored is reported in its row and the batch goes on; "
        "re-running with the same --output/--csv skips the answers they already hold.",
    )
    g.add_argument(
        "--manifest",
        metavar="FILE",
        help="the answers to score, each with its question: a CSV file with the header "
        "'path,question' or a JSONL file with those keys; relative paths are relative to the "
        "manifest",
    )
    g.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        metavar="N",
        help="worker processes, each loading the model once (default 1; the cores are shared "
        "among them)",
    )
    g.add_argument(
        "--output",
        "-o",
        metavar="FILE.jsonl",
        type=Path,
        help="append one JSON analysis per answer (the --json object plus 'audio'; 'error' for a "
        "file that could not be scored)",
    )
    g.add_argument(
        "--csv",
        metavar="FILE",
        type=Path,
        help="append one row of measures per answer (pace, pauses, fillers, rubric coverage, ...)",
    )
    g.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="score on a Dask distributed cluster (e.g. tcp://host:8786; needs the [cluster] "
        "extra) instead of local worker processes",
    )


def wants_batch(args: argparse.Namespace) -> bool:
    """Batch mode: anything beyond one recording printed to the terminal."""
    return bool(
        len(args.audio) > 1
        or args.manifest
        or args.output
        or args.csv
        or args.cluster
        or args.jobs != 1
        or any(
            Path(a).is_dir() or (not Path(a).exists() and set("*?[") & set(a)) for a in args.audio
        )
    )


class RateColumn(ProgressColumn):
    """Answers per minute and how many seconds of audio each wall second scores."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        scored = task.fields.get("scored", 0)
        if not scored or elapsed <= 0:
            return Text("-- answers/min", style="progress.data.speed")
        audio_s = task.fields.get("audio_s", 0.0)
        return Text(
            f"{scored / elapsed * 60:.1f}/min {audio_s / elapsed:.1f}x real time",
            style="progress.data.speed",
        )


def cmd_score_batch(args: argparse.Namespace) -> int:
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.scoring.batch import (
        BatchSettings,
        items_for,
        pending,
        read_manifest,
        run_cluster,
        run_local,
    )
    from voice_interviewer.scoring.batch_output import BatchWriter, held_results, result_record

    if args.text is not None:
        raise UsageError("--text scores one typed answer; it does not combine with many recordings")
    if args.jobs < 1:
        raise UsageError(f"--jobs must be 1 or more (got {args.jobs})")
    if args.manifest and args.audio:
        raise UsageError("give AUDIO paths or --manifest, not both")
    if args.json:
        raise UsageError(
            "--json is for one recording; many write JSON lines to --output (or stdout)"
        )
    bank = resolve_bank(args.bank)
    if args.manifest:
        items = read_manifest(args.manifest, bank, args.question)
    else:
        if not args.question:
            raise UsageError("score needs --question ID (or --manifest with a question per answer)")
        items = items_for(args.audio, bank.question(args.question))
    unique = pending(items, set())  # a manifest may list an answer twice
    held = held_results(args.output, args.csv)
    todo = pending(unique, held.scored())
    err = stderr_console()
    if repeated := len(items) - len(unique):
        err.print(f"{repeated} of {len(items)} answers are listed again: each is scored once.")
    if skipped := len(unique) - len(todo):
        err.print(f"{skipped} of {len(unique)} answers already scored in the output: skipped.")
    if not todo:
        return 0
    settings = BatchSettings(
        model=args.model,
        filler_pass=not args.no_filler_pass,
        fillers_under_words=args.fillers_under_words,
    )
    to_stdout = not (args.output or args.csv)
    # A cluster is reached before the progress shows: a bad address is one line, nothing else.
    cluster = (
        run_cluster(todo, settings, args.cluster, on_ready=lambda: ready())
        if args.cluster
        else None
    )
    writer = BatchWriter(args.output, args.csv, held)  # a failure again is not added again
    failed = 0
    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    try:
        with Progress(*columns, console=err, transient=False) as progress:
            task = progress.add_task("Loading the model", total=len(todo), scored=0, audio_s=0.0)
            ready = lambda: progress.update(task, description="Scoring")  # noqa: E731
            if cluster is not None:
                results = cluster
            else:
                results = run_local(todo, settings, args.jobs, on_ready=ready)
            audio_s = 0.0
            for done, result in enumerate(results, start=1):
                writer.write(result)
                if to_stdout:
                    sys.stdout.write(json.dumps(result_record(result), ensure_ascii=False) + "\n")
                    sys.stdout.flush()
                if result.error:
                    failed += 1
                    progress.console.print(Text(result.error, style="red"))  # paths as text
                else:
                    audio_s += result.analysis.duration_s if result.analysis else 0.0
                progress.update(task, advance=1, scored=done, audio_s=audio_s)
    finally:
        writer.close()
    where = ", ".join(str(p) for p in (args.output, args.csv) if p) or "standard output"
    err.print(f"Scored {len(todo) - failed} of {len(todo)} answers into {where}; {failed} failed.")
    return 1 if failed else 0
