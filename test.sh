#!/usr/bin/env bash
# Sets up what is missing, then runs the test suite (audio-device tests start their own PulseAudio).
# Any options go to pytest, in one run (e.g. ./test.sh tests/unit -q).
#
# Without options: ruff check and ruff format --check, then two runs: every test file but one on
# three worker processes (pytest-xdist, a whole file per worker so a module's expensive set-up runs
# once; three on two cores because many tests wait in real time for audio played through
# PulseAudio or Chromium: with two workers the run kept the cores 60 % busy), then
# tests/devices/test_audio_devices.py alone: it measures where playback starts and ends on the
# microphone's clock, and a second worker busy decoding beside it can starve the sound server (a
# 1 s tone once recorded 0.29 s early).
set -euo pipefail
cd "$(dirname "$0")"
VOICE_INTERVIEWER_WITH_BROWSER=1 scripts/setup.sh
if [ "$#" -gt 0 ]; then
  exec .venv/bin/python -m pytest "$@"
fi
status=0
# Lint and format first: a second or two, and the same rules as the editor's.
.venv/bin/ruff check . || status=$?
.venv/bin/ruff format --check . || status=$?
.venv/bin/python -m pytest -n 3 --dist loadfile --ignore tests/devices/test_audio_devices.py || status=$?
.venv/bin/python -m pytest tests/devices/test_audio_devices.py || status=$?
exit "$status"
