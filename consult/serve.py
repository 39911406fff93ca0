"""`consult serve`: the answering app in a web browser, through textual-serve.

textual-serve starts one process per browser tab and relays the terminal over a websocket. The
process it starts is always the same fixed command, built here from the server's own options:
``consult answer`` on one database and one bank. Nothing a browser sends can change it, and no
other command (no staff screen) is reachable. Each tab is its own session: a new response, or
one resumed with its code; every process writes into the one SQLite file, whose writes are
``BEGIN IMMEDIATE`` transactions, so they queue rather than fail.

textual-serve has no authentication and speaks plain HTTP: run it on loopback behind an HTTPS
reverse proxy (README). It ends a session's process when the tab closes; the answer app saves
as it goes, so nothing typed is lost when that happens.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from pathlib import Path

from aiohttp import web
from textual_serve.server import Server

from consult.questions import Bank

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# Each browser session is one Python process of about 75 MB (benchmarks/serve_sessions.py):
# 40 is 3 GB. Past this many at once, new tabs are turned away rather than letting it swap.
DEFAULT_MAX_SESSIONS = 40
# textual-serve's page without its web-font link (see the file): nothing fetched from elsewhere.
TEMPLATES = Path(__file__).parent / "data" / "serve"


def served_command(db_path: Path, bank: Bank) -> str:
    """The one command run for every browser session, with absolute, quoted arguments."""
    return shlex.join([sys.executable, "-m", "consult", "answer",
                       "--db", str(Path(db_path).resolve()), "--bank", str(Path(bank.path).resolve())])


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class AnswerServer(Server):
    """textual-serve's server, limited to ``max_sessions`` sessions at once."""

    def __init__(self, command: str, *, max_sessions: int = DEFAULT_MAX_SESSIONS, **kwargs):
        super().__init__(command, **kwargs)
        self.max_sessions = max_sessions
        self.sessions = 0

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.sessions >= self.max_sessions:
            return web.Response(status=503, text="Too many people are answering right now: "
                                                 "please try again in a few minutes.")
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1


def make_server(db_path: Path, bank: Bank, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                public_url: str | None = None, max_sessions: int = DEFAULT_MAX_SESSIONS) -> AnswerServer:
    """The server for one consultation (used by ``consult serve`` and the benchmark)."""
    return AnswerServer(served_command(db_path, bank), host=host, port=port, title=bank.title,
                        public_url=public_url.rstrip("/") if public_url else None,
                        max_sessions=max_sessions, templates_path=TEMPLATES)
