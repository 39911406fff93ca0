"""What a headless Textual app shows, read through its public screenshot export.

``App.export_screenshot()`` renders the current screen (modal dialogs over the screens behind
them, toasts included) to an SVG in which Rich writes each run of text as a ``<text>`` element
with its column (``x``, in pixels) and its row (the ``line-N`` clip path). Putting those runs
back at their cells gives the screen as plain text, as a person in front of it would read it.
"""

from __future__ import annotations

import html
import re

from rich.cells import cell_len

# Rich's SVG export draws a cell 20 px high and 0.61 of that wide (its default font's ratio).
CELL_WIDTH_PX = 20 * 0.61
_RUN = re.compile(r'<text [^>]*?\bx="([0-9.]+)"[^>]*?clip-path="url\(#[^"]*-line-(\d+)\)">(.*?)</text>',
                  re.DOTALL)


def screen_text(app) -> str:
    """The current screen as plain text: one line per row, each padded to the screen's width.

    Every character drawn is kept as drawn (controls included, had any reached the screen)."""
    width, height = app.size
    rows = [""] * height
    runs = _RUN.findall(app.export_screenshot())
    if not runs:
        raise AssertionError("the screenshot held no text: has Rich's SVG export changed?")
    for x, row, text in runs:
        line = rows[int(row)]
        column = round(float(x) / CELL_WIDTH_PX)
        # Rich ends each row with a run holding only the line break, past the last column.
        text = html.unescape(text.replace("&#160;", " ")).replace("\n", "")
        rows[int(row)] = line + " " * (column - cell_len(line)) + text
    return "\n".join(row + " " * (width - cell_len(row)) for row in rows)


def toasts(app) -> list[str]:
    """The text of each notification shown on the screen (Textual's ``Toast`` widgets), its
    wrapped lines joined by spaces, top to bottom."""
    rows = screen_text(app).splitlines()
    shown = []
    for toast in app.screen.query("Toast"):
        region = toast.content_region  # inside its border and padding
        if not region.area:
            continue
        lines = (row[region.x:region.right].strip() for row in rows[region.y:region.bottom])
        shown.append(" ".join(line for line in lines if line))
    return shown
