"""Reading and validating a bank's TOML file (``read_bank_file``; the format: docs/bank-format.md):
every problem is one :class:`BankError` line naming the file, the question and the field."""

from __future__ import annotations

import dataclasses
import difflib
import math
import tomllib
from pathlib import Path
from typing import Any

from voice_interviewer.bank.keywords import unmatchable_reason
from voice_interviewer.bank.model import (
    ID_RE,
    ID_RULE,
    MATCH_KEYWORDS,
    MATCH_RULES,
    MAX_MODEL_ANSWER_CHARS,
    MAX_POINTS,
    MAX_PROBE_CHARS,
    MIN_FOLLOW_UP_POINTS,
    MIN_POINTS,
    Bank,
    Criterion,
    Example,
    FollowUp,
    Point,
    Question,
)
from voice_interviewer.bank.toml_limits import MAX_BANK_BYTES, MAX_LINE_DOTS, crowded_line
from voice_interviewer.errors import BankError
from voice_interviewer.user_files import read_regular


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class _Ctx:
    """Where we are in the file, to prefix every message."""

    def __init__(self, source: str, where: str = "") -> None:
        self.source, self.where = source, where

    def sub(self, where: str) -> _Ctx:
        return _Ctx(self.source, f"{self.where}{where}: ")

    def fail(self, msg: str, field: str | None = None) -> BankError:
        prefix = f"{self.source}: {self.where}" + (f"field {field!r}: " if field else "")
        return BankError(" ".join((prefix + msg).splitlines()))

    def check_keys(self, table: dict[str, Any], required: set[str], optional: set[str]) -> None:
        allowed = required | optional
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise self.fail(
                    f"unknown field {key!r}{hint}; allowed fields: {', '.join(sorted(allowed))}"
                )
        for key in sorted(required):
            if key not in table:
                raise self.fail("missing required field", key)

    def text(self, table: dict[str, Any], key: str) -> str:
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"expected a non-empty string, got {_show(value)}", key)
        return " ".join(value.split())

    def ident(self, table: dict[str, Any], key: str) -> str:
        value = table[key]
        if not isinstance(value, str) or not ID_RE.fullmatch(value):
            raise self.fail(f"expected an id of {ID_RULE}, got {_show(value)}", key)
        return value

    def strings(
        self, table: dict[str, Any], key: str, *, ids: bool = False, non_empty: bool = False
    ) -> tuple[str, ...]:
        value = table.get(key, [])
        what = "ids" if ids else "strings"
        ok = isinstance(value, list) and all(
            isinstance(v, str) and (ID_RE.fullmatch(v) if ids else v.strip()) for v in value
        )
        if not ok or (non_empty and not value):
            need = "a non-empty list" if non_empty else "a list"
            rule = f" ({ID_RULE})" if ids else ""
            raise self.fail(f"expected {need} of non-empty {what}{rule}, got {_show(value)}", key)
        return tuple(" ".join(v.split()) for v in value)

    def tables(self, table: dict[str, Any], key: str, header: str) -> list[dict[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"expected an array of tables ({header}), got {_show(value)}", key)
        return value


def _read_toml(path: Path, source: str) -> dict[str, Any]:
    return _parse_toml(read_bank_bytes(path), source)


def read_bank_bytes(path: str | Path) -> bytes:
    """The file's bytes: a regular file (never a FIFO: no blocking), at most ``MAX_BANK_BYTES``."""
    return read_regular(
        path,
        "a question bank file",
        BankError,
        MAX_BANK_BYTES,
        missing="question bank file not found",
    )


def _parse_toml(raw: bytes, source: str) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BankError(f"{source}: not valid UTF-8 (byte offset {exc.start})") from None
    # Editors on Windows save UTF-8 with a byte-order mark; TOML itself does not allow one.
    text = text.removeprefix("\ufeff")
    if (line := crowded_line(text)) is not None:
        raise BankError(
            f"{source} line {line}: more than {MAX_LINE_DOTS} dots outside strings (a dotted key "
            "that long is not a question bank's)"
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = " ".join(str(exc).split())
        raise BankError(f"{source}: invalid TOML: {msg}") from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise BankError(
            f"{source}: invalid TOML: arrays or tables nested too deeply for a question bank"
        ) from None


def _target_seconds(ctx: _Ctx, value: Any) -> tuple[float, float]:
    ok = (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        and 0 < value[0] <= value[1] < math.inf
    )
    if not ok:
        raise ctx.fail(
            f"expected [min, max] with 0 < min <= max, got {_show(value)}", "target_seconds"
        )
    return float(value[0]), float(value[1])


def _optional_text(ctx: _Ctx, table: dict[str, Any], key: str, most: int) -> str | None:
    """An optional free-text field (``probe``, ``model_answer``): absent, or a non-empty string of
    at most ``most`` characters once its whitespace is collapsed (what is shown and spoken)."""
    if key not in table:
        return None
    text = ctx.text(table, key)
    if len(text) > most:
        raise ctx.fail(f"expected at most {most} characters, got {len(text)}", key)
    return text


def _point(qctx: _Ctx, n: int, table: dict[str, Any]) -> Point:
    ctx = qctx.sub(f"point #{n}")
    ctx.check_keys(table, {"id", "text", "keywords"}, {"match", "probe"})
    point_id = ctx.ident(table, "id")
    ctx = qctx.sub(f"point {point_id!r}")
    keywords = ctx.strings(table, "keywords", non_empty=True)
    for keyword in keywords:
        reason = unmatchable_reason(keyword)
        if reason:
            raise ctx.fail(f"keyword {keyword!r} {reason}", "keywords")
    match = table.get("match", MATCH_KEYWORDS)
    if match not in MATCH_RULES:
        rules = " or ".join(repr(r) for r in MATCH_RULES)
        raise ctx.fail(f"expected {rules}, got {_show(match)}", "match")
    probe = _optional_text(ctx, table, "probe", MAX_PROBE_CHARS)
    text = ctx.text(table, "text")
    return Point(point_id, text, tuple(k.lower() for k in keywords), match, probe)


_Q_REQUIRED = {"id", "category", "text", "target_seconds", "star", "points"}
_Q_OPTIONAL = {"criteria", "tags", "follow_ups", "follow_up", "examples", "model_answer"}


def _points(ctx: _Ctx, tables: list[dict[str, Any]], least: int, header: str) -> tuple[Point, ...]:
    if not least <= len(tables) <= MAX_POINTS:
        raise ctx.fail(f"expected {least} to {MAX_POINTS} {header}, got {len(tables)}", "points")
    points: list[Point] = []
    for i, point_table in enumerate(tables, 1):
        point = _point(ctx, i, point_table)
        if any(p.id == point.id for p in points):
            raise ctx.fail(f"duplicate point id {point.id!r}", "points")
        points.append(point)
    return tuple(points)


def _follow_up(qctx: _Ctx, n: int, table: dict[str, Any]) -> FollowUp:
    ctx = qctx.sub(f"follow-up #{n}")
    ctx.check_keys(table, {"text"}, {"points", "target_seconds"})
    target = _target_seconds(ctx, table["target_seconds"]) if "target_seconds" in table else None
    point_tables = ctx.tables(table, "points", "[[questions.follow_up.points]]")
    points = (
        _points(ctx, point_tables, MIN_FOLLOW_UP_POINTS, "[[questions.follow_up.points]]")
        if "points" in table
        else ()
    )
    return FollowUp(ctx.text(table, "text"), points, target)


def _example(qctx: _Ctx, n: int, table: dict[str, Any], point_ids: set[str]) -> Example:
    ctx = qctx.sub(f"example #{n}")
    ctx.check_keys(table, {"text", "hits"}, set())
    hits = ctx.strings(table, "hits", ids=True)
    for h in hits:
        if h not in point_ids:
            raise ctx.fail(f"unknown point {h!r} (known: {', '.join(sorted(point_ids))})", "hits")
    return Example(ctx.text(table, "text"), hits)


def _question(bctx: _Ctx, n: int, table: dict[str, Any], criteria_ids: set[str]) -> Question:
    if "id" not in table:
        raise bctx.sub(f"question #{n}").fail("missing required field", "id")
    question_id = bctx.sub(f"question #{n}").ident(table, "id")
    ctx = bctx.sub(f"question {question_id!r}")
    ctx.check_keys(table, _Q_REQUIRED, _Q_OPTIONAL)
    category, text = ctx.ident(table, "category"), ctx.text(table, "text")
    target_seconds = _target_seconds(ctx, table["target_seconds"])
    model_answer = _optional_text(ctx, table, "model_answer", MAX_MODEL_ANSWER_CHARS)
    if not isinstance(table["star"], bool):
        raise ctx.fail(f"expected true or false, got {_show(table['star'])}", "star")
    criteria = ctx.strings(table, "criteria", ids=True)
    tags = ctx.strings(table, "tags", ids=True)
    follow_ups = tuple(FollowUp(text) for text in ctx.strings(table, "follow_ups")) + tuple(
        _follow_up(ctx, i, t)
        for i, t in enumerate(ctx.tables(table, "follow_up", "[[questions.follow_up]]"), 1)
    )
    for criterion in criteria:
        if criterion not in criteria_ids:
            known = ", ".join(sorted(criteria_ids)) or "none defined in [[criteria]]"
            raise ctx.fail(f"unknown criterion {criterion!r} (known: {known})", "criteria")
    point_tables = ctx.tables(table, "points", "[[questions.points]]")
    points = _points(ctx, point_tables, MIN_POINTS, "[[questions.points]]")
    ids = {p.id for p in points}
    examples = tuple(
        _example(ctx, i, t, ids)
        for i, t in enumerate(ctx.tables(table, "examples", "[[questions.examples]]"), 1)
    )
    return Question(
        id=question_id,
        category=category,
        text=text,
        target_seconds=target_seconds,
        star=table["star"],
        criteria=criteria,
        tags=tags,
        follow_ups=follow_ups,
        points=points,
        examples=examples,
        model_answer=model_answer,
    )


def read_bank_file(path: str | Path) -> Bank:
    """Read and validate one bank file; raise :class:`BankError` (one line) on any problem."""
    source = str(path)
    return bank_from_toml(_read_toml(Path(path), source), source)


def bank_from_bytes(raw: bytes, source: str) -> Bank:
    """A bank from a file's bytes (``read_bank_bytes``): what was validated is what gets copied."""
    return bank_from_toml(_parse_toml(raw, source), source)


def bank_from_toml(data: dict[str, Any], source: str) -> Bank:
    """Validate parsed TOML as a bank (``source`` names it in errors); linear in its size."""
    ctx = _Ctx(source)
    ctx.check_keys(data, {"id", "title", "questions"}, {"criteria"})
    bank_id, title = ctx.ident(data, "id"), ctx.text(data, "title")

    criteria: dict[str, Criterion] = {}  # by id: checking duplicates stays linear
    for n, table in enumerate(ctx.tables(data, "criteria", "[[criteria]]"), 1):
        cctx = ctx.sub(f"criterion #{n}")
        cctx.check_keys(table, {"id", "title"}, set())
        criterion = Criterion(cctx.ident(table, "id"), cctx.text(table, "title"))
        if criterion.id in criteria:
            raise ctx.fail(f"duplicate criterion id {criterion.id!r}", "criteria")
        criteria[criterion.id] = criterion
    criteria_ids = set(criteria)

    question_tables = ctx.tables(data, "questions", "[[questions]]")
    if not question_tables:
        raise ctx.fail("the bank has no questions; add at least one [[questions]]", "questions")
    questions: dict[str, Question] = {}
    for n, table in enumerate(question_tables, 1):
        question = _question(ctx, n, table, criteria_ids)
        if question.id in questions:
            raise ctx.sub(f"question {question.id!r}").fail("duplicate question id", "id")
        questions[question.id] = question
    # Each question knows the bank's questions (the rubric's off-topic guard): one shared tuple,
    # so a bank of n questions holds n topics, not n * n.
    topics = tuple(q.topic() for q in questions.values())
    with_topics = tuple(dataclasses.replace(q, topics=topics) for q in questions.values())
    return Bank(bank_id, title, tuple(criteria.values()), with_topics, source)
