"""The banks the web app offers: chosen by id from its own list, never by a path.

A page (or any program that got hold of the token) names a bank; a name that is not in the list
is refused with the same words whatever it is, so nothing on the server is opened, and nothing is
told about which files exist or how they fail to parse. The list is the shipped banks, the ones
the user added with ``banks add``, and the bank ``serve --bank`` named (which may be a path: the
person starting the server chose it).
"""

from __future__ import annotations

from pathlib import Path

from voice_interviewer.bank import DEFAULT_BANK_ID, Bank, available_bank_paths, read_bank_file
from voice_interviewer.errors import BankError


class BankChoices:
    def __init__(self, default: str | None = None) -> None:
        self._extra: dict[str, Path] = {}
        self.default_id = default or DEFAULT_BANK_ID
        if default and default not in available_bank_paths():
            path = Path(default).expanduser()
            self.default_id = read_bank_file(path).id
            self._extra[self.default_id] = path

    def paths(self) -> dict[str, Path]:
        return {**available_bank_paths(), **self._extra}

    def listing(self) -> list[tuple[str, str]]:
        """(id, title) of each bank on offer."""
        return [(b, read_bank_file(p).title) for b, p in self.paths().items()]

    def load(self, bank_id: str | None) -> Bank:
        """The bank with this id (None: the default), or a BankError naming the ids on offer.
        Parsing takes a while for a large bank: call it off the event loop."""
        paths = self.paths()
        wanted = bank_id or self.default_id
        if wanted not in paths:
            shown = wanted if len(wanted) <= 60 else wanted[:57] + "..."
            raise BankError(
                f"no question bank {shown!r} here; choose one of: {', '.join(sorted(paths))}"
            )
        return read_bank_file(paths[wanted])
