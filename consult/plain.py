"""`consult answer --plain`: the consultation as a line-by-line conversation.

For screen-reader users and dumb terminals: nothing is drawn full-screen, every prompt is one
line of text, and everything is typed and read in order. Same database and rules as the app:
each answer is saved the moment it is entered, consent is asked, required items are enforced
at submission, and the resume code is shown at the start and the end.

Respondent and bank text is printed through :func:`consult.text.clean` as ``rich.text.Text``
on a console with markup off, so an answer holding ``[bold]`` or an escape sequence is shown as
the characters it is and never acts.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.text import Text

from consult.kinds import kind_of, profile_kind
from consult.questions import Bank, ProfileField, Question
from consult.store import Respondent, Store, format_code
from consult.text import clean, word_count

# The commands, announced at the start and by :help. Only a line that is exactly one of these
# is a command; any other line (":-)" included) is part of an answer.
COMMANDS = {
    ":skip": "leave this question as it is and go on",
    ":back": "go back to the previous question",
    ":clear": "empty this answer",
    ":review": "list every answer, then choose one to change or submit",
    ":submit": "submit your response",
    ":quit": "stop now; everything is saved and your code brings you back",
    ":help": "list these commands",
}
YES = {"y", "yes"}
NO = {"n", "no"}


class Quit(Exception):
    """The member typed :quit or the input ended: leave, everything already saved."""


class PlainSession:
    """One member's session over standard input and output (or any streams, for tests)."""

    def __init__(self, store: Store, bank: Bank, *, stdin: TextIO | None = None,
                 console: Console | None = None, code_factory: Callable[[], str] | None = None,
                 come_back_command: str = "consult answer --plain"):
        self.store, self.bank = store, bank
        self.come_back_command = come_back_command
        self.stdin = stdin or sys.stdin
        self.console = console or Console(markup=False, highlight=False, emoji=False)
        self.code_factory = code_factory
        self.respondent: Respondent | None = None
        self.code = ""
        self.numbers = {q.id: i for i, q in enumerate(bank.questions, start=1)}

    # ------------------------------------------------------------------ output and input
    def say(self, text: str = "", style: str = "") -> None:
        """One paragraph: cleaned, shown as plain text (never markup)."""
        self.console.print(Text(clean(text), style=style))

    def ask(self, prompt: str) -> str:
        """Print ``prompt`` and read one line; end of input leaves (everything is saved)."""
        self.console.print(Text(clean(prompt), style="bold"), end=" ")
        self.console.file.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            raise Quit
        line = line.rstrip("\r\n")
        if line.strip().lower() == ":help":
            self.help()
            return self.ask(prompt)
        if line.strip().lower() == ":quit":
            raise Quit
        return line

    def help(self) -> None:
        self.say("Commands (type one on a line of its own):")
        for command, meaning in COMMANDS.items():
            self.say(f"  {command}  {meaning}")

    # ------------------------------------------------------------------ the whole session
    def run(self) -> int:
        """Welcome, start or resume, profile, sections, review; 0 when the member leaves."""
        try:
            self.welcome()
            if self.respondent is None:
                return 0
            position = self.respondent.position
            if position in (None, "profile"):
                self.profile()
            if position != "review" and self.sections(self.start_index()) == ":submit" and self.submit():
                return 0
            self.review()
        except Quit:
            self.goodbye()
        return 0

    def welcome(self) -> None:
        bank = self.bank
        self.say(bank.title, "bold")
        if bank.subtitle:
            self.say(bank.subtitle)
        self.say(" · ".join(x for x in (bank.publisher, bank.date) if x))
        self.say()
        self.say(bank.introduction)
        if bank.privacy:
            self.say()
            self.say("How your answers are kept", "bold")
            self.say(bank.privacy)
        self.say()
        self.say("This is the plain mode: one question at a time, typed line by line.")
        self.help()
        while self.respondent is None:
            self.say()
            line = self.ask("Type N to start a new response, or your resume code to continue:")
            if line.strip().lower() in ("n", "new"):
                code = self.code_factory() if self.code_factory else None
                self.respondent, self.code = self.store.new_respondent(bank.id, code=code)
                self.say()
                self.say(f"Your resume code is {self.code}", "bold")
                self.say("Write it down: it is the only way back to your response.")
            elif line.strip():
                found = self.store.respondent_by_code(bank.id, line)
                if found is None:
                    self.say("No response has that code. Check it and type it again, or type N.")
                    continue
                self.respondent, self.code = found, format_code(line)
                self.say(f"Welcome back. Your resume code is {self.code}", "bold")
                if found.submitted:
                    self.say("This response has been submitted. Changes you make now are saved; "
                             "submit again to confirm them.")

    def goodbye(self) -> None:
        self.say()
        if self.respondent is None:
            self.say("Nothing was saved: you had not started a response.")
            return
        self.say("Everything you typed is saved.", "bold")
        self.say(f"Your resume code is {self.code}. To come back, run {self.come_back_command} "
                 "and type the code.")

    def start_index(self) -> int:
        """Where to carry on: the question the member was on, else the first."""
        kind, _, value = (self.respondent.position or "").partition(":")
        ids = [q.id for q in self.bank.questions]
        return ids.index(value) if kind == "question" and value in ids else 0

    # ------------------------------------------------------------------ profile and consent
    def profile(self) -> None:
        self.store.save_position(self.respondent.id, "profile")
        self.say()
        self.say("About your organisation", "bold")
        self.say("Press Enter alone to leave a field as it is.")
        for field in self.bank.profile:
            self.profile_field(field)
        self.consent()

    def profile_field(self, field: ProfileField) -> None:
        profile = dict(self.store.respondent(self.respondent.id).profile)
        current = profile.get(field.id)
        label = field.text + (" (required)" if field.required else "")
        self.say()
        kind = profile_kind(field)
        if not kind.typed:
            value = self.pick(label, field.options, not kind.one_value, current)
        else:
            if current:
                self.say(f"Now: {current}")
            line = self.ask(f"{label}:")
            value = current if not line.strip() else line.strip()
            if line.strip().lower() == ":clear":
                value = None
        if value in (None, "", []):
            profile.pop(field.id, None)
        else:
            profile[field.id] = value
        self.store.save_profile(self.respondent.id, profile)

    def consent(self) -> None:
        if not self.bank.consent:
            return
        self.say()
        self.say("Your consent", "bold")
        consent = dict(self.store.respondent(self.respondent.id).consent)
        for item in self.bank.consent:
            now = consent.get(item.id)
            hint = "" if now is None else f" (now: {'yes' if now else 'no'}; Enter keeps it)"
            while True:
                line = self.ask(f"{item.text} Yes or no?{hint}").strip().lower()
                if not line and now is not None:
                    break
                if line in YES | NO:
                    consent[item.id] = line in YES
                    break
                self.say("Please type yes or no.")
            self.store.save_consent(self.respondent.id, consent)

    # ------------------------------------------------------------------ questions
    def sections(self, index: int = 0) -> str:
        """Ask from question ``index`` to the end, each section's context before its first
        question; the move that ended it (":review", ":submit" or ":next" at the end)."""
        questions = self.bank.questions
        shown_context: str | None = None
        while index < len(questions):
            q = questions[index]
            if q.section_id != shown_context:
                section = self.bank.section(q.section_id)
                self.say()
                self.say(section.title, "bold underline")
                if section.context:
                    self.say(section.context)
                self.say("Commands: " + " ".join(COMMANDS), "dim")
                shown_context = q.section_id
            self.store.save_position(self.respondent.id, f"question:{q.id}")
            move = self.question(q)
            if move in (":review", ":submit"):
                return move
            if move == ":back":
                if index == 0:
                    self.profile()
                index, shown_context = max(0, index - 1), None
            else:
                index += 1
        return ":next"

    def question(self, q: Question) -> str:
        """Ask one question and save the answer; the move that follows (":next", ":back", ...)."""
        number = self.numbers[q.id]
        stored = self.store.answers(self.respondent.id).get(q.id, "")
        self.say()
        self.say(f"Question {number} of {len(self.numbers)}" + (" (required)" if q.required else ""), "bold")
        self.say(q.text)
        if q.help:
            self.say(q.help, "italic")
        kind = kind_of(q)
        if kind.free_text:
            if stored:
                self.say(f"Your answer so far ({word_count(stored)} words):")
                self.say(stored)
            limit = f" Up to about {q.word_limit} words." if q.word_limit else ""
            self.say(kind.how_to_answer + limit + (" Enter alone keeps your answer." if stored else ""))
            typed: list[str] = []
            try:
                move, text = self.read_text(typed)
            except Quit:  # :quit or the end of input in mid-answer: keep what was typed
                if typed:
                    self.save(q, "\n".join(typed))
                raise
            if move == ":clear":
                text, move = "", ":next"
            if text is not None:
                self.save(q, text)
            return move if move != ":skip" else ":next"
        move, value = self.read_choice(q, stored)
        if move == ":next" and value is not None:
            self.save(q, q.encode_answer(value))
        return move if move != ":skip" else ":next"

    def read_text(self, lines: list[str]) -> tuple[str, str | None]:
        """Lines (appended to ``lines`` as they come) until an empty one: ``(move, text)``;
        text None when nothing was typed."""
        while True:
            line = self.ask(">" if not lines else "...")
            command = line.strip().lower()
            if not lines and command in COMMANDS:
                return command, None
            if not line.strip():
                return ":next", ("\n".join(lines) if lines else None)
            lines.append(line)

    def read_choice(self, q: Question, stored: str) -> tuple[str, object]:
        kind = kind_of(q)
        current = q.decode_answer(stored)
        if not kind.listed:
            return self.read_number(q, current)
        value = self.pick(kind.how_to_answer, kind.choices(q), not kind.one_value, current,
                          commands=True)
        if isinstance(value, tuple):  # a command
            return value[0], None
        return ":next", value

    def read_number(self, q: Question, current) -> tuple[str, object]:
        """A scale: the number itself, from ``min`` to ``max``."""
        kind = kind_of(q)
        self.say(f"{kind.how_to_answer} From {q.scale_min} to {q.scale_max}"
                 + ("." if current is None else f"; now {current}. Enter keeps it."))
        while True:
            line = self.ask(f"Number ({q.scale_min}-{q.scale_max}):")
            command = line.strip().lower()
            if command in COMMANDS:
                return (":next", "") if command == ":clear" else (command, None)
            if not command:
                return ":next", None
            if kind.match(q, command) is not None:
                return ":next", kind.match(q, command)
            self.say(f"Please type {kind.expected(q)}, or a command (:help lists them).")

    def pick(self, label: str, options: tuple[str, ...], several: bool, current, *,
             commands: bool = False):
        """Numbered options; the chosen option(s), ``current`` on Enter, ``(command,)`` for a
        command when ``commands``."""
        chosen = current if isinstance(current, list) else [] if current in (None, "") else [str(current)]
        self.say(label)
        for i, option in enumerate(options, start=1):
            mark = "[x]" if option in chosen else "[ ]"
            self.say(f"  {i}. {mark} {option}")
        hint = "numbers separated by spaces" if several else "a number"
        while True:
            line = self.ask(f"Type {hint}" + (", or Enter to keep your choice:" if chosen else ":"))
            command = line.strip().lower()
            if commands and command in COMMANDS:
                return (command,) if command != ":clear" else ([] if several else "")
            if command == ":clear":
                return [] if several else None
            if not command:
                return current
            numbers = [p for p in re.split(r"[\s,;]+", command) if p]
            if all(p.isdigit() and 1 <= int(p) <= len(options) for p in numbers) and (several or len(numbers) == 1):
                picked = [options[int(p) - 1] for p in numbers]
                return picked if several else picked[0]
            self.say(f"Please type {hint} from 1 to {len(options)}, or a command (:help lists them).")

    def save(self, q: Question, text: str) -> None:
        """Store the answer now (autosave per answer) and say so."""
        if self.store.save_answer(self.respondent.id, q.id, text):
            self.say("Saved." if text.strip() else "Answer cleared.", "dim")

    # ------------------------------------------------------------------ review and submit
    def missing_required(self) -> list[str]:
        """Required profile fields and questions still empty (the same rule as the app)."""
        respondent = self.store.respondent(self.respondent.id)
        answers = self.store.answers(respondent.id)
        missing = [f"{f.text} (about your organisation)" for f in self.bank.profile
                   if f.required and respondent.profile.get(f.id) in (None, "", [])]
        missing += [f"Question {self.numbers[q.id]}: {q.text}" for q in self.bank.questions
                    if q.required and not answers.get(q.id, "").strip()]
        return missing

    def review(self) -> None:
        while True:
            self.store.save_position(self.respondent.id, "review")
            answers = self.store.answers(self.respondent.id)
            self.say()
            self.say("Your answers", "bold underline")
            for section in self.bank.sections:
                self.say()
                self.say(section.title, "bold")
                for q in section.questions:
                    values = q.answer_values(answers.get(q.id))
                    flag = " (required, not answered)" if q.required and not values else ""
                    self.say(f"Question {self.numbers[q.id]}. {q.text}{flag}")
                    shown = "\n".join(values) if values else "Not answered"
                    self.say("\n".join("  " + line for line in shown.split("\n")))
            self.say()
            line = self.ask("Type a question number to change it, P for your organisation's "
                            "details, :submit to submit, or :quit:").strip().lower()
            if line == ":submit":
                if self.submit():
                    return
            elif line == "p":
                self.profile()
            elif line.isdigit() and 1 <= int(line) <= len(self.numbers):
                q = self.bank.questions[int(line) - 1]
                self.store.save_position(self.respondent.id, f"question:{q.id}")
                self.question(q)

    def submit(self) -> bool:
        missing = self.missing_required()
        if missing:
            self.say()
            self.say("Not submitted yet: these are required.", "bold")
            for item in missing:
                self.say(f"  {item}")
            for field in self.bank.profile:
                if field.required and self.store.respondent(self.respondent.id).profile.get(field.id) in (None, "", []):
                    self.profile_field(field)
            for q in self.bank.questions:
                if q.required and not self.store.answers(self.respondent.id).get(q.id, "").strip():
                    self.question(q)
            if self.missing_required():
                return False
        self.store.submit(self.respondent.id)
        self.say()
        self.say("Thank you: your response is submitted.", "bold")
        self.say(f"Your resume code is {self.code}. With it you can come back and change your "
                 "response; submit again to confirm any change.")
        return True


def run_plain(store: Store, bank: Bank, *, stdin: TextIO | None = None, console: Console | None = None,
              code_factory: Callable[[], str] | None = None,
              come_back_command: str = "consult answer --plain") -> int:
    """Run a plain session; the exit status. ``come_back_command`` is said on leaving."""
    return PlainSession(store, bank, stdin=stdin, console=console, code_factory=code_factory,
                        come_back_command=come_back_command).run()
