"""The runs folder's disk use, as Home shows it under the runs table."""

from explorer.home.disk_use import folder_bytes, format_bytes
from tests.helpers.app import assert_clean, open_page


def test_folder_bytes_counts_every_file_below_and_nothing_else(tmp_path):
    assert folder_bytes(tmp_path / "missing") == 0
    (tmp_path / "run" / ".logs").mkdir(parents=True)
    (tmp_path / "run" / "model.safetensors").write_bytes(bytes(1500))
    (tmp_path / "run" / ".logs" / "run.log").write_bytes(bytes(20))
    outside = tmp_path.parent / f"{tmp_path.name}-outside.bin"
    outside.write_bytes(bytes(10_000))
    (tmp_path / "run" / "link").symlink_to(outside)  # a link counts as itself, not as its target
    assert folder_bytes(tmp_path) == 1520 + (tmp_path / "run" / "link").lstat().st_size


def test_format_bytes_in_decimal_units():
    assert [format_bytes(n) for n in (0, 999, 1000, 1_234_567, 5 * 10**9, 7 * 10**15)] == [
        "0 bytes", "999 bytes", "1.0 kB", "1.2 MB", "5.0 GB", "7,000.0 TB",
    ]  # fmt: skip


def test_home_shows_the_runs_folders_disk_use(runs_root):
    from tests.helpers.runs import make_run

    run = make_run(runs_root, "rev")
    (run / "model.safetensors").write_bytes(bytes(2_500_000))
    at = open_page()
    assert_clean(at)
    (line,) = [c.value for c in at.caption if c.value.startswith("Runs folder: ")]
    assert f"{format_bytes(folder_bytes(runs_root))} on disk" in line and "2.5 MB" in line, line
    assert " free)" in line
