"""The one stand-in for Whisper, for unit tests of pure logic and for servers that never decode.

Real components run everywhere else (tests/models: the session-scoped ``whisper`` and ``scorer``
fixtures of tests/conftest.py). A test specialises ``FakeWhisper`` by its arguments, or by a
subclass when the words must depend on the audio (tests/unit/test_packed_stretches.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from voice_interviewer.speech.timeline import Word


class FakeWhisper:
    """What ``WhisperTranscriber`` offers (transcribe, transcribe_windows, label, label_many),
    answering from canned values and recording what it was asked.

    ``labels``: the label decodes in order, one per clip (asking for more than were given fails
    the test). ``label_of``: a label computed from the clip
    and the prompt instead. ``words``: what every transcribe returns. ``refuse``: every decode
    fails the test with this reason (for tests where any decode would be a defect)."""

    name = "fake"
    parallel = 1  # decodes that may run at once (a subclass sets 2 to test side-by-side decodes)

    def __init__(
        self,
        *labels: str,
        words: Sequence[Word] = (),
        label_of: Callable[[np.ndarray, str | None], str] | None = None,
        refuse: str | None = None,
        name: str | None = None,
        parallel: int | None = None,
    ) -> None:
        if name is not None:
            self.name = name
        if parallel is not None:
            self.parallel = parallel
        self.labels = list(labels)
        self.words = list(words)
        self.label_of = label_of
        self.refuse = refuse
        self.prompts: list[str | None] = []  # each transcribe's prompt, in order
        self.label_calls: list[tuple[np.ndarray, str | None]] = []  # (clip, prompt) per label
        self.label_batches: list[tuple[int, str | None]] = []  # (clips, prompt) per label_many

    def _check(self) -> None:
        if self.refuse is not None:
            raise AssertionError(self.refuse)

    def transcribe(self, audio: np.ndarray, *, prompt: str | None = None) -> list[Word]:
        self._check()
        self.prompts.append(prompt)
        return list(self.words)

    def transcribe_windows(
        self, windows: Sequence[np.ndarray], *, prompt: str | None = None
    ) -> list[list[Word]]:
        return [self.transcribe(w, prompt=prompt) for w in windows]

    def label_many(self, clips: Sequence[np.ndarray], *, prompt: str | None = None) -> list[str]:
        self._check()
        self.label_batches.append((len(clips), prompt))
        return [self.label(c, prompt=prompt) for c in clips]

    def label(self, audio: np.ndarray, *, prompt: str | None = None) -> str:
        self._check()
        self.label_calls.append((audio, prompt))
        if self.label_of is not None:
            return self.label_of(audio, prompt)
        if not self.labels:
            raise AssertionError("a label decode no canned label was given for")
        return self.labels.pop(0)
