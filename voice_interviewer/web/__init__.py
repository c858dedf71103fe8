"""The local web app (``voice-interviewer serve``): practice, sessions, reports and history in the
browser, on the same library as the CLI. Needs the ``[web]`` extra (Starlette, uvicorn)."""
