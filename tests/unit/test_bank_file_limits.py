"""Issue 28 item 11: a bank file has a size cap, and a key with thousands of dotted parts (which
tomllib parses in time growing with its square: 50,000 parts took 13.8 s) is refused before
tomllib sees it; dots in a question's prose do not count."""

from __future__ import annotations

import pytest

from voice_interviewer.bank import read_bank_file
from voice_interviewer.bank.toml_limits import MAX_BANK_BYTES, MAX_LINE_DOTS, crowded_line
from voice_interviewer.errors import BankError


def test_a_bank_file_over_the_size_cap_is_refused_in_one_line(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"# padding\n" * (MAX_BANK_BYTES // 10 + 1))
    with pytest.raises(BankError) as exc:
        read_bank_file(big)
    assert str(exc.value).startswith(f"{big}: larger than 1 MiB") and "\n" not in str(exc.value)


@pytest.mark.parametrize(
    "text",
    [
        "[" + ".".join(["a"] * 50_000) + "]\n",  # the probe: a table header
        ".".join(["a"] * 20_000) + " = 1\n",  # a dotted key
        "x = { " + ".".join(["b"] * 20_000) + " = 1 }\n",  # in an inline table
    ],
    ids=["header", "key", "inline-table"],
)
def test_a_key_with_thousands_of_dotted_parts_is_refused_before_parsing(tmp_path, text):
    bank = tmp_path / "deep.toml"
    bank.write_text(text)
    with pytest.raises(BankError) as exc:
        read_bank_file(bank)
    assert str(exc.value).startswith(f"{bank} line 1: more than {MAX_LINE_DOTS} dots")


def test_dots_in_strings_comments_and_multiline_strings_do_not_count():
    prose = "Explain it. " * 500
    text = (
        'id = "x"\n'
        f'text = "{prose}"\n'
        f"lit = '{prose}'\n"
        f'long = """\n{prose}\n{prose}\n"""\n'
        f"# {prose}\n"
        "[[questions.follow_ups.points]]\n"
    )
    assert crowded_line(text) is None
    assert crowded_line(text + "a" + ".a" * (MAX_LINE_DOTS + 1) + " = 1\n") == 10
