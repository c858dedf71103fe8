"""Question banks: the shipped Amazon MLE bank, loading, resolving and validation messages."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from voice_interviewer.bank import (
    DEFAULT_BANK_ID,
    Bank,
    Point,
    Question,
    installed_bank_paths,
    read_bank_file,
    resolve_bank,
)
from voice_interviewer.errors import BankError

SEED_GUIDE = Path("/work/shared/seed/amazon-mle-interview-guide.txt")
SHIPPED = Path(__file__).resolve().parents[2] / "question_bank" / "amazon-mle.toml"

EXPECTED_IDS = {
    "technical": [
        "supervised-vs-unsupervised",
        "overfitting",
        "feature-selection",
        "classification-algorithms",
        "model-evaluation",
    ],
    "system-design": [
        "recommendation-system",
        "scalable-ml-pipeline",
        "production-deployment",
        "data-privacy-security",
        "system-tradeoffs",
    ],
    "behavioral": [
        "failure",
        "prioritization",
        "influencing-decisions",
        "team-communication",
        "team-collaboration",
    ],
    "problem-solving": [
        "missing-values",
        "underperforming-model",
        "incomplete-data-decision",
        "speed-vs-accuracy",
        "new-ml-problem",
    ],
}
ALL_IDS = [qid for ids in EXPECTED_IDS.values() for qid in ids]
STAR_IDS = set(EXPECTED_IDS["behavioral"]) | {
    "incomplete-data-decision",
    "speed-vs-accuracy",
    "system-tradeoffs",
}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return resolve_bank(None)


# --- the shipped bank -------------------------------------------------------------------------


def test_default_bank_resolves_by_none_id_and_path(bank: Bank) -> None:
    assert DEFAULT_BANK_ID == "amazon-mle"
    assert bank.id == "amazon-mle"
    assert bank.title == "Amazon Machine Learning Engineer"
    by_id = resolve_bank("amazon-mle")
    by_path = resolve_bank(str(SHIPPED))
    assert by_id == bank
    assert by_path.questions == bank.questions
    assert read_bank_file(SHIPPED).questions == bank.questions
    assert Path(bank.source).name == "amazon-mle.toml"


def test_installed_bank_paths_lists_shipped_bank() -> None:
    paths = installed_bank_paths()
    assert "amazon-mle" in paths
    assert paths["amazon-mle"].is_file()
    assert paths["amazon-mle"].suffix == ".toml"


def test_bank_has_the_twenty_questions_in_order(bank: Bank) -> None:
    assert [q.id for q in bank.questions] == ALL_IDS
    assert bank.categories() == list(EXPECTED_IDS)
    for category, ids in EXPECTED_IDS.items():
        assert [q.id for q in bank.questions if q.category == category] == ids


@pytest.mark.skipif(not SEED_GUIDE.exists(), reason=f"seed guide {SEED_GUIDE} is not available")
def test_question_texts_match_the_guide_verbatim(bank: Bank) -> None:
    lines = SEED_GUIDE.read_text(encoding="utf-8").splitlines()
    guide = [line[2:].strip() for line in lines if line.startswith("- ")]
    assert len(guide) == 20
    assert [q.text for q in bank.questions] == guide


def test_criteria_are_the_guides_four(bank: Bank) -> None:
    assert [c.id for c in bank.criteria] == [
        "role-knowledge",
        "problem-solving",
        "leadership",
        "culture-fit",
    ]
    assert [c.title for c in bank.criteria] == [
        "Role-related Knowledge",
        "Problem-Solving Ability",
        "Leadership",
        "Culture Fit / Values",
    ]


def test_every_question_is_well_formed(bank: Bank) -> None:
    criterion_ids = {c.id for c in bank.criteria}
    for q in bank.questions:
        assert isinstance(q, Question)
        assert 3 <= len(q.points) <= 6, q.id
        assert q.criteria and set(q.criteria) <= criterion_ids, q.id
        assert 1 <= len(q.follow_ups) <= 3, q.id
        low, high = q.target_seconds
        assert 30 <= low < high <= 300, q.id
        assert q.star == (q.id in STAR_IDS), q.id
        assert len({p.id for p in q.points}) == len(q.points), q.id
        for p in q.points:
            assert isinstance(p, Point)
            assert len(p.keywords) >= 3, (q.id, p.id)
            assert all(k == k.strip().lower() and k for k in p.keywords), (q.id, p.id)


def test_behavioral_questions_are_star_and_leadership(bank: Bank) -> None:
    for q in bank.questions:
        if q.category == "behavioral":
            assert q.star and "leadership" in q.criteria and q.target_seconds == (90.0, 180.0)
    assert "ownership" in bank.question("failure").tags


def test_dataclasses_are_frozen(bank: Bank) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        bank.questions[0].text = "changed"  # type: ignore[misc]


def test_unknown_question_lists_known_ids_and_suggests(bank: Bank) -> None:
    assert bank.question("overfitting").category == "technical"
    with pytest.raises(BankError) as info:
        bank.question("overfiting")
    msg = str(info.value)
    assert "unknown question 'overfiting' in bank 'amazon-mle'" in msg
    assert "known: supervised-vs-unsupervised, overfitting," in msg
    assert "did you mean 'overfitting'" in msg
    assert "\n" not in msg


def test_resolve_unknown_spec_names_what_was_tried(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(BankError) as info:
        resolve_bank(str(missing))
    msg = str(info.value)
    assert str(missing) in msg and "installed: amazon-mle" in msg and "\n" not in msg


# --- validation -------------------------------------------------------------------------------

POINTS = """
[[questions.points]]
id = "p1"
text = "Point one"
keywords = ["alpha"]
[[questions.points]]
id = "p2"
text = "Point two"
keywords = ["beta"]
[[questions.points]]
id = "p3"
text = "Point three"
keywords = ["gamma", "delta"]
"""

HEADER = """
id = "tiny"
title = "Tiny bank"
[[criteria]]
id = "role-knowledge"
title = "Role-related knowledge"
"""


def question(
    qid: str = "overfitting", *, extra: str = "", target: str = "[60, 120]", star: str = "false"
) -> str:
    return f"""
