#!/usr/bin/env bash
# Installs what voice-interviewer needs on Debian/Ubuntu, once: apt packages (espeak-ng, PortAudio,
# PulseAudio and its ALSA plugin, sox), a virtualenv in .venv, and the package with its extras.
# Safe to re-run: it only installs what is missing. Used by ./run.sh and ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(espeak-ng libespeak-ng1 libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins alsa-utils sox libsox-fmt-all python3-venv)
# The report's browser test (./test.sh sets this) drives headless Chromium.
if [ "${VOICE_INTERVIEWER_WITH_BROWSER:-0}" = 1 ]; then APT_PACKAGES+=(chromium chromium-driver); fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages (a minute or two): ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # sudo asks for the password here, before apt's output is sent to the log.
  if [ -n "$SUDO" ]; then $SUDO -v; fi
  # apt and dpkg print hundreds of progress lines (-qq does not quiet dpkg): keep them in a log
  # and show its end only when something failed.
  apt_log=$(mktemp "${TMPDIR:-/tmp}/voice-interviewer-apt.XXXXXX")
  if ! { $SUDO apt-get update -qq \
         && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o Dpkg::Use-Pty=0 \
              --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
    echo "Error: installing the system packages failed; the end of apt's output ($apt_log):" >&2
    tail -n 20 "$apt_log" >&2
    exit 1
  fi
  rm -f "$apt_log"
fi

PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Error: Python 3.11 or newer is needed (found $("$PY" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtualenv in .venv" >&2
  "$PY" -m venv .venv
fi
# Reinstall only when the project's dependencies (or the extras installed) changed.
# piper: the natural interviewer voice (`--tts auto` picks it; espeak stays the fallback).
EXTRAS="base,dev,web,cluster,piper"
stamp=.venv/.installed-$( (cat pyproject.toml; echo "$EXTRAS") | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "Installing voice-interviewer and its dependencies into .venv (a few minutes the first time)" >&2
  # pip's own notices would fill the screen: they go to a log, shown only if the install fails.
  log=.venv/pip-install.log
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q -e ".[$EXTRAS]"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "Error: installing the Python packages failed (the whole log: $log)" >&2
    exit 1
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi
