"""Keeps ALSA's own diagnostics ("ALSA lib pcm.c:8545:(snd_pcm_recover) underrun occurred") off the
terminal.

PortAudio talks to ALSA, and alsa-lib writes its messages straight to the process's stderr through
its error handler. They mean nothing to a candidate and land in the middle of a question or of the
live meter. ``quiet_alsa_messages`` installs a handler that counts them instead (so a test or a
debug run can see they happened); ``VOICE_INTERVIEWER_ALSA_MESSAGES=1`` leaves ALSA's own printer.

The handler is installed in the libasound that PortAudio uses: ``dlopen`` of the same soname returns
the library already loaded, and loading it first is just as good (PortAudio then gets this one).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

__all__ = ["ENV_SHOW", "alsa_message_count", "quiet_alsa_messages"]

ENV_SHOW = "VOICE_INTERVIEWER_ALSA_MESSAGES"

# void handler(const char *file, int line, const char *function, int err, const char *fmt, ...)
# The variadic arguments are never read, so declaring the fixed ones is enough.
_HANDLER_TYPE = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)


class _Quieted:
    installed = False
    messages = 0


def _count(file: bytes, line: int, function: bytes, err: int, fmt: bytes) -> None:
    _Quieted.messages += 1


# Module level: the C library keeps the pointer, so the callback object must live as long.
_HANDLER = _HANDLER_TYPE(_count)


def _libasound() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("asound") or "libasound.so.2"
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None  # no ALSA (macOS, Windows, a container without it): nothing to silence


def quiet_alsa_messages() -> bool:
    """Route ALSA's messages to a counter instead of stderr; whether a handler is in place.
    Safe to call more than once, and a no-op without libasound or with ``ENV_SHOW`` set."""
    if _Quieted.installed:
        return True
    if os.environ.get(ENV_SHOW, "").strip() not in ("", "0"):
        return False
    lib = _libasound()
    if lib is None or not hasattr(lib, "snd_lib_error_set_handler"):
        return False
    lib.snd_lib_error_set_handler.argtypes = [_HANDLER_TYPE]
    lib.snd_lib_error_set_handler.restype = ctypes.c_int
    if lib.snd_lib_error_set_handler(_HANDLER) != 0:
        return False
    _Quieted.installed = True
    return True


def alsa_message_count() -> int:
    """How many ALSA messages were kept off the terminal so far."""
    return _Quieted.messages