[[questions]]
id = "{qid}"
category = "technical"
text = "What is overfitting?"
target_seconds = {target}
star = {star}
criteria = ["role-knowledge"]
{extra}
"""


VALID = HEADER + question() + POINTS


def write(tmp_path: Path, text: str, name: str = "bad-bank.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(path: Path) -> str:
    with pytest.raises(BankError) as info:
        read_bank_file(path)
    msg = str(info.value)
    assert "\n" not in msg, msg
    assert path.name in msg, msg
    return msg


def test_valid_minimal_bank_loads(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    bank = read_bank_file(path)
    assert bank.id == "tiny" and bank.source == str(path)
    q = bank.question("overfitting")
    assert q.target_seconds == (60.0, 120.0) and q.star is False
    assert q.tags == () and q.follow_ups == ()
    assert [p.id for p in q.points] == ["p1", "p2", "p3"]
    assert q.points[2].keywords == ("gamma", "delta")
    assert resolve_bank(str(path)) == bank


def test_bad_toml_reports_line_and_column(tmp_path: Path) -> None:
    msg = error_for(write(tmp_path, 'id = "tiny"\ntitle = \n'))
    assert "invalid TOML" in msg and "line 2" in msg and "column" in msg


def test_missing_file(tmp_path: Path) -> None:
    msg = error_for(tmp_path / "absent.toml")
    assert "not found" in msg


def test_directory_instead_of_file(tmp_path: Path) -> None:
    (tmp_path / "dir.toml").mkdir()
    assert "directory" in error_for(tmp_path / "dir.toml")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID.replace("Point one", "Caf\xe9").encode("latin-1"))
    assert "UTF-8" in error_for(path)


@pytest.mark.parametrize(
    ("target", "shown"),
    [("[120, 60]", "[120, 60]"), ("[0, 60]", "[0, 60]"), ("[60]", "[60]"), ('"60"', "'60'")],
)
def test_bad_target_seconds(tmp_path: Path, target: str, shown: str) -> None:
    msg = error_for(write(tmp_path, HEADER + question(target=target) + POINTS))
    assert "question 'overfitting'" in msg and "field 'target_seconds'" in msg
    assert "0 < min <= max" in msg and shown in msg


def test_target_seconds_message_is_exact(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + question(target="[120, 60]") + POINTS)
    assert error_for(path) == (
        f"{path}: question 'overfitting': field 'target_seconds': "
        "expected [min, max] with 0 < min <= max, got [120, 60]"
    )


def test_target_seconds_must_be_finite(tmp_path: Path) -> None:
    msg = error_for(write(tmp_path, HEADER + question(target="[60, inf]") + POINTS))
    assert "field 'target_seconds'" in msg and "inf" in msg


def test_point_message_is_exact(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace('keywords = ["beta"]', 'keywords = ["beta", " "]'))
    assert error_for(path) == (
        f"{path}: question 'overfitting': point 'p2': field 'keywords': "
        "expected a non-empty list of non-empty strings, got ['beta', ' ']"
    )


def test_star_not_bool(tmp_path: Path) -> None:
    msg = error_for(write(tmp_path, HEADER + question(star='"yes"') + POINTS))
    assert "question 'overfitting'" in msg and "field 'star'" in msg and "'yes'" in msg


def test_missing_required_field(tmp_path: Path) -> None:
    text = (HEADER + question() + POINTS).replace('text = "What is overfitting?"\n', "")
    msg = error_for(write(tmp_path, text))
    assert "question 'overfitting'" in msg and "field 'text'" in msg and "missing" in msg


def test_missing_question_id(tmp_path: Path) -> None:
    text = (HEADER + question() + POINTS).replace('id = "overfitting"\n', "")
    msg = error_for(write(tmp_path, text))
    assert "question #1" in msg and "field 'id'" in msg and "missing" in msg


def test_unknown_key_is_reported_with_suggestion(tmp_path: Path) -> None:
    text = HEADER + question(extra='folow_ups = ["Why?"]') + POINTS
    msg = error_for(write(tmp_path, text))
    assert "question 'overfitting'" in msg and "'folow_ups'" in msg
    assert "did you mean 'follow_ups'" in msg


def test_unknown_top_level_key(tmp_path: Path) -> None:
    msg = error_for(write(tmp_path, 'titel = "x"\n' + VALID))
    assert "'titel'" in msg and "unknown field" in msg


@pytest.mark.parametrize("bad_id", ["Overfitting", "over_fitting", "-x", "a--b", ""])
def test_bad_question_id_syntax(tmp_path: Path, bad_id: str) -> None:
    msg = error_for(write(tmp_path, HEADER + question(qid=bad_id) + POINTS))
    assert "field 'id'" in msg and repr(bad_id) in msg and "lowercase" in msg


def test_bad_bank_id_syntax(tmp_path: Path) -> None:
    msg = error_for(write(tmp_path, VALID.replace('id = "tiny"', 'id = "Tiny Bank"')))
    assert "field 'id'" in msg and "'Tiny Bank'" in msg


def test_bad_category_syntax(tmp_path: Path) -> None:
    text = VALID.replace('category = "technical"', 'category = "System Design"')
    msg = error_for(write(tmp_path, text))
    assert "question 'overfitting'" in msg and "field 'category'" in msg


def test_bad_point_id_syntax(tmp_path: Path) -> None:
    msg = error_for(write(tmp_path, VALID.replace('id = "p2"', 'id = "P 2"')))
    assert "question 'overfitting'" in msg and "point #2" in msg and "field 'id'" in msg


def test_bad_criterion_id_syntax(tmp_path: Path) -> None:
    text = VALID.replace('id = "role-knowledge"', 'id = "Role Knowledge"')
    msg = error_for(write(tmp_path, text))
    assert "criterion #1" in msg and "field 'id'" in msg and "'Role Knowledge'" in msg


def test_duplicate_question_id(tmp_path: Path) -> None:
    msg = error_for(write(tmp_path, VALID + question() + POINTS))
    assert "question 'overfitting'" in msg and "field 'id'" in msg and "duplicate" in msg


def test_duplicate_point_id(tmp_path: Path) -> None:
    msg = error_for(write(tmp_path, VALID.replace('id = "p3"', 'id = "p1"')))
    assert "question 'overfitting'" in msg and "field 'points'" in msg
    assert "duplicate point id 'p1'" in msg


def test_duplicate_criterion_id(tmp_path: Path) -> None:
    dup = '[[criteria]]\nid = "role-knowledge"\ntitle = "Again"\n'
    msg = error_for(write(tmp_path, HEADER + dup + question() + POINTS))
    assert "field 'criteria'" in msg and "duplicate criterion id 'role-knowledge'" in msg


def test_unknown_criterion_referenced(tmp_path: Path) -> None:
    text = VALID.replace('criteria = ["role-knowledge"]', 'criteria = ["leadership"]')
    msg = error_for(write(tmp_path, text))
    assert "question 'overfitting'" in msg and "field 'criteria'" in msg
    assert "unknown criterion 'leadership'" in msg and "role-knowledge" in msg


@pytest.mark.parametrize(
    ("keywords", "shown"), [("[]", "[]"), ('["ok", ""]', "''"), ('"alpha"', "'alpha'")]
)
def test_bad_keywords(tmp_path: Path, keywords: str, shown: str) -> None:
    text = VALID.replace('keywords = ["beta"]', f"keywords = {keywords}")
    msg = error_for(write(tmp_path, text))
    assert "question 'overfitting'" in msg and "point 'p2'" in msg
    assert "field 'keywords'" in msg and shown in msg


def test_point_missing_text(tmp_path: Path) -> None:
    msg = error_for(write(tmp_path, VALID.replace('text = "Point two"\n', "")))
    assert "question 'overfitting'" in msg and "field 'text'" in msg and "missing" in msg


def test_bad_follow_ups_type(tmp_path: Path) -> None:
    text = HEADER + question(extra='follow_ups = "Why?"') + POINTS
    msg = error_for(write(tmp_path, text))
    assert "question 'overfitting'" in msg and "field 'follow_ups'" in msg


def test_bad_tags(tmp_path: Path) -> None:
    text = HEADER + question(extra='tags = ["Ownership"]') + POINTS
    msg = error_for(write(tmp_path, text))
    assert "question 'overfitting'" in msg and "field 'tags'" in msg


def test_no_questions(tmp_path: Path) -> None:
    msg = error_for(write(tmp_path, "questions = []\n" + HEADER))
    assert "field 'questions'" in msg and "no questions" in msg


def test_questions_missing_entirely(tmp_path: Path) -> None:
    msg = error_for(write(tmp_path, HEADER))
    assert "field 'questions'" in msg and "missing" in msg


@pytest.mark.parametrize("count", [2, 7])
def test_points_count_out_of_range(tmp_path: Path, count: int) -> None:
    points = "".join(
        f'[[questions.points]]\nid = "p{n}"\ntext = "Point {n}"\nkeywords = ["k{n}"]\n'
        for n in range(count)
    )
    msg = error_for(write(tmp_path, HEADER + question() + points))
    assert "question 'overfitting'" in msg and "field 'points'" in msg
    assert f"got {count}" in msg and "3 to 6" in msg
