"""`s2s export tensorboard`: what TensorBoard's own reader and server find in the export."""

import json
import shutil
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest
from google.protobuf import text_format
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2
from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig

from core.analysis.suites import load_suite
from core.cli import main
from core.export.projector import ProjectorSet
from core.run.config import RunConfig
from core.run.folder import read_metrics
from core.run.loaded import load_run
from core.study.layout import StudySpec, run_folder, write_study
from core.vectors import encode
from scripts.app_browser import free_port
from tests.helpers.cli import one_line_error

pytestmark = pytest.mark.slow  # they read trained runs


def accumulator(folder):
    events = EventAccumulator(str(folder))
    events.Reload()
    return events


def projector(folder) -> ProjectorConfig:
    return text_format.Parse((folder / "projector_config.pbtxt").read_text(), ProjectorConfig())


def test_scalars_hyperparameters_and_a_probe_suite_read_back(tiny_grammar_run, tmp_path):
    out = tmp_path / "tb"
    assert (
        main(["export", "tensorboard", "--run", str(tiny_grammar_run), "--out", str(out), "--device", "cpu"])
        == 0
    )
    folder = out / tiny_grammar_run.name
    events = accumulator(folder)
    tags = set(events.Tags()["scalars"])
    assert {"train/loss", "train/lr", "dev/ppl", "dev/bleu", "probe/voice/margin", "probe/tense/high"} <= tags
    for kind, tag, key in (("dev", "dev/ppl", "ppl"), ("train", "train/loss", "loss")):
        records = read_metrics(tiny_grammar_run, kind)
        read = events.Scalars(tag)
        assert [s.step for s in read] == [r["step"] for r in records]
        assert np.allclose([s.value for s in read], [r[key] for r in records], rtol=1e-6)  # float32
        assert [s.wall_time for s in read] == pytest.approx([r["time"] for r in records])
    margins = [r for r in read_metrics(tiny_grammar_run, "probe") if r["suite"] == "voice"]
    assert [s.step for s in events.Scalars("probe/voice/margin")] == [r["step"] for r in margins]

    content = events.PluginTagToContent("hparams")
    start = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/session_start_info"])
    hparams = start.session_start_info.hparams
    config = RunConfig.read(tiny_grammar_run)
    assert hparams["model/hidden"].number_value == config.model.hidden
    assert hparams["model/reverse_source"].string_value == str(config.model.reverse_source) == "True"
    assert hparams["data"].string_value == config.data.spec
    experiment = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/experiment"]).experiment
    assert [m.name.tag for m in experiment.metric_infos] == ["dev/ppl", "dev/bleu"]

    (embedding,) = projector(folder).embeddings
    loaded = load_run(tiny_grammar_run, "cpu")
    assert embedding.tensor_name == f"voice:{loaded.step:05d}"
    suite = ProjectorSet.from_suite(load_suite("builtin:voice"))
    tensors = np.loadtxt(folder / embedding.tensor_path, delimiter="\t", dtype=np.float32)
    assert np.allclose(tensors, encode(loaded, suite.sentences), atol=1e-6)
    metadata = (folder / embedding.metadata_path).read_text().splitlines()
    table = load_suite("builtin:voice")
    assert metadata[0].split("\t") == ["sentence", "family", "variant", *table.tag_names]
    assert {"construction", "verb", "tense"} <= set(table.tag_names)
    assert len(metadata) == 1 + 3 * 200 and metadata[1].split("\t")[:3] == [suite.sentences[0], "1", "active"]


