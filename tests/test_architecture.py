"""The dependency rules of docs/ARCHITECTURE.md as tests: pages -> explorer -> core, never
backwards; explorer never imports core.cli; inside core, imports go down a declared order of layers
with no circle."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_roots(path: Path, runtime: bool = False) -> set[str]:
    """The top-level packages `path` imports (with `runtime`, not those under `if TYPE_CHECKING:`,
    which are for annotations only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    if runtime:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and ast.unparse(node.test) in (
                "TYPE_CHECKING",
                "typing.TYPE_CHECKING",
            ):
                node.body = []
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


@pytest.mark.parametrize("path", python_files("explorer"), ids=lambda p: str(p.relative_to(ROOT)))
def test_explorer_never_imports_the_command_line(path):
    """The app starts `s2s train` as a process (explorer/jobs.py); it never calls into core.cli."""
    assert "core.cli" not in imported_modules(path, module_of(path, ROOT), COMMAND_LINE)


@pytest.mark.parametrize("path", python_files("pages", "Home.py"), ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_stay_thin(path):
    roots = imported_roots(path)
    assert not roots & {"torch", "core", "numpy", "sklearn", "umap"}, "pages go through explorer/"
    assert "st.navigation" not in path.read_text(encoding="utf-8"), (
        "see docs/ARCHITECTURE.md: pages/ folder only"
    )


def runtime_roots(path: Path) -> set[str]:
    return imported_roots(path, runtime=True)


@pytest.mark.parametrize(
    "path", python_files("explorer", "pages", "Home.py"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_the_app_builds_no_figure_itself(path):
    """One figure stack: every figure the app draws is built in core/render, as report.html's are."""
    assert "plotly" not in runtime_roots(path), "build the figure in core/render and import it from there"


def test_figure_checker_reads_past_annotations(tmp_path):
    code = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import plotly\n"
    (tmp_path / "typed.py").write_text(code)
    (tmp_path / "drawn.py").write_text(code + "import plotly.express\n")
    assert "plotly" not in runtime_roots(tmp_path / "typed.py")
    assert "plotly" in runtime_roots(tmp_path / "drawn.py")


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


# Inside core, bottom to top. A module may import its own layer's modules and those below it, never
# one above (a lazy import in a function and a TYPE_CHECKING one count too); and no circle, in a
# layer or across. A name stands for the module or package and everything under it.
CORE_LAYERS = (
    (
        "core",
        "core.errors",
        "core.atomic",
        "core.options",
        "core.child_process",
    ),  # no torch, no other core module
    ("core.config", "core.vector_choice"),  # the declared settings (no torch)
    ("core.tokenizer", "core.corpus"),  # text: tokenizers, corpora, the grammar, probe-suite files
    ("core.device", "core.model", "core.batching", "core.search", "core.scoring"),  # the network
    ("core.run",),  # the run folder: its files, the weights, a run loaded for inference
    ("core.translate", "core.vectors", "core.evaluation"),  # inference on a loaded run
    ("core.analysis",),  # thought-vector analyses: probe suites scored, baselines, geometry
    ("core.export",),  # runs in other tools' formats (TensorBoard)
    ("core.training",),  # the trainer and the run session (it scores probe suites as it trains)
    ("core.study",),  # several seeds of several arms, and their report
    ("core.render",),  # figures and report.html with plotly (the only part of core that imports it)
    ("core.cli", "core.__main__"),  # `s2s`: one module per subcommand
)


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Dotted name -> file of every module under `root/package` (a package is its __init__.py)."""
    names = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def module_of(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, module: str, names: dict[str, Path]) -> set[str]:
    """The modules of `names` that `path` (the module `module`) imports anywhere: at the top, in a
    function, under TYPE_CHECKING. `from a.b import c` imports a.b.c when that is a module, else
    a.b; and importing a module from outside its package runs the package's __init__ too."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            origin = node.module or ""
            if node.level:
                base = module.split(".")[: len(module.split(".")) - node.level + (path.name == "__init__.py")]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            targets = [f"{origin}.{a.name}" if f"{origin}.{a.name}" in names else origin for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in names:
                target = target.rpartition(".")[0]
            parts = target.split(".") if target else []
            for i in range(1, len(parts) + 1):
                name = ".".join(parts[:i])
                outside = not (module == name or module.startswith(name + "."))
                if name in names and (i == len(parts) or outside):
                    found.add(name)
    found.discard(module)
    return found


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """module -> the modules of `package` it imports."""
    names = module_names(root, package)
    return {module: imported_modules(path, module, names) for module, path in names.items()}


def layer_of(module: str, layers=CORE_LAYERS) -> int | None:
    """The index of the layer that names `module` or its closest package; None if none does."""
    best = None
    for index, layer in enumerate(layers):
        for name in layer:
            if (module == name or module.startswith(name + ".")) and (
                best is None or len(name) > len(best[1])
            ):
                best = (index, name)
    return None if best is None else best[0]


def upward_imports(graph: dict[str, set[str]], layers=CORE_LAYERS) -> list[str]:
    return sorted(
        f"{module} (layer {layer_of(module, layers)}) imports {target} (layer {layer_of(target, layers)})"
        for module, targets in graph.items()
        for target in targets
        if layer_of(target, layers) > layer_of(module, layers)
    )


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


CORE_GRAPH = import_graph(ROOT, "core")
COMMAND_LINE = {"core.cli": ROOT / "core" / "cli" / "__init__.py"}


def test_every_core_module_has_a_layer():
    assert not [m for m in CORE_GRAPH if layer_of(m) is None], "add it to CORE_LAYERS"


def test_core_has_no_import_circle():
    assert circles(CORE_GRAPH) == []


def test_core_imports_go_down_the_layers():
    assert upward_imports(CORE_GRAPH) == []


def test_only_the_command_line_imports_the_rendering_package():
    """core/render draws typed results; no computation package imports it (nor plotly: above)."""
    drawing = {
        module
        for module, targets in CORE_GRAPH.items()
        if any(t == "core.render" or t.startswith("core.render.") for t in targets)
    }
    assert {m for m in drawing if not m.startswith(("core.render", "core.cli"))} == set()


def test_inference_does_not_depend_on_training():
    """Loading a run and using it (translate, embed, evaluate, analyse) never imports training."""
    reached, todo = set(), ["core.run.loaded", "core.translate", "core.vectors", "core.evaluation"]
    while todo:
        module = todo.pop()
        if module not in reached:
            reached.add(module)
            todo += CORE_GRAPH[module]
    assert not [m for m in reached if m.startswith("core.training")]


def test_command_line_checker_catches_an_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from core.cli.train import build_request\n")
    assert imported_modules(bad, "explorer.bad", COMMAND_LINE) == {"core.cli"}


def test_layer_checker_catches_a_circle_and_an_upward_import(tmp_path):
    package = tmp_path / "pkg"
    (package / "low").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "low" / "__init__.py").write_text("")
    (package / "low" / "a.py").write_text("def f():\n    from pkg.high import b\n")
    (package / "high.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .low import a\n"
    )
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.low.a"] == {"pkg.high"}
    assert graph["pkg.high"] == {"pkg.low", "pkg.low.a"}
    assert circles(graph) == [["pkg.high", "pkg.low.a"]]
    layers = (("pkg", "pkg.low"), ("pkg.high",))
    assert upward_imports(graph, layers) == ["pkg.low.a (layer 0) imports pkg.high (layer 1)"]


def test_one_meaning_per_module_name():
    """No two modules of core share a name (a reader finds beam search in search.py, and only
    there). core/cli's modules are named after their subcommands; core/config's and core/render's
    after what they configure or draw (config/search.py is SearchConfig, for search.py;
    render/study.py draws core/study's report); core/run/config.py is config.json."""
    by_stem: dict[str, list[str]] = {}
    for module in CORE_GRAPH:
        parts = module.split(".")
        if len(parts) > 1 and parts[1] not in ("cli", "config", "render") and parts[-1] != "__main__":
            by_stem.setdefault(parts[-1], []).append(module)
    shared = {stem: modules for stem, modules in by_stem.items() if len(modules) > 1}
    assert shared == {}
    configured = [m.split(".")[-1] for m in CORE_GRAPH if m.startswith("core.config.")]
    assert all(stem in by_stem for stem in configured), configured


def test_tests_import_helpers_not_other_tests_and_scripts_import_no_tests():
    """Shared test code lives in tests/helpers/; scripts and benchmarks import none of tests/."""
    wrong = []
    for path in python_files("tests", "scripts", "benchmarks"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            in_tests = path.is_relative_to(ROOT / "tests")
            for name in names:
                parts = name.split(".")
                if parts[0] == "tests" and (
                    not in_tests or (len(parts) > 1 and parts[1].startswith(("test_", "conftest")))
                ):
                    wrong.append(f"{path.relative_to(ROOT)}: {name}")
    assert wrong == []
