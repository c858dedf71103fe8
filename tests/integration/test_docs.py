"""The docs a newcomer reads: a short README (what it is, the two set-up commands, five everyday
commands, the Python API, where to read next) whose links all lead somewhere, and docs/ files that
still say everything the long README said: every command and option, every `score --json` key."""

from __future__ import annotations

import argparse
import json
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
MAX_README_LINES = 150
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return [t for t in LINK.findall(text) if not re.match(r"[a-z]+:", t)]


def anchors(path: Path) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    headings = re.findall(r"^#+ (.+)$", text, re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines; move detail to docs/"


def test_readme_links_every_docs_file_and_each_link_resolves():
    targets = links(README)
    docs_links = [t for t in targets if t.startswith("docs/")]
    assert len(docs_links) >= 6
    for target in targets:
        assert (ROOT / target.split("#")[0]).exists(), f"README.md links {target}: no such file"
    linked = {Path(t.split("#")[0]).name for t in docs_links}
    assert {p.name for p in DOCS.glob("*.md")} <= linked, "a docs/ page the README never names"


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md")))
def test_links_in_docs_resolve(page):
    path = DOCS / page
    for target in links(path):
        file, _, anchor = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        assert dest.exists(), f"docs/{page} links {target}: no such file"
        if anchor and dest.suffix == ".md":
            assert anchor in anchors(dest), f"docs/{page} links {target}: no such heading"


def test_the_two_commands_install_what_is_missing():
    text = README.read_text(encoding="utf-8")
    for script in ("run.sh", "test.sh"):
        assert re.search(rf"^\./{script} +# installs what is missing", text, re.M), script
        # ... which stays true while both start with the set-up script
        assert "scripts/setup.sh" in (ROOT / script).read_text(encoding="utf-8")


def parser_and_commands() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    from voice_interviewer.cli.app import build_parser

    parser, _ = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return parser, dict(sub.choices)


def test_the_five_everyday_commands_parse():
    section = re.search(r"^## Five everyday commands\n(.*?)^## ", README.read_text(), re.S | re.M)
    assert section
    block = re.search(r"```sh\n(.*?)```", section.group(1), re.S).group(1)
    lines = [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]
    assert len(lines) == 5
    parser, commands = parser_and_commands()
    for words in lines:
        assert words[0] == "voice-interviewer" and words[1] in commands, words
        parser.parse_args(words[1:])  # exits (a failure) on an option the command does not take


def test_every_command_and_option_is_in_the_commands_page():
    text = (DOCS / "commands.md").read_text(encoding="utf-8")
    _, commands = parser_and_commands()
    assert len(commands) >= 15
    for name, command in commands.items():
        assert f"`{name}" in text or f"{name} " in text, f"command {name} is not in commands.md"
        for action in command._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in text, f"{name} {option} is not in docs/commands.md"


def test_the_json_page_links_the_contract_instead_of_restating_it():
    """The score --json keys are stated once, in scoring/serialization.py (a test there holds the
    TypedDicts to the keys written); the page links it and keeps no key table of its own."""
    from voice_interviewer.scoring.analysis import Analysis

    saved = json.loads((ROOT / "tests/data/analysis_overfitting.json").read_text())
    keys = list(Analysis.from_dict(saved).to_dict())
    assert len(keys) >= 20
    text = (DOCS / "json.md").read_text(encoding="utf-8")
    assert "../voice_interviewer/scoring/serialization.py" in text
    score_part = text.split("## `practice --jsonl` events")[0]
    restated = [k for k in keys if f"| `{k}` |" in score_part]
    assert not restated, f"docs/json.md restates score --json keys: {restated}"
    source = (ROOT / "voice_interviewer/scoring/serialization.py").read_text(encoding="utf-8")
    for key in keys:
        assert f"    {key}: " in source, f"score --json key {key!r} is not in AnalysisDict"
    for event in ("question", "listening", "speech_start", "answer_end", "feedback"):
        assert f"| `{event}` |" in text
    assert "session_saved" in text
