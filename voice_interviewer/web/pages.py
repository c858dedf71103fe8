"""The app's HTML: a shared layout (nav, stylesheet, script files; no inline code), the practice,
sessions and error pages, and the existing report and history pages adapted to the app's CSP."""

from __future__ import annotations

import re
from html import escape

from voice_interviewer.bank import Bank
from voice_interviewer.reports.html import measurement_rows, rubric_html, transcript_html
from voice_interviewer.reports.summary import when
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.sessions.store import SessionSummary
from voice_interviewer.speech.endpointing import EndpointParams

# Served from the package (no network); named by every page, so no browser asks for /favicon.ico.
ICON = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
NAV = (
    '<nav class="appnav" aria-label="Main"><a href="/" {p}>Practice</a>'
    '<a href="/sessions" {s}>Sessions</a><a href="/history" {h}>History</a></nav>'
)


def nav(current: str) -> str:
    marks = {k: 'aria-current="page"' if k == current else "" for k in ("p", "s", "h")}
    return NAV.format(**marks)


def layout(title: str, current: str, body: str, scripts: tuple[str, ...] = ()) -> str:
    tags = "".join(f'<script src="/static/{escape(s)}" defer></script>' for s in scripts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · voice-interviewer</title>"
        f'<link rel="stylesheet" href="/static/app.css">{ICON}{tags}</head>'
        f'<body><a class="skip" href="#main">Skip to content</a>{nav(current)}'
        f'<main id="main">{body}</main></body></html>\n'
    )


def adapt_report(html: str, nonce: str, current: str) -> str:
    """A report page (reports/html.py) served by the app: its inline style and script run under
    the app's CSP by nonce, its own file:// policy is dropped, and the app's nav is added."""
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html, count=1)
    html = html.replace("<style>", f'<style nonce="{nonce}">', 1)
    html = html.replace("<script>", f'<script nonce="{nonce}">', 1)
    html = html.replace(
        "</style></head>",
        f'</style><link rel="stylesheet" href="/static/nav.css">{ICON}</head>',
        1,
    )
    return html.replace("<body>", f"<body>{nav(current)}", 1)


def practice_page(
    banks: list[tuple[str, str]], bank: Bank, defaults: EndpointParams, wait_default: float
) -> str:
    bank_opts = "".join(
        f'<option value="{escape(b)}"{" selected" if b == bank.id else ""}>{escape(t)}</option>'
        for b, t in banks
    )
    cats = "".join(
        f'<label class="chk"><input type="checkbox" name="category" value="{escape(c)}"> '
        f"{escape(c)}</label>"
        for c in bank.categories()
    )
    qs = "".join(
        f'<label class="chk q"><input type="checkbox" name="question" value="{escape(q.id)}"> '
        f'{escape(q.text)} <span class="dim">({escape(q.category)})</span></label>'
        for q in bank.questions
    )
    body = f"""
<section class="card" id="setup" aria-labelledby="setup-h">
<h1 id="setup-h">Practice</h1>
<form id="bank-form" method="get" action="/">
<label for="bank">Question bank</label>
<select id="bank" name="bank">{bank_opts}</select>
<button type="submit">Show questions</button>
</form>
<form id="start-form" data-bank="{escape(bank.id)}">
<fieldset><legend>Which questions</legend>
<label class="chk"><input type="radio" name="mode" value="all" checked>
 All of the bank, in order</label>
<label class="chk"><input type="radio" name="mode" value="category"> Only these categories</label>
<div class="choices" role="group" aria-label="Categories">{cats}</div>
<label class="chk"><input type="radio" name="mode" value="questions"> Only these questions</label>
<div class="choices qlist" role="group" aria-label="Questions">{qs}</div>
<label class="chk"><input type="radio" name="mode" value="weakest"> My weakest
<input type="number" name="weakest" min="1" max="50" value="3"
 aria-label="How many weakest questions"> questions</label>
<label>At most <input type="number" name="count" min="1" max="100"
 aria-label="Ask at most this many questions"> questions (empty: no limit)</label>
</fieldset>
<fieldset><legend>Options</legend>
<label class="chk"><input type="checkbox" name="speak" checked> Speak the questions</label>
<label class="chk"><input type="checkbox" name="follow_ups"> Ask follow-ups</label>
<label>Probes on a missed point <input type="number" name="probes" min="0" max="10" step="1"
 value="1" aria-label="Probes on a missed point, per question (0: none)"> per question</label>
<label>Silence that ends an answer <input type="number" name="end_silence" min="0.5" max="30"
 step="0.5" value="{defaults.end_silence_s:g}" aria-label="Seconds of silence that end an answer">
 s</label>
<label>Longest answer <input type="number" name="max_answer" min="5" max="1800" step="5"
 value="{defaults.max_answer_s:g}" aria-label="Longest answer in seconds"> s</label>
<label>Wait for an answer <input type="number" name="wait" min="2" max="300" step="1"
 value="{wait_default:g}" aria-label="Seconds to wait for an answer to start"> s</label>
</fieldset>
<button type="submit" id="start" class="primary">Start practising</button>
</form>
</section>
<div id="error" class="card error" role="alert" hidden></div>
<section class="card" id="live" aria-labelledby="q-label" hidden>
<h2 id="q-label">Question</h2>
<p id="q-text" class="question" aria-live="polite"></p>
<p id="status" role="status" aria-live="polite">Getting ready…</p>
<div class="gauges">
<label for="level">Microphone</label><meter id="level" min="-60" max="0" low="-45" high="-6"
 optimum="-20" value="-60">-60 dB</meter>
<label for="elapsed">Time</label><progress id="elapsed" max="120" value="0"></progress>
<span id="elapsed-text" aria-live="off">0 s</span>
</div>
<div class="buttons">
<button type="button" id="replay" hidden>Play the question</button>
<button type="button" id="done" class="primary" disabled>Done: end my answer</button>
<button type="button" id="next" class="primary" hidden disabled>Next question</button>
<button type="button" id="retry" hidden disabled>Try again</button>
<button type="button" id="stop">Stop the session</button>
</div>
<div id="said"><h3>What you said</h3>
<p id="transcript" class="transcript" aria-live="polite" aria-label="Transcript so far"></p></div>
<section id="feedback" aria-live="polite" aria-label="Feedback"></section>
<div id="saved" hidden></div>
</section>
"""
    return layout("Practice", "p", body, ("practice.js",))


