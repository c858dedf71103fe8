"""Text normalisation for matching: tokens that compare equal across spelling and word forms.

``match_keys`` maps "Regularising", "regularizing" and "regularized" to the same key, "models" to
"model", "A/B-testing" to the tokens a, b, test. Keywords and transcripts go through the same
function, so an odd stem on one side is the same odd stem on the other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A word: letters and digits of any script, inner apostrophes, and the "++" or "#" that makes
# "C++" and "C#" words of their own (not "c").
_SPLIT = re.compile(r"(?:[^\W_]|')+(?:\+\+|#(?!\w))?")
# British endings rewritten to American ones before stemming (both sides get the same rewrite).
_BRITISH = [
    (re.compile(r"isation(s?)$"), r"ization\1"),
    (re.compile(r"is(e|es|ed|ing|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"our(s?)$"), r"or\1"),
    (re.compile(r"tre(s?)$"), r"ter\1"),
    (re.compile(r"ogue(s?)$"), r"og\1"),
]
# Words the rewrites above would damage.
_KEEP = {
    "noise",
    "noises",
    "precise",
    "wise",
    "otherwise",
    "rise",
    "raise",
    "raised",
    "advise",
    "exercise",
    "promise",
    "premise",
    "expertise",
    "our",
    "ours",
    "your",
    "yours",
    "four",
    "hour",
    "hours",
    "tour",
    "pour",
    "flour",
    "centre",
    "increase",
    "increased",
    "increases",
    "decrease",
    "decreased",
    "decreases",
    "case",
    "cases",
    "base",
    "based",
    "release",
    "released",
    "concise",
    "enterprise",
    "surprise",
    "surprised",
    "compromise",
    "disguise",
    "revise",
}
_VOWELS = set("aeiouy")


def fold(text: str) -> str:
    """Lower case without accents: "Résumé" and "resume", "naïve" and "naive", "ñandú" and "nandu"
    compare equal (a transcript may write either; a keyword author may type either)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


def tokens(text: str) -> list[str]:
    """Lower-case, accent-free word tokens of letters of any script; hyphens, slashes and other
    punctuation separate words ("A/B-testing": a, b, testing), "C++" and "C#" stay words."""
    out = _SPLIT.findall(fold(text).replace("’", "'"))
    merged: list[str] = []
    for tok in out:
        tok = tok.strip("'")
        if not tok:
            continue
        # "L 1" / "L-1" (how a transcript may write "L1") become "l1", like the keyword.
        if tok.isdigit() and merged and len(merged[-1]) == 1 and merged[-1].isalpha():
            merged[-1] += tok
            continue
        merged.append(tok)
    return merged


@lru_cache(maxsize=1 << 16)
def stem(token: str) -> str:
    """The matching key of one token. Cached: the rubric stems the same few hundred words of an
    answer against every keyword, and this was most of its time."""
    w = token
    if w.endswith("'s"):
        w = w[:-2]
    if w not in _KEEP and len(w) > 5:
        for pattern, repl in _BRITISH:
            w2 = pattern.sub(repl, w)
            if w2 != w:
                w = w2
                break
    if len(w) <= 3 or w.isdigit():
        return w
    if w.endswith("ies") and len(w) > 4 or w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and set(w[: -len(suffix)]) & _VOWELS:
            w = w[: -len(suffix)]
            break
    # A final double consonant goes, on stems and plain words alike, so both sides meet:
    # running/run -> run, modelled/model -> model, filled/fill -> fil.
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in _VOWELS and w[-1] not in "sz":
        w = w[:-1]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def match_keys(text: str) -> list[str]:
    return [stem(t) for t in tokens(text)]
