"""The user's corrections of rubric verdicts: saved with the session, taught to later answers.

A correction says that in answer ``seq`` of a session the point ``point_id`` was in fact made (or
not). It is kept in the session's folder (``corrections.json``, beside its recordings), so it is
saved, listed and deleted with the session. Every correction in a data folder is an example for
its question's point on later answers scored there (``learned_examples`` ->
``scoring.taught``): the sentence of the answer that came closest to the point, and the verdict.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

from voice_interviewer.errors import SessionError
from voice_interviewer.output_files import write_private_text
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.phrasings import phrasings_for
from voice_interviewer.scoring.semantic import (
    MIN_SEMANTIC_WORDS,
    Embedder,
    similarities,
    split_sentences,
)
from voice_interviewer.scoring.taught import LearnedExamples, TaughtExample
from voice_interviewer.sessions import records as r
from voice_interviewer.sessions.folders import CORRECTIONS_NAME
from voice_interviewer.sessions.store import SessionDetail
from voice_interviewer.speech.timeline import Word

AUDIO_DIR = "sessions"  # as SessionStore keeps the session folders under the data folder


class CorrectionDict(TypedDict):
    """One correction as saved in ``corrections.json``."""

    seq: int
    question_id: str
    point_id: str
    point_text: str
    sentence: str
    made: bool
    at: str


@dataclass(frozen=True)
class Correction:
    seq: int  # the answer's number in its session
    question_id: str
    point_id: str
    point_text: str
    sentence: str  # the words of the answer the verdict is about
    made: bool
    at: str  # when it was given (ISO 8601, UTC)

    def to_dict(self) -> CorrectionDict:
        return CorrectionDict(**asdict(self))  # type: ignore[typeddict-item]

    def example(self) -> TaughtExample:
        return TaughtExample(
            self.question_id, self.point_id, self.point_text, self.sentence, self.made
        )


def check_correction(where: str, d: object) -> Correction:
    """A correction read from a file or an archive, checked field by field; a
    ``records.RecordError`` naming the field otherwise."""
    r.mapping(where, d)
    assert isinstance(d, dict)
    keys = set(CorrectionDict.__annotations__)
    if set(d) != keys:
        raise r.RecordError(where, f"not a correction (keys {', '.join(sorted(keys))})")
    r.integer(f"{where}.seq", d["seq"], 1, r.MAX_SEQ)
    r.ident(f"{where}.question_id", d["question_id"])
    r.ident(f"{where}.point_id", d["point_id"])
    r.text(f"{where}.point_text", d["point_text"])
    r.text(f"{where}.sentence", d["sentence"])
    r.flag(f"{where}.made", d["made"])
    r.timestamp(f"{where}.at", d["at"])
    return Correction(**d)


def load_corrections(folder: Path) -> list[Correction]:
    """The session's corrections, oldest first; none when it has no file. A damaged file is a
    one-line SessionError naming it."""
    path = folder / CORRECTIONS_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise SessionError(f"{path}: cannot read the corrections: {exc}") from None
    if not isinstance(data, list):
        raise SessionError(f"{path}: expected a list of corrections")
    try:
        return [check_correction(f"correction {i}", d) for i, d in enumerate(data, 1)]
    except r.RecordError as exc:
        raise SessionError(f"{path}: {exc}") from None


def write_corrections(folder: Path, corrections: Sequence[Correction]) -> None:
    """``corrections.json`` in the session's ``folder`` (private: it quotes the answers)."""
    text = json.dumps([x.to_dict() for x in corrections], indent=1, ensure_ascii=False) + "\n"
    write_private_text(folder / CORRECTIONS_NAME, text, "the corrections")


def save_correction(folder: Path, c: Correction) -> list[Correction]:
    """Adds ``c``, replacing an earlier correction of the same answer and point; returns all."""
    kept = [x for x in load_corrections(folder) if (x.seq, x.point_id) != (c.seq, c.point_id)]
    kept.append(c)
    write_corrections(folder, kept)
    return kept