def feedback_html(a: Analysis, lines: list[str]) -> str:
    """The feedback shown under an answer: the spoken-style summary, transcript, measurements and
    rubric, rendered by the same functions as the report."""
    rows = "".join(
        f"<tr><td>{escape(m)}</td><td class='num'>{escape(v)}</td><td>{escape(x)}</td></tr>"
        for m, v, x in measurement_rows(a)
    )
    summary = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return (
        f'<h3>Feedback</h3><ul class="lines">{summary}</ul>'
        f'<h3>Transcript</h3><p class="transcript final">{transcript_html(a)}</p>'
        '<h3>Measurements</h3><div class="scroll"><table class="measurements">'
        f"<tr><th>measurement</th><th>value</th><th>verdict</th></tr>{rows}</table></div>"
        f"<h3>Rubric</h3>{rubric_html(a)}"
    )


def sessions_page(sessions: list[SessionSummary]) -> str:
    if not sessions:
        rows = '<p>No sessions yet: <a href="/">practise</a> first.</p>'
    else:
        items = "".join(
            f"<tr><td><a href='/sessions/{s.id}/'>Session {s.id}</a></td>"
            f"<td class='nowrap'>{escape(when(s.started_at))}</td>"
            f"<td class='hide-narrow'>{escape(s.bank_title)}</td>"
            f"<td class='num'>{s.answered}/{s.asked}</td>"
            f"<td><span class='badge {escape(s.status)}'>{escape(s.status)}</span></td>"
            f"<td class='actions'><a href='/sessions/{s.id}/export' "
            f"aria-label='Export session {s.id} as a zip'>Export</a> "
            f"<form method='post' action='/sessions/{s.id}/delete' class='inline'>"
            f"<button type='submit' class='danger' aria-label='Delete session {s.id}'>"
            "Delete</button></form></td></tr>"
            for s in sessions
        )
        rows = (
            '<div class="scroll"><table id="sessions"><tr><th>session</th><th>when</th>'
            '<th class="hide-narrow">bank</th><th>answered</th><th>status</th><th>actions</th></tr>'
            f"{items}</table></div>"
        )
    body = f'<section class="card"><h1>Sessions</h1>{rows}</section>'
    return layout("Sessions", "s", body, ("sessions.js",))


def message_page(title: str, text: str, current: str = "") -> str:
    return layout(
        title,
        current,
        f'<section class="card"><h1>{escape(title)}</h1><p>{escape(text)}</p></section>',
    )
