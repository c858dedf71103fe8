"""Errors the tool reports to the user.

Every error a user can cause (a bad file, a bad bank, a missing device) is raised as one of these,
and the CLI prints it as a single ``Error: ...`` line with a non-zero exit code. Anything else is
a bug and keeps its traceback. All of them are importable from the package too
(``voice_interviewer.BankError``).

    VoiceInterviewerError
    ├── BankError            a question bank cannot be read or is malformed
    ├── AudioInputError      an audio file cannot be decoded or is empty
    │   └── NoSpeechError    the audio decodes but holds no speech
    ├── ModelError           a Whisper model cannot be found, assembled or loaded
    ├── DeviceError          PortAudio, an input/output device or the microphone level is unusable
    ├── SessionError         the session store or a saved session cannot be read or written
    │   ├── DamagedSessionError  a saved session's row cannot be read (``delete`` removes it)
    │   └── RecordError      one field of a saved session or an imported archive is unusable;
    │                        also a ``ValueError``
    ├── AnalysisFormatError  a saved analysis (``score --json`` object) is malformed; also a
    │                        ``ValueError``, so code validating data can catch it as one
    ├── MessageError         a message on the practice page's WebSocket is malformed; also a
    │                        ``ValueError``
    └── UsageError           command-line arguments that do not fit together (exit code 2)
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


class DamagedSessionError(SessionError):
    """A saved session whose row cannot be read (edited by hand, left by a bug): its message says
    what is wrong and to delete it, which works."""

    def __init__(self, message: str, session_id: int) -> None:
        super().__init__(message)
        self.session_id = session_id


class RecordError(SessionError, ValueError):
    """A field of a saved session that cannot be used: ``where`` names it, ``problem`` says why.

    The store and ``import`` catch it and report the session or the archive it came from; a
    ``ValueError`` as well, as it was before it joined this tree.
    """

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class AnalysisFormatError(VoiceInterviewerError, ValueError):
    """A saved analysis is malformed: wrong type, missing key, unknown schema version.

    The message is one line naming the field (``analysis.rubric.points[2].hit: must be true or
    false, not 'yes'``); a caller reading a file prefixes the file's name.
    """


class MessageError(VoiceInterviewerError, ValueError):
    """A message the practice page should never send; the text says what is wrong with it.

    The web app answers it with a refusal and closes the WebSocket; a ``ValueError`` as well, as
    it was before it joined this tree.
    """


class UsageError(VoiceInterviewerError):
    """Arguments that do not fit together."""

    exit_code = 2
