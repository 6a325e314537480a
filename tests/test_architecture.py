"""The dependency rule of DESIGN.md as a test: pages -> explorer -> core, never backwards."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def python_files(*folders: str) -> list[Path]:
    files = []
    for folder in folders:
        target = ROOT / folder
        files += [target] if target.is_file() else sorted(target.rglob("*.py"))
    return files


RENDER = ROOT / "core" / "render"  # the one rendering package: the only part of core that imports plotly


@pytest.mark.parametrize("path", python_files("core"), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_never_imports_the_ui(path):
    assert not imported_roots(path) & {"streamlit", "explorer", "pages"}
    if RENDER not in path.parents:
        assert "plotly" not in imported_roots(path), (
            "figures are built in core/render, computation has no plotly"
        )


@pytest.mark.parametrize("path", python_files("explorer"), ids=lambda p: str(p.relative_to(ROOT)))
def test_explorer_never_imports_pages(path):
    assert "pages" not in imported_roots(path)


@pytest.mark.parametrize("path", python_files("pages", "Home.py"), ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_stay_thin(path):
    roots = imported_roots(path)
    assert not roots & {"torch", "core", "numpy", "sklearn", "umap"}, "pages go through explorer/"
    assert "st.navigation" not in path.read_text(encoding="utf-8"), "see DESIGN.md: pages/ folder only"


def test_rule_checker_catches_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import streamlit as st\nfrom plotly import graph_objects\n")
    assert imported_roots(bad) >= {"streamlit", "plotly"}


def literal_session_keys(path: Path) -> list[str]:
    """String literals used as st.session_state keys (st.session_state["k"], .get("k"), ...)."""

    def is_session_state(node) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "session_state"

    keys = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Subscript) and is_session_state(node.value):
            key = node.slice
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            key = node.args[0] if is_session_state(node.func.value) else None
        else:
            continue
        if isinstance(key, ast.Constant | ast.JoinedStr):
            keys.append(ast.unparse(key))
    return keys


@pytest.mark.parametrize(
    "path", python_files("pages", "Home.py", "explorer"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_session_state_keys_are_constants_of_explorer_state(path):
    assert not literal_session_keys(path), "declare the key in explorer/state.py and import it"


def test_session_key_checker_catches_a_literal(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('import streamlit as st\nst.session_state["k"] = 1\nst.session_state.get("j")\n')
    assert literal_session_keys(bad) == ["'k'", "'j'"]


def test_session_state_keys_are_distinct():
    from explorer import state

    keys = {name: value for name, value in vars(state).items() if name.isupper() and isinstance(value, str)}
    assert len(set(keys.values())) == len(keys), keys
