from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_runs import make_run


def test_home_without_runs_points_to_training(runs_root):
    at = AppTest.from_file(str(ROOT / "app.py")).run()
    assert not at.exception
    assert "No runs yet" in at.info[0].value


def test_home_lists_runs(runs_root):
    make_run(runs_root, "rev")
    at = AppTest.from_file(str(ROOT / "app.py")).run()
    assert not at.exception
    assert list(at.dataframe[0].value["run"]) == ["rev"]
