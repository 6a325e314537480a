import gzip

from explorer import state
from explorer.corpora import upload
from tests.helpers.app import assert_clean, button, open_page, texts

TSV = "".join(f"sentence {i} here\tphrase {i} ici\n" for i in range(30))


def upload_page():
    at = open_page("data")
    at.radio(key="data_source").set_value("Upload a corpus").run()
    return at


def test_data_page_renders_and_states_the_upload_limit(runs_root):
    at = upload_page()
    assert_clean(at)
    assert any("Upload limit: 200 MB" in m.value for m in at.markdown)


def test_builtin_corpus_statistics_on_request(runs_root):
    at = open_page("data")
    assert not at.metric  # nothing generated before the user asks
    at.number_input(key="grammar_pairs").set_value(1000)
    button(at, "Generate and show statistics").click().run()
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["sentence pairs"] == "1,000"
    assert metrics["train / dev / test"] == "900 / 50 / 50"
    assert at.get("plotly_chart")  # the length histogram


def test_gzipped_tsv_upload_is_validated_saved_and_offered_to_train(runs_root, tmp_path):
    at = upload_page()
    at.file_uploader(key="upload_src").set_value(
        ("fra.tsv.gz", gzip.compress(TSV.encode()), "application/gzip")
    )
    at.run()
    assert_clean(at)
    assert "valid corpus" in at.success[0].value
    assert {m.label: m.value for m in at.metric}["sentence pairs"] == "30"
    assert at.dataframe[0].value.shape == (30, 2)
    (spec,) = upload.saved_corpora().values()
    button(at, "Train on this corpus").click().run()
    assert at.session_state[state.DATA_SPEC] == spec
    assert at.title[0].value == "Train"


def test_moses_pair_upload(runs_root):
    at = upload_page()
    at.file_uploader(key="upload_src").set_value(("train.en", b"a cat\na dog\n", "text/plain"))
    at.file_uploader(key="upload_tgt").set_value(("train.fr", b"un chat\nun chien\n", "text/plain"))
    at.run()
    assert_clean(at)
    assert "," in next(iter(upload.saved_corpora().values()))  # SRC,TGT spec


def test_an_upload_that_is_not_a_corpus_shows_the_engine_message_and_saves_nothing(runs_root):
    at = upload_page()
    at.file_uploader(key="upload_src").set_value(
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "image/png")
    )
    at.run()
    assert not at.exception
    assert "photo.png is binary" in at.error[0].value and "/tmp" not in at.error[0].value
    assert upload.saved_corpora() == {}
    at.file_uploader(key="upload_src").set_value(
        ("notes.txt", b"just some words\nno tabs\n", "text/plain")
    ).run()
    assert "line 1 has no TAB" in " ".join(texts(at.error))
    assert upload.saved_corpora() == {}
