"""``banks examples export``: the answers a user corrected, written into a bank file as
``[[questions.examples]]`` (text and the points it makes once corrected), so ``banks validate``
checks the matcher against them and the bank carries them wherever it goes.

The bank file is copied as written (comments and layout kept): each question's new examples are
inserted at the end of that question's block of tables, which is where TOML attaches a
``[[questions.examples]]`` to it. The result is read back and validated before it is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from voice_interviewer.bank import Bank, bank_from_toml
from voice_interviewer.errors import BankError, SessionError
from voice_interviewer.sessions.corrections import corrected_hits, load_corrections
from voice_interviewer.sessions.store import SessionStore

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\s\"-]+?)\s*\]\]?\s*(#.*)?$")


@dataclass(frozen=True)
class CollectedExample:
    question_id: str
    text: str
    hits: tuple[str, ...]


def collect_examples(store: SessionStore, bank: Bank) -> list[CollectedExample]:
    """Each corrected answer to a question of ``bank`` (not a follow-up), once per text."""
    out: list[CollectedExample] = []
    seen: set[tuple[str, str]] = set()
    ids = {q.id: q for q in bank.questions}
    for summary in reversed(store.list_sessions()):  # oldest first
        detail = store.load_session(summary.id)
        folder = store.session_dir(detail.id)
        corrections = load_corrections(folder)
        for seq in sorted({c.seq for c in corrections}):
            record = next((a for a in detail.answers if a.seq == seq), None)
            if record is None or record.follow_up_of is not None or record.question_id not in ids:
                continue
            analysis = record.analysis
            if analysis is None or not analysis.answered:
                continue
            q = ids[record.question_id]
            if [p.id for p in q.points] != [p.id for p in analysis.rubric.points]:
                continue  # the bank's points changed since: the verdicts no longer fit it
            text = " ".join(w.text for w in analysis.words if not w.filler)
            if (q.id, text) in seen or any(e.text == text for e in q.examples):
                continue
            seen.add((q.id, text))
            hits = corrected_hits(analysis, corrections, seq)
            out.append(CollectedExample(q.id, text, tuple(p.id for p in q.points if p.id in hits)))
    return out


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _block_ends(lines: Sequence[str]) -> list[int]:
    """Per [[questions]] in order, the line index where its block of tables ends."""
    headers = [
        (i, m.group(1).replace(" ", ""))
        for i, line in enumerate(lines)
        if (m := _HEADER.match(line)) and line.lstrip().startswith("[")
    ]
    ends: list[int] = []
    for k, (i, name) in enumerate(headers):
        if name != "questions" or not lines[i].lstrip().startswith("[["):
            continue
        end = len(lines)
        for j, other in headers[k + 1 :]:
            if not other.startswith("questions."):
                end = j
                break
        ends.append(end)
    return ends


def export_examples(bank: Bank, examples: Sequence[CollectedExample], out: Path) -> int:
    """Writes ``bank``'s file with ``examples`` added to ``out``; returns how many were added."""
    source = Path(bank.source)
    try:
        lines = source.read_text(encoding="utf-8").removeprefix("\ufeff").splitlines()
    except OSError as exc:
        raise BankError(f"{source}: cannot read the bank: {exc.strerror or exc}") from None
    ends = _block_ends(lines)
    if len(ends) != len(bank.questions):
        raise BankError(f"{source}: cannot find each [[questions]] table to add examples under")
    inserts: dict[int, list[str]] = {}
    for e in examples:
        k = next(i for i, q in enumerate(bank.questions) if q.id == e.question_id)
        hits = ", ".join(_toml_string(h) for h in e.hits)
        inserts.setdefault(ends[k], []).extend(
            [
                "",
                "[[questions.examples]]  # from your corrections",
                f"text = {_toml_string(e.text)}",
                f"hits = [{hits}]",
            ]
        )
    merged: list[str] = []
    for i in range(len(lines) + 1):
        if i in inserts:
            while merged and not merged[-1].strip():
                merged.pop()  # the examples follow the question's last table directly
            merged += inserts[i] + [""]
        if i < len(lines):
            merged.append(lines[i])
    text = "\n".join(merged).rstrip("\n") + "\n"
    checked = bank_from_toml(_parse(text, out), str(out))
    if sum(len(q.examples) for q in checked.questions) != sum(
        len(q.examples) for q in bank.questions
    ) + len(examples):
        raise BankError(f"{out}: the examples did not land under their questions; not written")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SessionError(f"{out}: cannot write the bank: {exc.strerror or exc}") from None
    return len(examples)


def _parse(text: str, out: Path) -> dict:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BankError(f"{out}: the bank with examples added is not valid TOML: {exc}") from None


__all__ = ["CollectedExample", "collect_examples", "export_examples"]
