"""Thin adapter over sounddevice (PortAudio): device listing, a microphone stream, playback.
Every PortAudio failure a user can cause becomes a one-line DeviceError saying what to do.

Timing: opening an input stream through PulseAudio can take up to about a second, so callers open
the :class:`Microphone` *before* a question finishes playing and cut the answer at the moment
playback ends. :func:`play` returns that moment on the PortAudio stream clock, and every
:class:`CapturedBlock` carries the ADC time of its first sample on the same clock (PortAudio's
ALSA host API timestamps both directions with one time base), so ``block.adc_time >= end`` keeps
exactly the audio recorded after the question. Reported ADC times jitter by up to a host period;
the Microphone smooths them, knowing that blocks are contiguous.

sounddevice is imported lazily: importing it raises OSError when the PortAudio library is missing.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from voice_interviewer.errors import DeviceError
from voice_interviewer.speech.timeline import SAMPLE_RATE

BLOCK_SIZE = 512  # 32 ms at 16 kHz: one Silero VAD frame
PLAYBACK_TAIL = 0.1  # seconds of silence appended by play() (see there)
ADC_SMOOTHING, ADC_RESYNC = 0.05, 0.25  # de-jittering of reported ADC times (see Microphone)
MAX_QUEUED_SECONDS = 600.0  # a Microphone nobody reads drops blocks after this much audio

_DEVICES_HINT = "see `voice-interviewer devices`"
_PLUG_IN = {"input": "a microphone", "output": "speakers or headphones"}

# PortAudio error codes (portaudio.h) that deserve a specific hint.
_PA_BAD_CHANNELS, _PA_BAD_RATE, _PA_BAD_DEVICE = -9998, -9997, -9996
_PA_BAD_FORMAT, _PA_UNAVAILABLE = -9994, -9985


def _sd() -> Any:
    """Import sounddevice, turning a missing PortAudio library into a DeviceError."""
    try:
        import sounddevice
    except OSError as exc:
        raise DeviceError(
            "PortAudio library not found: install it with `sudo apt-get install libportaudio2`"
        ) from exc
    return sounddevice


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    is_default_input: bool
    is_default_output: bool

    def channels(self, kind: Literal["input", "output"]) -> int:
        return self.max_input_channels if kind == "input" else self.max_output_channels


@dataclass
class CapturedBlock:
    samples: np.ndarray  # float32, mono, BLOCK_SIZE samples at SAMPLE_RATE
    adc_time: float  # PortAudio stream time at which the first sample was captured


def _default_index(sd: Any, kind: str) -> int | None:
    try:
        info = sd.query_devices(kind=kind)
    except sd.PortAudioError:
        return None
    return int(info["index"]) if info and info.get(f"max_{kind}_channels", 0) > 0 else None


def list_devices() -> list[DeviceInfo]:
    """All PortAudio devices, in PortAudio's numbering."""
    sd = _sd()
    try:
        hostapis = sd.query_hostapis()
        devices = sd.query_devices()
    except sd.PortAudioError as exc:
        raise DeviceError(
            f"cannot list audio devices ({exc}): check the PortAudio installation"
        ) from exc
    default_in, default_out = _default_index(sd, "input"), _default_index(sd, "output")
    return [
        DeviceInfo(
            index=int(d["index"]),
            name=str(d["name"]),
            hostapi=str(hostapis[d["hostapi"]]["name"]),
            max_input_channels=int(d["max_input_channels"]),
            max_output_channels=int(d["max_output_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            is_default_input=int(d["index"]) == default_in,
            is_default_output=int(d["index"]) == default_out,
        )
        for d in devices
    ]


def _describe(devices: list[DeviceInfo]) -> str:
    shown = ", ".join(f"{d.index}: {d.name}" for d in devices[:8])
    return shown + (f", ... ({len(devices)} in all)" if len(devices) > 8 else "")


def resolve_device(spec: str | int | None, kind: Literal["input", "output"]) -> int | None:
    """Turn a ``--input-device``/``--output-device`` value into a PortAudio index.

    None means the default device (returned as None) but fails if there is no such device at all;
    a number is a device index; anything else is a case-insensitive substring of a device name
    (an exact name wins over substrings)."""
    devices = list_devices()
    usable = [d for d in devices if d.channels(kind) > 0]
    flag = f"--{kind}-device"
    if spec is None:
        if not usable or not any(getattr(d, f"is_default_{kind}") for d in devices):
            raise DeviceError(
                f"no {kind} device found: plug in {_PLUG_IN[kind]} or pick one with {flag} "
                f"({_DEVICES_HINT})"
            )
        return None
    text = str(spec).strip()
    if text.isdigit():
        index = int(text)
        match = next((d for d in devices if d.index == index), None)
        if match is None:
            raise DeviceError(
                f"no audio device number {index}: pick one with {flag} ({_DEVICES_HINT})"
            )
        if match.channels(kind) < 1:
            raise DeviceError(
                f"device {index} ({match.name}) has no {kind} channels: "
                f"pick another with {flag} ({_DEVICES_HINT})"
            )
        return index
    needle = text.lower()
    exact = [d for d in usable if d.name.lower() == needle]
    matches = exact or [d for d in usable if needle in d.name.lower()]
    if len(matches) == 1:
        return matches[0].index
    if not matches:
        available = _describe(usable) if usable else "none"
        raise DeviceError(
            f"no {kind} device matches {spec!r}: pick one with {flag} by number or name "
            f"(available: {available})"
        )
    raise DeviceError(
        f"{spec!r} matches several {kind} devices ({_describe(matches)}): "
        f"pick one with {flag} by number"
    )


def _open_error(exc: BaseException, kind: str, samplerate: float) -> DeviceError:
    """A PortAudio error on opening or checking a stream, as a DeviceError saying what to do."""
    flag = f"--{kind}-device"
    code = exc.args[1] if len(exc.args) > 1 else None
    message = str(exc.args[0]) if exc.args else str(exc)
    lowered = message.lower()
    if code == _PA_BAD_RATE or "sample rate" in lowered:
        return DeviceError(
            f"the {kind} device does not support {samplerate:.0f} Hz: pick another with {flag} "
            f"({_DEVICES_HINT})"
        )
    if code in (_PA_BAD_CHANNELS, _PA_BAD_FORMAT):
        return DeviceError(
            f"the {kind} device cannot do mono float32 audio ({message}): pick another with {flag}"
        )
    if code == _PA_BAD_DEVICE or "invalid device" in lowered:
        return DeviceError(
            f"the {kind} device is not valid: pick another with {flag} ({_DEVICES_HINT})"
        )
    if code == _PA_UNAVAILABLE or "busy" in lowered or "unavailable" in lowered:
        return DeviceError(
            f"the {kind} device is busy or was unplugged: close other programs using it, "
            f"reconnect it, or pick another with {flag}"
        )
    return DeviceError(f"cannot open the {kind} device ({message}): pick another with {flag}")


class Microphone:
    """A 16 kHz mono float32 input stream whose blocks (with ADC times) are queued for ``read``.

    Use as a context manager; ``open()``/``close()`` are also public. ``device`` is an index, a
    ``--input-device`` spec string, or None for the default input."""

    def __init__(
        self,
        device: int | str | None = None,
        samplerate: int = SAMPLE_RATE,
        blocksize: int = BLOCK_SIZE,
    ) -> None:
        self.device = device
        self.samplerate = samplerate
        self.blocksize = blocksize
        self.overflows = 0  # blocks PortAudio flagged as input overflow (audio was lost)
        self.dropped = 0  # blocks dropped because nobody read them for MAX_QUEUED_SECONDS
        max_blocks = max(1, int(MAX_QUEUED_SECONDS * samplerate / blocksize))
        self._queue: queue.Queue[CapturedBlock] = queue.Queue(maxsize=max_blocks)
        self._stream: Any = None
        self._next_adc: float | None = None  # expected ADC time of the next block
        self._discarding = False  # set by ``discarding``: blocks are stamped, not queued
        self._queue_lock = threading.Lock()  # a block is queued or dropped whole, never after

    def open(self) -> Microphone:
        if self._stream is not None:
            return self
        sd = _sd()
        index = resolve_device(self.device, "input")
        try:
            sd.check_input_settings(
                device=index, channels=1, dtype="float32", samplerate=self.samplerate
            )
            stream = sd.InputStream(
                samplerate=self.samplerate,
                channels=1,
                dtype="float32",
                blocksize=self.blocksize,
                device=index,
                callback=self._callback,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise _open_error(exc, "input", self.samplerate) from exc
        self._next_adc = None
        try:
            stream.start()
        except sd.PortAudioError as exc:
            stream.close(ignore_errors=True)
            raise _open_error(exc, "input", self.samplerate) from exc
        self._stream = stream
        return self

    def _callback(self, indata: np.ndarray, frames: int, when: Any, status: Any) -> None:
        # Host APIs that do not report ADC times get an estimate from the current time.
        adc = float(when.inputBufferAdcTime or when.currentTime - frames / self.samplerate)
        if status.input_overflow:
            self.overflows += 1  # audio was lost: resynchronise on the reported time
        elif self._next_adc is not None:
            # Blocks are contiguous: each starts where the previous one ended. Reported times
            # jitter by up to a host period (late callback, stale latency estimate), so follow
            # them only slowly, unless they jump by more than ADC_RESYNC (stream glitch).
            error = adc - self._next_adc
            if abs(error) < ADC_RESYNC:
                adc = self._next_adc + ADC_SMOOTHING * error
        self._next_adc = adc + frames / self.samplerate
        with self._queue_lock:
            if self._discarding:
                return
            try:
                self._queue.put_nowait(CapturedBlock(indata[:, 0].copy(), float(adc)))
            except queue.Full:
                self.dropped += 1

    @contextlib.contextmanager
    def discarding(self) -> Iterator[None]:
        """While inside: captured audio is dropped as it arrives (the blocks' clock goes on), and
        what was queued and not read goes too. The terminal waits for Next with the stream open
        (reopening it would delay the next question by up to a second); what the candidate says
        while reading the feedback is no answer's, and must not pile up until the next one."""
        with self._queue_lock:
            self._discarding = True
            with contextlib.suppress(queue.Empty):
                while True:
                    self._queue.get_nowait()
        try:
            yield
        finally:
            with self._queue_lock:
                self._discarding = False

    def read(self, timeout: float | None = None) -> CapturedBlock | None:
        """The next captured block, or None if none arrived within ``timeout`` seconds.

        Raises DeviceError if the stream died (device unplugged) and nothing is left to read."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            pass
        stream = self._stream
        if stream is not None and not stream.active and not stream.closed:
            raise DeviceError(
                "the microphone stopped delivering audio: check it is still plugged in"
            )
        return None

    def stream_time(self) -> float:
        """The stream's PortAudio clock (same time base as ``adc_time`` and ``play()``'s result)."""
        if self._stream is None:
            raise RuntimeError("Microphone is not open")
        return float(self._stream.time)

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.abort(ignore_errors=True)
            stream.close(ignore_errors=True)

    def __enter__(self) -> Microphone:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def play(audio: np.ndarray, samplerate: int, device: int | str | None = None) -> float:
    """Play mono audio and block until it has been played; Ctrl-C stops it.

    Returns the PortAudio stream time at which the last sample leaves the DAC (the end of
    playback), on the same clock as :attr:`CapturedBlock.adc_time`."""
    sd = _sd()
    samples = np.asarray(audio, dtype=np.float32)
    if samples.ndim != 1:  # (frames, channels): mix down to mono
        samples = samples.reshape(len(samples), -1).mean(axis=1, dtype=np.float32)
    index = resolve_device(device, "output")
    content = samples.size
    # Trailing silence: PortAudio (ALSA -> pulse plugin) drops the last few tens of milliseconds
    # when a callback stream completes, so pad and stop only after the padding.
    padded = np.concatenate([samples, np.zeros(int(PLAYBACK_TAIL * samplerate), np.float32)])
    state: dict[str, Any] = {"pos": 0, "end": None}
    done = threading.Event()

    def callback(outdata: np.ndarray, frames: int, when: Any, status: Any) -> None:
        pos = state["pos"]
        n = min(frames, padded.size - pos)
        outdata[:n, 0] = padded[pos : pos + n]
        outdata[n:] = 0
        state["pos"] = pos + n
        if state["end"] is None and pos + n >= content:
            # DAC time of this buffer's first frame, plus the frames up to the end of the content.
            dac = when.outputBufferDacTime or when.currentTime
            state["end"] = float(dac) + (content - pos) / samplerate
        if pos + n >= padded.size:
            raise sd.CallbackStop

    try:
        sd.check_output_settings(device=index, channels=1, dtype="float32", samplerate=samplerate)
        stream = sd.OutputStream(
            samplerate=samplerate,
            channels=1,
            dtype="float32",
            device=index,
            callback=callback,
            finished_callback=done.set,
        )
    except (sd.PortAudioError, ValueError) as exc:
        raise _open_error(exc, "output", samplerate) from exc
    try:
        stream.start()
        while not done.wait(0.05):  # short waits keep the main thread responsive to Ctrl-C
            pass
        end = state["end"]
        if end is None:  # finished without reaching the end: the device stopped
            raise DeviceError("playback stopped early: check the output device is still plugged in")
        # PortAudio may call the stream finished while the tail is still in the device buffer;
        # wait (bounded, in case the clock misbehaves) until the end time has passed.
        deadline = time.monotonic() + stream.latency + 1.0
        while (left := end - stream.time) > 0 and time.monotonic() < deadline:
            time.sleep(min(0.05, left))
        return end
    except KeyboardInterrupt:
        stream.abort(ignore_errors=True)
        raise
    except sd.PortAudioError as exc:
        raise _open_error(exc, "output", samplerate) from exc
    finally:
        stream.close(ignore_errors=True)
