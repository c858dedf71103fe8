"""The real-speech clip sets and their reference words (pure, apart from reading the labels).

Three groups of recordings of real people, beside the checkout in ``../shared/audio``:

- ``real/``: 16 short clips of one speaker (speaker ``mfa-a`` here) with verbatim labels;
- ``speakers/``: seven clips of five other speakers (monologues, meeting microphones with
  crosstalk, a clip without filled pauses), each labelled with its ``speaker``;
- the loose clips: jfk.flac (speaker ``jfk``), comfyui.mp3 (a partial reference: counted for
  false filled pauses only) and three clips without speech (``no-speech``).

Every figure is reported per speaker: a change that gains on one voice and loses on another is
not an improvement. Filled pauses are matched by count per clip (most labels have no times).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evaluation.truth import JFK_REFERENCE, NO_SPEECH_CLIPS
from evaluation.truth import normalize_words as _normalize_words

REPO = Path(__file__).resolve().parents[1]


def find_shared_audio() -> Path:
    """``shared/audio`` beside the checkout (as in CI), or beside the folder of git worktrees
    (``/work/wt/NAME`` next to ``/work/shared``); ``$VOICE_INTERVIEWER_SHARED_AUDIO`` overrides."""
    if os.environ.get("VOICE_INTERVIEWER_SHARED_AUDIO"):
        return Path(os.environ["VOICE_INTERVIEWER_SHARED_AUDIO"])
    for base in REPO.parents[:2]:
        if (base / "shared" / "audio").is_dir():
            return base / "shared" / "audio"
    return REPO.parent / "shared" / "audio"


SHARED_AUDIO = find_shared_audio()
REAL = SHARED_AUDIO / "real"
SPEAKERS = SHARED_AUDIO / "speakers"
REAL_SPEAKER = "mfa-a"  # the one speaker of real/ (Montreal Forced Aligner's test recordings)

# Filled pauses in any spelling (the same families the package counts; kept here on purpose so the
# yardstick does not move with the code it measures).
_FILLED = re.compile(r"u+h+|u+h*m+|e+r+m*|e+h+|a+h+|h+m+|m{2,}")
# Backchannels ("mm-hmm" said while another person talks) are neither content words nor filled
# pauses: a transcript may write them or not, and an "mm" heard where one was said is no error.
_BACKCHANNELS = {"mm-hmm", "mm", "mhm", "mm-mm", "uh-huh", "hmm", "hm", "mmm"}
_BACKCHANNEL_SOUNDS = re.compile(r"m+|h*m+h*m*|mhm+|hm+")


def is_filled(token: str) -> bool:
    return _FILLED.fullmatch(token) is not None


# Spoken contractions a transcript may write either way.
_EXPANSIONS = {"gonna": ("going", "to"), "wanna": ("want", "to"), "gotta": ("got", "to")}


def normalize_words(text: str) -> list[str]:
    """``truth.normalize_words``, then runs of single letters joined ("m f a" -> "mfa")."""
    out: list[str] = []
    run = ""
    for w in (t for word in _normalize_words(text) for t in _EXPANSIONS.get(word, (word,))):
        if len(w) == 1 and w not in ("a", "i"):
            run += w
            continue
        if len(w) == 1 and run:  # "a" or "i" inside a run of letters ("m f a")
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        out.append(w)
    if run:
        out.append(run)
    return out


@dataclass(frozen=True)
class RealClip:
    """One labelled recording: reference content words and how many filled pauses it holds."""

    name: str
    path: Path
    content: tuple[str, ...] | None  # reference words without fillers; None: no usable reference
    filled: int  # filled pauses said
    speaker: str = REAL_SPEAKER
    backchannels: int = 0  # "mm-hmm"s said: as many "mm"s heard are neither error nor filler


# Labels' spellings of what was said, as a transcript writes them.
_SPOKEN_FORM = {"'er": "her"}


def _label_token(word: str) -> str:
    """A label's token as plain text: lower case, CHAT's filled-pause mark and end punctuation
    gone ("&-um" -> "um", "Uh" -> "uh", "that." -> "that")."""
    return word.lower().removeprefix("&-").strip(".,?!;:")


def content_reference(words: Sequence[str], fillers: Sequence[dict]) -> tuple[str, ...]:
    """The labels' words without annotations, labelled filled pauses and backchannels (pure)."""
    return parse_reference(words, fillers)[0]


