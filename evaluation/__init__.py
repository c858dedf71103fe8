"""What the tests and the benchmarks both measure against, kept apart from each.

``truth``: the comparison rules (word error rate, matching detected fillers and pauses to known
truth); ``real_clips``: the real-speech clip sets in ``../shared/audio`` and their labels;
``voice_clips``: the voice measures' clips and their altered copies; ``hostile``: hostile session
archives. Nothing in ``voice_interviewer`` imports this, and this imports neither ``tests`` nor
``benchmarks``: tests use it directly, and ``benchmarks`` print tables from it.
"""