def learned_examples(data_dir: Path) -> LearnedExamples:
    """Every correction saved in the data folder's sessions, as examples for later answers. A
    damaged file is skipped: one bad file must not stop practice."""
    out: list[TaughtExample] = []
    for path in sorted((Path(data_dir) / AUDIO_DIR).glob(f"*/{CORRECTIONS_NAME}")):
        try:
            out += [c.example() for c in load_corrections(path.parent)]
        except SessionError:
            continue
    return LearnedExamples(tuple(out))


def closest_sentence(analysis: Analysis, point_id: str, embedder: Embedder | None) -> str:
    """The words of the answer a verdict on ``point_id`` is about: the clause or sentence closest
    to the point by meaning (the evidence sentence without a model)."""
    q = analysis.question
    point = next((p for p in q.points if p.id == point_id), None)
    result = next((p for p in analysis.rubric.points if p.id == point_id), None)
    if point is None or result is None:
        known = ", ".join(p.id for p in analysis.rubric.points) or "none"
        raise SessionError(f"no point {point_id!r} in this answer's rubric (points: {known})")
    words = [Word(w.text, w.start, w.end) for w in analysis.words if not w.filler]
    if not words:
        raise SessionError("this answer has no words to correct")
    sentences = split_sentences(words, timed=not analysis.typed)
    if embedder is None:
        return result.evidence[0] if result.evidence else sentences[0].text
    says = [phrasings_for(q, p) for p in q.points]
    sims = similarities(q.points, words, sentences, embedder, says)
    j = [p.id for p in q.points].index(point_id)
    long = [u for u, unit in enumerate(sims.units) if len(unit.text.split()) >= MIN_SEMANTIC_WORDS]
    pool = long or list(range(len(sims.units)))
    best = max(pool, key=lambda u: float(sims.matrix[u, j]))
    return sims.units[best].text


def make_correction(
    analysis: Analysis, seq: int, point_id: str, made: bool, embedder: Embedder | None
) -> Correction:
    """The correction of answer ``seq``'s verdict on ``point_id`` (its text as scored)."""
    sentence = closest_sentence(analysis, point_id, embedder)
    text = next(p.text for p in analysis.rubric.points if p.id == point_id)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    return Correction(seq, analysis.question.id, point_id, text, sentence, made, at)


VERDICTS = {"made": True, "missed": False}


def correct_answer(
    detail: SessionDetail, seq: str | int, point_id: str, verdict: str, embedder: Embedder | None
) -> Correction:
    """The correction the user asked for, checked: a one-line SessionError on an unknown answer,
    an answer without a scored rubric, an unknown point or a verdict other than made/missed."""
    if verdict not in VERDICTS:
        raise SessionError(f"{verdict!r} is no verdict: say made or missed")
    try:
        n = int(str(seq).strip())
    except ValueError:
        raise SessionError(f"{seq!r} is not an answer number") from None
    record = next((a for a in detail.answers if a.seq == n), None)
    if record is None:
        known = ", ".join(str(a.seq) for a in detail.answers) or "none"
        raise SessionError(f"session {detail.id} has no answer {n} (answers: {known})")
    analysis = record.analysis
    if analysis is None or not analysis.answered:
        raise SessionError(f"answer {n} of session {detail.id} has no scored rubric to correct")
    return make_correction(analysis, n, point_id, VERDICTS[verdict], embedder)


def corrected_hits(analysis: Analysis, corrections: Sequence[Correction], seq: int) -> set[str]:
    """The points answer ``seq`` makes once the user's corrections are applied."""
    hits = {p.id for p in analysis.rubric.points if p.hit}
    for c in corrections:
        if c.seq == seq:
            (hits.add if c.made else hits.discard)(c.point_id)
    return hits


__all__ = [
    "Correction",
    "CorrectionDict",
    "check_correction",
    "correct_answer",
    "corrected_hits",
    "learned_examples",
    "load_corrections",
    "make_correction",
    "save_correction",
    "write_corrections",
]
