"""voice-interviewer: an offline, voice-based mock interviewer.

The Python API is the names in ``__all__``; everything else is internal and may change::

    import voice_interviewer as vi

    bank = vi.load_bank("amazon-mle")           # an installed bank id, or a path to a TOML file
    question = bank.question("overfitting")
    scorer = vi.Scorer.load("tiny.en")           # Whisper + voice activity + sentence model, once
    analysis = scorer.score_file("answer.flac", question)   # or .score(array), .score_text(str)
    analysis.words_per_minute, analysis.verdicts.pace, analysis.rubric.coverage
    analysis.to_dict()                           # the `score --json` object; Analysis.from_dict reads it

Errors a user can cause are ``VoiceInterviewerError`` subclasses with a one-line message (tree in
``voice_interviewer.errors``). Importing the package is cheap: the names load on first use.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# CTranslate2's OpenMP threads busy-wait by default. Beside a live audio loop (and anything else on
# a 2-core machine) that spinning starves the decoder: measured here, feedback after an answer took
# 39 s instead of 0.4 s. Passive waiting must be chosen before ctranslate2 loads, so it is set here.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Bank",
    "Question",
    "ScoreOptions",
    "Scorer",
    "ScoringPolicy",
    "VoiceInterviewerError",
    "load_bank",
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
    "VoiceInterviewerError": ("voice_interviewer.errors", "VoiceInterviewerError"),
    # An installed bank id (None: the default bank) or a path to a bank TOML file.
    "load_bank": ("voice_interviewer.bank", "resolve_bank"),
}

if TYPE_CHECKING:
    from voice_interviewer.bank import Bank, Question
    from voice_interviewer.bank import resolve_bank as load_bank
    from voice_interviewer.errors import VoiceInterviewerError
    from voice_interviewer.scoring.analysis import Analysis
    from voice_interviewer.scoring.policy import ScoringPolicy
    from voice_interviewer.scoring.scorer import ScoreOptions, Scorer


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'voice_interviewer' has no attribute {name!r}")
    import importlib

    module, attr = _LAZY[name]
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