def test_a_sentence_file_and_a_study(tiny_grammar_run, tmp_path, capsys):
    study = tmp_path / "study"
    write_study(study, StudySpec(data="grammar:3000", preset="tiny", arms=("forward", "reversed"), seeds=1))
    trained = run_folder(study, "reversed", 0)
    shutil.copytree(tiny_grammar_run, trained)  # forward-s0 is not trained yet: left out
    sentences = tmp_path / "mine.txt"
    sentences.write_text("John admires Mary\n\nMary is admired by John\tJohn\n")
    out = tmp_path / "tb"
    assert (
        main(
            [
                "export",
                "tensorboard",
                "--study",
                str(study),
                "--out",
                str(out),
                "--sentences",
                str(sentences),
                "--state",
                "h",
                "--layers",
                "top",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == ["reversed-s0"]
    (embedding,) = projector(out / "reversed-s0").embeddings
    assert embedding.tensor_name.startswith("mine:")
    # one column: no header row; the tab inside a sentence became a space
    assert (out / "reversed-s0" / embedding.metadata_path).read_text().splitlines() == [
        "John admires Mary",
        "Mary is admired by John John",
    ]
    tensors = np.loadtxt(out / "reversed-s0" / embedding.tensor_path, delimiter="\t", ndmin=2)
    assert tensors.shape == (2, RunConfig.read(trained).model.hidden)
    assert "tensorboard --logdir" in capsys.readouterr().err


@pytest.mark.parametrize(
    "extra, message",
    [
        ([], "give --run RUN... or --study STUDY"),
        (["--run", "RUN", "--run", "RUN"], "two runs are named"),
        (["--run", "RUN", "--probe-suite", "builtin:nope"], "no built-in suite 'nope'"),
        (["--run", "RUN", "--sentences", "EMPTY"], "no sentences to embed"),
        (["--run", "RUN", "--layers", "7"], "layer 7 does not exist"),
        (["--run", "nowhere"], "does not exist"),
        (["--run", "NUMBERS"], "has words the model's tokenizer does not know"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    tiny_grammar_run, tiny_numbers_run, tmp_path, capsys, extra, message
):
    """(NUMBERS: a word-level run on numbers, which cannot read the default suite, builtin:voice.)"""
    (tmp_path / "empty.txt").write_text("\n")
    swap = {
        "RUN": str(tiny_grammar_run),
        "EMPTY": str(tmp_path / "empty.txt"),
        "NUMBERS": str(tiny_numbers_run),
    }
    out = tmp_path / "tb"
    one_line_error(
        capsys, ["export", "tensorboard", "--out", str(out), *[swap.get(a, a) for a in extra]], message
    )
    assert not out.exists()


def test_a_second_export_into_the_same_folder_is_refused(tiny_grammar_run, tmp_path, capsys):
    out = tmp_path / "tb"
    argv = ["export", "tensorboard", "--run", str(tiny_grammar_run), "--out", str(out), "--no-vectors"]
    assert main(argv) == 0
    files = sorted(p.name for p in (out / tiny_grammar_run.name).iterdir())
    capsys.readouterr()
    one_line_error(capsys, argv, "already holds an export")
    assert sorted(p.name for p in (out / tiny_grammar_run.name).iterdir()) == files
    assert not (out / tiny_grammar_run.name / "projector_config.pbtxt").exists()


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as answer:
        return json.loads(answer.read())


def test_tensorboard_serves_the_export(tiny_grammar_run, tmp_path):
    """`tensorboard --logdir DIR`: its scalars, hparams and projector plugins list the run."""
    out = tmp_path / "tb"
    assert main(["export", "tensorboard", "--run", str(tiny_grammar_run), "--out", str(out)]) == 0
    port, name = free_port(), tiny_grammar_run.name
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tensorboard.main",
            "--logdir",
            str(out),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/data/plugin"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                scalars = get_json(f"{base}/scalars/tags")
                if name in scalars:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "tensorboard did not answer"
            time.sleep(0.3)
        assert {"dev/ppl", "dev/bleu", "train/loss", "probe/voice/margin"} <= set(scalars[name])
        assert get_json(f"{base}/projector/runs") == [name]
        (info,) = get_json(f"{base}/projector/info?run={name}")["embeddings"]
        assert info["tensorShape"] == [600, 2 * 2 * RunConfig.read(tiny_grammar_run).model.hidden]
    finally:
        server.terminate()
        server.wait(30)
