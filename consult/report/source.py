"""Where the report reads themes: contract 1 of the playbook, the codebook's
``question_coding`` and its one share rule. Nothing else in the report reads theme tables."""

from __future__ import annotations

from consult.codebook import CodedTheme, QuestionCoding, question_coding, share

__all__ = ["CodedTheme", "QuestionCoding", "question_coding", "share"]
