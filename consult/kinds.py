"""Question kinds: each kind of key question in one class, so that a new kind is one class here.

The bank loader, :class:`consult.questions.Question`, the importer, the plain answering mode and
the report ask the kind of a question (``kind_of(q)``) rather than testing ``q.kind == ...``.
A kind knows:

- how its answer is stored (one string per respondent and question; ``""`` is "not answered"),
  parsed back (:meth:`Kind.decode`) and checked (:meth:`Kind.validate`);
- how a value from the app or an import becomes that string (:meth:`Kind.encode`,
  :meth:`Kind.from_import`);
- how the report counts it: free text is grouped into themes; the others are counted per value
  (:attr:`Kind.free_text`, :attr:`Kind.one_value`, :attr:`Kind.value_word`);
- what a bank must give for it (:meth:`Kind.bank_problems`);
- how the answering app shows it: a list to tick (``not one_value``) or to pick one from,
  under a title (:meth:`Kind.pick_title`), and a chosen answer in words (:meth:`Kind.in_words`,
  :meth:`Kind.answer_lines`).

Profile fields have kinds of their own (:data:`PROFILE_FIELD_KINDS`: text, email, choice,
multi), small records that the form, the plain mode and the bank loader read.

Stored forms: ``text`` the text as typed; ``choice`` the option's text as written in the bank;
``multi`` the chosen options joined by ``"\\n"`` (:data:`MULTI_SEPARATOR`), once each, in bank
order; ``scale`` the number as a decimal string from ``min`` to ``max``.

This module imports nothing from consult, so that everything may import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # only for hints: questions imports this module
    from consult.questions import Question

# A multi-choice answer is stored as its options joined by this, in bank order.
MULTI_SEPARATOR = "\n"
# How many options an error message lists before "...": enough to recognise the list.
OPTIONS_SHOWN_IN_ERRORS = 6


class Kind:
    """A kind of question. Subclasses are registered by name in :data:`KINDS`."""

    name: ClassVar[str]
    #: Answered in words and grouped into themes by the analysis; else counted per value.
    free_text: ClassVar[bool] = False
    #: Each answer holds one value, so counts add up to the number answering (not so for multi).
    one_value: ClassVar[bool] = True
    #: What one value is called in tables ("option", "number").
    value_word: ClassVar[str] = "option"
    #: How a member picks, said before the list in the plain mode and in hints.
    how_to_answer: ClassVar[str] = ""
    #: Its choices are listed and picked by their position; False: typed as they are (numbers).
    listed: ClassVar[bool] = True

    # ------------------------------------------------------------------ bank
    def bank_problems(self, q: Question) -> list[tuple[str, str]]:
        """``(field, message)`` for what this kind needs from a bank entry and did not get."""
        return []

    # ------------------------------------------------------------------ values
    def choices(self, q: Question) -> tuple[str, ...]:
        """What a member picks from, as stored (empty for free text)."""
        return q.options

    def match(self, q: Question, text: str) -> str | None:
        """The choice ``text`` names, ignoring case and outer spaces, or None."""
        wanted = text.strip()
        if wanted in q.options:
            return wanted
        folded = wanted.casefold()
        return next((o for o in q.options if o.strip().casefold() == folded), None)

    def encode(self, q: Question, value: Any) -> str:
        """The stored string for a value as the app holds it; ValueError if it is not allowed."""
        if value is None or isinstance(value, bool):
            if value is None:
                return ""
            raise ValueError(self.not_allowed(q, str(value)))
        text = str(value)
        if not text.strip():
            return ""
        option = self.match(q, text)
        if option is None:
            raise ValueError(self.not_allowed(q, text))
        return option

    def decode(self, q: Question, text: str | None) -> Any:
        """A stored string as the app holds it; what is not (or no longer) a choice is dropped."""
        return text if text in q.options else None

    def validate(self, q: Question, text: str | None) -> str | None:
        """None if ``text`` is a well-formed stored answer (or empty), else what is wrong."""
        if not text:
            return None
        return None if text in self.choices(q) else self.not_allowed(q, text)

    def values(self, q: Question, text: str | None) -> list[str]:
        """A stored answer as the values to show or count; ``[]`` when unanswered."""
        text = text or ""
        return [text.strip()] if text.strip() else []

    def from_import(self, q: Question, value: Any) -> str:
        """A value from a CSV cell or JSON in stored form; ValueError saying what is wrong."""
        if isinstance(value, list | dict):
            raise ValueError(f"{type(value).__name__} is not {self.expected(q)}")
        text = _as_text(value)
        if not text.strip():
            return ""
        option = self.match(q, text)
        if option is None:
            raise ValueError(f"{text.strip()!r} is not {self.expected(q)}")
        return option

    # ------------------------------------------------------------------ words
    def expected(self, q: Question) -> str:
        """What an answer must be, for error messages: "one of 'Yes', 'No'"."""
        shown = ", ".join(repr(o) for o in q.options[:OPTIONS_SHOWN_IN_ERRORS])
        more = ", ..." if len(q.options) > OPTIONS_SHOWN_IN_ERRORS else ""
        return f"one of {shown}{more}"

    def not_allowed(self, q: Question, text: str) -> str:
        return f"{text.strip()!r} is not one of its options"

    def report_note(self, q: Question) -> str:
        """A line the report prints under the question's table of counts ("" for none)."""
        return ""

    # ------------------------------------------------------------------ the answering app
    def pick_title(self, q: Question) -> str:
        """What the box of choices says after the question's number: "choose one"."""
        return "choose one"

    def in_words(self, q: Question, values: list[str]) -> str:
        """Chosen values (:meth:`values`) in a phrase for the member, as the review shows them."""
        return "; ".join(values)

    def answer_lines(self, q: Question, values: list[str]) -> list[str]:
        """Chosen values as the lines of the member's Markdown copy."""
        return [self.in_words(q, values)] if values else []


