"""Issue 14 item 4: your own bank is first-class: the example bank of docs/bank-format.md
validates, `banks add` installs a bank into the data folder so every --bank finds it by id, `banks
remove` deletes it, an id clash with a shipped bank is refused, and the demo runs on your bank."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from voice_interviewer import cli
from voice_interviewer.bank import read_bank_file, resolve_bank, user_bank_paths
from voice_interviewer.cli.practice import demo_plan
from voice_interviewer.errors import BankError

ROOT = Path(__file__).resolve().parents[2]


def readme_bank() -> str:
    block = re.search(r"```toml\n(.*?)```", (ROOT / "docs" / "bank-format.md").read_text(), re.S)
    assert block, "docs/bank-format.md has no ```toml example bank"
    return block.group(1)


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(readme_bank())
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    """A private data folder, as $VOICE_INTERVIEWER_HOME (commands without --data-dir use it)."""
    home = tmp_path / "home"
    monkeypatch.setenv("VOICE_INTERVIEWER_HOME", str(home))
    return home


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_readme_example_bank_validates(capsys, mine: Path) -> None:
    code, out, err = run(capsys, "banks", "validate", str(mine))
    assert (code, err) == (0, "")
    assert out == (
        f"{mine}: ok: bank 'my-bank', 1 question, 3 rubric points\n"
        f"{mine}: examples: 1 answer, 3 of 3 point judgements agree with the matcher\n"
    )


def test_banks_add_makes_the_id_work_everywhere(capsys, mine: Path, home: Path) -> None:
    code, out, err = run(capsys, "banks", "add", str(mine))
    assert (code, err) == (0, "")
    assert "added: bank 'my-bank'" in out and "--bank my-bank" in out
    copy = home / "banks" / "my-bank.toml"
    assert copy.read_text() == mine.read_text()
    assert copy.parent.stat().st_mode & 0o777 == 0o700
    mine.unlink()  # the installed copy is what counts from now on
    assert resolve_bank("my-bank").source == str(copy)
    code, out, _ = run(capsys, "questions", "--bank", "my-bank", "--json")
    assert code == 0 and '"id": "overfitting"' in out
    code, out, _ = run(capsys, "banks", "--json")
    assert '"id": "my-bank"' in out and '"source": "added"' in out
    assert '"id": "amazon-mle"' in out and '"source": "shipped"' in out


def test_banks_add_with_data_dir_and_resolution_from_it(capsys, mine: Path, tmp_path) -> None:
    data = tmp_path / "elsewhere"
    assert run(capsys, "banks", "add", str(mine), "--data-dir", str(data))[0] == 0
    assert user_bank_paths(data / "banks") == {"my-bank": data / "banks" / "my-bank.toml"}
    assert resolve_bank("my-bank", data / "banks").id == "my-bank"


def test_adding_again_replaces(capsys, mine: Path, home: Path) -> None:
    run(capsys, "banks", "add", str(mine))
    mine.write_text(readme_bank().replace("My ML interview practice", "Renamed"))
    code, out, _ = run(capsys, "banks", "add", str(mine))
    assert code == 0 and "replaced: bank 'my-bank'" in out
    assert resolve_bank("my-bank").title == "Renamed"


def test_id_clash_with_shipped_bank_is_refused_in_one_line(capsys, mine, home) -> None:
    mine.write_text(readme_bank().replace('id = "my-bank"', 'id = "amazon-mle"'))
    code, out, err = run(capsys, "banks", "add", str(mine))
    assert code == 1 and out == ""
    assert err == (
        f"Error: {mine}: bank id 'amazon-mle' is the id of a bank shipped with "
        "voice-interviewer; give your bank another id (the top-level `id` field)\n"
    )
    assert not (home / "banks" / "amazon-mle.toml").exists()


def test_an_invalid_bank_is_not_added(capsys, mine, home) -> None:
    mine.write_text(
        readme_bank().replace('[[questions.points]]\nid = "validation"', '[[x]]\nid = "v"')
    )
    code, _, err = run(capsys, "banks", "add", str(mine))
    assert code == 1 and err.startswith(f"Error: {mine}: ") and err.count("\n") == 1
    assert user_bank_paths() == {}


def test_banks_remove(capsys, mine, home) -> None:
    run(capsys, "banks", "add", str(mine))
    code, out, _ = run(capsys, "banks", "remove", "my-bank")
    assert code == 0 and out.startswith("Removed bank 'my-bank'")
    with pytest.raises(BankError, match="no question bank 'my-bank'"):
        resolve_bank("my-bank")
    code, _, err = run(capsys, "banks", "remove", "amazon-mle")
    assert code == 1 and err == (
        "Error: bank 'amazon-mle' is shipped with voice-interviewer and cannot be removed\n"
    )
    code, _, err = run(capsys, "banks", "remove", "my-bank")
    assert code == 1 and "no added bank 'my-bank'" in err
    code, _, err = run(capsys, "banks", "remove")
    assert code == 2 and err == "Error: banks remove needs an ID\n"


def test_unknown_bank_message_says_how_to_add_one(home) -> None:
    with pytest.raises(BankError, match=r"banks add FILE"):
        resolve_bank("nope")


# ------------------------------------------------------------------------------- demo


SAMPLES = [("overfitting", Path("01.flac")), ("failure", Path("02.flac"))]


def test_demo_plan_on_the_shipped_bank_pairs_each_sample_with_its_question() -> None:
    questions, paths, note = demo_plan(resolve_bank(None), SAMPLES)
    assert [q.id for q in questions] == ["overfitting", "failure"]
    assert paths == [Path("01.flac"), Path("02.flac")] and note is None


def test_demo_plan_uses_the_samples_that_fit(mine: Path) -> None:
    questions, paths, note = demo_plan(read_bank_file(mine), SAMPLES)
    assert [q.id for q in questions] == ["overfitting"] and paths == [Path("01.flac")]
    assert note is None


def test_demo_plan_on_a_bank_no_sample_fits_asks_its_first_questions_and_says_so(mine) -> None:
    mine.write_text(readme_bank().replace('id = "overfitting"', 'id = "bias-variance"'))
    questions, paths, note = demo_plan(read_bank_file(mine), SAMPLES)
    assert [q.id for q in questions] == ["bias-variance"] and paths == [Path("01.flac")]
    assert "No bundled sample answer is for a question of bank 'my-bank'" in note
    assert "rubric coverage is not about your questions" in note


def test_demo_help_lists_only_options_demo_has(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["demo", "--help"])
    out = capsys.readouterr().out
    assert "--seed" in out and "shuffle" not in out
