"""The session report as one self-contained HTML file: inline CSS, JS and SVG, nothing fetched.

Each answer's recording is referenced by a path *relative to the HTML file*, so the page works when
opened from disk (file://) wherever the report was written; ``embed_audio`` inlines the WAVs as
base64 data URIs instead (a larger file that can be mailed on its own). Clicking a word of the
transcript seeks that answer's player to the word. The page is usable from phone width (360 px) up.
"""

from __future__ import annotations

import base64
import os
from html import escape
from pathlib import Path
from urllib.parse import quote

from voice_interviewer.bank import Bank
from voice_interviewer.reports.attempts import comparison_html, comparisons_by_seq
from voice_interviewer.reports.charts import PACE_WINDOW_S, pace_svg
from voice_interviewer.reports.correct_html import Corrections, PointFix
from voice_interviewer.reports.csp import report_csp
from voice_interviewer.reports.follow_through import example_answers, probe_seqs
from voice_interviewer.reports.marks import Mark, interleave
from voice_interviewer.reports.point_status import LABELS, evidence_text, status_of
from voice_interviewer.reports.summary import (
    STAR_PARTS,
    STATUS_TEXT,
    answer_title,
    measurement_rows,
    recording_absent,
    summarize,
    summary_rows,
    when,
)
from voice_interviewer.reports.voice_view import pitch_html
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.rubric import MADE, MISSED, UNCLEAR
from voice_interviewer.scoring.verdicts import about_text
from voice_interviewer.sessions.store import AnswerRecord, SessionDetail
from voice_interviewer.speech.timeline import attaches_to_previous

CSS = """
:root { --ink:#1d2330; --dim:#5b6475; --line:#d9dde5; --card:#fff; --bg:#f3f5f8; --ok:#1a7f37;
  --bad:#c62828; --warn:#a15c00; --accent:#2457c5; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
  color:var(--ink);
  background:var(--bg); overflow-wrap:break-word; }
main { max-width:960px; margin:0 auto; padding:12px; }
h1 { font-size:1.5rem; margin:.2em 0; } h2 { font-size:1.2rem; margin:.2em 0; }
h3 { font-size:1rem; margin:1em 0 .3em; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px;
  margin:12px 0; }
.meta, .dim { color:var(--dim); font-size:.9rem; }
.stats { display:grid; grid-template-columns:repeat(auto-fit,minmax(140px,1fr)); gap:8px; }
.stat { border:1px solid var(--line); border-radius:8px; padding:8px; }
.stat b { display:block; font-size:1.3rem; }
.badge { display:inline-block; padding:0 8px; border-radius:10px; font-size:.85rem;
  background:#e8ebf0; }
.badge.complete, .badge.answered { background:#dcf3e3; color:var(--ok); }
.badge.interrupted, .badge.unanswered { background:#fff1d6; color:var(--warn); }
.badge.incomplete, .badge.missing { background:#fde2e1; color:var(--bad); }
audio { width:100%; margin:8px 0; }
.transcript { line-height:2; }
.w { cursor:pointer; border-radius:4px; padding:1px 1px; }
.w:hover { background:#e3ebfb; }
.w.filler { background:#ffe58a; font-style:italic; }
.w.rep { text-decoration:underline wavy #d9480f; text-underline-offset:4px; }
.w.now { background:var(--accent); color:#fff; }
.pause { display:inline-block; font-size:.8rem; color:#8a1c7c; background:#f6e1f3;
  border-radius:8px; padding:0 6px; margin:0 2px; line-height:1.5; }
.legend { display:flex; flex-wrap:wrap; gap:6px 14px; font-size:.85rem; color:var(--dim);
  margin:6px 0; }
.scroll { overflow-x:auto; }
table { border-collapse:collapse; width:100%; font-size:.92rem; }
th, td { text-align:left; padding:4px 6px; border-bottom:1px solid var(--line);
  vertical-align:top; }
td.num { text-align:right; white-space:nowrap; } .nowrap { white-space:nowrap; }
ul.rubric { list-style:none; padding:0; margin:0; }
ul.rubric li { padding:4px 0 4px 26px; position:relative; }
ul.rubric li::before { position:absolute; left:4px; font-weight:bold; }
ul.rubric li.hit::before { content:"✓"; color:var(--ok); }
ul.rubric li.miss::before { content:"✗"; color:var(--bad); }
ul.rubric li.unclear::before { content:"?"; color:var(--warn); }
ul.rubric li.about { color:var(--warn); }
.fix { font-size:.85rem; color:var(--dim); } .fix form { display:inline; }
.evidence { color:var(--dim); font-size:.88rem; }
.star span { margin-right:10px; white-space:nowrap; }
.hit-t { color:var(--ok); } .miss-t { color:var(--bad); }
svg.chart { width:100%; max-width:560px; height:auto; display:block; }
svg text { font:12px system-ui,sans-serif; fill:var(--dim); }
ol.todo li { margin:4px 0; }
@media (max-width:520px) { body { font-size:15px; } main { padding:6px; } .card { padding:10px; }
  th, td { padding:3px 4px; } .hide-narrow { display:none; }
  /* measurements stack on a phone: name and value on one line, the verdict under them */
  table.measurements tr:first-child { display:none; }
  table.measurements tr { display:grid; grid-template-columns:1fr auto;
    border-bottom:1px solid var(--line); }
  table.measurements td { border:0; padding:2px 4px; }
  table.measurements td.num { white-space:normal; }
  table.measurements td:nth-child(3) { grid-column:1 / -1; color:var(--dim); font-size:.88rem; }
  table.measurements td:nth-child(3):empty { display:none; } }
"""

