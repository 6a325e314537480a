"""Resource bounds in the app (issue 9): 10,000 sentences pasted into Thought Vectors give a map of
the first MAX_SENTENCES and a note saying so."""

from explorer.thought_vectors.sentence_sets import MAX_SENTENCES
from tests.helpers.app import add_run, assert_clean, button, open_page, texts


def test_ten_thousand_pasted_sentences_are_mapped_up_to_the_limit_with_a_note(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("vectors")
    at.checkbox(key="tv_two").set_value(False).run()
    at.radio(key="tv_source").set_value("Typed sentence groups").run()
    pasted = "\n".join(f"John admires Mary {i}" for i in range(10_000))  # 10,000 different lines
    at.text_area(key="tv_text").input(pasted).run()
    button(at, "Draw the maps").click().run()
    assert_clean(at)
    assert any(f"10,000 different sentences pasted: the map shows the first {MAX_SENTENCES:,}" in i
               for i in texts(at.info))  # fmt: skip
    assert "tv_map_0" in {c.key for c in at.get("plotly_chart")}
