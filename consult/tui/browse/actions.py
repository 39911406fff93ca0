"""Actions on the current answer, shared by the screens that show answers.

A screen using :class:`AnswerActions` provides ``current()`` (the answer under the cursor, an
``AnswerRow``) and ``refresh_row(respondent_id, question_id)``; after an exclusion it is asked to
``refresh_data()``. Every action is one store call; failures are shown, never raised.
"""

from __future__ import annotations

from rich.text import Text

from consult.store.curation import CurationError
from consult.store.search import AnswerRow
from consult.tui.browse.widgets import InputModal, safe_line

REMOVE = object()


class AnswerActions:
    def current(self) -> AnswerRow | None:  # pragma: no cover - provided by the screen
        raise NotImplementedError

    def refresh_row(self, respondent_id: str, question_id: str):  # pragma: no cover
        raise NotImplementedError

    def _need_row(self) -> AnswerRow | None:
        row = self.current()
        if row is None:
            self.app.say("Choose an answer first.")
        return row

    def _do(self, fn, *args, **kwargs) -> bool:
        try:
            fn(*args, **kwargs)
        except (CurationError, KeyError) as exc:
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

        self.app.push_screen(InputModal("Flag for follow-up", prompt, row.flag_note or "", ok="Flag",
                                        extra="Remove flag" if row.flagged else None, extra_value=REMOVE,
                                        allow_empty=True), done)

    def action_key_quote(self) -> None:
        row = self._need_row()
        if row is None:
            return
        on = not row.key_quote
        if self._do(self.app.store.set_key_quote, row.respondent_id, row.question_id, on, by=self.app.user):
            self.app.say("Marked as a key quote." if on else "No longer a key quote.")
        self.refresh_row(row.respondent_id, row.question_id)

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

        app.push_screen(InputModal("Exclude response", prompt, "", ok="Exclude"), done)

    def after_exclusion(self, row: AnswerRow) -> None:
        self.refresh_row(row.respondent_id, row.question_id)

    def action_respondent(self) -> None:
        row = self._need_row()
        if row is not None:
            self.app.push_detail("respondent", respondent_id=row.respondent_id)
