"""A private PulseAudio server with two null sinks, for tests that need real audio devices.

The machines running the tests have no sound card. This starts a throw-away ``pulseaudio`` with

* ``mic``     a null sink; its monitor ``mic.monitor`` is the default *source*, so whatever is
              played into it (:meth:`PulseAudioServer.play_into_mic`) is what a microphone hears;
* ``speaker`` a null sink, the default *sink*; whatever the program under test plays ends up in
              ``speaker.monitor`` (:meth:`PulseAudioServer.record_speaker`).

Everything lives in a fresh temporary directory (runtime dir, socket, cookie, state), so several
servers (concurrent test runs) never see each other and the user's own PulseAudio is untouched.
Programs reach it through :attr:`PulseAudioServer.env`: PortAudio's ALSA host API opens the ALSA
``default``/``pulse`` PCMs, and the alsa ``pulse`` plugin (libasound2-plugins) connects to the
server named by ``PULSE_SERVER``. Pass that env to a subprocess (preferred: sounddevice initialises
PortAudio, and the ALSA configuration, once at import time).

Usable as root (pulseaudio warns but runs; ``-n`` skips default.pa and its hardware modules).

    with PulseAudioServer() as pulse:
        subprocess.run([sys.executable, "-c", "..."], env=pulse.env, check=True)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import soundfile as sf

SOURCE_RATE = 16000


def _die_with_parent() -> None:
    """In the forked child: get SIGTERM when the parent dies, so a killed test run leaves no
    daemon behind (Linux ``PR_SET_PDEATHSIG``; the *thread* that started the server counts)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _reinit_portaudio() -> None:
    import sys

    sd = sys.modules.get("sounddevice")
    if sd is not None:
        sd._terminate()
        sd._initialize()


class PulseAudioUnavailable(RuntimeError):
    """The pulseaudio binaries are not installed."""


