"""Fuzzing (hypothesis) of every `s2s` subcommand's numeric and choice options: any value ends
with exit 0, or exit 2 and one line on stderr (a UserError), never a traceback.

The cases are cheap: commands that need a trained run share one tiny run trained once for the
module; `train` and `study` stop where the training would start (every option has been checked
by then), and `app` where Streamlit would. Values are passed as `--flag=value`, so a negative
number or "-1e5" is read as a value. Derandomized, no example database: CI sees the same cases.
"""

from __future__ import annotations

import ast
import io
import itertools
import math
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from core.cli import COMMANDS, main
from core.config import declared
from core.training.presets import PRESETS
from tests.helpers.fuzzing import fuzz_settings


def fuzz(n: int):
    return fuzz_settings(n, HealthCheck.function_scoped_fixture)


_cases = itertools.count()


def fresh(folder: Path) -> Path:
    return folder / f"case{next(_cases)}"


def s2s(argv: list[str]) -> tuple[int, str]:
    """Run `s2s argv` in this process: (exit status, stderr). stdout is swallowed."""
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse itself (not reached with valid choices)
            code = exit_.code
    return code, err.getvalue()


def ends_cleanly(argv: list[str]) -> int:
    """Exit 0, or exit 2 with one line on stderr naming the command; returns the status."""
    code, err = s2s(argv)
    assert code in (0, 2), (argv, code, err)
    if code == 2:  # notes may come first (e.g. "input cut"), the error is the one last line
        lines = err.splitlines()
        assert lines and lines[-1].startswith(f"s2s {argv[0]}: error: "), (argv, err)
        assert sum(": error: " in line for line in lines) == 1 and "Traceback" not in err, (argv, err)
    return code


def flags(**values) -> list[str]:
    """--name=value for every value drawn (None: the flag is left out; True: a bare switch)."""
    out = []
    for name, value in values.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            out.append(flag)
        elif value is not None and value is not False:
            out.append(f"{flag}={value}")
    return out


# values across every magnitude, edges first: hypothesis also shrinks towards them
ints = st.one_of(
    st.integers(-2, 8),
    st.sampled_from([-(2**63), -1000, 100, 1000, 2**31, 2**63, 10**30]),
    st.integers(-(10**6), 10**6),
)
floats = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, 1e300, -1e300, math.inf, -math.inf, math.nan]),
    st.floats(-10, 10),
    st.floats(allow_nan=True, allow_infinity=True),
)
maybe = st.none().__or__  # maybe(ints): an option given or not


def usually(valid, anything=None):
    """Three times in four a valid value (so that whole commands run), else any value."""
    anything = ints if anything is None else anything
    return st.sampled_from((True, True, True, False)).flatmap(lambda ok: valid if ok else anything)


