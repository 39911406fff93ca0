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
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import RadioButton, RadioSet, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection
from textual.widgets.text_area import DocumentNavigator, WrappedDocument

from consult.kinds import kind_of
from consult.questions import Question
from consult.text import clean, word_count
from consult.tui.answer.line_document import LineDocument
from consult.tui.answer.ticks import OptionButton, TickList

# Saving: after this much idle time since the last keystroke...
IDLE_SAVE_SECONDS = 0.5
# ...and at the latest this long after the first unsaved keystroke, even while typing goes on.
MAX_UNSAVED_SECONDS = 1.0

# Every C0 and C1 control character and DEL, and the line and paragraph separators (which
# break no line in the editor: see LineDocument), all of zero width to Rich. Applied to rendered
# segments of the editor: inside one rendered line, newlines are gone and tabs are expanded.
_SEGMENT_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def safe(text: str | None) -> Content:
    """Bank or respondent text as Content: never parsed as markup, never holding escapes."""
    return Content(clean(text))


class SafeTextArea(TextArea):
    """A TextArea whose document keeps the member's text exactly, but whose display is clean.

    Ctrl+A selects the whole answer (as in most editors; Home still goes to the line start), so
    that Ctrl+A then Delete clears it. Its document breaks lines at ``\n`` only
    (:class:`LineDocument`), so that an edit never rewrites the answer's other line breaks.

    Textual's TextArea writes an answer's ``ESC]0;...`` or ``ESC[2J`` straight to the terminal
    (measured on textual 8.2.8: only BEL is dropped). Loading ``clean()``-ed text instead would
    silently rewrite the stored answer on its next save, so the document stays raw and each
    rendered line is cleaned instead. Control characters have zero cell width, so dropping them
    from a rendered line leaves every column (and the cursor) where it was.
    """

    BINDINGS = [Binding("ctrl+a", "select_all", "Select all", show=False)]

    def _set_document(self, text: str, language: str | None) -> None:
        """Textual's, with a :class:`LineDocument` (lines break at ``\\n`` only) in place of its
        Document, which would turn every ``\\v``, ``\\f``, U+2028 or ``\\r\\n`` of the answer
        into ``\\n`` at the first edit. (TextArea builds its document here, and only here.)"""
        super()._set_document(text, language)
        self.document = LineDocument(text)
        self.wrapped_document = WrappedDocument(self.document, tab_width=self.indent_width)
        self.navigator = DocumentNavigator(self.wrapped_document)
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if not any(_SEGMENT_CONTROL.search(segment.text) for segment in strip):
            return strip
        segments = [Segment(_SEGMENT_CONTROL.sub("", s.text), s.style, s.control) for s in strip]
        return Strip(segments, strip.cell_length)


class QuestionBox(Widget):
    """One question: its number, text and help, the widget that takes the answer, and saving.

    :class:`AnswerBox` (free text) and :class:`ChoiceBox` (choice, multi, scale) build on this.
    Both hand the answer, as the string :meth:`Question.encode_answer` defines, to the same
    ``save`` callable (the app's ``save_answer``, which goes to ``Store.save_answer``).
    """

    class Saved(Message):
        def __init__(self, box: QuestionBox, changed: bool) -> None:
            super().__init__()
            self.box = box
            self.changed = changed

    class Dirty(Message):
        def __init__(self, box: QuestionBox) -> None:
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
        self.dirty = False

    def _title(self, focused: bool) -> Content:
        """The question's heading; ``▶`` marks the one being answered (not colour alone)."""
        q = self.question
        title = Content.assemble(("▶ " if focused else "", "bold"), (f"Q{self.number}. ", "bold"),
                                 (clean(q.text), "bold"))
        if q.required:
            title = title + Content.styled("  (required)", "italic")
        return title

    def compose_heading(self) -> ComposeResult:
        q = self.question
        yield Static(self._title(False), classes="question-text")
        if q.help:
            yield Static(safe(q.help), classes="question-help")

    @property
    def editor(self) -> Widget:
        """The widget that takes the member's answer (and the focus)."""
        raise NotImplementedError

    @property
    def text(self) -> str:
        """The answer as it would be stored now."""
        raise NotImplementedError

    def on_descendant_focus(self) -> None:
        self._mark(True)

    def on_descendant_blur(self) -> None:
        self._mark(False)
        self.flush()

    def _mark(self, focused: bool) -> None:
        self.set_class(focused, "-focused")
        headings = self.query(".question-text")
        if headings:
            headings.first(Static).update(self._title(focused))

    def _stop_timers(self) -> None:
        """Nothing waits here; :class:`AnswerBox` stops its autosave timers."""

    def flush(self) -> bool:
        """Save now if anything changed since the last save; return True if something was written."""
        self._stop_timers()
        if not self.is_mounted:
            return False
        text = self.text
        if text == self._saved_text:
            self.dirty = False
            return False
        changed = self._save(self.question.id, text)
        self._saved_text = text
        self.dirty = False
        self.post_message(self.Saved(self, changed))
        return True


