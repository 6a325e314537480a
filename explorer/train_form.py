"""The Train page's form: every model and training option, with the CLI's help text.

Defaults come from the chosen preset; only the values a user changed are passed to `s2s train`,
so the command shown is the shortest one that reproduces the run.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.cli.train import CHOICES, FLOAT_FLAGS, MODEL_FLAGS, TRAIN_FLAGS
from core.device import DEVICES
from core.model import ModelConfig, estimate_parameters
from core.training.config import TrainConfig
from core.training.options import MODEL_HELP, TRAIN_HELP
from core.training.presets import PRESETS, get_preset
from explorer import corpus_upload
from explorer.train_command import TrainOptions

TOKENIZERS = ("default", "word", "unigram", "bpe")
MINIMA = {
    "dropout": 0.0,
    "init_range": 1e-6,
    "lr": 1e-8,
    "clip_norm": 1e-6,
    "seed": 0,
}  # s2s train refuses 0 for these


def preset_defaults(preset: str) -> dict:
    """Every option's value under `preset` (the preset's own, else the dataclass default)."""
    chosen = get_preset(preset)
    model = {**ModelConfig(src_vocab=1, tgt_vocab=1).to_dict(), **chosen.model}
    train = {**TrainConfig().to_dict(), **chosen.train}
    values = {f: model[f] for f in MODEL_FLAGS} | {f: train[f] for f in TRAIN_FLAGS}
    values |= {"steps": train["steps"], "epochs": train["epochs"], "vocab_size": chosen.vocab_size}
    return values


def suggest_name(root: Path, base: str) -> str:
    for i in range(1, 10_000):
        name = f"{base}-{i}"
        if not (root / name).exists():
            return name
    return base


def data_choice(wanted: str) -> str:
    """Built-in grammar, a corpus saved on the Data page, or any path the server can read."""
    saved = corpus_upload.saved_corpora()
    options = {"grammar": "built-in grammar corpus (50,000 pairs)"}
    if wanted.startswith("grammar:"):
        options[wanted] = f"built-in grammar corpus ({wanted.split(':', 1)[1]} pairs)"
    options |= {spec: f"uploaded: {name}" for name, spec in saved.items()}
    if wanted not in options:
        options[wanted] = wanted
    options["__path__"] = "another path on the server…"
    specs = list(options)
    spec = st.selectbox(
        "Data", specs, index=specs.index(wanted), format_func=options.get, key="train_data",
        help="upload a corpus on the Data page; a path may be a TSV, a folder with train.tsv/dev.tsv, or SRC,TGT",
    )  # fmt: skip
    if spec == "__path__":
        spec = st.text_input("Path", key="train_data_path", placeholder="/data/fra-eng.tsv.gz")
    return spec


def _number(flag: str, value, help_text: str, key: str):
    if flag in CHOICES:
        choices = list(CHOICES[flag])
        return st.selectbox(
            flag.replace("_", " "), choices, index=choices.index(value), help=help_text, key=key
        )
    if flag in FLOAT_FLAGS:
        return st.number_input(flag.replace("_", " "), min_value=MINIMA.get(flag, 0.0), value=float(value),
                               format="%g", help=help_text, key=key)  # fmt: skip
    return st.number_input(flag.replace("_", " "), min_value=MINIMA.get(flag, 1), value=int(value), step=1,
                           help=help_text, key=key)  # fmt: skip


def size_caption(values: dict, vocab: int, attention: bool) -> str:
    """The model's size before anything is trained (the real vocabulary is known only after
    the tokenizer is trained, so `vocab` per side is the upper bound the options allow)."""
    model = ModelConfig(vocab, vocab, attention=attention, **{f: values[f] for f in MODEL_FLAGS})
    n = estimate_parameters(model)
    copies = 4 if values["optimizer"] == "adam" else 3  # weights, gradients, optimizer state
    return (
        f"Model size: about {n / 1e6:,.1f} M parameters with a vocabulary of {vocab:,} per side "
        f"(the built-in grammar uses a few hundred), {n * 4 * copies / 2**20:,.0f} MB of float32 "
        "weights, gradients and optimizer state while training. Training refuses to start if it "
        "cannot fit in the device's free memory."
    )


def options_form(data: str, root: Path) -> tuple[str, TrainOptions]:
    """Name, preset, direction, length and every option. Returns (run name, options)."""
    top = st.columns([2, 2, 1])
    preset = top[1].selectbox(
        "Preset", list(PRESETS), index=list(PRESETS).index("fast"), key="train_preset",
        format_func=lambda p: f"{p}: {PRESETS[p].description}",
    )  # fmt: skip
    name = top[0].text_input(
        "Run name", value=suggest_name(root, preset), key=f"train_name_{preset}",
        help=f"the run folder under {root}",
    )  # fmt: skip
    reverse = top[2].checkbox(
        "Reverse the source", value=True, key="train_reverse",
        help="Sutskever et al. 2014, 3.3: feed the source sentence backwards (the paper's trick)",
    )  # fmt: skip
    defaults = preset_defaults(preset)
    length = st.columns([1, 1, 2])
    by = length[0].radio("Train for", ["steps", "epochs"], index=0 if defaults["steps"] else 1, key=f"train_by_{preset}",
                         horizontal=True)  # fmt: skip
    steps = epochs = None
    if by == "steps":
        steps = int(length[1].number_input("steps", min_value=1, value=int(defaults["steps"] or 2000), step=500,
                                           key=f"train_steps_{preset}", help="optimizer steps in all"))  # fmt: skip
    else:
        epochs = float(length[1].number_input("epochs", min_value=0.01, value=float(defaults["epochs"]),
                                              key=f"train_epochs_{preset}", help="passes over the training data"))  # fmt: skip
    values = {}
    with st.expander("Model options"):
        cols = st.columns(3)
        for i, flag in enumerate(MODEL_FLAGS):
            with cols[i % 3]:
                values[flag] = _number(flag, defaults[flag], MODEL_HELP[flag], f"opt_{preset}_{flag}")
        attention = st.checkbox("Luong attention", value=False, key=f"opt_{preset}_attention",
                                help="not in the paper: removes the single-vector bottleneck, for comparison")  # fmt: skip
    with st.expander("Training options"):
        cols = st.columns(3)
        for i, flag in enumerate(TRAIN_FLAGS):
            with cols[i % 3]:
                values[flag] = _number(flag, defaults[flag], TRAIN_HELP[flag], f"opt_{preset}_{flag}")
    with st.expander("Tokenizer and hardware"):
        cols = st.columns(4)
        tokenizer = cols[0].selectbox("tokenizer", TOKENIZERS, key=f"opt_{preset}_tokenizer",
                                      help="default: word level for the grammar corpus, else SentencePiece unigram")  # fmt: skip
        vocab = cols[1].number_input("vocab size", min_value=100, value=int(defaults["vocab_size"]), step=1000,
                                     key=f"opt_{preset}_vocab", help="SentencePiece vocabulary per side")  # fmt: skip
        device = cols[2].selectbox("device", DEVICES, key="opt_device",
                                   help="auto: the GPU when there is one, else the CPU")  # fmt: skip
        threads = cols[3].number_input("CPU threads", min_value=0, value=0, key="opt_threads",
                                       help="0: all cores (twin runs share them: half each)")  # fmt: skip
    st.caption(size_caption(values, int(vocab), attention))
    overrides = {f: v for f, v in values.items() if v != defaults[f]}
    options = TrainOptions(
        data=data,
        preset=preset,
        reverse_source=reverse,
        steps=steps if steps != defaults["steps"] else None,
        epochs=epochs if epochs is not None and (defaults["steps"] or epochs != defaults["epochs"]) else None,
        seed=None,
        device=device,
        threads=int(threads) or None,
        tokenizer=None if tokenizer == "default" else tokenizer,
        vocab_size=int(vocab) if vocab != defaults["vocab_size"] else None,
        attention=attention,
        overrides=overrides,
    )
    return name.strip(), options
