"""Every threshold of the analysis in one frozen object, stored with each run.

A run records ``CONFIG.as_dict()`` and :func:`versions` beside its results, so two runs can be
compared and a surprising one reproduced with the same numbers and libraries.
"""

from __future__ import annotations

import platform
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class AnalysisConfig:
    """The numbers the method depends on; each says why it has the value it has."""

    # ---- what is analysed -------------------------------------------------------------
    #: Fewer substantive answers than this and no themes are attempted: k-means on four
    #: answers says nothing a reader could not see at a glance.
    min_answers: int = 5
    #: A theme needs at least this many answers, a group a person can read and name ...
    min_theme: int = 5
    #: ... and at least this share of the answers, so 100,000 answers do not give 5-answer themes.
    min_theme_share: float = 0.001
    #: Answers are cut to this many characters so one huge paste cannot stall the analysis.
    max_chars: int = 50_000

    # ---- vectors ----------------------------------------------------------------------
    #: The vectorisers are fitted on at most this many answers (a sample) and applied to all:
    #: beyond it the vocabulary and its weights no longer change.
    fit_sample: int = 200_000
    #: Above this many unique answers, the SVDs are fitted on a sample of this size and
    #: k-means runs in mini-batches, so 1,000,000 answers fit in memory.
    big_n: int = 50_000
    #: The SVD dimension grows as sqrt(n) and stops here: more dimensions only add noise.
    max_dim: int = 100
    #: Answers longer than this many distinct words count less in the word co-occurrence
    #: counts, which otherwise grow with the square of their length.
    long_answer_words: int = 50
    #: Power iterations of the randomised SVDs (scikit-learn's default is 5).
    svd_iterations: int = 5
    #: Context-distribution smoothing of positive PMI (Levy, Goldberg and Dagan 2015).
    ppmi_context_power: float = 0.75
    #: Add a third part of equal weight: the TF-IDF weighted mean of static word vectors
    #: distilled from all-MiniLM-L6-v2 (consult/analysis/static.py), which knows what words
    #: mean beyond one question's answers ("cheap" near "affordable" in 30 answers).
    static_vectors: bool = True
    #: Weight the two parts read from the answers' shared vocabulary by the share of a text's
    #: TF-IDF mass that vocabulary holds (see vectors.py), so words it never saw count too.
    coverage_weighting: bool = True
    #: Texts transformed per chunk, to bound the memory of one sparse matrix.
    transform_chunk: int = 100_000

    # ---- k-means ----------------------------------------------------------------------
    #: Restarts of full k-means; the best inertia of several starts is far less seed-bound.
    kmeans_n_init: int = 4
    #: Restarts and batch size of mini-batch k-means for big questions.
    minibatch_n_init: int = 3
    minibatch_size: int = 4096

    # ---- the number of themes (see numthemes.py) ----------------------------------------
    #: Answers sampled to choose the number of themes: stability is a property of the
    #: structure, not of n, and 2,000 answers show it (measured on both labelled sets, seeds 0
    #: and 1: the same numbers of themes as 3,000 answers gave, in a third of the time).
    k_sample: int = 2000
    #: Subsamples clustered per candidate number; every pair of them is compared (8 fits give
    #: 28 pairs). A small question gets more fits, up to ``k_fits_max``, for about the same
    #: work in all (``k_fit_answers`` answers clustered per candidate): its fits are cheap and
    #: its stability noisy (45 answers of 3 topics: 8 fits found 4 themes most stable for one
    #: seed in three; 32 fits found 3 for every seed).
    k_fits: int = 8
    k_fits_max: int = 32
    k_fit_answers: int = 16_000
    #: Each subsample holds this share of the sample (Ben-Hur, Elisseeff and Guyon 2002).
    k_subsample: float = 0.8
    #: Most broad themes: what a reader takes in at once. Broad themes are chosen among 2..this
    #: and each is then examined for finer themes.
    broad_max: int = 10
    #: A broad partition whose subsamples agree at least this well (adjusted Rand index) is
    #: examined for finer themes inside: agreement on nearly every pair is the mark of a top
    #: level (two domains, two kinds of respondent) that hides a finer one.
    coarse_agreement: float = 0.8
    #: A theme is split further only when its split is this many standard errors more
    #: reproducible than the same split of a structureless (Gaussian) cloud of its shape.
    k_split_z: float = 3.0
    #: Candidates inside one coarse theme: at least this many sample answers per sub-theme.
    k_sub_min: int = 20
    #: Most themes the stability grid offers at the first level (about 4x what a reader can
    #: use); more come only from splitting broad themes.
    k_grid_max: int = 40
    #: Most fine themes a two-level choice may give: beyond it no person reads them all.
    k_total_max: int = 100
    #: Worker threads for the many small k-means fits (results do not depend on it).
    max_workers: int = 4

    # ---- tidying ----------------------------------------------------------------------
    #: An answer whose closeness to its theme is this many robust standard deviations below
    #: the typical member's goes to "other".
    outlier_z: float = 3.0
    #: Centroid cosine above which two themes are taken to say the same thing.
    merge_cosine: float = 0.9
    #: A second theme is also given to an answer when it is this close to it (relative to
    #: its own theme) and at least as close as that theme's typical member.
    secondary_ratio: float = 0.9
    #: A sentence of at least this many words is a point of its own (see points.py) ...
    point_words: int = 5
    #: ... and codes its answer to another theme too when it is nearer that theme than the
    #: answer's own and as near it as that theme's ordinary members: no more than this many
    #: robust standard deviations (1.4826 x MAD) below their median cosine.
    point_z: float = 1.0
    #: Answers quoted per theme as representative.
    representatives: int = 5

    # ---- labels -----------------------------------------------------------------------
    #: Members read per theme to find its words (a sample of big themes).
    label_sample: int = 3000
    #: Key terms kept per theme.
    max_terms: int = 8

    # ---- links between questions --------------------------------------------------------
    #: Centroid cosine from which themes of two questions are said to recur.
    link_threshold: float = 0.8
    #: Members per theme embedded to compare themes across questions.
    link_members: int = 2000

    def as_dict(self) -> dict:
        """JSON-ready copy, stored with each run."""
        return asdict(self)


#: The configuration every run uses unless a caller passes another.
CONFIG = AnalysisConfig()


def versions() -> dict[str, str]:
    """Versions of the libraries whose numerics the themes depend on, stored with each run."""
    import numpy
    import scipy
    import sklearn
    import threadpoolctl

    return {
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "threadpoolctl": threadpoolctl.__version__,
    }
