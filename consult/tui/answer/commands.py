"""The command palette: the main moves of the answering app."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class AnswerCommands(Provider):
    """"Go to section …", "Review", "Submit", "Quit" and friends."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        commands: list[tuple[str, object, str]] = []
        if getattr(app, "started", False):
            commands.append(("Go to profile and consent", app.go_profile,
                             f"Your organisation and what {app.bank.organiser} may do with your "
                             "response"))
            for number, section in enumerate(app.bank.sections, start=1):
                commands.append((f"Go to section {number}: {section.title}",
                                 partial(app.go_section, section.id),
                                 f"{app.answered(section)} of {len(section.questions)} answered"))
            commands.append(("Review", app.go_review, "Every answer, with unanswered questions flagged"))
            commands.append(("Submit", app.go_submit, f"Send your response to {app.bank.organiser}"))
        commands.append(("Help", app.action_help, "Every key of this app"))
        commands.append(("Quit", app.action_quit, "Save everything and leave"))
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
