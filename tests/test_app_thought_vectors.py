import json

from tests.helpers.app import add_run, assert_clean, button, open_page, texts


def test_thought_vectors_without_runs(runs_root):
    at = open_page("vectors")
    assert_clean(at)
    assert "No trained runs yet" in at.info[0].value


def test_figure2_maps_scores_and_exports(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("vectors")
    assert_clean(at)
    assert not at.get("plotly_chart")  # nothing computed before the user asks
    button(at, "Draw the maps").click().run()
    assert_clean(at)
    assert {"tv_map_0", "tv_map_1", "tv_heat_0", "tv_heat_1"} <= {c.key for c in at.get("plotly_chart")}
    assert sum("Probe score: margin" in m.value for m in at.markdown) == 2
    baselines = [m.value for m in at.markdown if m.value.startswith("Baselines, same margin")]
    assert len(baselines) == 2 and all(
        "bag of words" in b and "untrained" in b and "lead over" in b for b in baselines
    )
    verdicts = [v.value for v in [*at.success, *at.warning] if "beats all three" in v.value]
    assert len(verdicts) == 2 and all(
        "evidence of meaning only when it beats all three" in v.lower() for v in verdicts
    )
    assert any("Faithfulness" in c.value and "explained variance" in c.value for c in at.caption)
    labels = {b.label for b in at.get("download_button")}
    assert {"Coordinates (CSV)", "Figure (HTML)", "Probe scores (JSON)"} <= labels


def test_typed_groups_two_models_in_3d_with_tsne(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "a")
    add_run(tiny_grammar_run, runs_root, "b")
    at = open_page("vectors")
    at.radio(key="tv_source").set_value("Typed sentence groups").run()
    at.text_area(key="tv_text").input(
        "John admires Mary\nMary is admired by John\n\nMary admires John\nJohn is admired by Mary\n\nI gave her a card\nShe was given a card by me"
    )
    at.selectbox(key="tv_method").set_value("tsne")
    at.radio(key="tv_dims").set_value(3)
    at.selectbox(key="tv_layers").set_value("top")
    button(at, "Draw the maps").click().run()
    assert_clean(at)
    assert "tv_map_0" in {c.key for c in at.get("plotly_chart")}
    assert any("Silhouette" in c.value for c in at.caption)
    assert any("Procrustes" in c.value for c in at.caption)  # t-SNE: aligned, not a fixed basis
    at.radio(key="tv_source").set_value("Typed sentence groups").run()
    button(at, "Trace").click().run()
    assert_clean(at)
    assert "tv_traj" in {c.key for c in at.get("plotly_chart")}


def test_bad_inputs_are_messages(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("vectors")
    at.radio(key="tv_source").set_value("Typed sentence groups").run()
    at.text_area(key="tv_text").input("   \n\n").run()
    assert not at.exception and "type some sentences" in " ".join(texts(at.error))
    at.text_area(key="tv_text").input("John admires Mary\n" + " ".join(["Mary admires John"] * 700)).run()
    button(at, "Draw the maps").click().run()
    assert_clean(at)
    assert any("1,000" in i for i in texts(at.info))  # the long one was cut
    at.radio(key="tv_source").set_value("Probe suite").run()
    at.selectbox(key="tv_suite").set_value("upload a TSV suite…").run()
    at.file_uploader(key="tv_suite_file").set_value(
        ("suite.tsv", b"no header here\tx\n", "text/tab-separated-values")
    )
    at.run()
    assert not at.exception and "must start with `family`" in " ".join(texts(at.error))


def test_scores_json_export_is_valid(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("vectors")
    button(at, "Draw the maps").click().run()
    from explorer import state
    from explorer.thought_vectors.maps import coordinates_frame, scores_json

    panel = at.session_state[state.TV_RESULT][0]
    data = json.loads(json.dumps(scores_json(panel), default=float))
    assert data["models"][0]["probe"]["suite"] == "figure2_left"
    probe = data["models"][0]["probe"]
    assert set(probe["baselines"]) == {"bag_of_words", "bag_of_bigrams", "untrained"}
    assert probe["lead"]["over"] in probe["baselines"] and isinstance(probe["beats_baselines"], bool)
    frame = coordinates_frame(panel)
    assert list(frame.columns[-2:]) == ["x", "y"] and len(frame) == 6
