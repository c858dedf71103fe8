"""The command line: one module per command group, each a thin client of the library."""

from voice_interviewer.cli.app import main

__all__ = ["main"]