def parse_reference(words: Sequence[str], fillers: Sequence[dict]) -> tuple[tuple[str, ...], int]:
    """``content_reference``, and how many backchannels were said (pure).

    Filled pauses are removed by the labels, not by spelling: "'er" (her) is a word here. A
    hesitation-lengthened word (``<hes-forced>``) is the word; a cut-off one, ``[laughter]``,
    ``<VOCNOISE>`` and CHAT's ``[/]`` are no word, the words inside CHAT's ``<...>`` are."""
    pending = [_label_token(f["text"]) for f in fillers if f["kind"] == "filled"]
    kept: list[str] = []
    backchannels = 0
    for w in words:
        if w.startswith("<hes-"):
            w = w[len("<hes-") : -1]
        elif (w.startswith("<") and w.endswith(">")) or w.startswith("["):
            continue
        # CHAT's "<i like i like> [/]": the words of a retraced group were said, then said again.
        w = w.removeprefix("<").removesuffix(">")
        token = _label_token(w)
        if pending and token == pending[0]:
            pending.pop(0)
            continue
        if token in _BACKCHANNELS:
            backchannels += 1
            continue
        kept.append(_SPOKEN_FORM.get(w, w.removeprefix("&-")))
    return tuple(normalize_words(" ".join(kept))), backchannels


def split_heard(words: Sequence[str], backchannels: int = 0) -> tuple[int, list[str]]:
    """(filled pauses, content words) of a recognizer's output words (pure); up to
    ``backchannels`` hums ("mm", "hmm") are taken for the backchannels said and not counted."""
    norm = [t for w in words for t in normalize_words(w)]
    filled = [t for t in norm if is_filled(t)]
    hums = sum(_BACKCHANNEL_SOUNDS.fullmatch(t) is not None for t in filled)
    return len(filled) - min(hums, backchannels), [t for t in norm if not is_filled(t)]


def _from_labels(folder: Path, speaker_of=lambda c: REAL_SPEAKER) -> list[RealClip]:
    labels = json.loads((folder / "labels.json").read_text())
    out = []
    for c in labels:
        content, backchannels = parse_reference(c["words"], c["fillers"])
        filled = sum(f["kind"] == "filled" for f in c["fillers"])
        out.append(
            RealClip(c["file"], folder / c["file"], content, filled, speaker_of(c), backchannels)
        )
    return out


def load_clips(real: Path = REAL, shared: Path = SHARED_AUDIO) -> list[RealClip]:
    """The one-speaker clips of ``real/``, jfk.flac, comfyui.mp3 and the clips without speech."""
    clips = _from_labels(real)
    clips.append(
        RealClip("jfk.flac", shared / "jfk.flac", tuple(normalize_words(JFK_REFERENCE)), 0, "jfk")
    )
    # comfyui's reference is partial ("..."): counted for false filled pauses only.
    clips.append(RealClip("comfyui.mp3", shared / "comfyui.mp3", None, 0, "comfyui"))
    clips += [RealClip(n, shared / n, None, 0, "no-speech") for n in NO_SPEECH_CLIPS]
    return clips


def load_speaker_clips(speakers: Path = SPEAKERS) -> list[RealClip]:
    """The clips of ``speakers/``, each with its labelled speaker; [] when the folder is absent."""
    if not (speakers / "labels.json").is_file():
        return []
    return _from_labels(speakers, lambda c: c["speaker"])


def load_all_clips() -> list[RealClip]:
    return load_clips() + load_speaker_clips()
