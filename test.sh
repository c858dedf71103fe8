#!/usr/bin/env bash
# Sets up what is missing, then runs the test suite (audio-device tests start their own PulseAudio).
# Any options go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
VOICE_INTERVIEWER_WITH_BROWSER=1 scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
