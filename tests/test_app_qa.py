"""Defects found by exploratory testing in a real browser, each pinned by an AppTest."""

import json
import subprocess
from pathlib import Path

from explorer import cache, jobs, state
from tests.helpers.app import add_run, assert_clean, button, open_page, texts


def test_resume_is_followed_live_before_the_trainer_rewrites_status(runs_root, tiny_grammar_run, monkeypatch):
    """Resume launched the trainer, but status.json still said "finished" until the new process had
    loaded torch and the data: the page saw no active job, switched its refresh off, and kept showing
    the old state while the run trained (it never updated without a manual reload)."""
    run = add_run(tiny_grammar_run, runs_root, "r1")
    status = json.loads((run / "status.json").read_text())
    assert status["state"] == "finished"
    monkeypatch.setattr(jobs, "command", lambda argv: ["sleep", "60"])  # a trainer that is still loading
    at = open_page("train", session={state.WATCHED_RUN: "r1"})
    assert "finished" in at.get("progress")[0].proto.text
    button(at, "Resume").click().run()
    processes = cache.training_processes()  # the registry the pages use
    try:
        assert_clean(at)
        assert processes.job_state(run).state == "starting"
        text = at.get("progress")[0].proto.text
        assert "starting" in text and "resuming from step" in text, text
        assert button(at, "Stop")  # the run can be stopped while it loads
    finally:
        process = processes.process(run)
        process.terminate()
        process.wait(10)


def test_stopping_saves_status_before_exit_is_not_mistaken_for_a_resume(runs_root, tiny_grammar_run):
    """A process that rewrote status.json after it was launched is past its start: its state counts."""
    run = add_run(tiny_grammar_run, runs_root, "r2")
    process = subprocess.Popen(["sleep", "60"])
    try:
        processes = jobs.TrainingProcesses()
        processes.track(run, process, json.loads((run / "status.json").read_text())["updated"] - 5)
        assert processes.job_state(run).state == "finished"
    finally:
        process.terminate()
        process.wait(10)


def test_fixed_basis_reports_each_models_own_explained_variance():
    """In a fixed basis (the first model's PCA axes), the second model's caption repeated the first
    model's explained variance (74%, 19%, 5% for both Figure 2 models); its own share differs."""
    import numpy as np

    from explorer import cache

    rng = np.random.default_rng(0)
    first = (rng.normal(size=(20, 10)) * np.arange(10, 0, -1)).astype(np.float32)
    second = (rng.normal(size=(20, 10)) * np.arange(1, 11)).astype(np.float32)  # its variance elsewhere
    a, b = cache.projections((first, second), "pca", 2, 0, "basis")
    own = tuple(np.asarray(b.coords, dtype=np.float64).var(0, ddof=1) / second.var(0, ddof=1).sum())
    assert np.allclose(b.explained_variance, own, atol=1e-4)
    assert sum(b.explained_variance) < 0.2 < sum(a.explained_variance)
    alone = cache.projections((first,), "pca", 2, 0, "basis")[0].explained_variance
    assert np.allclose(a.explained_variance, alone)  # the first model: its PCA's own ratios
    procrustes = cache.projections((first, second), "pca", 2, 0, "procrustes")
    assert np.allclose(
        procrustes[1].explained_variance,
        cache.projections((second,), "pca", 2, 0, "basis")[0].explained_variance,
    )


def test_map_title_names_the_projection_as_the_controls_do(runs_root, tiny_grammar_run):
    """The map said "TSNE of hc" (the method key upper-cased) under a Projection box saying t-SNE."""
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("vectors")
    at.radio(key="tv_source").set_value("Typed sentence groups").run()
    at.text_area(key="tv_text").input("John admires Mary\nMary is admired by John\n\nMary admires John")
    at.selectbox(key="tv_method").set_value("tsne")
    button(at, "Draw the maps").click().run()
    assert_clean(at)
    chart = next(c for c in at.get("plotly_chart") if c.key == "tv_map_0")
    title = json.loads(chart.proto.spec)["layout"]["title"]["text"]
    assert title == "typed: t-SNE of hc, layers all", title


def test_a_failed_trace_does_not_leave_the_previous_trajectory(runs_root, tiny_grammar_run):
    """After a trace, tracing an empty box (or 9 sentences) showed the error above the previous
    sentences' trajectory, as if it belonged to the new input."""
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("vectors")
    button(at, "Trace").click().run()
    assert_clean(at)
    assert "tv_traj" in {c.key for c in at.get("plotly_chart")}
    at.text_area(key="tv_traj_text").input("  ")
    button(at, "Trace").click().run()
    assert "type at least one sentence" in " ".join(texts(at.error))
    assert "tv_traj" not in {c.key for c in at.get("plotly_chart")}


def _trained_on(run, spec: str, **data) -> None:
    config = json.loads((run / "config.json").read_text())
    config["data"] |= {"spec": spec, **data}
    (run / "config.json").write_text(json.dumps(config))


