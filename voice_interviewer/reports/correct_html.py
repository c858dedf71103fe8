"""The user's corrections on the report page: each rubric point can be marked made or missed.

The report is a static file under a strict CSP (no script may post anything, and a file:// page
has no server to post to), so it says how to correct a verdict instead: the ``voice-interviewer
correct`` command, ready to copy. The same page served by ``serve`` has a server behind it: there
each point has two buttons, a plain HTML form posting to ``/sessions/ID/correct`` (allowed by the
served page's ``form-action 'self'``; no script needed). A correction already given is shown.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from voice_interviewer.scoring.rubric import MADE, MISSED
from voice_interviewer.sessions.corrections import Correction

# (point id, status) -> the HTML under the point
PointFix = Callable[[str, str], str]


@dataclass(frozen=True)
class Corrections:
    session_id: int
    given: Sequence[Correction]
    served: bool  # True: forms posting to the server; False: commands to copy
    data_dir: str | None = None  # a --data-dir the command needs (None: the default folder)

    def fix(self, seq: int) -> PointFix:
        return lambda point_id, status: self._html(seq, point_id, status)

    def _html(self, seq: int, point_id: str, status: str) -> str:
        given = next((c for c in self.given if c.seq == seq and c.point_id == point_id), None)
        out = []
        if given is not None:
            verdict = "made" if given.made else "missed"
            out.append(f"<b>you marked it {verdict}</b>")
        if self.served:
            buttons = "".join(
                f'<button type="submit" name="verdict" value="{v}">mark {v}</button>'
                for v in (MADE, MISSED)
            )
            out.append(
                f'<form method="post" action="/sessions/{self.session_id}/correct">'
                f'<input type="hidden" name="seq" value="{seq}">'
                f'<input type="hidden" name="point" value="{escape(point_id)}">{buttons}</form>'
            )
        else:
            made_now = given.made if given is not None else status == MADE
            other = MISSED if made_now else MADE
            cmd = ["voice-interviewer", "correct", str(self.session_id), str(seq), point_id, other]
            if self.data_dir:
                cmd += ["--data-dir", self.data_dir]
            out.append(f"wrong? <code>{escape(shlex.join(cmd))}</code>")
        return f'<div class="fix">{" ".join(out)}</div>'
