"""The Bank model: a consultation's sections, questions, profile and consent, as frozen data.

Built by :func:`consult.bank_loader.load_bank`; everyone else imports it from
:mod:`consult.questions`, which also says how answers are stored. Question kinds are classes in
:mod:`consult.kinds`; a :class:`Question` asks its kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from consult.kinds import KINDS, MULTI_SEPARATOR, PROFILE_FIELD_KINDS, kind_of

QUESTION_KINDS = tuple(KINDS)  # defined in consult.kinds, one class per kind
PROFILE_KINDS = tuple(PROFILE_FIELD_KINDS)  # defined in consult.kinds
CONSENT_PURPOSES = ("quote", "name", "contact")
PROFILE_ROLES = ("organisation",)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@dataclass(frozen=True)
class Question:
    """One key question. How its answer is stored is said in :mod:`consult.questions`; use
    :meth:`encode_answer`, :meth:`decode_answer`, :meth:`validate_answer` and
    :meth:`answer_values` rather than reading the stored string directly."""

    id: str
    text: str
    section_id: str
    kind: str = "text"
    help: str = ""
    required: bool = False
    word_limit: int | None = None
    options: tuple[str, ...] = ()
    scale_min: int = 1
    scale_max: int = 5
    key_question: bool = True

    @property
    def is_free_text(self) -> bool:
        return kind_of(self).free_text

    # ------------------------------------------------------------------ answers
    @property
    def choices(self) -> tuple[str, ...]:
        """What a member picks from, as stored: the options, or the scale's numbers."""
        return kind_of(self).choices(self)

    def match_option(self, text: str) -> str | None:
        """The option (or scale number) ``text`` names, ignoring case and outer spaces."""
        return kind_of(self).match(self, text)

    def find_options(self, text: str, separator: str = MULTI_SEPARATOR) -> tuple[list[str], list[str]]:
        """The options named in ``text`` with parts separated by ``separator`` (case and outer
        spaces ignored), in bank order, and the parts that name no option."""
        return KINDS["multi"].find(self, text, separator)

    def split_options(self, text: str, separator: str = MULTI_SEPARATOR) -> list[str] | None:
        """Like :meth:`find_options`, but None if any part names no option."""
        found, unknown = self.find_options(text, separator)
        return None if unknown else found

    def encode_answer(self, value) -> str:
        """The stored string for an answer as the app holds it (see :mod:`consult.kinds`).

        ``text``: a string. ``choice``: an option or None. ``multi``: an iterable of options.
        ``scale``: an int, a numeric string or None. Raises ValueError for a value that is not
        one of the question's options or numbers.
        """
        return kind_of(self).encode(self, value)

    def decode_answer(self, text: str | None):
        """A stored string back as the app holds it: ``str`` for text; an option or None for
        choice; a list of options (bank order) for multi; an int or None for scale. Anything
        that is not (or no longer) an option is left out."""
        return kind_of(self).decode(self, text)

    def validate_answer(self, text: str | None) -> str | None:
        """None if ``text`` is a stored answer in the convention (or empty), else what is wrong."""
        return kind_of(self).validate(self, text)

    def answer_values(self, text: str | None) -> list[str]:
        """A stored answer as the values to show or count: ``[text]`` for a text answer, the
        chosen option(s) or the number otherwise, ``[]`` when unanswered. Parts that are not (or
        no longer) options are kept after the options, so nothing stored is hidden."""
        return kind_of(self).values(self, text)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    context: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class ProfileField:
    id: str
    text: str
    kind: str = "text"
    options: tuple[str, ...] = ()
    required: bool = False
    role: str | None = None
    breakdown: bool = False
    personal: bool = False
    # Wider areas the report counts in before any small number is suppressed, as the bank
    # declares them: ``(("North", ("North East", ...)), ...)``. Options in no group stay as they are.
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def group_of(self, value: str) -> str:
        """The wider group a value belongs to, or the value itself."""
        return next((name for name, members in self.groups if value in members), value)

    @property
    def grouped_options(self) -> tuple[str, ...]:
        """The categories after grouping, in the order of the bank's options."""
        return tuple(dict.fromkeys(self.group_of(o) for o in self.options))


@dataclass(frozen=True)
class ConsentItem:
    id: str
    text: str
    purpose: str


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    path: Path
    subtitle: str = ""
    publisher: str = ""
    date: str = ""
    series: str = ""
    introduction: str = ""
    privacy: str = ""
    publisher_about: str = ""  # "about the publisher", closing the report
    contact: str = ""  # how readers reach the publisher (address, e-mail, web), in the report
    conclusion: str = ""  # the publisher's closing words, in the report
    profile: tuple[ProfileField, ...] = ()
    consent: tuple[ConsentItem, ...] = ()
    sections: tuple[Section, ...] = ()
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)

    @property
    def questions(self) -> list[Question]:
        """Every question in the paper's order."""
        return [q for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question:
        if not self._by_id:
            self._by_id.update({q.id: q for q in self.questions})
        return self._by_id[question_id]

    def has_question(self, question_id: str) -> bool:
        return any(q.id == question_id for q in self.questions)

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def consent_for(self, purpose: str) -> ConsentItem | None:
        return next((c for c in self.consent if c.purpose == purpose), None)

    def profile_role(self, role: str) -> ProfileField | None:
        return next((p for p in self.profile if p.role == role), None)

    @property
    def breakdown_fields(self) -> list[ProfileField]:
        return [p for p in self.profile if p.breakdown]

    @property
    def organiser(self) -> str:
        """Who members answer to, in the app's sentences ("What Clinks may do with your
        response"): the bank's publisher, else "the organisers". Sentences that use it keep to
        verbs that read right after either ("may", "will")."""
        return self.publisher.strip() or "the organisers"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}"


class BankError(Exception):
    """A question bank that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

