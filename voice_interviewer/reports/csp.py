"""The Content-Security-Policy of a report page opened from disk (file://).

Escaping is the first line of defence against text from a bank or an imported session; this is
the second: even markup that got through can neither run nor reach other files.

* Scripts: only the page's one script, by its SHA-256 hash. No 'unsafe-inline', so an inline
  event handler (``onerror=...``) or an injected ``<script>`` does not run.
* Media: only the folders that hold the session's recordings (each a ``file://*/folder/`` source,
  which Chromium matches by path prefix), or only ``data:`` when the recordings are embedded.
  Never ``file:``, which would let the page load any file on the disk as media.
* Nothing else: ``default-src 'none'``, images only as ``data:``, styles inline (the page's own).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

__all__ = ["report_csp", "script_hash_source"]

NONE = "'none'"


def script_hash_source(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _folder_source(folder: Path) -> str:
    # Percent-encoded: a space, ';' or ',' in a folder name would otherwise split the policy.
    path = quote(folder.resolve().as_posix().rstrip("/") + "/", safe="/-._~")
    return f"file://*{path}"


def report_csp(script: str = "", media_folders: Iterable[Path] = (), embedded: bool = False) -> str:
    """The policy for a report page with ``script`` inline, playing recordings from
    ``media_folders`` (or from ``data:`` URIs when ``embedded``)."""
    parts = [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        f"script-src {script_hash_source(script) if script else NONE}",
        "img-src data:",
    ]
    media = ["data:"] if embedded else sorted({_folder_source(Path(f)) for f in media_folders})
    if media:
        parts.append("media-src " + " ".join(media))
    return "; ".join(parts)