class TextKind(Kind):
    """Free text, stored exactly as typed."""

    name = "text"
    free_text = True
    value_word = "answer"
    how_to_answer = "Type your answer; end it with an empty line."

    def bank_problems(self, q: Question) -> list[tuple[str, str]]:
        return [("options", "a text question takes no options")] if q.options else []

    def choices(self, q: Question) -> tuple[str, ...]:
        return ()

    def match(self, q: Question, text: str) -> str | None:
        return text

    def encode(self, q: Question, value: Any) -> str:
        return "" if value is None else str(value)

    def decode(self, q: Question, text: str | None) -> str:
        return text or ""

    def validate(self, q: Question, text: str | None) -> str | None:
        return None

    def values(self, q: Question, text: str | None) -> list[str]:
        text = text or ""
        return [text] if text.strip() else []

    def from_import(self, q: Question, value: Any) -> str:
        if not isinstance(value, str | int | float | None) or isinstance(value, bool):
            raise ValueError(f"must be text, not {type(value).__name__}")
        return _as_text(value)

    def expected(self, q: Question) -> str:
        return "text"

    def pick_title(self, q: Question) -> str:
        return "your answer"

    def answer_lines(self, q: Question, values: list[str]) -> list[str]:
        return list(values)


class ChoiceKind(Kind):
    """One option from the bank's list."""

    name = "choice"
    how_to_answer = "Choose one: type its number."

    def bank_problems(self, q: Question) -> list[tuple[str, str]]:
        return [] if q.options else [("options", f"a {self.name} question needs options")]


class MultiKind(ChoiceKind):
    """Any number of options; stored one per line in bank order."""

    name = "multi"
    one_value = False
    how_to_answer = "Choose any number: type their numbers separated by spaces or commas."

    def _scan(self, q: Question, text: str, separator: str, exact: bool) -> tuple[list[str], list[str]]:
        """Options named in ``text`` (bank order, no repeats) and the parts naming none.

        An option that itself holds the separator is still found: parts are joined back,
        longest run first, until they name an option."""
        def match(t: str) -> str | None:
            return (t if t in q.options else None) if exact else Kind.match(self, q, t)

        parts = text.split(separator)
        found: set[str] = set()
        unknown: list[str] = []
        i = 0
        while i < len(parts):
            if not parts[i].strip():
                i += 1
                continue
            for j in range(len(parts), i, -1):
                option = match(separator.join(parts[i:j]))
                if option is not None:
                    found.add(option)
                    i = j
                    break
            else:
                unknown.append(parts[i])
                i += 1
        return [o for o in q.options if o in found], unknown

    def find(self, q: Question, text: str, separator: str = MULTI_SEPARATOR) -> tuple[list[str], list[str]]:
        """Options named in ``text`` split by ``separator`` (case and spaces ignored), and the
        parts that name none."""
        return self._scan(q, text, separator, exact=False)

    def encode(self, q: Question, value: Any) -> str:
        if value is None:
            return ""
        chosen: set[str] = set()
        for item in [value] if isinstance(value, str) else list(value):
            option = self.match(q, str(item))
            if option is None:
                raise ValueError(self.not_allowed(q, str(item)))
            chosen.add(option)
        return MULTI_SEPARATOR.join(o for o in q.options if o in chosen)

    def decode(self, q: Question, text: str | None) -> list[str]:
        return self._scan(q, text, MULTI_SEPARATOR, exact=True)[0] if text else []

    def validate(self, q: Question, text: str | None) -> str | None:
        if not text:
            return None
        found, unknown = self._scan(q, text, MULTI_SEPARATOR, exact=True)
        if unknown:
            return self.not_allowed(q, unknown[0])
        if text != MULTI_SEPARATOR.join(found):
            return "options must be given once each, in the bank's order, one per line"
        return None

    def values(self, q: Question, text: str | None) -> list[str]:
        """The chosen options, then any parts that are no longer options (nothing hidden)."""
        text = text or ""
        if not text.strip():
            return []
        found, unknown = self._scan(q, text, MULTI_SEPARATOR, exact=True)
        return found + [u.strip() for u in unknown]

    def from_import(self, q: Question, value: Any) -> str:
        """Options separated by ``;`` (CSV), by new lines (as ``consult export`` writes them),
        or as a JSON list."""
        parts = [_as_text(v) for v in value] if isinstance(value, list) else [_as_text(value)]
        chosen: list[str] = []
        for part in parts:
            for line in part.split("\n"):
                found, unknown = self.find(q, line, ";")
                if unknown:
                    raise ValueError(f"{unknown[0].strip()!r} is not one of its options ({self.expected(q)})")
                chosen += found
        return self.encode(q, chosen)

    def expected(self, q: Question) -> str:
        return "one or more of" + super().expected(q).removeprefix("one of") + " separated by ';'"

    def pick_title(self, q: Question) -> str:
        return "choose all that apply"

    def answer_lines(self, q: Question, values: list[str]) -> list[str]:
        return [f"- {v}" for v in values]


