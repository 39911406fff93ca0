"""From k-means labels to themes a reader can use: outliers, tiny groups, duplicates, pins."""

from __future__ import annotations

import numpy as np

from consult.analysis.clustering import centroids
from consult.analysis.config import CONFIG, AnalysisConfig
from consult.analysis.labels import describe
from consult.analysis.results import Theme


def tidy(
    texts: list[str],
    subst: list[int],
    V: np.ndarray,
    lab: np.ndarray,
    k: int,
    auto: bool,
    min_size: int,
    pinned: dict[int, str],
    seed: int,
    config: AnalysisConfig = CONFIG,
    phrases: dict[int, list[str]] | None = None,
) -> tuple[list[Theme], list[int], list[tuple[int, int]]]:
    """Tiny clusters dissolved into their neighbours, far answers to "other", duplicate themes
    merged (auto) or flagged (fixed k), pinned answers kept where staff put them, labels.

    "Other" is a distance rule, never a size rule: an answer goes there only when it shares no
    word with the rest (a zero vector), or when both (a) its cosine to the nearest theme's
    centroid is more than ``outlier_z`` robust standard deviations (1.4826 x MAD) below the
    median cosine of answers to their theme, and (b) it is no closer to that theme than the
    median answer of the other themes is: an answer that makes a theme's point in its own
    words, or makes two points, is far from the tight core of a theme but still nearer it than
    answers about something else, and stays. Answers of a cluster too small to be a theme are
    first moved to the nearest theme that is big enough, and judged by the same rule there.
    """
    subst_arr = np.asarray(subst)
    pin_rows = np.array([i in pinned for i in subst], dtype=bool)
    lab = lab.copy()
    lab[pin_rows] = -1
    has_vec = (lab >= 0) & (np.linalg.norm(V, axis=1) > 0.5)
    merged: list[tuple[int, int]] = []
    similar: dict[int, int] = {}
    for _ in range(k):
        lab = _dissolve_small(V, lab, k, min_size)
        sizes = np.bincount(lab[lab >= 0], minlength=k)
        live = [c for c in range(k) if sizes[c] > 0]
        C = centroids(V, lab, k)
        pair = _near_duplicate(C, live, similar, config.merge_cosine)
        if pair is None:
            break
        a, b = pair
        if auto:
            lab[lab == b] = a
            merged.append((a, b))
        else:
            similar[b] = a
    lab[_far_from_every_theme(V, lab, k, config)] = -1
    lab = _dissolve_small(V, lab, k, min_size, keep=has_vec & (lab >= 0))
    sizes = np.bincount(lab[lab >= 0], minlength=k)
    live = sorted((c for c in range(k) if sizes[c] > 0), key=lambda c: (-sizes[c], c))

    groups: list[list[int]] = [subst_arr[lab == c].tolist() for c in live]
    labels_fixed: list[str | None] = [None] * len(live)
    # pinned answers: join the theme with that label, else a new theme of their own
    by_label: dict[str, list[int]] = {}
    for i, name in sorted(pinned.items()):
        if 0 <= i < len(texts):
            by_label.setdefault(name, []).append(i)
    described = describe(texts, groups, seed, config, phrases)
    names = [d[0] for d in described]
    for name, idx in by_label.items():
        hit = next((g for g, nm in enumerate(names) if nm.strip().lower() == name.lower()), None)
        if hit is None:
            groups.append(sorted(idx))
            names.append(name)
            labels_fixed.append(name)
            described.append((name, [], ""))
        else:
            groups[hit] = sorted(set(groups[hit]) | set(idx))
            labels_fixed[hit] = name
    row_of = {i: r for r, i in enumerate(subst)}
    cent = []
    for g in groups:
        rows = [row_of[i] for i in g if i in row_of]
        c = V[rows].mean(0) if rows else np.zeros(V.shape[1], dtype=np.float32)
        nrm = np.linalg.norm(c)
        cent.append(c / nrm if nrm > 0 else c)
    Cg = np.vstack(cent).astype(np.float32) if cent else np.zeros((0, V.shape[1]), np.float32)
    # re-describe groups changed by pinning (terms must come from their real members)
    changed = [g for g in range(len(groups)) if labels_fixed[g] is not None]
    if changed:
        redo = describe(texts, [groups[g] for g in changed], seed, config, phrases)
        for g, (_lab, terms, text) in zip(changed, redo, strict=True):
            described[g] = (labels_fixed[g], terms or described[g][1], text or described[g][2])

    order = sorted(range(len(groups)), key=lambda g: (-len(groups[g]), g))
    new_key = {g: r for r, g in enumerate(order)}
    old_live_key = {c: g for g, c in enumerate(live)}
    assigned = set().union(*map(set, groups)) if groups else set()
    other = sorted(set(subst) - assigned)

    # secondary themes: nearly as close to a second theme as to the first, and as close to it
    # as that theme's typical member
    all_sims = V @ Cg.T if len(Cg) else np.zeros((len(V), 0), np.float32)
    prim_of = {}
    for g, members in enumerate(groups):
        for i in members:
            prim_of[i] = g
    med_sim = []
    for g, members in enumerate(groups):
        rows = [row_of[i] for i in members if i in row_of]
        med_sim.append(float(np.median(all_sims[rows, g])) if rows else 1.0)
    secondary: list[list[int]] = [[] for _ in groups]
    if len(groups) > 1:
        for i, g in prim_of.items():
            r = row_of[i]
            s = all_sims[r].copy()
            s1 = s[g]
            s[g] = -np.inf
            g2 = int(np.argmax(s))
            if s[g2] >= config.secondary_ratio * s1 and s[g2] >= med_sim[g2] and s1 > 0:
                secondary[g2].append(i)

    out: list[Theme] = []
    lengths = np.array([len(t.split()) for t in texts])
    for g in order:
        members = sorted(groups[g])
        rows = [row_of[i] for i in members if i in row_of]
        msims = all_sims[rows, g] if rows else np.zeros(0)
        cohesion = float(np.clip(msims.mean(), 0, 1)) if len(msims) else 0.0
        sim_to = None
        if g < len(live) and live[g] in similar and similar[live[g]] in old_live_key:
            sim_to = new_key[old_live_key[similar[live[g]]]]
        out.append(
            Theme(
                key=new_key[g],
                label=described[g][0],
                terms=described[g][1],
                description=described[g][2],
                members=members,
                secondary=sorted(secondary[g]),
                representatives=_representatives(texts, members, msims, lengths, config.representatives),
                cohesion=round(cohesion, 4),
                similar_to=sim_to,
                pinned=labels_fixed[g] is not None,
                scores={i: round(float(v), 4) for i, v in zip(members, msims, strict=False)},
            )
        )
    return out, other, merged


