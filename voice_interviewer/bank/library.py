"""Where banks are found: the ones shipped with the package and the ones the user added
(``banks add``), by id or by path; installing and removing the user's."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from voice_interviewer.bank.model import DEFAULT_BANK_ID, Bank
from voice_interviewer.bank.toml_format import bank_from_bytes, read_bank_bytes, read_bank_file
from voice_interviewer.errors import BankError
from voice_interviewer.paths import banks_dir, make_private_dir


def installed_bank_paths() -> dict[str, Path]:
    """Bank id (the file's stem) -> path of every bank shipped with the package."""
    directory: Path | None = None
    try:
        root = resources.files("voice_interviewer.question_bank")
        if root.is_dir():
            directory = Path(str(root))
    except (ModuleNotFoundError, TypeError, OSError):
        directory = None
    if directory is None or not directory.is_dir():
        # Not installed (e.g. run from a checkout with PYTHONPATH=.): use the repo's folder.
        directory = Path(__file__).resolve().parents[2] / "question_bank"
    if not directory.is_dir():
        return {}
    return {p.stem: p for p in sorted(directory.glob("*.toml")) if p.is_file()}


def user_bank_paths(directory: Path | None = None) -> dict[str, Path]:
    """Bank id -> path of every bank the user added with `banks add` (``<data dir>/banks``)."""
    directory = banks_dir() if directory is None else directory
    if not directory.is_dir():
        return {}
    return {p.stem: p for p in sorted(directory.glob("*.toml")) if p.is_file()}


def available_bank_paths(user_dir: Path | None = None) -> dict[str, Path]:
    """Every bank an id can name: the shipped ones, then the user's (a shipped id always wins)."""
    return {**user_bank_paths(user_dir), **installed_bank_paths()}


def resolve_bank(spec: str | None, user_dir: Path | None = None) -> Bank:
    """Load a bank by id (``None`` means the default): a shipped bank, else one the user added
    (``user_dir``, default ``<data dir>/banks``); else ``spec`` is a path to a .toml file."""
    spec = DEFAULT_BANK_ID if spec is None else spec
    known_banks = available_bank_paths(user_dir)
    if spec in known_banks:
        return read_bank_file(known_banks[spec])
    path = Path(spec).expanduser()
    if path.is_file():
        return read_bank_file(path)
    known = ", ".join(sorted(known_banks)) or "none"
    raise BankError(
        f"no question bank {spec!r}: it is not an installed bank id (installed: {known}) "
        f"and no file exists at {str(path)!r}; pass an installed id or a path to a .toml file "
        "(`voice-interviewer banks add FILE` installs one)"
    )


def install_bank(path: str | Path, user_dir: Path | None = None) -> tuple[Bank, bool]:
    """Validates the bank at ``path`` and copies it to ``user_dir/<id>.toml`` so every ``--bank``
    finds it by id; returns (the bank, whether it replaced one added before). A bank whose id is
    a shipped bank's is refused: the id would name two banks."""
    raw = read_bank_bytes(path)  # read once: the bytes checked are the bytes copied
    bank = bank_from_bytes(raw, str(path))
    if bank.id in installed_bank_paths():
        raise BankError(
            f"{path}: bank id {bank.id!r} is the id of a bank shipped with voice-interviewer; "
            "give your bank another id (the top-level `id` field)"
        )
    directory = banks_dir() if user_dir is None else user_dir
    target = directory / f"{bank.id}.toml"
    replaced = target.is_file()
    try:
        make_private_dir(directory.parent)  # the data folder: private, like the sessions
        make_private_dir(directory)
        tmp = target.with_suffix(".toml.tmp")
        tmp.write_bytes(raw)
        tmp.replace(target)  # whole or not at all: a half-copied bank would fail every command
    except OSError as exc:
        raise BankError(f"{target}: cannot install the bank ({exc.strerror or exc})") from None
    return read_bank_file(target), replaced


def remove_bank(bank_id: str, user_dir: Path | None = None) -> Path:
    """Deletes a bank the user added; returns the file removed. Shipped banks stay."""
    if bank_id in installed_bank_paths():
        raise BankError(f"bank {bank_id!r} is shipped with voice-interviewer and cannot be removed")
    added = user_bank_paths(user_dir)
    if bank_id not in added:
        known = ", ".join(sorted(added)) or "none"
        raise BankError(f"no added bank {bank_id!r} (added with `banks add`: {known})")
    try:
        added[bank_id].unlink()
    except OSError as exc:
        raise BankError(f"{added[bank_id]}: cannot remove it ({exc.strerror or exc})") from None
    return added[bank_id]