class ScaleKind(Kind):
    """A whole number from the question's ``min`` to ``max``."""

    name = "scale"
    value_word = "number"
    how_to_answer = "Choose one number: type it."
    listed = False

    def bank_problems(self, q: Question) -> list[tuple[str, str]]:
        problems = [("options", "a scale question takes no options")] if q.options else []
        if q.scale_min >= q.scale_max:
            problems.append(("max", f"max ({q.scale_max}) must be greater than min ({q.scale_min})"))
        return problems

    def choices(self, q: Question) -> tuple[str, ...]:
        return tuple(str(n) for n in range(q.scale_min, q.scale_max + 1))

    def match(self, q: Question, text: str) -> str | None:
        try:
            number = int(text.strip())
        except ValueError:
            return None
        return str(number) if q.scale_min <= number <= q.scale_max else None

    def decode(self, q: Question, text: str | None) -> int | None:
        return int(text) if text in self.choices(q) else None

    def from_import(self, q: Question, value: Any) -> str:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(f"{value!r} is not {self.expected(q)}")
        if isinstance(value, float):
            value = int(value)
        return super().from_import(q, value)

    def expected(self, q: Question) -> str:
        return f"a whole number from {q.scale_min} to {q.scale_max}"

    def not_allowed(self, q: Question, text: str) -> str:
        return f"{text.strip()!r} is not {self.expected(q)}"

    def report_note(self, q: Question) -> str:
        """The bank's help says what the numbers stand for, so the report prints it by the table."""
        return q.help

    def pick_title(self, q: Question) -> str:
        return f"{q.scale_min} to {q.scale_max}"

    def in_words(self, q: Question, values: list[str]) -> str:
        return f"{values[0]} (on a scale from {q.scale_min} to {q.scale_max})" if values else ""


#: Every question kind by name, in the order the docs list them.
KINDS: dict[str, Kind] = {k.name: k for k in (TextKind(), ChoiceKind(), MultiKind(), ScaleKind())}


def kind_of(question_or_name: Question | str) -> Kind:
    """The kind of a question (or a kind's name). KeyError for an unknown kind."""
    name = question_or_name if isinstance(question_or_name, str) else question_or_name.kind
    return KINDS[name]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


# ----------------------------------------------------------------------------- profile fields
@dataclass(frozen=True)
class ProfileKind:
    """A kind of profile field (who is answering): how the form asks for it and keeps it."""

    name: str
    #: Typed into a box (text, e-mail); else picked from the field's options.
    typed: bool
    #: One value (a string); else a list of the options ticked.
    one_value: bool = True
    #: Checked as an e-mail address as it is typed.
    email: bool = False
    #: Shown in the empty box.
    placeholder: str = ""


#: Every profile field kind by name, in the order the docs list them.
PROFILE_FIELD_KINDS: dict[str, ProfileKind] = {k.name: k for k in (
    ProfileKind("text", typed=True),
    ProfileKind("email", typed=True, email=True, placeholder="email@example.org"),
    ProfileKind("choice", typed=False),
    ProfileKind("multi", typed=False, one_value=False),
)}


def profile_kind(field_or_name: Any) -> ProfileKind:
    """The kind of a profile field (or a kind's name). KeyError for an unknown kind."""
    name = field_or_name if isinstance(field_or_name, str) else field_or_name.kind
    return PROFILE_FIELD_KINDS[name]