JS = """
// Clicking a word plays the answer from that word; the word being spoken is highlighted.
document.addEventListener('click', function (e) {
  var w = e.target.closest('.w'); if (!w) return;
  var audio = w.closest('.answer').querySelector('audio'); if (!audio) return;
  audio.currentTime = parseFloat(w.dataset.start);
  var p = audio.play(); if (p && p.catch) p.catch(function () {});
});
document.querySelectorAll('.answer audio').forEach(function (audio) {
  var words = Array.prototype.slice.call(audio.closest('.answer').querySelectorAll('.w'));
  audio.addEventListener('timeupdate', function () {
    var t = audio.currentTime;
    words.forEach(function (w) {
      w.classList.toggle('now', t >= +w.dataset.start && t < +w.dataset.end);
    });
  });
});
"""


def page(title: str, body: str, script: str = "", csp: str | None = None) -> str:
    """A complete HTML document: everything inline, nothing loaded from the network. ``csp``
    defaults to a policy allowing ``script`` by its hash and no media (see reports/csp.py)."""
    csp = report_csp(script) if csp is None else csp
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main>"
        + (f"<script>{script}</script>" if script else "")
        + "</body></html>\n"
    )


def audio_src(wav: Path, html_path: Path, embed: bool = False) -> str:
    """The recording as the page refers to it: relative to the HTML file, or a data URI."""
    if embed:
        return "data:audio/wav;base64," + base64.b64encode(wav.read_bytes()).decode("ascii")
    try:
        rel = os.path.relpath(wav.resolve(), html_path.resolve().parent)
    except ValueError:  # another drive (Windows): only an absolute URI can reach it
        return wav.resolve().as_uri()
    return quote(Path(rel).as_posix())


# ---------------------------------------------------------------- one answer


