import shutil

from tests.helpers.app import add_run, assert_clean, button, open_page, texts


def test_translate_without_runs_points_to_train(runs_root):
    at = open_page("translate")
    assert_clean(at)
    assert "No trained runs yet" in at.info[0].value


def test_nbest_with_log_probabilities_side_by_side(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "rev")
    add_run(tiny_grammar_run, runs_root, "rev-copy")
    at = open_page("translate")
    assert at.checkbox(key="translate_two").value  # two runs: side by side by default
    at.text_area(key="translate_text").input("John admires Mary")
    at.slider(key="translate_beam").set_value(4).run()
    at.slider(key="translate_nbest").set_value(3)
    button(at, "Translate").click().run()
    assert_clean(at)
    left, right = (d.value for d in at.dataframe)
    assert len(left) == 3 and list(left["rank"]) == [1, 2, 3]
    assert (left["log-prob"] <= 0).all() and list(left["log-prob"]) == sorted(left["log-prob"], reverse=True)
    assert list(left["translation"]) == list(right["translation"])  # the same weights, the same output


def test_empty_long_and_deleted(runs_root, tiny_grammar_run):
    run = add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("translate")
    at.text_area(key="translate_text").input("   ")
    button(at, "Translate").click().run()
    assert "Type a sentence" in at.warning[0].value
    at.text_area(key="translate_text").input(" ".join(["John admires Mary"] * 700))  # 2,100 words
    button(at, "Translate").click().run()
    assert_clean(at)
    assert any("first 1,000 tokens" in i for i in texts(at.info))
    assert at.dataframe  # translated anyway (the output length is capped)
    shutil.rmtree(run)  # deleted while the page is open
    button(at, "Translate").click().run()
    assert not at.exception
    assert any("No trained runs yet" in i for i in texts(at.info))


def test_the_search_widgets_take_the_declared_bounds(runs_root, tiny_grammar_run):
    from core.config.search import MAX_BEAM, MAX_LENGTH_PENALTY, SearchConfig

    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("translate")
    beam = at.slider(key="translate_beam")
    assert (beam.min, beam.max, beam.value) == (1, MAX_BEAM, SearchConfig().beam)
    assert at.number_input(key="translate_lp").max == MAX_LENGTH_PENALTY
