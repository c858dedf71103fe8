#!/usr/bin/env bash
# Sets up what is missing, then runs a practice session on the bundled defaults.
# Any options go to `voice-interviewer practice` (try ./run.sh --help).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
exec .venv/bin/voice-interviewer practice "$@"
