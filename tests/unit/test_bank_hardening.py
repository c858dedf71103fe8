"""Odd bank files (issue 15 item 10): a BOM is accepted, deep nesting is a one-line error, and
validation grows linearly with the number of questions."""

from __future__ import annotations

import gc
import time

import pytest

from voice_interviewer import cli
from voice_interviewer.bank import bank_from_toml, read_bank_file
from voice_interviewer.errors import BankError

QUESTION = """
[[questions]]
id = "q1"
category = "technical"
text = "What is overfitting?"
target_seconds = [30, 60]
star = false
[[questions.points]]
id = "a"
text = "Memorises the training data"
keywords = ["memorise", "training data"]
[[questions.points]]
id = "b"
text = "Fails on new data"
keywords = ["new data", "generalise"]
[[questions.points]]
id = "c"
text = "Fix with regularisation"
keywords = ["regularisation", "dropout"]
"""
BANK = 'id = "mine"\ntitle = "Mine"\n' + QUESTION


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BANK.encode())
    bank = read_bank_file(path)
    assert bank.id == "mine" and bank.questions[0].id == "q1"


@pytest.mark.parametrize("nesting", ["[" * 5000 + "]" * 5000, "{b = " * 3000 + "1" + "}" * 3000])
def test_deep_nesting_is_one_line(tmp_path, capsys, nesting):
    path = tmp_path / "deep.toml"
    path.write_text(BANK + f"\nextra = {nesting}\n")
    with pytest.raises(BankError, match="nested too deeply"):
        read_bank_file(path)
    assert cli.main(["banks", "validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and str(path) in err


def _bank_data(n: int) -> dict:
    return {
        "id": "big",
        "title": "Big",
        "questions": [
            {
                "id": f"q{i}",
                "category": "technical",
                "text": f"Question {i}?",
                "target_seconds": [30, 60],
                "star": False,
                "points": [
                    {"id": f"p{j}", "text": f"Point {j}", "keywords": [f"w{j}", "other"]}
                    for j in range(3)
                ],
            }
            for i in range(n)
        ],
    }


def _fastest(n: int) -> float:
    """Best of three, garbage collection off: the algorithm's time, not the machine's load."""
    data = _bank_data(n)
    best = float("inf")
    gc.disable()
    try:
        for _ in range(3):
            t0 = time.perf_counter()
            assert len(bank_from_toml(data, "big.toml").questions) == n
            best = min(best, time.perf_counter() - t0)
    finally:
        gc.enable()
    return best


def test_validation_is_linear_in_the_number_of_questions():
    # A complexity check, not a speed target: 8x the questions take 8x as long when validation is
    # linear and 64x when it is quadratic (as it was: 30k questions took 40 s). The ratio, with a
    # wide margin either side, so a slow or busy machine does not fail it.
    small, large = _fastest(1500), _fastest(12000)
    assert large / small < 24, f"1.5k questions {small:.2f} s, 12k {large:.2f} s"


def test_duplicate_ids_still_found_in_a_large_bank():
    data = _bank_data(3000)
    data["questions"][2999]["id"] = "q17"
    with pytest.raises(BankError, match="question 'q17': field 'id': duplicate question id"):
        bank_from_toml(data, "big.toml")