def test_a_run_trained_on_a_relative_data_path_is_found_next_to_the_runs_folder(runs_root, tiny_grammar_run):
    """The README trains with `--data data/grammar` (relative to where s2s ran, as config.json keeps it);
    the app, started elsewhere, said "data/grammar not found: check the path" for BLEU by length and
    nearest neighbours, though the corpus was beside the runs folder."""
    from core.corpus.dataset import load_data

    corpus = runs_root.parent / "data" / "g"
    corpus.mkdir(parents=True)
    data = load_data("grammar:3000")
    for split in ("train", "dev", "test"):
        pairs = getattr(data, split)
        (corpus / f"{split}.tsv").write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    run = add_run(tiny_grammar_run, runs_root, "rev")
    _trained_on(run, "data/g")
    assert not (Path.cwd() / "data" / "g").exists()
    at = open_page("compare")
    at.number_input(key="compare_limit").set_value(20)
    button(at, "Compute BLEU by length").click().run()
    assert_clean(at)
    assert "compare_bleu_len" in {c.key for c in at.get("plotly_chart")}
    at = open_page("lab")
    at.select_slider(key="lab_limit").set_value(500)
    button(at, "Find neighbours").click().run()
    assert_clean(at)
    assert len(at.dataframe[0].value) == 10  # 2 queries x 5 neighbours


def test_a_grammar_run_whose_corpus_folder_is_gone_regenerates_it(runs_root, tiny_grammar_run):
    run = add_run(tiny_grammar_run, runs_root, "rev")
    _trained_on(run, "data/grammar-somewhere-else")  # fingerprint, counts and is_grammar: grammar:3000's
    at = open_page("compare")
    at.number_input(key="compare_limit").set_value(20)
    button(at, "Compute BLEU by length").click().run()
    assert_clean(at)
    assert at.dataframe[-1].value["sentences"][0] == 20


def test_a_run_whose_data_is_nowhere_says_where_it_looked(runs_root, tiny_grammar_run):
    run = add_run(tiny_grammar_run, runs_root, "rev")
    _trained_on(run, "corpora/mine.tsv", is_grammar=False)
    at = open_page("compare")
    button(at, "Compute BLEU by length").click().run()
    assert not at.exception
    message = " ".join(texts(at.error))
    assert "rev was trained on corpora/mine.tsv" in message and str(runs_root) in message, message


def test_probe_lab_results_never_outlive_a_failed_action_or_the_widgets(runs_root, tiny_grammar_run):
    """A failed lookup showed its error above the previous neighbours, and the offset table's label
    followed the Scale slider ("+ 2.5 × offset") while its decoded text was still the scale-1 edit."""
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("lab")
    at.select_slider(key="lab_limit").set_value(500)
    button(at, "Find neighbours").click().run()
    assert_clean(at)
    assert len(at.dataframe) == 1 and any(
        "Computed with rev · state hc, layers all" in c.value for c in at.caption
    )
    at.text_area(key="lab_queries").input("  ")
    button(at, "Find neighbours").click().run()
    assert "type a sentence to look up" in " ".join(texts(at.error))
    assert not at.dataframe
    button(at, "Interpolate").click().run()
    assert len(at.dataframe) == 1
    at.text_input(key="lab_to").set_value("")
    button(at, "Interpolate").click().run()
    assert "type both sentences" in " ".join(texts(at.error)) and not at.dataframe
    button(at, "Add the offset and decode").click().run()
    assert_clean(at)
    assert list(at.dataframe[-1].value["vector"])[1] == "+ 1 × offset"
    at.slider(key="lab_scale").set_value(2.5).run()  # moved, not recomputed
    assert list(at.dataframe[-1].value["vector"])[1] == "+ 1 × offset"


def test_compare_a_failed_bleu_run_clears_the_previous_chart(runs_root, tiny_grammar_run, monkeypatch):
    from core.errors import UserError
    from explorer.compare import tables

    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("compare")
    at.number_input(key="compare_limit").set_value(20)
    button(at, "Compute BLEU by length").click().run()
    assert "compare_bleu_len" in {c.key for c in at.get("plotly_chart")}

    def fails(*args):
        raise UserError("the test split is gone")

    monkeypatch.setattr(tables, "test_split_table", fails)
    at.number_input(key="compare_limit").set_value(40)
    button(at, "Compute BLEU by length").click().run()
    assert "the test split is gone" in " ".join(texts(at.error))
    assert "compare_bleu_len" not in {c.key for c in at.get("plotly_chart")}


def test_a_deleted_run_is_named_when_the_picker_falls_back_to_another(runs_root, tiny_grammar_run):
    """Deleting the chosen run while Translate showed it silently switched the Model box to another
    run, and Translate then answered with that run as if it were the one chosen."""
    import shutil

    first = add_run(tiny_grammar_run, runs_root, "a")
    add_run(tiny_grammar_run, runs_root, "b")
    at = open_page("translate")
    at.checkbox(key="translate_two").uncheck().run()
    at.selectbox(key="translate_run").set_value("a").run()
    shutil.rmtree(first)
    button(at, "Translate").click().run()
    assert not at.exception
    assert any(
        "Run a is no longer in the runs folder" in w and "model is now b" in w for w in texts(at.warning)
    )
    at.run()
    assert not at.warning  # said once
