"""Static checks of what cannot be built here: the Docker image (no daemon on CI) and the package."""

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
DIST = "seq2seq-explorer"  # installed (editable) by `make setup`


def requirement(name: str) -> SpecifierSet:
    for dep in map(Requirement, metadata.requires(DIST)):
        if dep.name == name and dep.marker is None:
            return dep.specifier
    raise AssertionError(f"{name} is not a dependency")


def test_docker_base_torch_satisfies_the_project_so_pip_keeps_it():
    dockerfile = (ROOT / "Dockerfile").read_text()
    base = re.search(r"^FROM pytorch/pytorch:(\d+\.\d+\.\d+)-cuda", dockerfile, re.M)
    assert base, "the image must start from a CUDA-capable PyTorch base"
    assert base.group(1) in requirement("torch")


def test_docker_starts_the_app_on_8501_and_leaves_runs_out_of_the_image():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "EXPOSE 8501" in dockerfile and '"Home.py"' in dockerfile and (ROOT / "Home.py").is_file()
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "runs", "data", ".git"} <= set(ignored)


def test_console_script_and_packages():
    (script,) = [e for e in metadata.entry_points(group="console_scripts", name="s2s") if e.dist.name == DIST]
    assert script.value == "core.cli:main"
    from core.cli import main

    assert callable(main)
    for dep in (
        "streamlit",
        "scikit-learn",
        "umap-learn",
        "plotly",
        "sentencepiece",
        "sacrebleu",
        "safetensors",
    ):
        requirement(dep)
