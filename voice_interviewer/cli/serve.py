"""CLI: ``serve``, the local web app (a thin wrapper: options -> ``web.app.create_app`` ->
uvicorn)."""

from __future__ import annotations

import argparse
import sys

from voice_interviewer.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    from voice_interviewer.cli.common import BANK_HELP, MODEL_HELP

    p = sub.add_parser(
        "serve",
        help="practise, review and follow your progress in the browser (a local web app)",
        description="Serves the web app on this computer: pick questions, hear them, "
        "answer into the microphone, see the transcript and feedback, and browse past "
        "sessions, reports and history. Open the address it prints (it carries a secret "
        "token; other pages and other computers cannot use the app). Ctrl-C stops it.",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default %(default)s: this computer only; "
        "another address exposes your recordings to the network)",
    )
    p.add_argument(
        "--port",
        type=int,
        default=8765,
        metavar="N",
        help="port (default %(default)s; 0 picks a free one)",
    )
    p.add_argument("--open", action="store_true", help="open the app in the default browser")
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where sessions and recordings are saved "
        "(default: $VOICE_INTERVIEWER_HOME, else your user data folder)",
    )
    p.add_argument("--model", metavar="M", help=MODEL_HELP)
    p.add_argument(
        "--bank", metavar="BANK", help="the bank shown first on the practice page; " + BANK_HELP
    )
    p.add_argument(
        "--voice", metavar="VOICE", help="text-to-speech voice id or name part (e.g. en-us, en-gb)"
    )
    p.add_argument(
        "--rate", type=int, metavar="WPM", help="speaking rate of the interviewer in words a minute"
    )
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            f"the web app needs its extra packages ({exc.name} is missing): "
            "pip install 'voice-interviewer[web]' (or re-run scripts/setup.sh)"
        ) from None
    from voice_interviewer.bank import resolve_bank
    from voice_interviewer.paths import data_dir
    from voice_interviewer.scoring.scorer import Scorer
    from voice_interviewer.sessions.store import SessionStore
    from voice_interviewer.speech.models import resolve_model
    from voice_interviewer.speech.whisper import BackgroundTranscriber, WhisperTranscriber
    from voice_interviewer.web.security import is_loopback
    from voice_interviewer.web.server import prepare, uvicorn_server

    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be between 0 and 65535")
    if args.bank:
        resolve_bank(args.bank)  # fail now on a bad bank, not in the page
    if args.voice:
        from voice_interviewer.live.tts import make_synthesizer

        make_synthesizer("auto", args.voice).resolve_voice(args.voice)
    root = data_dir(args.data_dir)
    SessionStore(root).close()  # fail now on an unusable data folder
    ref = resolve_model(args.model, models_dir=root / "models")
    transcriber = BackgroundTranscriber(lambda: WhisperTranscriber(ref), ref.name)
    try:
        served = prepare(
            args.host, args.port, root, Scorer(transcriber), args.bank, args.voice, args.rate
        )
        if not is_loopback(args.host):
            print(
                f"Warning: listening on {args.host}, not only on this computer: anyone on the "
                "network who learns the address and token can use the app and hear your "
                "recordings. Browsers allow the microphone only on https or 127.0.0.1/localhost.",
                file=sys.stderr,
            )
        print(
            f"voice-interviewer web app: {served.url}\n"
            f"(sessions in {root}; Ctrl-C stops the server)",
            flush=True,
        )
        if args.open:
            import webbrowser

            webbrowser.open(served.url)
        uvicorn_server(served.app).run(sockets=[served.sock])
    finally:
        transcriber.close()
    return 0
