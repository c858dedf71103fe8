#!/usr/bin/env bash
# Sets up what is missing, then runs a practice session on the bundled defaults.
# Options go to `voice-interviewer practice` (try ./run.sh --help); a command name first runs that
# command instead (./run.sh demo, ./run.sh devices, ./run.sh sessions, ...).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
case "${1:-}" in
    "" | -*)
        args=(practice "$@") ;;  # options alone: a practice session
    *)
        args=("$@") ;;  # a command (a misspelt one gets "did you mean" from the tool)
esac
status=0
.venv/bin/voice-interviewer "${args[@]}" || status=$?
case "$status" in 0 | 129 | 130 | 143) ;; *)  # 129/130/143: ended by SIGHUP, Ctrl-C, SIGTERM
    # The messages name `voice-interviewer ...`; from this folder that is ./run.sh or .venv/bin.
    echo "(From this folder, \`voice-interviewer X\` is \`./run.sh X\` or \`.venv/bin/voice-interviewer X\`.)" >&2
;; esac
exit "$status"
