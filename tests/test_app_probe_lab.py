from tests.app_helpers import add_run, assert_clean, button, open_page, texts


def test_probe_lab_without_runs(runs_root):
    at = open_page("lab")
    assert_clean(at)
    assert "No trained runs yet" in at.info[0].value


def test_probes_neighbours_and_surgery(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("lab")
    assert_clean(at)
    button(at, "Train the probes").click().run()
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert {"probe accuracy", "control accuracy", "selectivity"} <= set(metrics)
    at.select_slider(key="lab_limit").set_value(500)
    button(at, "Find neighbours").click().run()
    assert_clean(at)
    neighbours = at.dataframe[0].value
    assert len(neighbours) == 10 and (neighbours["cosine"] <= 1.0001).all()
    button(at, "Interpolate").click().run()
    assert_clean(at)
    assert len(at.dataframe[-1].value) == 5
    button(at, "Add the offset and decode").click().run()
    assert_clean(at)
    assert next(iter(at.dataframe[-1].value["vector"])) == "the sentence's own"


def test_empty_sentence_is_a_message(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("lab")
    at.text_input(key="lab_from").set_value("")
    button(at, "Interpolate").click().run()
    assert not at.exception
    assert "type both sentences" in " ".join(texts(at.error))