class PulseAudioServer:
    """Starts a private PulseAudio server on construction (or ``start()``); ``stop()`` ends it."""

    def __init__(
        self, *, start: bool = True, timeout: float = 10.0, extra_args: tuple[str, ...] = ()
    ) -> None:
        self.tmpdir: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self.env: dict[str, str] = {}
        self.log_path: Path | None = None
        self._timeout = timeout
        self._extra_args = tuple(extra_args)
        self._players: list[subprocess.Popen[bytes]] = []  # paplay processes started into the mic
        if start:
            self.start()

    @staticmethod
    def missing_binaries() -> list[str]:
        return [b for b in ("pulseaudio", "pactl", "paplay", "parec") if shutil.which(b) is None]

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> PulseAudioServer:
        missing = self.missing_binaries()
        if missing:
            raise PulseAudioUnavailable(
                f"{', '.join(missing)} not found: install pulseaudio and pulseaudio-utils"
            )
        self.tmpdir = Path(tempfile.mkdtemp(prefix="vi-pulse-"))
        runtime = self.tmpdir / "runtime"
        for sub in ("runtime", "state", "config", "home"):
            (self.tmpdir / sub).mkdir(mode=0o700)
        socket = runtime / "native"
        cookie = self.tmpdir / "state" / "cookie"

        env = dict(os.environ)
        for var in (
            "PULSE_SINK",
            "PULSE_SOURCE",
            "PULSE_PROP",
            "DISPLAY",
            "DBUS_SESSION_BUS_ADDRESS",
        ):
            env.pop(var, None)
        env.update(
            XDG_RUNTIME_DIR=str(self.tmpdir),
            PULSE_RUNTIME_PATH=str(runtime),
            PULSE_STATE_PATH=str(self.tmpdir / "state"),
            PULSE_COOKIE=str(cookie),
            PULSE_SERVER=f"unix:{socket}",
        )
        # The daemon alone also gets a private HOME and config dir, so it never reads or writes
        # ~/.config/pulse (cookie, runtime symlink) of whoever runs the tests.
        daemon_env = dict(env, HOME=str(self.tmpdir / "home"))
        daemon_env["XDG_CONFIG_HOME"] = str(self.tmpdir / "config")
        daemon_env.pop("PULSE_SERVER")

        self.log_path = self.tmpdir / "pulseaudio.log"
        cmd = [
            "pulseaudio",
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--system=no",
            "--disallow-module-loading=no",
            "--log-target=stderr",
            f"--load=module-native-protocol-unix socket={socket} auth-anonymous=1",
            "--load=module-null-sink sink_name=mic norewinds=1",
            "--load=module-null-sink sink_name=speaker norewinds=1",
            *self._extra_args,
        ]
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                cmd,
                env=daemon_env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                preexec_fn=_die_with_parent,
            )
        self.env = env
        try:
            self._wait_ready()
            self.pactl("set-default-source", "mic.monitor")
            self.pactl("set-default-sink", "speaker")
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self._timeout
        while True:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"pulseaudio exited ({self.proc.returncode}): {self.log_tail()}")
            probe = subprocess.run(
                ["pactl", "info"], env=self.env, capture_output=True, text=True, timeout=5
            )
            if probe.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"pulseaudio did not answer `pactl info`: {self.log_tail()}")
            time.sleep(0.05)

    def log_tail(self, lines: int = 15) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no log)"
        return " | ".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=5)
            self.proc = None
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def __enter__(self) -> PulseAudioServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @contextlib.contextmanager
    def activate(self) -> Iterator[None]:
        """Point *this* process at the server (for in-process tests), then restore.

        Sets the PULSE_*/XDG_RUNTIME_DIR variables in os.environ and re-initialises PortAudio if
        sounddevice is already imported (it enumerates devices, and ALSA reads its pulse
        configuration, once at initialisation). Prefer subprocesses with :attr:`env`."""
        keys = [k for k in self.env if k.startswith("PULSE_") or k == "XDG_RUNTIME_DIR"]
        saved = {k: os.environ.get(k) for k in keys}
        os.environ.update({k: self.env[k] for k in keys})
        _reinit_portaudio()
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            _reinit_portaudio()

    # -- helpers --------------------------------------------------------------------------------

    def pactl(self, *args: str) -> str:
        out = subprocess.run(
            ["pactl", *args], env=self.env, capture_output=True, text=True, timeout=10
        )
        if out.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)} failed: {out.stderr.strip()}")
        return out.stdout

    def _as_file(self, audio: str | os.PathLike[str] | np.ndarray, samplerate: int) -> Path:
        if isinstance(audio, str | os.PathLike):
            return Path(audio)
        assert self.tmpdir is not None, "server not started"
        fd, name = tempfile.mkstemp(suffix=".wav", dir=self.tmpdir)
        os.close(fd)
        sf.write(name, np.asarray(audio, dtype=np.float32), samplerate, subtype="PCM_16")
        return Path(name)

    def play_into_mic(
        self,
        audio: str | os.PathLike[str] | np.ndarray,
        samplerate: int = SOURCE_RATE,
        *,
        wait: bool = True,
    ) -> subprocess.Popen[bytes]:
        """Play a file (or a float array at ``samplerate``) into the ``mic`` sink with paplay.

        With ``wait=False`` returns the running paplay process (the caller waits on it)."""
        path = self._as_file(audio, samplerate)
        proc = subprocess.Popen(
            ["paplay", "--device=mic", str(path)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._players = [p for p in self._players if p.poll() is None] + [proc]
        if wait:
            _, err = proc.communicate(timeout=120)
            if proc.returncode != 0:
                raise RuntimeError(f"paplay failed: {err.decode(errors='replace').strip()}")
        return proc

    def stop_players(self) -> None:
        """Stops every recording still playing into the microphone."""
        for proc in self._players:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self._players.clear()

    def start_speaker_recording(
        self, path: str | os.PathLike[str], *, rate: int = SOURCE_RATE
    ) -> subprocess.Popen[bytes]:
        """Start recording ``speaker.monitor`` (mono) into ``path``; ``stop_recording`` ends it."""
        return subprocess.Popen(
            [
                "parecord",
                "--device=speaker.monitor",
                "--file-format=wav",
                f"--rate={rate}",
                "--channels=1",
                "--format=s16le",
                "--latency-msec=20",
                str(path),
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    @staticmethod
    def stop_recording(proc: subprocess.Popen[bytes], path: str | os.PathLike[str]):
        """Stop a ``start_speaker_recording`` and return (samples, rate)."""
        proc.terminate()  # parecord finalises the WAV header on SIGTERM
        proc.wait(timeout=10)
        samples, sr = sf.read(str(path), dtype="float32", always_2d=False)
        return samples, sr

    def record_speaker(
        self, seconds: float, path: str | os.PathLike[str] | None = None, *, rate: int = SOURCE_RATE
    ) -> tuple[np.ndarray, int]:
        """Record ``seconds`` of ``speaker.monitor`` (mono) and return (samples, rate).

        Blocks for ``seconds``; run it in a thread to record while something plays. The WAV is
        kept at ``path`` if given."""
        assert self.tmpdir is not None, "server not started"
        if path is None:
            fd, tmp = tempfile.mkstemp(suffix=".wav", dir=self.tmpdir)
            os.close(fd)
            path = tmp
        proc = self.start_speaker_recording(path, rate=rate)
        time.sleep(seconds)
        return self.stop_recording(proc, path)
