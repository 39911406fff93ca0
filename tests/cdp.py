"""A small Chrome DevTools protocol client for driving Debian's headless ``chromium`` in tests.

Only what the tests need: open a page, wait on a condition in it, click, type, press keys and
take a screenshot. Every wait is a bounded poll on a condition, never a fixed sleep.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket  # websocket-client

# Headless chromium on a loaded 2-core machine can take this long to start or to draw.
START_TIMEOUT_S = 60
# CSI and OSC sequences and two-character escapes, as a terminal would act on them.
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Page:
    """One tab, driven over its own DevTools websocket."""

    def __init__(self, ws_url: str):
        self.ws = websocket.create_connection(ws_url, timeout=START_TIMEOUT_S, suppress_origin=True)
        self._ids = itertools.count(1)
        self._received: list[bytes] = []  # what the page's websockets received, in order

    # ------------------------------------------------------------------ protocol
    def call(self, method: str, **params) -> dict:
        """Send one command and return its result (events arriving meanwhile are noted)."""
        msg_id = next(self._ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._note(reply)

    def _note(self, event: dict) -> None:
        if event.get("method") == "Network.webSocketFrameReceived":
            frame = event["params"]["response"]
            data = frame["payloadData"]
            self._received.append(base64.b64decode(data) if frame.get("opcode") == 2
                                  else data.encode())

    def terminal_text(self) -> str:
        """Everything the app in this tab has drawn so far (the bytes textual-serve sent to its
        terminal), terminal escape sequences taken out."""
        self.ws.settimeout(0.05)
        try:
            while True:
                self._note(json.loads(self.ws.recv()))
        except websocket.WebSocketTimeoutException:
            pass
        finally:
            self.ws.settimeout(START_TIMEOUT_S)
        return ESCAPES.sub("", b"".join(self._received).decode("utf-8", "replace"))

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    # ------------------------------------------------------------------ actions
    def open(self, url: str) -> None:
        self.call("Page.enable")
        self.call("Network.enable")  # to read what the app draws: see terminal_text
        self.call("Page.navigate", url=url)
        wait_for(lambda: self.evaluate("document.readyState") == "complete", f"{url} to load")

    def focus_terminal(self) -> None:
        """Bring the tab to the front and put the keyboard focus in the terminal (as a click
        would), so that key events reach the app."""
        self.call("Page.bringToFront")
        self.evaluate("document.querySelector('.xterm-helper-textarea').focus()")

    def click(self, x: int, y: int) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def type(self, text: str) -> None:
        self.call("Input.insertText", text=text)

    KEYS = {"Enter": (13, "\r"), "Tab": (9, "\t"), "Escape": (27, "")}

    def press(self, key: str, *, ctrl: bool = False) -> None:
        """A named key (Enter, Tab, Escape) or a letter, optionally with Ctrl."""
        if key in self.KEYS:
            code, text = self.KEYS[key]
            dom_code = key
        else:
            code, text, dom_code = ord(key.upper()), key, f"Key{key.upper()}"
        modifiers = 2 if ctrl else 0
        if ctrl and key not in self.KEYS:
            text = chr(ord(key.lower()) - 96)  # the control character, as a terminal sends it
        self.call("Input.dispatchKeyEvent", type="keyDown", windowsVirtualKeyCode=code, key=key,
                  code=dom_code, text=text, modifiers=modifiers)
        self.call("Input.dispatchKeyEvent", type="keyUp", windowsVirtualKeyCode=code, key=key,
                  modifiers=modifiers)

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        self.ws.close()


def wait_for(predicate, what: str, timeout: float = START_TIMEOUT_S) -> None:
    """Poll ``predicate`` until true; fail after ``timeout`` seconds saying what was awaited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, ValueError, RuntimeError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Browser:
    """One headless chromium; :meth:`new_page` opens a tab."""

    def __init__(self, width: int = 1100, height: int = 800):
        binary = find_chromium()
        if binary is None:
            raise RuntimeError("chromium is not installed")
        self.profile = Path(tempfile.mkdtemp(prefix="consult-chromium-"))
        self.proc = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-dev-shm-usage", "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)  # its own group: closing ends its helper processes too
        port_file = self.profile / "DevToolsActivePort"
        try:
            wait_for(lambda: port_file.exists() and len(port_file.read_text().split()) >= 2,
                     "chromium to start")
        except AssertionError:
            self.pages = []
            self.close()
            raise
        self.port = port_file.read_text().split()[0]
        self.pages: list[Page] = []

    def new_page(self) -> Page:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/json/new?about:blank", method="PUT")
        target = json.load(urllib.request.urlopen(request, timeout=10))
        page = Page(target["webSocketDebuggerUrl"])
        self.pages.append(page)
        return page

    def close(self) -> None:
        try:
            for page in self.pages:
                page.close()
        finally:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
            shutil.rmtree(self.profile, ignore_errors=True)
