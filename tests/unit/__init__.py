"""Fast unit tests of the pure modules: hand-made inputs, hand-derived answers, no Whisper model."""
