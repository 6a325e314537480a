"""A fast first paint: each page's first part (its leading imports, which run before its title and
controls are drawn) imports nothing heavy. Torch, scikit-learn and UMAP load when a computation
needs them (benchmarks/first_paint.py measures the paint itself in Chromium)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "Home.py", *sorted((ROOT / "pages").glob("*.py"))]
HEAVY = ("torch", "sklearn", "umap", "numba")  # numpy and pandas load first on purpose (explorer.widgets)


def first_part(path: Path) -> str:
    """The page's module-level statements up to its first one that is not an import (or a docstring)."""
    leading = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            leading.append(ast.unparse(node))
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            break
    return "\n".join(leading)


def heavy_after(code: str) -> list[str]:
    """The heavy modules loaded by running `code` in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return out.stdout.split()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_pages_first_part_imports_nothing_heavy(page):
    code = first_part(page)
    assert "import" in code
    assert heavy_after(code) == [], f"{page.name}'s leading imports load a heavy module before its title"


def test_the_check_sees_a_heavy_import():
    assert "torch" in heavy_after("from explorer.translate import translations")
