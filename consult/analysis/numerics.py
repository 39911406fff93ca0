"""Numerical housekeeping shared by the analysis steps."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from sklearn.exceptions import ConvergenceWarning


@contextmanager
def quiet_numerics() -> Iterator[None]:
    """Duplicate answers make k-means warn that it found fewer distinct clusters than asked,
    and an all-zero column makes the SVD divide by zero; both are handled (tiny clusters go to
    "other"), so the warnings would only alarm the person running the analysis."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        yield
