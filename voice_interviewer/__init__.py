"""voice-interviewer: an offline, voice-based mock interviewer.

The Python API is the names in ``__all__``; everything else is internal and may change::

    import voice_interviewer as vi

    bank = vi.resolve_bank("amazon-mle")        # an installed bank id, or a path to a TOML file
    question = bank.question("overfitting")
    scorer = vi.Scorer.load("tiny.en")           # Whisper + voice activity + sentence model, once
    analysis = scorer.score_file("answer.flac", question)   # or .score(array), .score_text(str)
    analysis.words_per_minute, analysis.verdicts.pace, analysis.rubric.coverage
    analysis.to_dict()               # the `score --json` object; Analysis.from_dict reads it back

``resolve_bank`` takes what ``--bank`` takes (an installed id, a bank added with ``banks add``, or
a path); ``read_bank_file`` reads one bank file by its path.

Errors a user can cause are raised as one of these, each with a one-line message::

    VoiceInterviewerError
    ├── BankError
    ├── AudioInputError
    │   └── NoSpeechError
    ├── ModelError
    ├── DeviceError
    ├── SessionError
    │   ├── DamagedSessionError
    │   └── RecordError
    ├── AnalysisFormatError
    ├── MessageError
    └── UsageError

(what each means: ``voice_interviewer.errors``). Importing the package is cheap: the names load on
first use.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# CTranslate2's OpenMP threads busy-wait by default. Beside a live audio loop (and anything else on
# a 2-core machine) that spinning starves the decoder: measured here, feedback after an answer took
# 39 s instead of 0.4 s. Passive waiting must be chosen before ctranslate2 loads, so it is set here.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# The one place the version is written: pyproject.toml reads it from here (`dynamic`).
__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Bank",
    "Question",
    "ScoreOptions",
    "Scorer",
    "ScoringPolicy",
    "read_bank_file",
    "resolve_bank",
    # the error tree of voice_interviewer.errors, every class of it
    "VoiceInterviewerError",
    "BankError",
    "AudioInputError",
    "NoSpeechError",
    "ModelError",
    "DeviceError",
    "SessionError",
    "DamagedSessionError",
    "RecordError",
    "AnalysisFormatError",
    "MessageError",
    "UsageError",
]

# Public name -> (module, attribute): imported on first access (PEP 562), so `import
# voice_interviewer` does not pull in numpy, faster-whisper or the ONNX runtime.
_LAZY = {
    "Analysis": ("voice_interviewer.scoring.analysis", "Analysis"),
    "Bank": ("voice_interviewer.bank", "Bank"),
    "Question": ("voice_interviewer.bank", "Question"),
    "ScoreOptions": ("voice_interviewer.scoring.scorer", "ScoreOptions"),
    "Scorer": ("voice_interviewer.scoring.scorer", "Scorer"),
    "ScoringPolicy": ("voice_interviewer.scoring.policy", "ScoringPolicy"),
    # An installed bank id, a bank the user added (None: the default bank), or a path.
    "resolve_bank": ("voice_interviewer.bank", "resolve_bank"),
    # One bank file, by its path.
    "read_bank_file": ("voice_interviewer.bank", "read_bank_file"),
    **{name: ("voice_interviewer.errors", name) for name in __all__ if name.endswith("Error")},
}

# Old names still answered, with a DeprecationWarning naming the new one; not in __all__ or dir().
_RENAMED = {"load_bank": "resolve_bank"}

if TYPE_CHECKING:
    from voice_interviewer.bank import Bank, Question, read_bank_file, resolve_bank
    from voice_interviewer.errors import (
        AnalysisFormatError,
        AudioInputError,
        BankError,
        DamagedSessionError,
        DeviceError,
        MessageError,
        ModelError,
        NoSpeechError,
        RecordError,
        SessionError,
        UsageError,
        VoiceInterviewerError,
    )
    from voice_interviewer.scoring.analysis import Analysis
    from voice_interviewer.scoring.policy import ScoringPolicy
    from voice_interviewer.scoring.scorer import ScoreOptions, Scorer


def __getattr__(name: str) -> Any:
    if name in _RENAMED:
        import warnings

        new = _RENAMED[name]
        warnings.warn(
            f"voice_interviewer.{name} is renamed voice_interviewer.{new} (an installed bank id, "
            "a bank added with `banks add`, or a path); voice_interviewer.read_bank_file reads "
            "one bank file",
            DeprecationWarning,
            stacklevel=2,
        )
        return __getattr__(new)
    if name not in _LAZY:
        raise AttributeError(f"module 'voice_interviewer' has no attribute {name!r}")
    import importlib

    module, attr = _LAZY[name]
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    # Only the API: not the helpers of this module (os, Any, ...) nor submodules already imported.
    return sorted(__all__)
