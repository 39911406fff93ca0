"""Resume codes: how a member gets back to their response, and what guessing one costs.

Threat model (docs/reliability.md says more): someone at the answering app (a shared terminal,
or a browser tab of ``consult serve``) tries codes to open another member's response. A code is
10 letters of a 31-letter alphabet, 49.5 bits; after :data:`FREE_CODE_ATTEMPTS` wrong codes in
a consultation within :data:`CODE_ATTEMPT_WINDOW_S`, each further try must wait a delay that
doubles, up to :data:`CODE_DELAY_MAX_S`: the count lives in the database, so it holds across
processes and tabs. Someone with a copy of the database file already has the answers; what it
does not hand them is the codes: only a slow scrypt hash of each, with a salt of its own, is
stored, and the code's first :data:`CODE_SELECTOR_LENGTH` letters in clear to find the row (so
the secret part an offline guesser faces is 7 letters, 34.7 bits, at one scrypt per guess per
respondent). Codes of 8 letters made before (one salt for the database) keep working.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from consult.store.errors import StoreError

# No 0/O, 1/I/L: easy to read aloud and copy by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# 31**10 is 49.5 bits: over the 40 asked even after the selector is known to an attacker online.
CODE_LENGTH = 10
# Codes handed out before (31**8, 39.6 bits) still open their responses.
LEGACY_CODE_LENGTH = 8
# Letters of the code stored in clear, to find its row without trying every respondent's salt
# (31**3 = 29,791 buckets: one or two scrypt checks a lookup even with thousands of members).
CODE_SELECTOR_LENGTH = 3
# scrypt cost: about 20 ms a check here, so a guesser with the file pays per respondent.
SCRYPT = {"n": 2**13, "r": 8, "p": 1, "dklen": 32}
# Wrong codes allowed per consultation in an hour before tries slow down (a member mistyping a
# few times is never delayed). The hour is longer than the delays add up to, so a steady
# guesser reaches the cap: 12 guesses an hour.
FREE_CODE_ATTEMPTS = 5
CODE_ATTEMPT_WINDOW_S = 60 * 60
# The delay after the free attempts: 2 s, doubling with each wrong code, at most 5 minutes.
CODE_DELAY_BASE_S = 2
CODE_DELAY_MAX_S = 5 * 60


class TooManyAttempts(StoreError):
    """Wrong codes came too fast; ``retry_after`` seconds must pass before the next try."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"too many wrong codes: wait {retry_after} seconds before trying again")


def normalise_code(code: str) -> str:
    """Upper-case, drop spaces and dashes."""
    return re.sub(r"[^A-Z0-9]", "", code.upper())


def format_code(code: str) -> str:
    """A code as shown and printed: ``KX7P3-QMDRT`` (10 letters), ``KX7P-3QMD`` (8)."""
    raw = normalise_code(code)
    half = len(raw) // 2
    return f"{raw[:half]}-{raw[half:]}"


def new_code() -> str:
    return format_code("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))


def _well_formed(raw: str) -> bool:
    return len(raw) in (CODE_LENGTH, LEGACY_CODE_LENGTH) and not set(raw) - set(CODE_ALPHABET)


def _scrypt(raw: str, salt: bytes) -> str:
    return hashlib.scrypt(raw.encode(), salt=salt, **SCRYPT).hex()


class CodesMixin:
    """Methods of :class:`consult.store.Store` for resume codes."""

    def _legacy_hash(self, raw: str) -> str:
        """The hash of an 8-letter code: one salt for the whole database (as before)."""
        salt = self.scalar("SELECT value FROM settings WHERE key = 'code_salt'")
        if salt is None:
            with self.write():
                self.conn.execute("INSERT OR IGNORE INTO settings VALUES ('code_salt', ?)",
                                  (secrets.token_hex(16),))
            salt = self.scalar("SELECT value FROM settings WHERE key = 'code_salt'")
        return _scrypt(raw, bytes.fromhex(salt))

    def _code_row(self, consultation_id: str | None, raw: str):
        """The respondent row this well-formed code opens, or None (no attempt is counted)."""
        where, params = ("AND consultation_id = ?", (consultation_id,)) if consultation_id else ("", ())
        if len(raw) == LEGACY_CODE_LENGTH:
            return self.conn.execute(f"SELECT * FROM respondents WHERE code_hash = ? AND code_salt IS NULL"
                                     f" {where}", (self._legacy_hash(raw), *params)).fetchone()
        for row in self.query(f"SELECT * FROM respondents WHERE code_key = ? AND code_salt IS NOT NULL"
                              f" {where}", (raw[:CODE_SELECTOR_LENGTH], *params)):
            if secrets.compare_digest(_scrypt(raw, bytes.fromhex(row["code_salt"])), row["code_hash"]):
                return row
        return None

    def _code_columns(self, code: str | None) -> tuple[str, dict]:
        """A new unused code (or ``code``, checked) and the columns that store it."""
        if code is not None:
            raw = normalise_code(code)
            if not _well_formed(raw):
                raise ValueError(f"not a resume code: {code!r}")
            if self._code_row(None, raw) is not None:
                raise ValueError("that resume code is already in use")
        else:
            raw = normalise_code(new_code())
            while self._code_row(None, raw) is not None:
                raw = normalise_code(new_code())
        if len(raw) == LEGACY_CODE_LENGTH:  # fixed codes of the old form (tests, seeded screens)
            return format_code(raw), {"code_hash": self._legacy_hash(raw)}
        salt = secrets.token_bytes(16)
        return format_code(raw), {"code_hash": _scrypt(raw, salt), "code_salt": salt.hex(),
                                  "code_key": raw[:CODE_SELECTOR_LENGTH]}

    def respondent_by_code(self, consultation_id: str, code: str):
        """The response this code opens, or None; never a near match. Raises
        :class:`TooManyAttempts` while wrong codes are being slowed down (see module doc)."""
        from consult.store.responses import Respondent

        raw = normalise_code(code)
        now = self.clock().timestamp()
        self._check_attempts(consultation_id, now)
        row = self._code_row(consultation_id, raw) if _well_formed(raw) else None
        if row is None:
            with self.write():
                self.conn.execute("DELETE FROM code_attempts WHERE at < ?", (now - CODE_ATTEMPT_WINDOW_S,))
                self.conn.execute("INSERT INTO code_attempts (consultation_id, at) VALUES (?, ?)",
                                  (consultation_id, now))
            return None
        return Respondent.from_row(row)

    def _check_attempts(self, consultation_id: str, now: float) -> None:
        recent = self.query("SELECT at FROM code_attempts WHERE consultation_id = ? AND at >= ?"
                            " ORDER BY at", (consultation_id, now - CODE_ATTEMPT_WINDOW_S))
        extra = len(recent) - FREE_CODE_ATTEMPTS
        if extra < 0:
            return
        delay = min(CODE_DELAY_BASE_S * 2 ** extra, CODE_DELAY_MAX_S)
        wait = recent[-1]["at"] + delay - now
        if wait > 0:
            raise TooManyAttempts(int(wait + 0.999))
