"""Behaviour shared by the browse screens, as mixins next to ``Screen``.

- :class:`AnswerActions`: for every screen that lists answers beside a :class:`ReadingPane`
  (by question, search, themes): preview, open, and the curation actions on the current answer.
  The screen provides ``current()`` (the answer under the cursor, an ``AnswerRow``) and
  ``refresh_row(respondent_id, question_id)``; after an exclusion it is asked to
  ``refresh_data()``. Every action is one store call; failures are shown, never raised.
- :class:`AnswerTableActions`: ``current()`` and ``refresh_row()`` for the screens whose answers
  are the rows of one table, keyed by respondent id (by question, themes).
- :class:`QuestionPicker`: the question Select and ``[`` / ``]`` for screens on one question.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Select, Static

from consult.store.curation import CurationError
from consult.store.search import AnswerRow
from consult.tui.browse.dialogs import InputModal
from consult.tui.browse.widgets import PagedTable, ReadingPane, cursor_key, safe_line

REMOVE = object()
EXCERPT_SHOWN = 12  # sentences listed in the excerpt dialog (the range may run past them)


def sentence_range(text: str, count: int) -> tuple[int | None, int | None] | bool:
    """``"all"`` -> (None, None); ``"3"`` -> (3, 3); ``"2-4"`` -> (2, 4); False if not a range of
    ``count`` sentences."""
    text = text.strip().lower().replace("–", "-")
    if text in ("all", "*", ""):
        return None, None
    first, _, last = text.partition("-")
    if not first.strip().isdigit() or (last and not last.strip().isdigit()):
        return False
    a, b = int(first), int(last or first)
    return (a, b) if 1 <= a <= b <= count else False


def why_not_quoted(app, respondent_id: str) -> str | None:
    """Why the report will not quote this respondent (by its rules in consult.report.privacy:
    consent for purpose 'quote' in the bank, and a submitted response), or None if it may."""
    from consult.report.privacy import consented

    person = app.store.respondent(respondent_id)
    if person is None:
        return None
    if not consented(person, app.bank, "quote"):
        return "the respondent did not consent to being quoted"
    if person.status != "submitted":
        return "the response is a draft, and drafts are never quoted"
    return None


class AnswerActions:
    """A list of answers beside a reading pane, and the curation actions on the current one."""

    rows: dict[str, AnswerRow]
    """The loaded answers, by the key of their row in the list."""

    def current(self) -> AnswerRow | None:  # pragma: no cover - provided by the screen
        raise NotImplementedError

    def refresh_row(self, respondent_id: str, question_id: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def preview(self) -> None:
        """Show the answer under the cursor: the pane follows the cursor without marking it read."""
        self.query_one(ReadingPane).show(self.current())

    def action_open(self) -> None:
        """Open the current answer: only opening marks it read; then the pane takes the keys."""
        row = self.current()
        if row is None:
            return
        if not row.read:
            self.app.store.mark_read(row.respondent_id, row.question_id, by=self.app.user)
        self.refresh_row(row.respondent_id, row.question_id)
        self.query_one(ReadingPane).focus()

    def _need_row(self) -> AnswerRow | None:
        row = self.current()
        if row is None:
            self.app.say("Choose an answer first.")
        return row

    def _do(self, fn, *args, **kwargs) -> bool:
        try:
            fn(*args, **kwargs)
        except (CurationError, KeyError, ValueError) as exc:
            self.app.say(str(exc), error=True)
            return False
        return True

    def action_flag(self) -> None:
        row = self._need_row()
        if row is None:
            return
        prompt = Text("Note for follow-up on the answer from ")
        prompt.append_text(safe_line(row.organisation or row.respondent_id, 50))

        def done(note) -> None:
            if note is None:
                return
            if note is REMOVE:
                if self._do(self.app.store.unflag_answer, row.respondent_id, row.question_id, by=self.app.user):
                    self.app.say("Flag removed.")
            elif self._do(self.app.store.flag_answer, row.respondent_id, row.question_id, note,
                          by=self.app.user):
                self.app.say("Flagged for follow-up.")
            self.refresh_row(row.respondent_id, row.question_id)

        self.app.open_dialog(InputModal("Flag for follow-up", prompt, row.flag_note or "", ok="Flag",
                                        extra="Remove flag" if row.flagged else None, extra_value=REMOVE,
                                        allow_empty=True), done)

    def action_key_quote(self) -> None:
        row = self._need_row()
        if row is None:
            return
        on = not row.key_quote
        if self._do(self.app.store.set_key_quote, row.respondent_id, row.question_id, on, by=self.app.user):
            if not on:
                self.app.say("No longer a key quote.")
            elif reason := why_not_quoted(self.app, row.respondent_id):
                self.app.say(f"Marked as a key quote, but the report will not quote it: {reason}.")
            else:
                self.app.say("Marked as a key quote.")
        self.refresh_row(row.respondent_id, row.question_id)

    def action_excerpt(self) -> None:
        """Choose which sentences of the answer the report quotes (it becomes a key quote)."""
        from consult.report.quotes import sentences

        row = self._need_row()
        if row is None:
            return
        app = self.app
        parts = sentences(row.text)
        chosen = app.store.quote_excerpts().get((row.respondent_id, row.question_id))
        prompt = Text("The answer's sentences:\n", style="bold")
        for n, sentence in enumerate(parts[:EXCERPT_SHOWN], start=1):
            prompt.append(f"{n:>2}. ", style="bold")
            prompt.append_text(safe_line(sentence, 200))
            prompt.append("\n")
        if len(parts) > EXCERPT_SHOWN:
            prompt.append(f"    … {len(parts) - EXCERPT_SHOWN} more\n", style="dim")
        prompt.append("\nQuote which? A number, a range like 2-3, or all:")
        value = "all" if chosen is None else (f"{chosen[0]}" if chosen[0] == chosen[1] else f"{chosen[0]}-{chosen[1]}")

        def done(text) -> None:
            if text is None:
                return
            picked = sentence_range(text, len(parts))
            if picked is False:
                app.say(f"Not a sentence range: {text}. Give a number from 1 to {len(parts)}, a range like 2-3, "
                        "or all.", error=True)
                return
            first, last = picked
            if self._do(app.store.set_quote_excerpt, row.respondent_id, row.question_id, first, last, by=app.user):
                app.say("Key quote: the whole answer." if first is None else
                        f"Key quote: sentence{'s' if last != first else ''} {text.strip()}.")
                if reason := why_not_quoted(app, row.respondent_id):
                    app.say(f"The report will not quote it: {reason}.")
            self.refresh_row(row.respondent_id, row.question_id)

        app.open_dialog(InputModal("Key quote excerpt", prompt, value, ok="Quote"), done)

    def action_exclude(self) -> None:
        row = self._need_row()
        if row is None:
            return
        app = self.app
        if row.excluded:
            if self._do(app.store.restore_respondent, row.respondent_id, by=app.user):
                app.say("Response restored: it counts again.")
            self.after_exclusion(row)
            return
        prompt = Text("Exclude the whole response from ")
        prompt.append_text(safe_line(row.organisation or row.respondent_id, 50))
        prompt.append(" from counts, analysis and report. Reason (spam, duplicate, off-topic…):")

        def done(reason) -> None:
            if not reason:
                return
            if self._do(app.store.exclude_respondent, row.respondent_id, reason, by=app.user):
                app.say("Response excluded. Restore it with x (status filter: excluded).")
            self.after_exclusion(row)

        app.open_dialog(InputModal("Exclude response", prompt, "", ok="Exclude"), done)

    def after_exclusion(self, row: AnswerRow) -> None:
        self.refresh_row(row.respondent_id, row.question_id)

    def action_respondent(self) -> None:
        row = self._need_row()
        if row is not None:
            self.app.push_detail("respondent", respondent_id=row.respondent_id)


class AnswerTableActions(AnswerActions):
    """Answers as the rows of one ``PagedTable``, keyed by respondent id (one question at a time).

    The screen names the table (``ANSWER_TABLE``), its column keys in the order ``cells()`` returns
    the cells (``ANSWER_COLUMNS``), and keeps the loaded answers in ``self.rows``.
    """

    ANSWER_TABLE: str
    ANSWER_COLUMNS: tuple[str, ...]

    def cells(self, row: AnswerRow) -> list[Text]:  # pragma: no cover - provided by the screen
        raise NotImplementedError

    def current(self) -> AnswerRow | None:
        key = cursor_key(self.query_one(self.ANSWER_TABLE, PagedTable))
        return None if key is None else self.rows.get(key)

    def refresh_row(self, respondent_id: str, question_id: str) -> None:
        """Reload one answer after a change to it, in place: the cursor and the paging stay put."""
        if respondent_id not in self.rows:
            return
        app = self.app
        row = app.store.answer_row(app.bank.id, respondent_id, question_id, user=app.user,
                                   org_field=app.org_field)
        if row is None:
            return
        self.rows[respondent_id] = row
        table = self.query_one(self.ANSWER_TABLE, PagedTable)
        for key, cell in zip(self.ANSWER_COLUMNS, self.cells(row), strict=True):
            table.update_cell(respondent_id, key, cell)
        current = self.current()
        if current is not None and current.respondent_id == respondent_id:
            self.preview()


class QuestionPicker:
    """One free-text question at a time, chosen in a Select whose id is ``QUESTION_SELECT``.

    ``[`` and ``]`` only set the Select's value, so the screen's own ``Select.Changed`` handler stays
    the one place where the question changes.
    """

    QUESTION_SELECT: str
    question_id: str | None

    def question_select(self) -> Select:
        """The Select for ``compose()``; with no question asked for, start on the first."""
        questions = self.app.free_questions
        if self.question_id is None and questions:
            self.question_id = questions[0].id
        return Select([(Text(self.app.question_label(q.id, 150)), q.id) for q in questions],
                      value=self.question_id, allow_blank=False, id=self.QUESTION_SELECT, compact=True)

    def question_caption(self) -> Static:
        """A visible name for the picker beside it, with its keys: ``[`` and ``]`` step."""
        caption = Static(Text("Question [ ]", style="bold"), classes="question-caption")
        caption.tooltip = "Choose the question here (Enter or click), or step with [ and ]"
        return caption

    def step_question(self, delta: int) -> None:
        ids = [q.id for q in self.app.free_questions]
        i = (ids.index(self.question_id) + delta) % len(ids)
        self.query_one(f"#{self.QUESTION_SELECT}", Select).value = ids[i]

    def action_next_question(self) -> None:
        self.step_question(1)

    def action_previous_question(self) -> None:
        self.step_question(-1)
