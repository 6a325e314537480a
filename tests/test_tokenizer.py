import pytest

from core.config.tokenizer import TokenizerConfig
from core.errors import UserError
from core.run.start import file_digests
from core.tokenizer import (
    EOS,
    UNK,
    WordTokenizer,
    load_tokenizer,
    split_words,
    tokenizer_content,
    train_tokenizer,
)

FRENCH = [
    "John l'admire dans le jardin",
    "Je lui ai donné une carte à l'école",
    "Mary est amoureuse d'Anna",
    "Une carte lui a été donnée par moi dans le jardin",
    "Elle m'a donné une clé à la gare",
] * 20


def test_split_words_cuts_after_apostrophes():
    assert split_words("Je l'ai vu , d'accord") == ["Je", "l'", "ai", "vu", ",", "d'", "accord"]


def test_word_tokenizer_round_trip_and_unknowns(tmp_path):
    tok = train_tokenizer(FRENCH, TokenizerConfig(kind="word", vocab_size=100), tmp_path, "tgt")
    for sentence in FRENCH[:5]:
        assert tok.decode(tok.encode(sentence)) == sentence
    assert tok.encode("Mary zzz")[-1] == UNK
    assert tok.unknown_words("Mary zzz") == ["zzz"]
    again = load_tokenizer(tmp_path, "tgt", "word")
    assert again.encode(FRENCH[1]) == tok.encode(FRENCH[1])
    assert again.decode([*tok.encode(FRENCH[2]), EOS]) == FRENCH[2]


def test_word_vocab_is_capped_by_frequency():
    tok = WordTokenizer.train(["a a a b b c"], vocab_size=6)
    assert tok.itos[4:] == ["a", "b"]


@pytest.mark.parametrize("kind", ["unigram", "bpe"])
def test_sentencepiece_round_trip_and_save(tmp_path, kind):
    config = TokenizerConfig(kind=kind, vocab_size=60)
    tok = train_tokenizer(FRENCH, config, tmp_path, "src")
    assert (tmp_path / "src.model").is_file()
    for sentence in FRENCH[:5]:
        ids = tok.encode(sentence)
        assert UNK not in ids
        assert tok.decode(ids) == sentence
    again = load_tokenizer(tmp_path, "src", kind)
    assert again.encode(FRENCH[3]) == tok.encode(FRENCH[3])
    assert tok.vocab_size <= 60


def test_unknown_kind_and_missing_files_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="unknown tokenizer"):
        train_tokenizer(FRENCH, TokenizerConfig(kind="chars"), tmp_path, "src")
    with pytest.raises(UserError, match="missing"):
        load_tokenizer(tmp_path, "src", "unigram")
    with pytest.raises(UserError, match="empty corpus"):
        train_tokenizer(["", " "], TokenizerConfig(), tmp_path, "src")


def test_two_runs_that_train_the_same_sentencepiece_model_digest_alike(tmp_path):
    # A SentencePiece model records the folder it was trained in; a study's runs train theirs in
    # their own staging folders, so digesting the raw bytes read every pair of arms as "other
    # tokenizer files" (the Tatoeba replication's report said so of all 5 seeds).
    config = TokenizerConfig(kind="unigram", vocab_size=60)
    for run in ("forward", "reversed", "other"):
        (tmp_path / run).mkdir()
        texts = FRENCH if run != "other" else [*FRENCH, *["Le chat dort sur le tapis rouge"] * 20]
        train_tokenizer(texts, config, tmp_path / run, "src")
    forward, reversed_ = (tmp_path / run / "src.model" for run in ("forward", "reversed"))
    assert forward.read_bytes() != reversed_.read_bytes()  # the paths differ...
    assert tokenizer_content(forward) == tokenizer_content(reversed_)  # ...the tokenizer does not
    assert file_digests(tmp_path / "forward") == file_digests(tmp_path / "reversed")
    assert file_digests(tmp_path / "forward") != file_digests(tmp_path / "other")  # other texts
    damaged = tmp_path / "damaged.model"
    damaged.write_bytes(b"\xff not a model")
    assert tokenizer_content(damaged) == b"\xff not a model"
