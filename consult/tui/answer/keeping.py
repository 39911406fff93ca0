"""The app's side of keeping every answer: each member write goes through :meth:`write`, and
when the database refuses it the text is kept, retried, copied to a private recovery file and
the member is told so on every screen (the rules themselves are in saving.py)."""

from __future__ import annotations

from consult.tui.answer.saving import RETRY_SECONDS


class KeepingMixin:
    """Methods of :class:`consult.tui.answer.app.AnswerApp` for saving what the member types."""

    def write(self, key: tuple[str, ...], write, *args):
        """Every member write goes through here: when the database refuses it, it is kept,
        retried every few seconds and copied to a private recovery file (see saving.py)."""
        result = self.pending.run(key, write, *args)
        if self.pending:
            self._save_failed()
        return result

    def save_answer(self, question_id: str, text: str) -> bool:
        assert self.respondent is not None
        self.answers[question_id] = text
        changed = self.write(("answer", question_id), self.store.save_answer, self.respondent.id,
                             question_id, text)
        if not self.pending:
            self.last_saved = self.clock()
        return bool(changed)

    def save_profile(self, profile: dict) -> None:
        assert self.respondent is not None
        self.respondent.profile = profile
        self.write(("profile",), self.store.save_profile, self.respondent.id, profile)

    def save_consent(self, consent: dict) -> None:
        assert self.respondent is not None
        self.respondent.consent = consent
        self.write(("consent",), self.store.save_consent, self.respondent.id, consent)

    def save_position(self, position: str) -> None:
        if self.respondent is not None:
            self.write(("position",), self.store.save_position, self.respondent.id, position)

    def _save_failed(self) -> None:
        self.pending.save_recovery(self.recovery_document())
        self.show_save_problem()
        if self._retry_timer is None:
            self._retry_timer = self.set_interval(RETRY_SECONDS, self.retry_saves)

    def retry_saves(self) -> bool:
        """Try the kept writes again; True once the database has taken them all."""
        if self.pending.retry():
            if self._retry_timer is not None:
                self._retry_timer.stop()
                self._retry_timer = None
            self.pending.drop_recovery()
            self.last_saved = self.clock()
            self.show_save_problem()
            self.notify("Everything you typed is saved now.", title="Saved", markup=False)
            return True
        self.pending.save_recovery(self.recovery_document())
        self.show_save_problem()
        return False

    def recovery_document(self) -> dict:
        """What the recovery copy holds: every answer as the member has it now, and what the
        database has not taken yet, so that staff can put it back by hand."""
        respondent = self.respondent
        kept = [":".join(key) for key in self.pending.items if key != ("position",)]
        return {
            "about": ("Answers that consult could not save to its database. Only the member's "
                      "own account can read this file; give it to the consultation's staff."),
            "consultation": self.bank.id,
            "respondent": respondent.id if respondent else None,
            "database": str(self.store.path),
            "written_at": self.clock().isoformat(timespec="seconds"),
            "problem": self.pending.problem,
            "not_saved": kept,
            "answers": {q.id: self.answers[q.id] for q in self.bank.questions if q.id in self.answers},
            "profile": respondent.profile if respondent else {},
            "consent": respondent.consent if respondent else {},
        }

    def save_problem_text(self) -> str | None:
        """The plain words shown on every screen while something is not saved."""
        if not self.pending:
            return None
        lines = [f"⚠ NOT SAVED YET: {self.pending.problem}.",
                 f"Your text is kept on screen and consult tries again every {RETRY_SECONDS:g} "
                 "seconds."]
        if self.pending.recovery_path is not None:
            lines.append(f"A copy only you can read is in {self.pending.recovery_path}")
        else:
            lines.append("No copy could be written either "
                         f"({self.pending.recovery_error or 'no folder took it'}): keep this "
                         "screen open.")
        return "\n".join(lines)

    def show_save_problem(self) -> None:
        """Put the not-saved notice at the top of the screen in use (or take it away)."""
        from consult.tui.answer.widgets import SaveProblem

        screens = [s for s in self.screen_stack if not getattr(s, "is_modal", False)]
        if not screens:
            return
        screen = screens[-1]
        text = self.save_problem_text()
        for bar in screen.query(SaveProblem):
            if text is None:
                bar.remove()
            else:
                bar.show(text)
            text = None
        if text is not None and screen.is_mounted:
            headers = screen.query("Header")
            bar = SaveProblem(text)
            if headers:
                screen.mount(bar, after=headers.first())
            else:
                screen.mount(bar)
        for each in self.screen_stack:
            update = getattr(each, "save_state_changed", None)
            if update is not None:
                update()

    # ------------------------------------------------------------------ leaving
    def _farewell(self) -> list[str]:
        if not self.code:
            return []
        return [f"Your resume code is {self.code}. Keep it private: it is the only way back "
                "to your response.",
                f"To come back, run `{self.come_back_command}` and type the code."]

    def _not_saved_farewell(self) -> list[str]:
        lines = [f"consult could not save your latest answers: {self.pending.problem}."]
        if self.pending.recovery_path is not None:
            lines.append(f"A copy of everything you typed is in {self.pending.recovery_path} "
                         "(only you can read it). Give it to the consultation's staff.")
        else:
            lines.append("No copy could be written either "
                         f"({self.pending.recovery_error or 'no folder took it'}).")
        return lines + self._farewell()
