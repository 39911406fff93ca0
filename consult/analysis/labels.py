"""Labels, key terms and descriptions of the analysis's themes: :mod:`consult.labels` (playbook
contract 3), which builds them from phrases the members wrote, supported by most of a theme's
answers, and one plain sentence per theme that is never one person's words."""

from __future__ import annotations

from consult.analysis.config import CONFIG, AnalysisConfig
from consult.labels import label_groups


def describe(texts: list[str], groups: list[list[int]], seed: int,
             config: AnalysisConfig = CONFIG,
             phrases: dict[int, list[str]] | None = None) -> list[tuple[str, list[str], str]]:
    """(label, terms, description) per group of answer indices. ``phrases`` (a cache of the old
    labeller's phrase reading) is accepted for the callers and not needed."""
    return [(g.label, list(g.terms), g.description)
            for g in label_groups(texts, groups, seed=seed)]
