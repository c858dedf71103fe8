"""Voice measures: CPU cost per second of audio, and the thresholds chosen leave-one-speaker-out.

    .venv/bin/python -m benchmarks.voice            # every table
    .venv/bin/python -m benchmarks.voice --cpu      # only the cost table (a few seconds)

The target (issue 26): at most 0.01 s of CPU per second of audio for the voice measures (Praat's
pitch and intensity tracks plus the pure measures), measured as process CPU time after one warm-up
call (loading Praat is paid once per process). The threshold tables use ``benchmarks.voice_clips``:
every real clip, its flat (monotone) copy, its -20 dB copy and its +20 dB hard-clipped copy.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from evaluation.voice_clips import (
    MEASURES,
    is_flagged,
    leave_one_speaker_out,
    load_voice_clips,
    measure_clip,
    pick,
    praat_median_hz,
)
from voice_interviewer.scoring.policy import DEFAULT_POLICY
from voice_interviewer.scoring.voice import measure_voice
from voice_interviewer.speech.timeline import SAMPLE_RATE
from voice_interviewer.speech.voice_tracks import measure_tracks

TARGET_CPU_PER_S = 0.01


def cpu_table(clips) -> None:
    measure_voice(measure_tracks(clips[0].audio))  # warm-up: Praat's first call loads it
    print("| clip | audio s | CPU s | CPU s per audio s |")
    print("| --- | ---: | ---: | ---: |")
    total_audio = total_cpu = 0.0
    long = np.concatenate([c.audio for c in clips])  # one long "answer" of every clip in a row
    for name, audio in [(c.name, c.audio) for c in clips] + [("all clips in one", long)]:
        t0 = time.process_time()
        measure_voice(measure_tracks(audio))
        cpu = time.process_time() - t0
        secs = len(audio) / SAMPLE_RATE
        if name != "all clips in one":
            total_audio, total_cpu = total_audio + secs, total_cpu + cpu
        print(f"| {name} | {secs:.1f} | {cpu:.3f} | {cpu / secs:.4f} |")
    print(
        f"| **all, one by one** | {total_audio:.1f} | {total_cpu:.3f} "
        f"| **{total_cpu / total_audio:.4f}** |"
    )
    print(f"\ntarget: <= {TARGET_CPU_PER_S} s CPU per second of audio\n")


def threshold_tables(clips) -> None:
    rows = [measure_clip(c) for c in clips]
    for m in MEASURES:
        folds = leave_one_speaker_out(m, rows)
        in_sample = pick(m, rows)
        policy = getattr(DEFAULT_POLICY, m.name)
        print(
            f"\n### {m.name}: leave-one-speaker-out (flag {'below' if m.flag_below else 'above'})\n"
        )
        print(
            "| held-out speaker | clips | threshold chosen on the others "
            "| copies flagged | originals flagged |"
        )
        print("| --- | ---: | ---: | ---: | ---: |")
        for f in folds:
            print(
                f"| {f.speaker} | {f.clips} | {f.threshold:.3g} "
                f"| {f.flagged}/{f.clips} | {f.kept_flagged}/{f.clips} |"
            )
        flagged = sum(f.flagged for f in folds)
        kept = sum(f.kept_flagged for f in folds)
        n = sum(f.clips for f in folds)
        print(f"| **held out, all** | {n} | | **{flagged}/{n}** | **{kept}/{n}** |")
        at_policy_flag = sum(is_flagged(m.flagged(r), policy, m.flag_below) for r in rows)
        at_policy_kept = sum(is_flagged(m.kept(r), policy, m.flag_below) for r in rows)
        print(
            f"\nchosen on all speakers (in-sample): {in_sample:.3g}; the policy's "
            f"{m.name} = {policy:g}: copies flagged {at_policy_flag}/{len(rows)}, originals "
            f"flagged {at_policy_kept}/{len(rows)}"
        )
    print("\n### per clip (original / flat copy variation, st; original / quiet level, dBFS)\n")
    print(
        "| clip | speaker | median Hz | Praat's To Pitch median Hz | variation st | flat st "
        "| level dBFS | quiet dBFS | clipped copy % |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        o = r.original
        print(
            f"| {r.clip.name} | {r.clip.speaker} | {o.pitch_median_hz} | "
            f"{praat_median_hz(r.clip.path):.1f} | {o.pitch_variation_st} | "
            f"{r.flat.pitch_variation_st} | {o.loudness_dbfs} | {r.quiet.loudness_dbfs} | "
            f"{r.clipped.clipped_percent} |"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cpu", action="store_true", help="only the CPU cost table")
    args = ap.parse_args()
    clips = load_voice_clips()
    cpu_table(clips)
    if not args.cpu:
        threshold_tables(clips)


if __name__ == "__main__":
    main()
