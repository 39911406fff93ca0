"""What an analysis returns: themes (fine level), broad themes over them, other, non-answers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Theme:
    """One theme in the answers to a question; indices refer to the input list."""

    key: int
    label: str
    terms: list[str]
    members: list[int]
    secondary: list[int]
    representatives: list[int]
    cohesion: float
    similar_to: int | None = None
    pinned: bool = False
    scores: dict[int, float] = field(default_factory=dict, repr=False)  # member -> cosine
    description: str = ""  # one sentence from the theme's phrases (consult.labels)


@dataclass
class BroadTheme:
    """A broad theme: what a reader takes in first. ``children`` index ``QuestionAnalysis.themes``."""

    label: str
    terms: list[str]
    children: list[int]


@dataclass
class QuestionAnalysis:
    """Everything found in one question's answers; every input index is in exactly one of
    a theme's ``members``, ``other`` or ``non_answers``. When ``too_few``, the substantive
    answers are all in ``other`` so the caller can list them. ``broad`` groups the themes
    into at most about 10 broad themes; it is empty when there is only one level."""

    themes: list[Theme]
    other: list[int]
    non_answers: list[int]
    too_few: bool
    k_chosen: int
    k_criterion: str
    scores: dict
    broad: list[BroadTheme] = field(default_factory=list)
    texts: list[str] | None = field(default=None, repr=False, compare=False)

    def assignment(self, n: int) -> list[int | None]:
        """Theme key per input index; -1 for other, None for non-answers (and too_few)."""
        out: list[int | None] = [None] * n
        for i in self.other:
            out[i] = -1
        for t in self.themes:
            for i in t.members:
                out[i] = t.key
        return out
