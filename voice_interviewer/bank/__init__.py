"""Question banks: typed, validated interview questions loaded from TOML files.

A bank is one TOML file: top-level ``id`` and ``title``, optional ``[[criteria]]`` (``id``,
``title``) and ``[[questions]]`` (``id``, ``category``, ``text``, ``target_seconds = [min, max]``,
``star``, optional ``criteria``, ``tags``, ``follow_ups``), each with 3-6 ``[[questions.points]]``
(``id``, ``text``, ``keywords``, optional ``match``: "keywords" or "meaning"). See
``question_bank/amazon-mle.toml`` and ``docs/bank-format.md``.

A follow-up is judged on its own: either a plain string in ``follow_ups`` (its coverage is not
scored; its length is judged against ``FOLLOW_UP_TARGET_SECONDS``), or a
``[[questions.follow_up]]`` table with ``text`` and, optionally, its own ``target_seconds`` and 1-6
``[[questions.follow_up.points]]``.

Every problem is reported as a one-line :class:`BankError` naming the file, the question and the
field, so a user editing a bank by hand can fix it without reading a traceback.

Two ways in: :func:`resolve_bank` takes what a user types after ``--bank`` (an installed id, a bank
the user added, or a path); :func:`read_bank_file` reads one file by its path.
"""

import warnings
from typing import Any

from voice_interviewer.bank.library import (
    available_bank_paths,
    install_bank,
    installed_bank_paths,
    remove_bank,
    resolve_bank,
    user_bank_paths,
)
from voice_interviewer.bank.model import (
    DEFAULT_BANK_ID,
    FOLLOW_UP_TARGET_SECONDS,
    MAX_POINTS,
    MIN_POINTS,
    Bank,
    Criterion,
    Example,
    FollowUp,
    Point,
    Question,
    Topic,
)
from voice_interviewer.bank.toml_format import bank_from_toml, read_bank_file

__all__ = [
    "DEFAULT_BANK_ID",
    "FOLLOW_UP_TARGET_SECONDS",
    "MAX_POINTS",
    "MIN_POINTS",
    "Bank",
    "Criterion",
    "Example",
    "FollowUp",
    "Point",
    "Question",
    "Topic",
    "available_bank_paths",
    "bank_from_toml",
    "install_bank",
    "installed_bank_paths",
    "read_bank_file",
    "remove_bank",
    "resolve_bank",
    "user_bank_paths",
]


def __getattr__(name: str) -> Any:
    # The reader was called load_bank until 0.1.0, when voice_interviewer.load_bank meant
    # resolve_bank: one name for two functions. Old code keeps working, with a warning.
    if name == "load_bank":
        warnings.warn(
            "voice_interviewer.bank.load_bank is renamed read_bank_file",
            DeprecationWarning,
            stacklevel=2,
        )
        return read_bank_file
    raise AttributeError(f"module 'voice_interviewer.bank' has no attribute {name!r}")
