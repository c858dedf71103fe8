"""Keywords and non-ASCII letters (issue 15 item 11): Unicode letters are letters, "C++" is a word,
and a keyword that can never match is refused (or, for a spoken answer, warned about)."""

from __future__ import annotations

import pytest

from voice_interviewer import cli
from voice_interviewer.bank import Point, Question, read_bank_file
from voice_interviewer.errors import BankError
from voice_interviewer.scoring.rubric import score_rubric
from voice_interviewer.textnorm import match_keys, tokens

from ._words import words_from
from .test_bank_hardening import BANK


@pytest.mark.parametrize(
    "text,expected",
    [
        ("ñandú", ["nandu"]),
        ("naïve Bayes", ["naive", "bayes"]),
        ("nai\u0308ve", ["naive"]),  # decomposed: i + combining diaeresis
        ("résumé", ["resume"]),
        ("C++ and C#", ["c++", "and", "c#"]),
        ("Straße", ["strasse"]),
        ("日本語", ["日本語"]),
        ("A/B-testing", ["a", "b", "testing"]),
    ],
)
def test_unicode_letters_are_letters(text, expected):
    assert tokens(text) == expected


def test_accents_do_not_matter_for_matching():
    assert match_keys("Résumé") == match_keys("resume")
    assert match_keys("naïve Bayes") == match_keys("naive bayes")
    assert match_keys("C++") != match_keys("C")


def _question(keywords: tuple[str, ...]) -> Question:
    points = (
        Point("bird", "Names the bird", keywords),
        Point("other", "Something else", ("gradient",)),
        Point("third", "A third thing", ("variance",)),
    )
    return Question("q", "technical", "Q?", (30.0, 60.0), False, (), (), (), points)


def test_nandu_is_not_hit_by_and():
    # JFK: "And so, my fellow Americans": 'ñandú' once tokenised to 'and' and matched this.
    r = score_rubric(_question(("ñandú",)), words_from("And so, my fellow Americans, ask not."))
    assert not r.points[0].hit
    r = score_rubric(_question(("ñandú",)), words_from("The ñandú is a large bird."))
    assert r.points[0].hit and r.points[0].keywords == ["ñandú"]


def test_cpp_keyword_needs_cpp():
    q = _question(("C++",))
    assert not score_rubric(q, words_from("I wrote it in C and Python.")).points[0].hit
    assert score_rubric(q, words_from("I wrote it in C++ for speed.")).points[0].hit


def _bank_with_keyword(tmp_path, keyword: str):
    path = tmp_path / "kw.toml"
    path.write_text(BANK.replace('keywords = ["new data", "generalise"]', f"keywords = {keyword}"))
    return path


@pytest.mark.parametrize("keyword", [".*", "!!!", "  -- "])
def test_keyword_without_letters_is_refused(tmp_path, capsys, keyword):
    path = _bank_with_keyword(tmp_path, f'["new data", "{keyword}"]')
    with pytest.raises(BankError, match="has no letters or digits"):
        read_bank_file(path)
    assert cli.main(["banks", "validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert "point 'b'" in err and "keyword" in err


def test_non_latin_keyword_is_a_warning(tmp_path, capsys):
    path = _bank_with_keyword(tmp_path, '["new data", "日本語"]')
    assert cli.main(["banks", "validate", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{path}: ok:")
    assert out[1] == (
        f"{path}: warning: question 'q1', point 'b': keyword '日本語' is not in Latin letters: the "
        "speech models write English, so only a typed answer (score --text) can match it"
    )


def test_shipped_banks_have_no_keyword_warnings():
    from voice_interviewer.bank import installed_bank_paths
    from voice_interviewer.bank.keywords import keyword_warnings

    for path in installed_bank_paths().values():
        assert keyword_warnings(read_bank_file(path)) == []
