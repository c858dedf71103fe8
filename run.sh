#!/usr/bin/env bash
# Sets up what is missing, then runs a practice session on the bundled defaults.
# Options go to `voice-interviewer practice` (try ./run.sh --help); a command name first runs that
# command instead (./run.sh demo, ./run.sh devices, ./run.sh sessions, ...).
set -euo pipefail
# Hints in the tool's messages name it as it was started here (./run.sh review 3): from a clone,
# `voice-interviewer` is not on PATH.
export VOICE_INTERVIEWER_LAUNCHER="$0"
here="$(dirname "$0")"
cd "$here"
scripts/setup.sh
case "${1:-}" in
    "" | -*)
        args=(practice "$@") ;;  # options alone: a practice session
    *)
        args=("$@") ;;  # a command (a misspelt one gets "did you mean" from the tool)
esac
status=0
.venv/bin/voice-interviewer "${args[@]}" || status=$?
case "$status" in 2 | 126 | 127)  # a usage error (argparse's usage line names voice-interviewer)
    echo "(Here, \`voice-interviewer X\` is \`$0 X\` or \`$here/.venv/bin/voice-interviewer X\`.)" >&2
;; esac
exit "$status"
