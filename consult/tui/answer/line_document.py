"""The answer editor's document: lines break at ``\\n`` only, so the text is kept exactly.

Textual's ``Document`` splits lines on every break ``str.splitlines`` knows (``\\v``, ``\\f``,
``\\x1c``-``\\x1e``, ``\\x85``, U+2028/9, ``\\r`` and ``\\r\\n``) and joins them back with one
newline, so editing one word of an answer that holds a vertical tab (pasted from a word
processor, say) rewrote every such break as ``\\n``. Here only ``\\n`` breaks a line; every other
character, controls too, stays in its line as the member's text, and the editor draws controls
as nothing (:class:`consult.tui.answer.widgets.SafeTextArea`): they are escaped at display only.
"""

from __future__ import annotations

from textual.widgets.text_area import Document, EditResult, Location


class LineDocument(Document):
    """A plain-text document whose ``text`` is exactly what was loaded, typed and pasted."""

    def __init__(self, text: str) -> None:
        super().__init__("")
        self._newline = "\n"
        self._lines = text.split("\n")

    def replace_range(self, start: Location, end: Location, text: str) -> EditResult:
        """As Textual's, but the inserted text is split at ``\\n`` only."""
        top, bottom = sorted((start, end))
        (top_row, top_column), (bottom_row, bottom_column) = top, bottom
        lines = self._lines
        replaced_text = self.get_text_range(top, bottom)
        before = lines[top_row][:top_column] if top_row < len(lines) else ""
        after = lines[bottom_row][bottom_column:] if bottom_row < len(lines) else ""
        insert_lines = text.split("\n")
        insert_lines[0] = before + insert_lines[0]
        destination_column = len(insert_lines[-1])
        insert_lines[-1] = insert_lines[-1] + after
        lines[top_row: bottom_row + 1] = insert_lines
        return EditResult((top_row + len(insert_lines) - 1, destination_column), replaced_text)
