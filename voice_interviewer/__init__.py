"""voice-interviewer: an offline, voice-based mock interviewer."""

import os

# CTranslate2's OpenMP threads busy-wait by default. Beside a live audio loop (and anything else on
# a 2-core machine) that spinning starves the decoder: measured here, feedback after an answer took
# 39 s instead of 0.4 s. Passive waiting must be chosen before ctranslate2 loads, so it is set here.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