def transcript_html(a: Analysis) -> str:
    """Clickable word spans (data-start/data-end) with fillers, repeated words, long pauses and
    unclear speech marked by their own classes."""
    reps = [(r.start, r.end) for r in a.repetitions]
    out: list[str] = []
    for w in interleave(a):
        if isinstance(w, Mark):
            css = "pause" if w.kind == "pause" else "pause unclear"
            out.append(
                f'<span class="{css}" title="{w.kind} at {w.span.start:.1f} '
                f's">{escape(w.label(" s"))}</span>'
            )
            continue
        cls = "w filler" if w.filler else "w"
        if not w.filler and any(s < w.end and w.start < e for s, e in reps):
            cls += " rep"
        span = (
            f'<span class="{cls}" data-start="{w.start:.3f}" data-end="{w.end:.3f}">'
            f"{escape(w.text)}</span>"
        )
        if out and attaches_to_previous(w.text):  # "Cross" "-validation" read as one word
            out[-1] += span
        else:
            out.append(span)
    return " ".join(out)


def legend_html(a: Analysis) -> str:
    return (
        '<div class="legend"><span><span class="w filler">um</span> filler</span>'
        '<span><span class="w rep">I I</span> repeated word</span>'
        f'<span><span class="pause">pause {a.policy.long_pause_s + 0.5:.1f} s</span> long pause '
        f"({escape(a.policy.long_pause_text)})</span>"
        "<span>click a word to play from there</span></div>"
    )


def rubric_html(a: Analysis, fix: PointFix | None = None) -> str:
    """The points, each made, missed or unclear with its evidence and times; ``fix``: how the
    user corrects a verdict on this page (``reports.correct_html``)."""
    items = []
    for p in a.rubric.points:
        status = status_of(p)
        text = escape(p.text)
        ev = escape(evidence_text(p, 3)) if status != MISSED else ""
        note = {MISSED: "missed", UNCLEAR: LABELS[UNCLEAR]}.get(status, "")
        body = "; ".join(x for x in (escape(note), ev) if x)
        extra = fix(p.id, status) if fix else ""
        items.append(
            f'<li class="{CLASS[status]}">{text}<div class="evidence">{body}</div>{extra}</li>'
        )
    if a.rubric.about is not None:
        items.append(
            '<li class="about">this answer seems to be about '
            f"{escape(about_text(a.rubric.about))}</li>"
        )
    html = f'<ul class="rubric">{"".join(items)}</ul>'
    star = a.rubric.star
    if star is not None:
        marks = [(k, getattr(star, k)) for k in STAR_PARTS]
        parts = "".join(
            f'<span class="{"hit-t" if ok else "miss-t"}">{"✓" if ok else "✗"} {k}</span>'
            for k, ok in marks
        )
        html += f'<h3>STAR</h3><div class="star">{parts}</div>'
    return html


CLASS = {MADE: "hit", MISSED: "miss", UNCLEAR: "unclear"}


def answer_html(
    a: AnswerRecord,
    html_path: Path,
    embed_audio: bool,
    fix: PointFix | None = None,
    probe: bool = False,
) -> str:
    head = [f'<section class="card answer" id="answer-{a.seq}" data-seq="{a.seq}">']
    head.append(f"<h2>{escape(answer_title(a, probe))}: {escape(a.question_text)}</h2>")
    head.append(f'<div class="meta">{escape(a.question_id)} · {escape(a.category)} · ')
    head.append(f'<span class="badge {a.status}">{escape(a.status)}</span></div>')
    if a.follow_up_of is not None:
        asked = "Probe on a missed point" if probe else "Follow-up"
        head.append(f"<p><b>{asked}:</b> {escape(a.prompt_text)}</p>")
    if a.status != "answered":
        head.append(f'<p class="dim">{escape(STATUS_TEXT.get(a.status, a.status))}</p>')
    if a.wav_exists:
        src = audio_src(a.wav_path, html_path, embed_audio)
        head.append(f'<audio controls preload="metadata" src="{escape(src)}"></audio>')
    else:
        head.append(
            f'<p><span class="badge missing">recording missing</span> <span '
            f'class="dim">{escape(str(a.wav_path))}</span></p>'
            if a.recording_lost
            else f'<p class="dim">No recording: {escape(recording_absent(a))}.</p>'
        )
    an = a.analysis
    if an is None or not an.answered:
        head.append('<p class="dim">No speech was scored for this answer.</p></section>')
        return "".join(head)
    rows = "".join(
        f"<tr><td>{escape(m)}</td><td class='num'>{escape(v)}</td><td>{escape(x)}</td></tr>"
        for m, v, x in measurement_rows(an)
    )
    head += [
        "<h3>Transcript</h3>",
        legend_html(an),
        f'<p class="transcript">{transcript_html(an)}</p>',
        "<h3>Pace and pauses</h3>",
        pace_svg(an),
        f'<p class="dim">Words per minute over a sliding {PACE_WINDOW_S:g} s window (fillers not '
        f"counted); the green band is {an.policy.pace_band_text} wpm. Below: the pauses, long ones "
        f"({escape(an.policy.long_pause_text)}) darker.</p>",
        *pitch_html(an),
        "<h3>Measurements</h3>",
        f'<div class="scroll"><table class="measurements"><tr><th>measurement</th><th>value</th>'
        f"<th>verdict</th></tr>{rows}</table></div>",
        "<h3>Rubric</h3>",
        rubric_html(an, fix),
        "</section>",
    ]
    return "".join(head)


