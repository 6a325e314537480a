"""Translate draws an attention run's weights as a heatmap, with its caveat; typed text stays literal."""

import shutil

import pytest

from core.analysis.attention import NOT_AN_EXPLANATION
from core.cli import main
from tests.helpers.app import add_run, assert_clean, button, open_page


@pytest.fixture(scope="module")
def attention_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("attn") / "attn"
    assert main(["train", "--data", "grammar:600", "--out", str(out), "--preset", "tiny", "--steps", "20",
                 "--attention", "--no-probes", "--no-progress"]) == 0  # fmt: skip
    return out


@pytest.mark.slow
def test_an_attention_run_shows_its_weights_with_the_caveat(runs_root, attention_run, tiny_grammar_run):
    shutil.copytree(attention_run, runs_root / "attn")
    add_run(tiny_grammar_run, runs_root, "plain")
    at = open_page("translate")
    at.text_area(key="translate_text").input("John admires Mary")
    button(at, "Translate").click().run()
    assert_clean(at)
    heatmaps = [c for c in at.get("plotly_chart") if c.key and c.key.startswith("attention_")]
    assert [c.key for c in heatmaps] == ["attention_0_attn"]  # the attention run only
    assert any(NOT_AN_EXPLANATION in c.value for c in at.caption)


def test_a_typed_sentence_is_shown_literally(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "plain")
    at = open_page("translate")
    typed = "**bold** $x$ :red[y] <img src=x onerror=alert(1)>"
    at.text_area(key="translate_text").input(typed)
    button(at, "Translate").click().run()
    assert_clean(at)
    assert typed in [t.value for t in at.text]  # st.text: no markdown, LaTeX or HTML


def test_a_direction_control_acts_on_its_own_word_only(runs_root, tiny_grammar_run):
    # a right-to-left override in one unknown word used to reverse every word listed after it
    from explorer.widgets import FSI, PDI, literal

    assert literal("Mary") == "Mary" and literal("**x**") == r"\*\*x\*\*"
    assert literal("\u202eMary") == f"{FSI}\u202eMary{PDI}"
    assert literal(f"a{PDI}\u202eb") == f"{FSI}a\u202eb{PDI}"  # its own PDI cannot end the isolate
    add_run(tiny_grammar_run, runs_root, "plain")
    at = open_page("translate")
    at.text_area(key="translate_text").input("John \u202ezorglub admires blorp")
    button(at, "Translate").click().run()
    assert_clean(at)
    unknown = [c.value for c in at.caption if "never saw" in c.value]
    assert unknown and f"{FSI}\u202ezorglub{PDI}" in unknown[0] and "blorp" in unknown[0]
