"""The Train page's form: every model and training option, with the CLI's help text.

Defaults come from the chosen preset; only the values a user changed are passed to `s2s train`,
so the command shown is the shortest one that reproduces the run.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.config import declared
from core.config.model import ModelConfig, estimate_parameters
from core.config.training import LENGTH
from core.corpus.spec import GRAMMAR_PAIRS, DataSpec
from core.device import DEVICES
from core.errors import UserError
from core.options import Option
from core.training.presets import PRESETS, get_preset
from explorer.corpora import upload
from explorer.train.command import TrainOptions
from explorer.widgets import option_bounds

DATA_HELP = (
    "upload a corpus on the Data page; a path may be a TSV, a folder with train.tsv/dev.tsv, or SRC,TGT"
)
DEFAULT = "default"  # the tokenizer choice that lets the data decide (core.config.tokenizer.default_kind)
TOP = ("reverse_source",)  # shown beside the preset, not in an expander


def preset_defaults(preset: str) -> dict:
    """Every declared option's value under `preset` (the preset's own, else the dataclass default)."""
    chosen = get_preset(preset)
    values = {o.name: o.default for o in declared()} | chosen.model | chosen.train
    return values | {"vocab_size": chosen.vocab_size, "kind": DEFAULT}


def widget_key(preset: str, opt: Option) -> str:
    """The Train form's widget key of a declared option (steps/epochs and the top row have their own)."""
    if opt.spec.group == LENGTH:
        return f"train_{opt.name}_{preset}"
    if opt.name in TOP:
        return "train_reverse"
    return f"opt_{preset}_{opt.name}"


def suggest_name(root: Path, base: str) -> str:
    for i in range(1, 10_000):
        name = f"{base}-{i}"
        if not (root / name).exists():
            return name
    return base


def _parsed(spec: str) -> DataSpec | None:
    try:
        return DataSpec.parse(spec)
    except UserError:
        return None  # shown as typed; starting the run says what is wrong


def data_choice(wanted: str) -> str:
    """Built-in grammar, a corpus saved on the Data page, or any path the server can read."""
    saved = upload.saved_corpora()
    builtin = DataSpec.grammar()
    options = {builtin.text: f"built-in grammar corpus ({GRAMMAR_PAIRS:,} pairs)"}
    chosen = _parsed(wanted)
    if chosen is not None and chosen.is_grammar:
        options[wanted] = f"built-in grammar corpus ({chosen.grammar_pairs:,} pairs)"
    options |= {spec: f"uploaded: {name}" for name, spec in saved.items()}
    if wanted not in options:
        options[wanted] = wanted
    options["__path__"] = "another path on the server…"
    specs = list(options)
    spec = st.selectbox(
        "Data", specs, index=specs.index(wanted), format_func=options.get, key="train_data", help=DATA_HELP
    )
    if spec == "__path__":
        spec = st.text_input("Path", key="train_data_path", placeholder="/data/fra-eng.tsv.gz")
    return spec


def option_widget(opt: Option, value, key: str, label: str | None = None):
    """One widget for one declared option, with its help and its range."""
    label = label or opt.name.replace("_", " ")
    if opt.kind is bool:
        return st.checkbox(label, value=bool(value), help=opt.spec.help, key=key)
    if opt.spec.choices is not None:
        choices = ([DEFAULT] if value == DEFAULT else []) + list(opt.spec.choices)
        return st.selectbox(label, choices, index=choices.index(value), help=opt.spec.help, key=key)
    if opt.kind is float:
        return st.number_input(
            label, value=float(value), format="%g", help=opt.spec.help, key=key, **option_bounds(opt)
        )
    return st.number_input(label, value=int(value), step=1, help=opt.spec.help, key=key, **option_bounds(opt))


