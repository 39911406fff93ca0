"""The store: the only code in consult that writes SQL.

``Store(path)`` opens (or creates) a database, applies pending migrations and offers the methods
of each area, one module per area: responses (respondents and answers), analyses (theme runs),
curation (staff work on responses and themes), the codebook (themes staff own, their
codings, edits and undo).
"""

from __future__ import annotations

import os
from pathlib import Path

from consult.store.admin import AdminMixin
from consult.store.analyses import AnalysesMixin, Member, Run, ThemeRow
from consult.store.codebook import CodebookMixin, CodebookTheme, Proposal
from consult.store.codebook_edits import CodebookEditsMixin
from consult.store.codebook_undo import CodebookAction, CodebookUndoMixin, ThemeVersion
from consult.store.codes import CodesMixin, TooManyAttempts, format_code
from consult.store.curation import CurationError, CurationMixin
from consult.store.db import Database, iso, utcnow
from consult.store.errors import (
    SchemaError,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreFull,
    StoreReadOnly,
)
from consult.store.imports import ImportsMixin
from consult.store.quotes import QuotesMixin
from consult.store.responses import Respondent, ResponsesMixin, normalise_code

DEFAULT_DB = "responses.db"

__all__ = ["Store", "StoreError", "StoreBusy", "StoreFull", "StoreReadOnly", "StoreDamaged", "SchemaError", "TooManyAttempts", "format_code", "CurationError", "CodebookTheme", "CodebookAction", "ThemeVersion", "Proposal", "Respondent", "Run", "ThemeRow", "Member", "default_db_path", "iso", "utcnow", "normalise_code"]


def default_db_path() -> Path:
    """``$CONSULT_DB`` if set, else ``responses.db`` in the current folder."""
    return Path(os.environ.get("CONSULT_DB") or DEFAULT_DB)


class Store(ImportsMixin, CodesMixin, AdminMixin, ResponsesMixin, AnalysesMixin, CodebookEditsMixin,
            CodebookUndoMixin, CodebookMixin, CurationMixin, QuotesMixin, Database):
    """A consult database: every read and write the app, the analysis and the report need."""

    def __init__(self, path: str | Path, **options) -> None:
        super().__init__(path, **options)
        if self.scalar("SELECT 1 FROM imports LIMIT 1"):
            self.recover_imports()  # an import was killed: its staged rows go
