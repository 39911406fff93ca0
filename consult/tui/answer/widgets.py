"""Small widgets of the answering app.

Every piece of bank or respondent text reaches the screen as ``Content`` (never markup) and
through :func:`consult.text.clean` (no control characters, so no escape sequence reaches the
terminal).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from rich.segment import Segment
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static, TextArea

from consult.questions import Question
from consult.text import clean, word_count

# Saving: after this much idle time since the last keystroke...
IDLE_SAVE_SECONDS = 0.5
# ...and at the latest this long after the first unsaved keystroke, even while typing goes on.
MAX_UNSAVED_SECONDS = 1.0

# Every C0 and C1 control character and DEL. Applied to rendered segments of the editor: inside
# one rendered line, newlines are gone and tabs are already expanded to spaces.
_SEGMENT_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def safe(text: str | None) -> Content:
    """Bank or respondent text as Content: never parsed as markup, never holding escapes."""
    return Content(clean(text))


class SafeTextArea(TextArea):
    """A TextArea whose document keeps the member's text exactly, but whose display is clean.

    Textual's TextArea writes an answer's ``ESC]0;...`` or ``ESC[2J`` straight to the terminal
    (measured on textual 8.2.8: only BEL is dropped). Loading ``clean()``-ed text instead would
    silently rewrite the stored answer on its next save, so the document stays raw and each
    rendered line is cleaned instead. Control characters have zero cell width, so dropping them
    from a rendered line leaves every column (and the cursor) where it was.
    """

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if not any(_SEGMENT_CONTROL.search(segment.text) for segment in strip):
            return strip
        segments = [Segment(_SEGMENT_CONTROL.sub("", s.text), s.style, s.control) for s in strip]
        return Strip(segments, strip.cell_length)


class AnswerBox(Widget):
    """One question: its number, text and help, an editor, a live word count, and autosave.

    Changes are saved ``IDLE_SAVE_SECONDS`` after the last keystroke, or ``MAX_UNSAVED_SECONDS``
    after the first unsaved one if typing goes on, and at once on blur and whenever the screen
    asks (moving section, review, quit): see :meth:`flush`.
    """

    class Saved(Message):
        def __init__(self, box: AnswerBox, changed: bool) -> None:
            super().__init__()
            self.box = box
            self.changed = changed

    class Dirty(Message):
        def __init__(self, box: AnswerBox) -> None:
            super().__init__()
            self.box = box

    def __init__(self, question: Question, number: int, text: str,
                 save: Callable[[str, str], bool], *, id: str | None = None) -> None:
        super().__init__(id=id, classes="answer-box")
        self.question = question
        self.number = number
        self._initial = text
        self._save = save
        self._saved_text = text
        self._idle_timer: Timer | None = None
        self._max_timer: Timer | None = None
        self.dirty = False

    def compose(self):
        q = self.question
        title = Content.assemble((f"Q{self.number}. ", "bold"), (clean(q.text), "bold"))
        if q.required:
            title = title + Content.styled("  (required)", "italic")
        yield Static(title, classes="question-text")
        if q.help:
            yield Static(safe(q.help), classes="question-help")
        editor = SafeTextArea(self._initial, soft_wrap=True, show_line_numbers=False,
                              tab_behavior="focus", classes="answer-editor",
                              id=f"editor-{_css_id(q.id)}")
        editor.border_title = f"Your answer to Q{self.number}"
        yield editor
        yield Static(self._count_text(self._initial), classes="word-count")

    def on_mount(self) -> None:
        editor = self.editor
        editor.cursor_blink = not self.app.is_headless
        editor.move_cursor(editor.document.end)

    @property
    def editor(self) -> SafeTextArea:
        return self.query_one(SafeTextArea)

    @property
    def text(self) -> str:
        return self.editor.text

    def _count_text(self, text: str) -> Content:
        words = word_count(text)
        unit = "word" if words == 1 else "words"
        limit = self.question.word_limit
        if limit is None:
            return Content(f"{words} {unit}")
        if words > limit:
            return Content.styled(f"{words} / {limit} words: over the limit by {words - limit} "
                                  "(it is still saved)", "bold $warning")
        return Content(f"{words} / {limit} words")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        text = event.text_area.text
        if event.text_area.has_focus:
            # The section opens with its context in view; typing brings the editor into view.
            event.text_area.scroll_visible(animate=False)
        count = self.query_one(".word-count", Static)
        count.update(self._count_text(text))
        count.set_class(self.question.word_limit is not None
                        and word_count(text) > self.question.word_limit, "over-limit")
        if text == self._saved_text:
            return
        if not self.dirty:
            self.dirty = True
            self._max_timer = self.set_timer(MAX_UNSAVED_SECONDS, self.flush)
            self.post_message(self.Dirty(self))
        if self._idle_timer is not None:
            self._idle_timer.stop()
        self._idle_timer = self.set_timer(IDLE_SAVE_SECONDS, self.flush)

    def on_descendant_blur(self) -> None:
        self.flush()

    def flush(self) -> bool:
        """Save now if anything changed since the last save; return True if something was written."""
        for timer in (self._idle_timer, self._max_timer):
            if timer is not None:
                timer.stop()
        self._idle_timer = self._max_timer = None
        if not self.is_mounted:
            return False
        text = self.editor.text
        if text == self._saved_text:
            self.dirty = False
            return False
        changed = self._save(self.question.id, text)
        self._saved_text = text
        self.dirty = False
        self.post_message(self.Saved(self, changed))
        return True


class SaveIndicator(Static):
    """"Saving…" while an answer waits to be saved, "Saved ✓ 14:32:05" once it is."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="save-indicator")
        self.started = time.monotonic()

    def saving(self) -> None:
        self.update(Content("Saving…"))
        self.set_class(True, "-saving")

    def saved(self, when: str) -> None:
        self.update(Content(f"Saved ✓ {when}"))
        self.set_class(False, "-saving")


def _css_id(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", value)


css_id = _css_id
