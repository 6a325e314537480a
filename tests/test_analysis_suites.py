"""Probe suites: the TSV format of docs/ARCHITECTURE.md, the built-in suites, and clear errors."""

import pytest

from core.analysis.suites import builtin_suites, load_suite, read_suite
from core.corpus.grammar import FIGURE2_LEFT, FIGURE2_RIGHT, build_probe_suites
from core.corpus.probe_suite import ProbeTable, parse_suite
from core.errors import UserError

VOICE = """# who does what to whom; anchor=active positive=passive negative=swapped
family\tactive\tpassive\tswapped\textra

1\tJohn admires Mary\tMary is admired by John\tMary admires John\tJohn respects Mary
# a comment between families
2\tPaul helps Anna\tAnna is helped by Paul\tAnna helps Paul\tPaul thanks Anna
"""


def test_parse_reads_comments_header_and_any_number_of_columns():
    table = parse_suite(VOICE, "voice")
    assert table.columns == ("active", "passive", "swapped", "extra")
    assert table.families == ("1", "2")
    assert table.column("passive") == ["Mary is admired by John", "Anna is helped by Paul"]
    assert (table.default_anchor, table.default_positive, table.default_negative) == (
        "active",
        "passive",
        "swapped",
    )
    assert table.roles() == ("active", "passive", "swapped")
    assert table.roles(negative="extra") == ("active", "passive", "extra")
    assert len(table.sentences()) == 8


def test_roles_default_to_the_first_three_columns():
    table = parse_suite("family\ta\tb\tc\n1\tx y\tx z\tz y\n2\tp q\tp r\tr q\n", "plain")
    assert table.default_anchor is None and table.roles() == ("a", "b", "c")
    two = parse_suite("family\ta\tb\n1\tx\ty\n2\tp\tq\n", "two")
    with pytest.raises(UserError, match="only 2 variant columns"):
        two.roles()


def test_a_written_suite_reads_back_with_its_defaults(tmp_path):
    suite = build_probe_suites(n_families=5)["fronting"]
    path = tmp_path / "fronting.tsv"
    path.write_text(suite.to_tsv(), encoding="utf-8")
    table = read_suite(path)
    assert table.name == "fronting" and table.rows == suite.rows
    assert table.roles() == (suite.default_anchor, suite.default_positive, suite.default_negative)
    assert parse_suite(table.to_tsv(), "again") == ProbeTable("again", *[getattr(table, f) for f in
        ("columns", "families", "rows", "description", "default_anchor", "default_positive", "default_negative",
         "tag_names", "tags", "default_cluster")])  # fmt: skip
    assert load_suite(str(path)).rows == suite.rows


def test_builtin_suites_cover_the_issue_and_figure2_verbatim():
    suites = builtin_suites()
    assert {"voice", "fronting", "bshift", "tense", "figure2_left", "figure2_right"} <= suites.keys()
    assert suites["voice"].columns == ("active", "passive", "swapped") and len(suites["voice"].rows) == 200
    left, right = set(suites["figure2_left"].sentences()), set(suites["figure2_right"].sentences())
    assert set(FIGURE2_LEFT) <= left and set(FIGURE2_RIGHT) <= right
    assert load_suite("builtin:tense") is suites["tense"]
    suites.clear()  # a copy: the cache is not touched
    assert "voice" in builtin_suites()


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "is empty"),
        ("# only a comment\n\n", "is empty"),
        ("family\tactive\tpassive\n1\tJohn admires Mary\n2\ta\tb\n", "line 2 has 2 columns"),
        ("family\tactive\tpassive\n1\tJohn admires Mary\tMary is admired by John\n", "1 families"),
        ("family\tactive\tpassive\n", "0 families"),
        ("id\tactive\tpassive\n1\ta\tb\n2\tc\td\n", "must start with `family`"),
        ("family\tactive\n1\ta\n2\tb\n", "at least two named variant columns"),
        ("family\ta\ta\n1\tx\ty\n2\tz\tw\n", "must be different"),
        ("family\ta\tb\n1\tx\ty\n1\tz\tw\n", "appears twice"),
        ("family\ta\tb\n1\tx\t \n2\tz\tw\n", "empty cell"),
    ],
)
def test_bad_tables_are_user_errors(text, match):
    with pytest.raises(UserError, match=match):
        parse_suite(text, "bad")


def test_missing_files_columns_and_builtins_are_named(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        read_suite(tmp_path / "nope.tsv")
    with pytest.raises(UserError, match=r"no built-in suite 'nope'.*voice"):
        load_suite("builtin:nope")
    with pytest.raises(UserError, match=r"no column 'passiv'.*active, passive, swapped"):
        builtin_suites()["voice"].column("passiv")
    with pytest.raises(UserError, match="three different columns"):
        builtin_suites()["voice"].roles("active", "active", "swapped")
    (tmp_path / "latin1.tsv").write_bytes("family\ta\tb\n1\t\xe9\tx\n".encode("latin-1"))
    with pytest.raises(UserError, match="not UTF-8"):
        read_suite(tmp_path / "latin1.tsv")


TAGGED = """# anchor=active positive=passive negative=swapped
family\tactive\ttag:verb\tpassive\tswapped\ttag:tense
1\tJohn admires Mary\tadmire\tMary is admired by John\tMary admires John\tpresent
2\tPaul helped Anna\thelp\tAnna was helped by Paul\tAnna helped Paul\tpast
"""


def test_tags_round_trip_through_the_one_reader_and_writer():
    table = parse_suite(TAGGED, "tagged")
    assert table.columns == ("active", "passive", "swapped") and table.tag_names == ("verb", "tense")
    assert table.tag("verb") == ["admire", "help"] and table.tag("tense") == ["present", "past"]
    assert table.column("passive") == ["Mary is admired by John", "Anna was helped by Paul"]
    text = table.to_tsv()
    assert (
        text.splitlines()[1] == "family\tactive\tpassive\tswapped\ttag:verb\ttag:tense"
    )  # tags written last
    assert parse_suite(text, "tagged") == table
    builtin = builtin_suites()["voice"]
    assert parse_suite(builtin.to_tsv(), "voice") == builtin and builtin.tag_names


def test_suites_without_tags_still_load_and_say_so():
    table = parse_suite(VOICE, "voice")
    assert table.tag_names == () and table.tags == ()
    assert "tag:" not in table.to_tsv() and parse_suite(table.to_tsv(), "voice") == table
    with pytest.raises(UserError, match="no tag 'verb'; it has no tags"):
        table.tag("verb")
    with pytest.raises(UserError, match=r"no tag 'colour'; its tags are: verb, tense"):
        parse_suite(TAGGED, "tagged").tag("colour")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("family\ta\tb\ttag:\n1\tx\ty\tv\n2\tz\tw\tv\n", "a name after each 'tag:'"),
        ("family\ta\ttag:v\n1\tx\tv\n2\tz\tv\n", "at least two named variant columns"),
        ("family\ta\tb\ttag:v\n1\tx\ty\t\n2\tz\tw\tv\n", "empty cell"),
        ("family\ta\tb\ttag:a\n1\tx\ty\tv\n2\tz\tw\tv\n", "tag names must differ"),
    ],
)
def test_bad_tag_columns_are_user_errors(text, match):
    with pytest.raises(UserError, match=match):
        parse_suite(text, "bad")
