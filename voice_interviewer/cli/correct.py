"""``voice-interviewer correct SESSION ANSWER POINT made|missed``: the user's verdict on a rubric
point, saved with the session and taught to later answers in the same data folder."""

from __future__ import annotations

import argparse

from voice_interviewer.cli.sessions import DATA_DIR_HELP, SESSION_HELP, open_store, session_ref
from voice_interviewer.errors import SessionError


def register(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser(
        "correct",
        help="correct a rubric verdict: this point was in fact made (or missed)",
        description="Mark a rubric point of a saved answer as made or missed. The correction is "
        "saved with the session, shown in its report, and used as an example for that question's "
        "point on later answers scored in the same data folder (the answer's sentence closest to "
        "the point is the example). The HTML report shows this command for each point; the page "
        "served by `serve` has buttons instead. `banks examples export` writes the corrected "
        "answers into a bank file.",
    )
    c.add_argument("session", metavar="SESSION", help=SESSION_HELP)
    c.add_argument("answer", metavar="ANSWER", help="the answer's number in the session (1, 2...)")
    c.add_argument("point", metavar="POINT", help="the point's id, as the report shows it")
    c.add_argument("verdict", choices=("made", "missed"), help="what the answer in fact did")
    c.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    c.set_defaults(func=cmd_correct)


def cmd_correct(args: argparse.Namespace) -> int:
    from voice_interviewer.scoring.semantic_model import shared_embedder
    from voice_interviewer.sessions.corrections import correct_answer, save_correction

    ref = session_ref(args.session)
    root, store = open_store(args.data_dir)
    if store is None:
        raise SessionError(f"no saved sessions in {root}")
    try:
        detail = store.load_session(ref)
        c = correct_answer(detail, args.answer, args.point, args.verdict, shared_embedder())
        save_correction(store.session_dir(detail.id), c)
    finally:
        store.close()
    print(
        f"Session {detail.id}, answer {c.seq}: point '{c.point_id}' marked {args.verdict} "
        f"(example: “{c.sentence}”); later answers to '{c.question_id}' learn from it."
    )
    return 0
