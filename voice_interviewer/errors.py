"""Errors the tool reports to the user.

Every error a user can cause (a bad file, a bad bank, a missing device) is raised as one of these,
and the CLI prints it as a single ``Error: ...`` line with a non-zero exit code. Anything else is
a bug and keeps its traceback.

    VoiceInterviewerError
    ├── BankError          a question bank cannot be read or is malformed
    ├── AudioInputError    an audio file cannot be decoded, is empty, or holds no speech
    ├── ModelError         a Whisper model cannot be found, assembled or loaded
    ├── DeviceError        PortAudio, an input/output device or the microphone level is unusable
    ├── SessionError       the session store or a saved session cannot be read or written
    ├── AnalysisFormatError  a saved analysis (``score --json`` object) is malformed; also a
    │                        ``ValueError``, so code validating data can catch it as one
    └── UsageError         command-line arguments that do not fit together
"""

from __future__ import annotations


class VoiceInterviewerError(Exception):
    """Base class: the message is one line, written for the user, saying what to do."""

    exit_code = 1


class BankError(VoiceInterviewerError):
    """A question bank is unreadable or malformed."""


class AudioInputError(VoiceInterviewerError):
    """An audio file cannot be used as an answer recording."""


class NoSpeechError(AudioInputError):
    """The audio decodes fine but contains no speech."""


class ModelError(VoiceInterviewerError):
    """A transcription model cannot be found, assembled or loaded."""


class DeviceError(VoiceInterviewerError):
    """An audio device (or the PortAudio library) cannot be used."""


class SessionError(VoiceInterviewerError):
    """The session database or a saved session cannot be read or written."""


class AnalysisFormatError(VoiceInterviewerError, ValueError):
    """A saved analysis is malformed: wrong type, missing key, unknown schema version.

    The message is one line naming the field (``analysis.rubric.points[2].hit: must be true or
    false, not 'yes'``); a caller reading a file prefixes the file's name.
    """


class UsageError(VoiceInterviewerError):
    """Arguments that do not fit together."""

    exit_code = 2