def _far_from_every_theme(V: np.ndarray, lab: np.ndarray, k: int, config: AnalysisConfig) -> np.ndarray:
    """The answers that fit no theme (see :func:`tidy`): far below the typical member's
    closeness to its theme, and no closer to their nearest theme than most of the answers
    that belong to other themes are."""
    far = np.zeros(len(lab), dtype=bool)
    valid = lab >= 0
    if valid.sum() <= 10:
        return far
    C = centroids(V, lab, k)
    sims = np.einsum("ij,ij->i", V, C[np.maximum(lab, 0)])
    med = np.median(sims[valid])
    mad = np.median(np.abs(sims[valid] - med)) * 1.4826
    if mad <= 0:
        return far
    far = valid & (sims < med - config.outlier_z * mad)
    for c in np.unique(lab[far]):
        others = valid & (lab != c)
        if not others.any():
            continue
        # nearer the typical answer of another theme than the typical member of this one
        mine = far & (lab == c)
        members = valid & (lab == c)
        middle = (np.median(V[others] @ C[c]) + np.median(sims[members])) / 2
        far[mine] = sims[mine] < middle
    return far


def _near_duplicate(
    C: np.ndarray, live: list[int], flagged: dict[int, int], threshold: float
) -> tuple[int, int] | None:
    """The most similar pair of live themes at or above ``threshold``, not yet flagged."""
    best, pair = threshold, None
    for x in range(len(live)):
        for y in range(x + 1, len(live)):
            a, b = live[x], live[y]
            if b in flagged or a in flagged:
                continue
            s = float(C[a] @ C[b])
            if s >= best:
                best, pair = s, (a, b)
    return pair


def _representatives(
    texts: list[str], members: list[int], msims: np.ndarray, lengths: np.ndarray, limit: int
) -> list[int]:
    """Up to ``limit`` distinct answers nearest the centroid, preferring ordinary lengths."""
    if not members:
        return []
    lens = lengths[members]
    lo = max(3, np.percentile(lens, 10))
    hi = max(lo, np.percentile(lens, 90))
    ok = (lens >= lo) & (lens <= hi)
    score = np.asarray(msims, dtype=np.float64) + np.where(ok, 0.0, -1.0)
    chosen: list[int] = []
    seen: set[str] = set()
    for j in np.argsort(-score, kind="stable"):
        key = texts[members[j]].strip().lower()
        if key in seen:
            continue
        seen.add(key)
        chosen.append(members[j])
        if len(chosen) == limit:
            break
    return chosen


def _dissolve_small(V: np.ndarray, lab: np.ndarray, k: int, min_size: int,
                    keep: np.ndarray | None = None) -> np.ndarray:
    """Answers of clusters under ``min_size`` moved to the nearest cluster that is big enough.

    ``keep`` (default: every labelled answer) says which answers may move; the rest of a
    dissolved cluster goes to "other" (-1). With no cluster big enough, nothing moves.
    """
    lab = lab.copy()
    sizes = np.bincount(lab[lab >= 0], minlength=k)
    small = (sizes > 0) & (sizes < min_size)
    if not small.any():
        return lab
    big = np.flatnonzero(sizes >= min_size)
    rows = np.flatnonzero((lab >= 0) & small[np.maximum(lab, 0)])
    if not len(big):
        return lab
    C = centroids(V, lab, k)[big]
    lab[rows] = big[np.argmax(V[rows] @ C.T, axis=1)]
    if keep is not None:
        lab[rows[~keep[rows]]] = -1
    return lab