class AnswerBox(QuestionBox):
    """A free-text question: an editor, a live word count, and autosave.

    Changes are saved ``IDLE_SAVE_SECONDS`` after the last keystroke, or ``MAX_UNSAVED_SECONDS``
    after the first unsaved one if typing goes on, and at once on blur and whenever the screen
    asks (moving section, review, quit): see :meth:`flush`.
    """

    def __init__(self, question: Question, number: int, text: str,
                 save: Callable[[str, str], bool], *, id: str | None = None) -> None:
        super().__init__(question, number, text, save, id=id)
        self._idle_timer: Timer | None = None
        self._max_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        q = self.question
        yield from self.compose_heading()
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
        # The editor holds the answer exactly (LineDocument); should it ever not, later edits are
        # compared with the text as it holds it, so that only a real edit rewrites the answer.
        if editor.text != self._saved_text:
            self._saved_text = editor.text

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

    def _stop_timers(self) -> None:
        for timer in (self._idle_timer, self._max_timer):
            if timer is not None:
                timer.stop()
        self._idle_timer = self._max_timer = None


class ChoiceBox(QuestionBox):
    """A choice, multi or scale question: options to pick with the keyboard or the mouse.

    ``choice`` and ``scale`` are a :class:`RadioSet` (a scale's numbers side by side), ``multi``
    a :class:`SelectionList`. Arrows move, Enter or Space picks, Delete clears. Every change is
    saved at once. There is no word count.
    """

    BINDINGS = [
        Binding("delete", "clear", "Clear answer", tooltip="Remove your answer to this question",
                id="clear-answer"),
    ]

    def __init__(self, question: Question, number: int, text: str,
                 save: Callable[[str, str], bool], *, id: str | None = None) -> None:
        super().__init__(question, number, text, save, id=id)
        # What the options show when they open. A stored answer that is no longer an option (the
        # bank changed) shows as unselected; comparing with this, rather than with the stored
        # text, means it is only replaced when the member actually picks something.
        self._saved_text = question.encode_answer(question.decode_answer(text))

    def compose(self) -> ComposeResult:
        q = self.question
        yield from self.compose_heading()
        wid = f"editor-{_css_id(q.id)}"
        current = q.decode_answer(self._initial)
        kind = kind_of(q)
        classes = f"answer-choices answer-{kind.name}"  # answer-choice, answer-multi, answer-scale
        picker: Widget
        if not kind.one_value:  # ticked: any number of options
            chosen = set(current)
            picker = TickList(*[Selection(safe(o), o, o in chosen) for o in kind.choices(q)],
                              id=wid, classes=classes)
        else:
            selected = "" if current is None else str(current)
            picker = RadioSet(*[OptionButton(safe(o), value=o == selected) for o in kind.choices(q)],
                              id=wid, classes=classes)
        picker.border_title = f"Q{self.number}: {kind.pick_title(q)}"
        yield picker

    def on_mount(self) -> None:
        picker = self.editor
        if isinstance(picker, RadioSet) and picker.pressed_index >= 0:
            # Resuming: highlight the saved choice rather than the first option, so that Enter
            # does not change the answer by surprise. (RadioSet has no public setter for this.)
            picker._selected = picker.pressed_index

    @property
    def editor(self) -> RadioSet | SelectionList:
        return self.query_one(".answer-choices", Widget)  # type: ignore[return-value]

    @property
    def text(self) -> str:
        q = self.question
        picker = self.editor
        if isinstance(picker, SelectionList):
            return q.encode_answer(picker.selected)
        index = picker.pressed_index
        return q.choices[index] if index >= 0 else ""

    @on(RadioSet.Changed)
    @on(SelectionList.SelectedChanged)
    def _picked(self, event: Message) -> None:
        event.stop()
        self.flush()

    def action_clear(self) -> None:
        picker = self.editor
        if isinstance(picker, SelectionList):
            picker.deselect_all()  # posts SelectedChanged, which saves
            return
        button = picker.pressed_button
        if button is None:
            return
        # A RadioSet never lets its pressed button go off; turn it off quietly, then save.
        with picker.prevent(RadioButton.Changed):
            button.value = False
        picker._pressed_button = None
        self.flush()


def make_answer_box(question: Question, number: int, text: str,
                    save: Callable[[str, str], bool], *, id: str | None = None) -> QuestionBox:
    """The box for one question: a text editor, or options to pick for the other kinds."""
    cls = AnswerBox if question.is_free_text else ChoiceBox
    return cls(question, number, text, save, id=id)


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
        self.set_class(False, "-failed")

    def not_saved(self) -> None:
        self.update(Content("⚠ Not saved yet: retrying"))
        self.set_class(False, "-saving")
        self.set_class(True, "-failed")


class SaveProblem(Static):
    """The notice at the top of the screen while the database refuses the member's saves."""

    DEFAULT_CSS = """
    SaveProblem {
        height: auto;
        padding: 0 1;
        background: $error 35%;
        color: $text;
        text-style: bold;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__(Content(text), id="save-problem", markup=False)

    def show(self, text: str) -> None:
        self.update(Content(text))


def _css_id(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", value)


css_id = _css_id