small = usually(st.integers(1, 6))
layers_values = usually(
    st.sampled_from(["all", "top", "0", "1", "-1"]), st.one_of(st.sampled_from(["x", ""]), ints.map(str))
)
states = st.sampled_from(["h", "c", "hc"])
# grammar:N for a small valid N, or any invalid one (a valid big one would generate for minutes)
grammar_sizes = st.one_of(
    st.sampled_from([100, 150]), st.integers(-(10**9), 99), st.integers(500_001, 10**30)
)
grammar_data = st.one_of(
    grammar_sizes.map(lambda n: f"grammar:{n}"), st.sampled_from(["grammar:x", "grammar:"])
)


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models run faster on one thread (and a busy machine's spinning threads cost minutes)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def fuzzed_commands() -> dict[str, set[str]]:
    """test name -> the s2s commands it runs: the first word of each command line it builds (read
    from this file's fuzz tests, so a command is fuzzed only if a @fuzz test really runs it)."""
    found = {}
    for node in ast.parse(Path(__file__).read_text(encoding="utf-8")).body:
        fuzzed = any("fuzz" in ast.unparse(d) for d in getattr(node, "decorator_list", ()))
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_") and fuzzed:
            lists = [n for n in ast.walk(node) if isinstance(n, ast.List) and n.elts]
            words = {n.elts[0].value for n in lists if isinstance(n.elts[0], ast.Constant)}
            found[node.name] = words & set(COMMANDS)
    return found


def test_every_command_is_fuzzed():
    fuzzed = fuzzed_commands()
    assert all(fuzzed.values()), [name for name, commands in fuzzed.items() if not commands]
    assert set().union(*fuzzed.values()) == set(COMMANDS)


# ---- commands that need no trained run ---------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cli")


@fuzz(60)
@given(pairs=grammar_sizes, seed=ints, check=st.booleans())
def test_corpus_grammar_and_check(folder, pairs, seed, check):
    out = fresh(folder)
    if ends_cleanly(["corpus", "grammar", "--out", str(out), *flags(pairs=pairs, seed=seed)]) == 0 and check:
        assert ends_cleanly(["corpus", "check", str(out / "train.tsv")]) == 0


def in_range(opt):
    """Small values inside a declared option's range (small: a valid model must stay cheap)."""
    r = opt.spec.range
    low = 0 if r is None or r.low is None else r.low
    if opt.kind is int:
        return st.integers(int(low) + bool(r and r.low_open), int(low) + 8)
    high = low + 2 if r is None or r.high is None else min(r.high, low + 2)
    return st.floats(low, high, exclude_min=bool(r and r.low_open), exclude_max=bool(r and r.high_open))


def option_values(opt):
    """Values for one declared training option: usually in its range, else anything; its choices."""
    if opt.kind is bool:
        return st.sampled_from([True, None, "no"])
    if opt.spec.choices is not None:
        return maybe(st.sampled_from(opt.spec.choices))
    return maybe(usually(in_range(opt), ints if opt.kind is int else floats))


@st.composite
def training_flags(draw, skip=()) -> list[str]:
    """A few declared options (model, tokenizer, training) with random values."""
    chosen = draw(st.lists(st.sampled_from([o for o in declared() if o.name not in skip]), max_size=4))
    out = []
    for opt in {o.name: o for o in chosen}.values():
        value = draw(option_values(opt))
        if value == "no":
            out.append("--no-" + opt.flag[2:])
        elif value is True:
            out.append(opt.flag)
        elif value is not None:
            out.append(f"{opt.flag}={value}")
    return out


@fuzz(50)
@given(
    options=training_flags(),
    data=usually(st.just("grammar:100"), grammar_data),
    preset=maybe(st.sampled_from([*PRESETS, "huge"])),
    threads=usually(st.none(), st.integers(-3, 2)),
    device=usually(st.just("cpu"), st.just("nonsense")),
)
def test_train_options(folder, options, data, preset, threads, device):
    """Every check `s2s train` makes, up to the first step (the fit itself is stubbed out)."""
    threads_before = torch.get_num_threads()
    argv = ["train", "--out", str(fresh(folder)), "--no-progress", "--no-probes", f"--data={data}", *options]
    argv += flags(preset=preset, threads=threads, device=device)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("core.training.session._fit", lambda *args: "finished")
        ends_cleanly(argv)
    torch.set_num_threads(threads_before)


@fuzz(40)
@given(
    options=training_flags(skip=("seed", "reverse_source", "attention", "steps", "epochs")),
    data=usually(st.just("grammar:100"), grammar_data),
    numbers=st.fixed_dictionaries(
        {
            k: maybe(usually(st.integers(1, 6)))
            for k in ("steps", "jobs", "beam", "max_sentences", "cka_sentences")
        }
    ),
    seeds=maybe(usually(st.integers(1, 4), st.integers(-(10**6), 10**30))),  # capped at MAX_SEEDS
    threads=usually(st.none(), st.integers(-3, 2)),
    arms=maybe(
        st.sampled_from(["forward,reversed", "forward,reversed,attention", "reversed", "sideways", ""])
    ),
    bleu_threshold=maybe(usually(st.floats(0, 100), floats)),
)
def test_study_options(folder, options, data, numbers, seeds, threads, arms, bleu_threshold):
    """Every check `s2s study` makes before it trains (the runner is stubbed out)."""
    argv = ["study", "--out", str(fresh(folder)), "--no-report", "--preset=tiny", f"--data={data}", *options]
    argv += flags(**numbers, seeds=seeds, threads=threads, arms=arms, bleu_threshold=bleu_threshold)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("core.study.runner.run_study", lambda *args, **kw: [])
        ends_cleanly(argv)


@fuzz(60)
@given(port=ints, host=st.sampled_from(["127.0.0.1", "0.0.0.0", "::1"]))
def test_app_options(folder, port, host):
    started = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("core.cli.app.run_forwarding", lambda command, env=None: started.append(command) or 0)
        code = ends_cleanly(["app", *flags(port=port, host=host, runs_dir=str(folder))])
    assert (code == 0) == bool(started) == (1 <= port <= 65535)


# ---- commands that read a trained run ----------------------------------------------------------

SENTENCES = ["John admires Mary", "Mary is admired by John", "She gave me a card", "John sees Mary"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict[str, str]:
    """One tiny run (5 steps on grammar:1000, whose words cover SENTENCES and the suite's) and the
    small files the commands read."""
    from core.analysis.suites import builtin_suites
    from core.corpus.grammar import english_to_french

    folder = tmp_path_factory.mktemp("tiny")
    run = folder / "run"
    assert main(["train", "--data", "grammar:1000", "--out", str(run), "--preset", "tiny", "--steps", "5",
                 "--no-progress", "--no-probes"]) == 0  # fmt: skip
    (folder / "in.txt").write_text("\n".join(SENTENCES) + "\n")
    (folder / "test.tsv").write_text("".join(f"{s}\t{english_to_french(s)}\n" for s in SENTENCES))
    voice = builtin_suites()["voice"]
    small = type(voice)(voice.name, voice.columns, voice.families[:6], voice.rows[:6], voice.description,
                        *voice.roles(), voice.tag_names, voice.tags[:6])  # fmt: skip
    (folder / "suite.tsv").write_text(small.to_tsv())
    assert main(["embed", "--run", str(run), "--input", str(folder / "in.txt"), "--output",
                 str(folder / "states.npy")]) == 0  # fmt: skip
    np.save(folder / "vectors.npy", np.random.default_rng(0).normal(size=(12, 8)).astype(np.float32))
    return {name: str(folder / name) for name in ("run", "in.txt", "test.tsv", "suite.tsv", "states.npy",
                                                  "vectors.npy")} | {"folder": str(folder)}  # fmt: skip


def output(tiny, suffix: str) -> str:
    return str(fresh(Path(tiny["folder"]))) + suffix


@pytest.mark.slow
@fuzz(60)
@given(
    beam=small, nbest=usually(st.integers(1, 2)), length_penalty=usually(st.floats(0, 2), floats),
    max_len_a=usually(st.floats(0, 2), floats),
    max_len_b=usually(st.integers(0, 12), st.sampled_from([-(10**30), -5, 10**30])),
    batch_size=maybe(small),
)  # fmt: skip
def test_translate_options(tiny, beam, nbest, length_penalty, max_len_a, max_len_b, batch_size):
    ends_cleanly(["translate", "--run", tiny["run"], "--input", tiny["in.txt"], "--device=cpu",
                  *flags(beam=beam, nbest=nbest, length_penalty=length_penalty, max_len_a=max_len_a,
                         max_len_b=max_len_b, batch_size=batch_size)])  # fmt: skip


@pytest.mark.slow
@fuzz(40)
@given(beam=small, length_penalty=usually(st.floats(0, 2), floats), limit=maybe(small))
def test_eval_options(tiny, beam, length_penalty, limit):
    ends_cleanly(["eval", "--run", tiny["run"], "--test", tiny["test.tsv"], "--device=cpu",
                  *flags(beam=beam, length_penalty=length_penalty, limit=limit)])  # fmt: skip


@pytest.mark.slow
@fuzz(60)
@given(state=states, layers=layers_values, suffix=st.sampled_from([".npy", ".npy", ".txt"]))
def test_embed_options(tiny, state, layers, suffix):
    ends_cleanly(["embed", "--run", tiny["run"], "--input", tiny["in.txt"], "--device=cpu",
                  "--output", output(tiny, suffix), *flags(state=state, layers=layers)])  # fmt: skip


columns = st.sampled_from(["active", "passive", "swapped", "nope", ""])


@pytest.mark.slow
@fuzz(60)
@given(
    seed=usually(st.integers(0, 10)), boot=usually(st.integers(1, 200)), state=states, layers=layers_values,
    by=maybe(st.sampled_from(["construction", "verb", "colour"])), anchor=usually(st.none(), columns),
    positive=usually(st.none(), columns), negative=usually(st.none(), columns), per_family=st.booleans(),
    prop=maybe(st.sampled_from(["active,passive", "x"])),
)  # fmt: skip
def test_probe_options(tiny, seed, boot, state, layers, by, anchor, positive, negative, per_family, prop):
    """(--geometry is left out: its cross-validated probe takes seconds; --property is still checked.)"""
    ends_cleanly(["probe", "--run", tiny["run"], "--suite", tiny["suite.tsv"], "--device=cpu",
                  *flags(seed=seed, boot=boot, state=state, layers=layers, by=by, anchor=anchor,
                         positive=positive, negative=negative, per_family=per_family, property=prop)])  # fmt: skip


@fuzz(40)
@given(
    method=st.sampled_from(["pca"] * 4 + ["tsne"]), seed=usually(st.integers(0, 10)),
    components=st.sampled_from([2, 3]), suffix=st.sampled_from([".csv", ".csv", ".txt"]),
    basis=st.booleans(),
)  # fmt: skip
def test_project_options(vectors, method, seed, components, suffix, basis):
    """(UMAP is left out: its first call compiles for seconds; tests/test_analysis_projection.py has it.)"""
    ends_cleanly(["project", "--input", vectors, "--output", str(fresh(Path(vectors).parent)) + suffix,
                  *flags(method=method, seed=seed, components=components, basis=vectors if basis else None)])  # fmt: skip


@pytest.fixture(scope="module")
def vectors(folder) -> str:
    path = folder / "vectors.npy"
    np.save(path, np.random.default_rng(0).normal(size=(12, 8)).astype(np.float32))
    return str(path)


@pytest.mark.slow
@fuzz(90)
@given(
    what=st.sampled_from(["interpolate", "offset", "decode"]), steps=usually(st.integers(2, 6)),
    beam=small, max_len=usually(st.integers(1, 20)), scale=usually(st.floats(-3, 3), floats),
    from_column=usually(st.just("active"), columns), to_column=usually(st.just("passive"), columns),
)  # fmt: skip
def test_surgery_options(tiny, what, steps, beam, max_len, scale, from_column, to_column):
    argv = ["surgery", what, "--run", tiny["run"], "--device=cpu", *flags(beam=beam, max_len=max_len)]
    if what == "interpolate":
        argv += ["--source", SENTENCES[0], "--target", SENTENCES[1], *flags(steps=steps)]
    elif what == "offset":
        argv += ["--sentence", SENTENCES[0], "--suite", tiny["suite.tsv"], f"--from={from_column}",
                 f"--to={to_column}", *flags(scale=scale)]  # fmt: skip
    else:
        argv += ["--input", tiny["states.npy"]]
    ends_cleanly(argv)


@pytest.mark.slow
@fuzz(40)
@given(k=usually(st.integers(1, 6)), state=states, layers=layers_values)
def test_neighbours_options(tiny, k, state, layers):
    ends_cleanly(["neighbours", "--run", tiny["run"], "--corpus", tiny["in.txt"], "--query", SENTENCES[0],
                  "--device=cpu", f"-k={k}", *flags(state=state, layers=layers)])  # fmt: skip


@pytest.mark.slow
@fuzz(30)
@given(
    method=st.sampled_from(["pca"] * 4 + ["tsne"]), components=st.sampled_from([2, 3]),
    seed=usually(st.integers(0, 10)), state=states, two=st.booleans(),
)  # fmt: skip
def test_trajectories_options(tiny, method, components, seed, state, two):
    runs = ["--run", tiny["run"]] * (2 if two else 1)
    ends_cleanly(["trajectories", *runs, "--input", tiny["in.txt"], "--output", output(tiny, ".csv"),
                  "--device=cpu", *flags(method=method, components=components, seed=seed, state=state)])  # fmt: skip


@pytest.mark.slow
@fuzz(30)
@given(
    vectors=st.sampled_from(["suite", "sentences", "none", "builtin:nope"]),
    state=states,
    layers=layers_values,
    twice=st.booleans(),
)
def test_export_options(tiny, vectors, state, layers, twice):
    runs = ["--run", tiny["run"]] * (2 if twice else 1)
    chosen = {
        "suite": ["--probe-suite", tiny["suite.tsv"]],
        "sentences": ["--sentences", tiny["in.txt"]],
        "none": ["--no-vectors"],
        "builtin:nope": ["--probe-suite", "builtin:nope"],
    }[vectors]
    ends_cleanly(
        [
            "export",
            "tensorboard",
            *runs,
            "--out",
            output(tiny, ""),
            "--device=cpu",
            *chosen,
            *flags(state=state, layers=layers),
        ]
    )
