"""Themes in the free-text answers to one question, with scikit-learn and SciPy only.

Pure library: no database, no terminal, no network. The caller stores the result.

The steps, one module each (why each step is there is said in its module):

1. ``nonanswers``: "no comment", "n/a", "see above"... are set aside so they never form a theme.
2. ``vectors``: each answer becomes LSA (TF-IDF + SVD) plus word vectors learnt from the
   answers (positive PMI + SVD), halves of equal weight.
3. ``numthemes``: with ``"auto"`` the number of themes is chosen by the stability of
   k-means partitions of random subsamples, looking inside coarse splits for finer themes.
4. ``clustering``: k-means (mini-batch for big questions) on the unit vectors.
5. ``tidy``: outliers and tiny clusters to "other", near-duplicate themes merged or flagged,
   answers staff pinned kept where staff put them, a second theme where an answer is close
   to one.
6. ``labels``: the most distinctive phrase the members actually wrote.
7. ``links``: themes that recur across questions.

Every threshold is in ``config.AnalysisConfig`` (``CONFIG``); a run stores
``CONFIG.as_dict()`` and :func:`versions`.
"""

from consult.analysis.analyse import METHOD, Progress, analyse_texts
from consult.analysis.clustering import min_theme_size, one_blas_thread
from consult.analysis.config import CONFIG, AnalysisConfig, versions
from consult.analysis.links import link_themes
from consult.analysis.nonanswers import is_non_answer
from consult.analysis.numthemes import choose_k
from consult.analysis.results import BroadTheme, QuestionAnalysis, Theme
from consult.analysis.vectors import Embedder

__all__ = [
    "CONFIG",
    "METHOD",
    "AnalysisConfig",
    "BroadTheme",
    "Embedder",
    "Progress",
    "QuestionAnalysis",
    "Theme",
    "analyse_texts",
    "choose_k",
    "is_non_answer",
    "link_themes",
    "min_theme_size",
    "one_blas_thread",
    "versions",
]
