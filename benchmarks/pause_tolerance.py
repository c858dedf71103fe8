"""Does a thinking pause end the answer? The live endpointer over answers with a pause of known
length at a known point, before (a fixed 3 s end silence, the old default) and after (the live
defaults: a growing end silence plus a grace period).

Answers are built from real speech (JFK's inaugural clip and the 16 real clips in
../shared/audio, one after another) and from espeak-ng speech, with a pause of 2-7 s after 5, 20
or 60 s of speech, then 5 s more speech, then silence; pauses and the tail carry a -50 dBFS noise
floor like a live microphone. Silero VAD (the one practice uses) gives the frame probabilities,
the pure Endpointer decides. "cut" means the answer ended inside the pause; "wait" is the time
from the last word to the end of the answer (what the forgiveness costs a candidate who is done
and does not press Enter).

    python -m benchmarks.pause_tolerance [--markdown FILE]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from voice_interviewer.speech.decode import load_audio
from voice_interviewer.speech.endpointing import LIVE_DEFAULTS, Endpointer, EndpointParams
from voice_interviewer.speech.vad import SileroModel, speech_spans

ROOT = Path(__file__).resolve().parents[1]

# shared/audio beside the checkout (as in CI), or beside the folder of git worktrees.
SHARED = next(
    (
        p
        for p in (ROOT.parent / "shared" / "audio", ROOT.parents[1] / "shared" / "audio")
        if p.is_dir()
    ),
    ROOT.parent / "shared" / "audio",
)
SR = 16000
PAUSES_S = (2.0, 3.0, 4.0, 5.0, 6.0, 7.0)
POSITIONS_S = (5.0, 20.0, 60.0)
BEFORE = EndpointParams(end_silence_s=3.0, max_answer_s=300.0, wait_s=20.0)  # the old default
AFTER = LIVE_DEFAULTS
SENTENCES = (
    "Overfitting is when a model learns the noise in its training data instead of the signal.",
    "I hold out a validation set and compare the training error with the validation error.",
    "Regularization, dropout and early stopping all reduce it, and so does more data.",
)


def _noise(seconds: float, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(0.0, 0.003, int(seconds * SR)).astype(np.float32)


def real_speech(vad: SileroModel) -> list[np.ndarray]:
    """The real clips, each trimmed to its speech (VAD), so a pause is as long as it says."""
    out = []
    for path in [SHARED / "jfk.flac", *sorted((SHARED / "real").glob("*.wav"))]:
        audio = load_audio(path)
        spans = speech_spans(vad.probabilities(audio))
        if spans:
            out.append(audio[int(spans[0].start * SR) : int(spans[-1].end * SR)])
    return out


def espeak_speech(folder: Path) -> list[np.ndarray]:
    out = []
    for n, text in enumerate(SENTENCES):
        raw, wav = folder / f"s{n}-raw.wav", folder / f"s{n}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "-w", str(raw), text], check=True)
        subprocess.run(
            ["sox", str(raw), "-r", str(SR), "-c", "1", "-b", "16", str(wav)], check=True
        )
        audio, _ = sf.read(str(wav), dtype="float32")
        nz = np.flatnonzero(np.abs(audio) > 0.01)
        out.append(audio[nz[0] : nz[-1] + 1])
    return out


def _speech(clips: list[np.ndarray], seconds: float, start: int) -> tuple[np.ndarray, int]:
    """Clips one after another (0.4 s apart) until ``seconds`` long;
    returns it and the next index."""
    parts, total, i = [], 0.0, start
    while total < seconds:
        clip = clips[i % len(clips)]
        parts += [clip, np.zeros(int(0.4 * SR), np.float32)]
        total += len(clip) / SR + 0.4
        i += 1
    return np.concatenate(parts[:-1]), i


@dataclass(frozen=True)
class Trial:
    material: str
    position_s: float
    pause_s: float
    before_cut: bool
    after_cut: bool
    before_wait_s: float | None  # last word -> end of answer (None when it was cut)
    after_wait_s: float | None


def trial(material: str, clips, position: float, pause: float, vad: SileroModel) -> Trial:
    rng = np.random.default_rng(int(position * 10 + pause))
    first, nxt = _speech(clips, position, 0)
    second, _ = _speech(clips, 5.0, nxt)
    tail = 20.0
    audio = np.concatenate(
        [first, np.zeros(int(pause * SR), np.float32), second, np.zeros(int(tail * SR), np.float32)]
    )
    audio = audio + _noise(len(audio) / SR + 1, rng)[: len(audio)]
    probs = vad.probabilities(audio)
    resumed = (len(first) + int(pause * SR)) / SR

    def run(params: EndpointParams) -> tuple[bool, float | None]:
        ep = Endpointer(params)
        ep.push(probs)
        ended = ep.ended.t if ep.ended else len(audio) / SR
        cut = ended < resumed
        return cut, None if cut else round(ended - ep.speech[-1].end, 2) if ep.speech else None

    (bc, bw), (ac, aw) = run(BEFORE), run(AFTER)
    return Trial(material, position, pause, bc, ac, bw, aw)


def table(trials: list[Trial]) -> str:
    lines = [
        "| speech | pause after | pause | before: cut? | after: cut? | wait before | wait after |",
        "| --- | ---: | ---: | --- | --- | ---: | ---: |",
    ]
    for t in trials:
        lines.append(
            f"| {t.material} | {t.position_s:.0f} s | {t.pause_s:.0f} s | "
            f"{'CUT' if t.before_cut else 'kept'} | {'CUT' if t.after_cut else 'kept'} | "
            f"{'-' if t.before_wait_s is None else f'{t.before_wait_s:.1f} s'} | "
            f"{'-' if t.after_wait_s is None else f'{t.after_wait_s:.1f} s'} |"
        )
    lines.append("")
    lines.append(
        "| speech | pauses of 3-6 s cut, before | after "
        "| mean wait after the last word, before | after |"
    )
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for material in dict.fromkeys(t.material for t in trials):
        mid = [t for t in trials if t.material == material and 3.0 <= t.pause_s <= 6.0]
        waits_b = [t.before_wait_s for t in trials if t.material == material and t.before_wait_s]
        waits_a = [t.after_wait_s for t in trials if t.material == material and t.after_wait_s]
        lines.append(
            f"| {material} | {sum(t.before_cut for t in mid)}/{len(mid)} | "
            f"{sum(t.after_cut for t in mid)}/{len(mid)} | "
            f"{np.mean(waits_b):.1f} s | {np.mean(waits_a):.1f} s |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = ap.parse_args()
    vad = SileroModel()
    materials = []
    real = real_speech(vad) if SHARED.is_dir() else []
    if real:
        materials.append(("real", real))
    else:
        print(f"(no real speech at {SHARED}: espeak only)")
    with tempfile.TemporaryDirectory() as tmp:
        materials.append(("espeak", espeak_speech(Path(tmp))))
        trials = [
            trial(name, clips, pos, pause, vad)
            for name, clips in materials
            for pos in POSITIONS_S
            for pause in PAUSES_S
        ]
    out = table(trials)
    print(out)
    if args.markdown:
        args.markdown.write_text(out + "\n")


if __name__ == "__main__":
    main()
