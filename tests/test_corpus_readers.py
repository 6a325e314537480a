import gzip
import zipfile

import pytest

from core.corpus.readers import (
    ReadReport,
    read_moses,
    read_parallel,
    read_parallel_with_report,
    read_tsv,
)
from core.errors import UserError


def write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_tsv_reads_and_normalises(tmp_path):
    path = write(tmp_path / "c.tsv", "Go.\tVa !\nRun!\tCours\u202f!\tCC-BY #1\n".encode())
    assert read_tsv(path) == [("Go.", "Va !"), ("Run!", "Cours !")]


def test_tsv_drops_and_counts_empty_sides(tmp_path):
    path = write(tmp_path / "c.tsv", "a\tb\n\u200b\tx\n\nc\t \u00a0\nd\te\n".encode())
    pairs, report = read_parallel_with_report(path)
    assert pairs == [("a", "b"), ("d", "e")]
    assert report == ReadReport(n_lines=5, n_pairs=2, n_empty_dropped=3)


def test_tsv_bom_and_crlf(tmp_path):
    path = write(tmp_path / "c.tsv", b"\xef\xbb\xbfHi.\tSalut !\r\nBye.\tAu revoir.\r\n")
    assert read_tsv(path) == [("Hi.", "Salut !"), ("Bye.", "Au revoir.")]


def test_gzip_recognised_by_magic_bytes_not_suffix(tmp_path):
    path = write(tmp_path / "corpus.txt", gzip.compress(b"a\tb\nc\td\n"))
    assert read_parallel(path) == [("a", "b"), ("c", "d")]


def test_moses_pair_with_one_side_gzipped(tmp_path):
    src = write(tmp_path / "x.en.gz", gzip.compress(b"A dog.\nA cat.\n"))
    tgt = write(tmp_path / "x.fr", b"Un chien.\nUn chat.")  # no final newline
    assert read_moses(src, tgt) == [("A dog.", "Un chien."), ("A cat.", "Un chat.")]
    assert read_parallel(src, tgt) == read_moses(src, tgt)


def test_moses_keeps_a_tab_inside_a_line(tmp_path):
    src = write(tmp_path / "s", b"a\tb\n")
    tgt = write(tmp_path / "t", b"c\n")
    assert read_moses(src, tgt) == [("a b", "c")]


def test_moses_mismatched_line_counts(tmp_path):
    src = write(tmp_path / "s.en", b"a\nb\nc\n")
    tgt = write(tmp_path / "s.fr", b"x\ny\n")
    with pytest.raises(UserError, match=r"s\.en has 3 lines but .*s\.fr has 2"):
        read_moses(src, tgt)


def test_latin1_names_file_and_line(tmp_path):
    path = write(tmp_path / "latin.tsv", "a\tb\nc\td\nété\tsummer\n".encode("latin-1"))
    with pytest.raises(UserError, match=r"latin\.tsv is not UTF-8 text \(line 3\).*iconv -f latin1 -t utf-8"):
        read_tsv(path)


def test_line_without_tab_names_file_and_line(tmp_path):
    path = write(tmp_path / "notabs.tsv", b"a\tb\nno tab here\n")
    with pytest.raises(UserError, match=r"notabs\.tsv line 2 has no TAB"):
        read_tsv(path)


def test_binary_file(tmp_path):
    path = write(tmp_path / "model.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(UserError, match=r"model\.bin is binary"):
        read_tsv(path)


def test_a_nul_past_the_binary_probe_is_named_by_line(tmp_path):
    # a NUL after the first 8 KiB used to reach the sentences
    path = write(tmp_path / "damaged.tsv", b"a cat\tun chat\n" * 1000 + b"a d\x00og\tun chien\n")
    with pytest.raises(UserError, match=r"damaged\.tsv has a NUL byte on line 1001"):
        read_tsv(path)


def test_zip_is_binary(tmp_path):
    path = tmp_path / "fra-eng.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("fra.txt", "Go.\tVa !\n")
    with pytest.raises(UserError, match=r"fra-eng\.zip is binary \(a zip archive\)"):
        read_tsv(path)


def test_corrupt_gzip(tmp_path):
    path = write(tmp_path / "bad.gz", gzip.compress(b"a\tb\n" * 100)[:-12])
    with pytest.raises(UserError, match=r"bad\.gz is a corrupt or truncated gzip file"):
        read_tsv(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(UserError, match=r"nope\.tsv not found"):
        read_tsv(tmp_path / "nope.tsv")
    with pytest.raises(UserError, match="is a folder"):
        read_parallel(tmp_path)


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\t\n \t \n"])
def test_empty_corpus(tmp_path, content):
    path = write(tmp_path / "empty.tsv", content)
    with pytest.raises(UserError, match=r"empty\.tsv .*no usable sentence pairs"):
        read_tsv(path)


def test_real_tatoeba_and_multi30k(shared_data):
    tatoeba, report = read_parallel_with_report(shared_data / "tatoeba-eng-fra" / "eng-fra.train.tsv")
    assert report == ReadReport(n_lines=162_647, n_pairs=162_647, n_empty_dropped=0)
    assert ("Run!", "Cours !") in tatoeba[:10]  # U+202F before "!" became a plain space

    raw = shared_data / "multi30k" / "raw"
    multi30k = read_moses(raw / "val.en.gz", raw / "val.fr.gz")
    assert len(multi30k) == 1_014

    for source, target in tatoeba + multi30k:
        for text in (source, target):
            assert "\u202f" not in text and "\u00a0" not in text and "\u2019" not in text
            assert text == text.strip() and "  " not in text
