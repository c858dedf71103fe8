"""Where a batch's results go: JSONL (one ``score --json`` analysis per line) and CSV (one row of
measures per answer), appended and flushed as each answer finishes, so an interrupted batch keeps
what it scored and a re-run skips it.

A JSONL line is the ``score --json`` object plus ``"audio"`` (the recording's path), or, for an
answer that could not be scored, ``{"audio", "question": {"id"}, "error"}``. Answers that failed
are tried again on a re-run; the last line for an answer is the one that counts. A re-run adds no
row that would repeat the row already there: an answer failing again with the same error keeps
its one row (a new error, or a score, is appended).
"""

from __future__ import annotations

import csv
import json
import os
import stat
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import IO

from voice_interviewer.errors import UsageError
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.batch import BatchResult
from voice_interviewer.user_files import read_regular

MAX_OUTPUT_BYTES = 1 << 30  # read whole on a re-run to find what it holds


@dataclass(frozen=True)
class AnswerMeasures:
    """One CSV row: the headline measures of an answer (empty cells when it failed)."""

    audio: str
    question_id: str
    error: str = ""
    duration_s: float | None = None
    response_latency_s: float | None = None
    answer_s: float | None = None
    word_count: int | None = None
    words_per_minute: float | None = None
    articulation_wpm: float | None = None
    pauses: int | None = None
    long_pauses: int | None = None
    filled_pauses: int | None = None
    lexical_fillers: int | None = None
    fillers_per_minute: float | None = None
    repetitions: int | None = None
    rubric_coverage: float | None = None
    rubric_points_hit: int | None = None
    rubric_points: int | None = None
    model: str = ""
    processing_s: float | None = None

    @classmethod
    def of(cls, result: BatchResult) -> AnswerMeasures:
        item, a = result.item, result.analysis
        if a is None:
            return cls(item.audio, item.question.id, error=result.error or "not scored")
        return cls(
            audio=item.audio,
            question_id=item.question.id,
            duration_s=a.duration_s,
            response_latency_s=a.response_latency_s,
            answer_s=a.answer_s,
            word_count=a.word_count,
            words_per_minute=a.words_per_minute,
            articulation_wpm=a.articulation_wpm,
            pauses=len(a.pauses),
            long_pauses=len(a.long_pauses),
            filled_pauses=sum(f.kind == "filled_pause" for f in a.fillers),
            lexical_fillers=sum(f.kind == "lexical" for f in a.fillers),
            fillers_per_minute=a.fillers_per_minute,
            repetitions=len(a.repetitions),
            rubric_coverage=a.rubric.coverage,
            rubric_points_hit=sum(p.hit for p in a.rubric.points),
            rubric_points=len(a.rubric.points),
            model=a.model,
            processing_s=round(result.seconds, 2),
        )