# ---------------------------------------------------------------- the page


def session_header_html(detail: SessionDetail) -> str:
    s = summarize(detail.answers)
    stats = "".join(
        f'<div class="stat"><span class="dim">{escape(k)}</span><b>{escape(v)}</b></div>'
        for k, v in summary_rows(s)
    )
    todo = s.things_to_work_on or ["Nothing stands out: keep practising with new questions."]
    note = ""
    if detail.status == "incomplete":
        note = (
            '<p class="dim">This session never ended: the program stopped before it finished. '
            "What was saved is shown below.</p>"
        )
    if s.missing_recordings:
        n = s.missing_recordings
        note += f'<p class="dim">{n} recording{"s are" if n > 1 else " is"} missing from disk.</p>'
    return (
        f'<section class="card summary"><h1>Session {detail.id}: {escape(detail.bank_title)}</h1>'
        f'<div class="meta">{escape(when(detail.started_at))} · model {escape(detail.model)} · '
        f'<span class="badge {detail.status}">{escape(detail.status)}</span></div>{note}'
        f'<div class="stats">{stats}</div><h3>Work on next</h3><ol class="todo">'
        + "".join(f"<li>{escape(t)}</li>" for t in todo)
        + "</ol></section>"
    )


def example_html(text: str) -> str:
    """A question's example answer, collapsed: reading it is the user's choice."""
    return (
        '<section class="card example"><details><summary>Show an example answer</summary>'
        f'<p class="example-answer">{escape(text)}</p></details></section>'
    )


def render_session_html(
    detail: SessionDetail,
    html_path: Path,
    embed_audio: bool = False,
    corrections: Corrections | None = None,
    bank: Bank | None = None,
) -> str:
    """The whole report page; ``html_path`` is where it will be written (for relative audio).
    ``corrections``: the session's corrections and how the page takes new ones (forms when
    served, commands to copy when a file); None: no correcting. ``bank``: the session's bank,
    for each question's example answer (None: none shown)."""
    body = session_header_html(detail)
    if not detail.answers:
        body += '<section class="card"><p>No questions were asked in this session.</p></section>'
    probes = probe_seqs(detail.answers)
    compared = comparisons_by_seq(detail.answers)
    examples = example_answers(detail.answers, bank)
    for a in detail.answers:
        fix = corrections.fix(a.seq) if corrections else None
        body += answer_html(a, Path(html_path), embed_audio, fix, a.seq in probes)
        if a.seq in compared:  # a later attempt beside the one before
            body += f'<section class="card">{comparison_html(compared[a.seq])}</section>'
        if a.seq in examples:
            body += example_html(examples[a.seq])
    folders = [a.wav_path.parent for a in detail.answers if a.wav_exists]
    return page(f"Session {detail.id} report", body, JS, report_csp(JS, folders, embed_audio))
