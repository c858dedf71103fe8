"""Question banks: typed, validated interview questions loaded from TOML files.

A bank is one TOML file: top-level ``id`` and ``title``, optional ``[[criteria]]`` (``id``,
``title``) and ``[[questions]]`` (``id``, ``category``, ``text``, ``target_seconds = [min, max]``,
``star``, optional ``criteria``, ``tags``, ``follow_ups``), each with 3-6 ``[[questions.points]]``
(``id``, ``text``, ``keywords``, optional ``match``: "keywords" or "meaning"). See ``question_bank/amazon-mle.toml``.

A follow-up is judged on its own: either a plain string in ``follow_ups`` (its coverage is not
scored; its length is judged against ``FOLLOW_UP_TARGET_SECONDS``), or a ``[[questions.follow_up]]``
table with ``text`` and, optionally, its own ``target_seconds`` and 1-6 ``[[questions.follow_up.points]]``.

Every problem is reported as a one-line :class:`BankError` naming the file, the question and the
field, so a user editing a bank by hand can fix it without reading a traceback.
"""

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
from voice_interviewer.bank.toml_format import bank_from_toml, load_bank

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
    "load_bank",
    "remove_bank",
    "resolve_bank",
    "user_bank_paths",
]