CSV_COLUMNS = [f.name for f in fields(AnswerMeasures)]
# A cell starting with one of these is run as a formula by spreadsheets (=HYPERLINK(...),
# =cmd|...): as OWASP recommends, such a cell is written after a single quote, which
# spreadsheets take as "text" and do not show. A leading quote is itself quoted, so reading the
# CSV back (a re-run) undoes exactly what writing did.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_safe(cell: object) -> object:
    """A CSV cell no spreadsheet runs as a formula (text only: numbers are written as they are)."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


def from_spreadsheet_safe(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def analysis_record(audio: str, analysis: Analysis) -> dict:
    """The JSONL line of a scored answer: exactly what ``score --json`` prints for it."""
    data = analysis.to_dict()
    data["audio"] = audio
    return data


def result_record(result: BatchResult) -> dict:
    if result.analysis is not None:
        return analysis_record(result.item.audio, result.analysis)
    return {
        "audio": result.item.audio,
        "question": {"id": result.item.question.id},
        "error": result.error,
    }


Key = tuple[str, str]  # (absolute path, question id): one answer
# What an output holds for an answer: its last row's error, or None for a scored answer.
Held = dict[Key, str | None]


@dataclass(frozen=True)
class HeldResults:
    """What the outputs given (None: not given) already hold, answer by answer."""

    jsonl: Held | None = None
    csv: Held | None = None

    def scored(self) -> set[Key]:
        """The answers scored in every output given (one may have been added later)."""
        given = [h for h in (self.jsonl, self.csv) if h is not None]
        sets = [{k for k, error in h.items() if error is None} for h in given]
        return set.intersection(*sets) if sets else set()


def held_results(jsonl: Path | None, csv_path: Path | None) -> HeldResults:
    """Reads the outputs of an earlier run (relative paths taken from the current folder, as when
    they were written)."""
    return HeldResults(
        _jsonl_held(jsonl) if jsonl else None, _csv_held(csv_path) if csv_path else None
    )


def scored_keys(jsonl: Path | None, csv_path: Path | None) -> set[Key]:
    """(absolute path, question id) of the answers the outputs already hold a score for; with
    both outputs, only those both hold."""
    return held_results(jsonl, csv_path).scored()


def _key(audio: str, question_id: str) -> Key:
    return os.path.abspath(audio), question_id


def _jsonl_held(path: Path) -> Held:
    done: Held = {}
    lines, complete = _lines(path)
    results = 0
    for i, line in enumerate(lines, start=1):
        try:
            obj = json.loads(line)
            key = _key(obj["audio"], obj["question"]["id"])
        except (json.JSONDecodeError, KeyError, TypeError, RecursionError):
            if i == len(lines) and not complete and results:  # cut short by an interruption:
                continue  # scored again
            raise UsageError(
                f"{path} line {i}: not a batch result line (a different file?); name another "
                "--output file: only an empty file or an earlier output of `score` is appended to"
            ) from None
        results += 1
        done[key] = str(obj["error"]) if obj.get("error") else None
    return done


def _csv_held(path: Path) -> Held:
    done: Held = {}
    lines, complete = _lines(path)
    not_ours = UsageError(
        f"{path}: not a batch CSV (its header differs); name another --csv file: only an "
        "empty file or an earlier CSV of `score` is appended to"
    )
    if not complete:  # the last row was cut short by an interruption: scored again
        if len(lines) == 1 and not ",".join(CSV_COLUMNS).startswith(lines[0]):
            raise not_ours  # not even the start of our header: an unrelated one-line file
        lines = lines[:-1]
    if not lines:
        return done
    reader = csv.DictReader(lines)
    if reader.fieldnames != CSV_COLUMNS:
        raise not_ours
    for row in reader:
        if row.get("audio") and row.get("question_id"):
            key = _key(
                from_spreadsheet_safe(row["audio"]), from_spreadsheet_safe(row["question_id"])
            )
            done[key] = from_spreadsheet_safe(row["error"]) if row.get("error") else None
    return done


def _lines(path: Path) -> tuple[list[str], bool]:
    """The file's non-blank lines, and whether its last line was ended (not cut short)."""
    if not os.path.lexists(path):
        return [], True
    raw = read_regular(path, "a batch output", UsageError, MAX_OUTPUT_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            f"{path}: not UTF-8 text, so not an output of `score`; name another file"
        ) from None
    return [ln for ln in text.splitlines() if ln.strip()], text.endswith("\n") or not text


class BatchWriter:
    """Appends each result to the JSONL and CSV files as it arrives (flushed: nothing is lost).
    ``held``: what they hold already; a failure they record with the same error is not added
    again."""

    def __init__(
        self, jsonl: Path | None, csv_path: Path | None, held: HeldResults | None = None
    ) -> None:
        self._held = held or HeldResults()
        self._jsonl: IO[str] | None = None
        self._csv: IO[str] | None = None
        self._rows = None
        try:
            if jsonl:
                self._jsonl = _open_append(jsonl)
            if csv_path:
                fresh = not csv_path.exists() or csv_path.stat().st_size == 0
                self._csv = _open_append(csv_path)
                self._rows = csv.DictWriter(self._csv, fieldnames=CSV_COLUMNS)
                if fresh:
                    self._rows.writeheader()
        except OSError as exc:
            self.close()
            raise UsageError(f"{exc.filename}: cannot write it ({exc.strerror})") from None

    def write(self, result: BatchResult) -> None:
        key = _key(result.item.audio, result.item.question.id)
        row = asdict(AnswerMeasures.of(result))
        again = {
            "jsonl": result.error is not None and _holds(self._held.jsonl, key, result.error),
            "csv": result.error is not None and _holds(self._held.csv, key, row["error"]),
        }
        if self._jsonl and not again["jsonl"]:
            self._jsonl.write(json.dumps(result_record(result), ensure_ascii=False) + "\n")
            self._jsonl.flush()
        if self._csv and self._rows and not again["csv"]:
            self._rows.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
            self._csv.flush()

    def close(self) -> None:
        for f in (self._jsonl, self._csv):
            if f:
                f.close()


def _holds(held: Held | None, key: Key, error: str) -> bool:
    """The output's last row for the answer already says it failed with this error."""
    return held is not None and key in held and held[key] == error


def _open_append(path: Path) -> IO[str]:
    """Opens for appending; a file cut mid-line by an interruption gets its line ended first."""
    # Non-blocking: opening a FIFO for writing would wait for a reader (it fails at once instead).
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o644)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UsageError(f"{path}: not a regular file; name a file for the results")
    os.set_blocking(fd, True)
    ends_mid_line = False
    if os.fstat(fd).st_size:
        with path.open("rb") as f:
            f.seek(-1, os.SEEK_END)
            ends_mid_line = f.read(1) != b"\n"
    f = os.fdopen(fd, "a", encoding="utf-8", newline="")
    if ends_mid_line:
        f.write("\n")
    return f