def size_caption(values: dict, vocab: int) -> str:
    """The model's size before anything is trained (the real vocabulary is known only after
    the tokenizer is trained, so `vocab` per side is the upper bound the options allow)."""
    model = ModelConfig(vocab, vocab, **{o.name: values[o.name] for o in declared() if o.section == "model"})
    n = estimate_parameters(model)
    copies = 4 if values["optimizer"] == "adam" else 3  # weights, gradients, optimizer state
    return (
        f"Model size: about {n / 1e6:,.1f} M parameters with a vocabulary of {vocab:,} per side "
        f"(the built-in grammar uses a few hundred), {n * 4 * copies / 2**20:,.0f} MB of float32 "
        "weights, gradients and optimizer state while training. Training refuses to start if it "
        "cannot fit in the device's free memory."
    )


def _length(preset: str, defaults: dict, values: dict) -> None:
    """Steps or epochs (one of the two decides a run's length)."""
    steps, epochs = (o for o in declared() if o.spec.group == LENGTH)
    cols = st.columns([1, 1, 2])
    by = cols[0].radio(
        "Train for",
        [steps.name, epochs.name],
        index=0 if defaults["steps"] else 1,
        key=f"train_by_{preset}",
        horizontal=True,
    )
    chosen = steps if by == steps.name else epochs
    with cols[1]:
        value = defaults[chosen.name] or steps.default  # a preset that counts epochs has no steps
        values[chosen.name] = option_widget(chosen, value, widget_key(preset, chosen))


def _section(preset: str, defaults: dict, values: dict, options: list[Option]) -> None:
    cols = st.columns(3)
    for i, opt in enumerate(options):
        with cols[i % 3]:
            values[opt.name] = option_widget(opt, defaults[opt.name], widget_key(preset, opt))


def _hardware() -> tuple[str, int | None]:
    """The device and the CPU threads (None: all cores)."""
    cols = st.columns(2)
    device = cols[0].selectbox(
        "device", DEVICES, key="opt_device", help="auto: the GPU when there is one, else the CPU"
    )
    threads = cols[1].number_input(
        "CPU threads",
        min_value=0,
        value=0,
        key="opt_threads",
        help="0: all cores (twin runs share them: half each)",
    )
    return device, int(threads) or None


def options_form(data: str, root: Path) -> tuple[str, TrainOptions]:
    """Name, preset, direction, length and every declared option. Returns (run name, options)."""
    top = st.columns([2, 2, 1])
    preset = top[1].selectbox(
        "Preset",
        list(PRESETS),
        index=list(PRESETS).index("fast"),
        key="train_preset",
        format_func=lambda p: f"{p}: {PRESETS[p].description}",
    )
    name = top[0].text_input(
        "Run name",
        value=suggest_name(root, preset),
        key=f"train_name_{preset}",
        help=f"the run folder under {root}",
    )
    defaults = preset_defaults(preset)
    values = {}
    reverse = next(o for o in declared() if o.name in TOP)
    with top[2]:
        key = widget_key(preset, reverse)
        values[reverse.name] = option_widget(reverse, defaults[reverse.name], key, label="Reverse the source")
    _length(preset, defaults, values)
    shown = [o for o in declared() if o.name not in TOP and o.spec.group != LENGTH]
    for title, section in (("Model options", "model"), ("Training options", "train")):
        with st.expander(title):
            basic = [o for o in shown if o.section == section and not o.spec.advanced]
            _section(preset, defaults, values, basic)
            advanced = [o for o in shown if o.section == section and o.spec.advanced]
            if advanced:
                st.caption("Advanced")
                _section(preset, defaults, values, advanced)
    with st.expander("Tokenizer and hardware"):
        _section(preset, defaults, values, [o for o in shown if o.section == "tokenizer"])
        device, threads = _hardware()
    st.caption(size_caption(values, int(values["vocab_size"])))
    changed = {k: v for k, v in values.items() if v != defaults[k] and v != DEFAULT}
    options = TrainOptions(
        data=data,
        preset=preset,
        reverse_source=values.pop(reverse.name),
        device=device,
        threads=threads,
        overrides={k: v for k, v in changed.items() if k != reverse.name},
    )
    return name.strip(), options
