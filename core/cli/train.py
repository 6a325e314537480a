"""`s2s train`: train (or resume) a run. Works under `torchrun --nproc_per_node=K -m core train`."""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import fields
from pathlib import Path

from core.errors import UserError
from core.run.folder import CONFIG
from core.training.config import OPTIMIZERS, SCHEDULES
from core.training.options import MODEL_HELP, TRAIN_HELP

# CLI flag -> (dataclass, field) for every option a user may override
MODEL_FLAGS = ("emb_dim", "hidden", "layers", "dropout", "init_range")
TRAIN_FLAGS = ("optimizer", "lr", "schedule", "batch_size", "clip_norm", "max_len", "eval_every",
               "checkpoint_every", "log_every", "bucket_pool", "dev_bleu_sentences", "seed")  # fmt: skip


FLOAT_FLAGS = ("dropout", "init_range", "lr", "clip_norm")
CHOICES = {"optimizer": OPTIMIZERS, "schedule": SCHEDULES}


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="train a model (or resume one)", description=__doc__)
    p.add_argument(
        "--data", help="grammar[:N] | a TSV file | a folder with train.tsv/dev.tsv | SRC,TGT files"
    )
    p.add_argument("--out", required=True, help="the run folder to create (or resume)")
    p.add_argument("--preset", help="tiny | fast | paper (default fast)")
    rev = p.add_mutually_exclusive_group()
    rev.add_argument("--reverse-source", dest="reverse_source", action="store_true", default=None,
                     help="reverse the source sentence (Sutskever et al. 2014, 3.3; the default)")  # fmt: skip
    rev.add_argument("--no-reverse-source", dest="reverse_source", action="store_false")
    length = p.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, help="optimizer steps in all (with --resume: extend to this)")
    length.add_argument(
        "--epochs", type=float, help="passes over the training data (with --resume: extend to this)"
    )
    p.add_argument("--resume", action="store_true", help="continue the run in --out from its last checkpoint")
    p.add_argument("--device", default="auto", help="auto | cpu | cuda")
    p.add_argument("--threads", type=int, help="CPU threads for PyTorch (default: all cores)")
    p.add_argument(
        "--attention", action="store_true", default=None, help="add Luong attention (not in the paper)"
    )
    p.add_argument(
        "--tokenizer", choices=["unigram", "bpe", "word"], help="default: word for grammar, else unigram"
    )
    p.add_argument("--vocab-size", type=int, help="tokenizer vocabulary per side")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (e.g. when the app runs it)")
    for flag in MODEL_FLAGS + TRAIN_FLAGS:
        help_text = {**MODEL_HELP, **TRAIN_HELP}[flag]
        option = "--" + flag.replace("_", "-")
        if flag in CHOICES:
            p.add_argument(option, choices=CHOICES[flag], dest=flag, help=help_text)
        else:
            kind = float if flag in FLOAT_FLAGS else int
            p.add_argument(option, type=kind, dest=flag, help=help_text)
    p.set_defaults(handler=run)


def build_request(args):
    from core.tokenizer import TokenizerConfig
    from core.training.config import TrainConfig
    from core.training.presets import get_preset
    from core.training.session import RunRequest

    if not args.resume and not args.data:
        raise UserError("--data is required for a new run (e.g. --data grammar)")
    preset = get_preset(args.preset or "fast")
    model = dict(preset.model)
    model.update({f: getattr(args, f) for f in MODEL_FLAGS if getattr(args, f) is not None})
    if args.reverse_source is not None:
        model["reverse_source"] = args.reverse_source
    if args.attention:
        model["attention"] = True
    train = dict(preset.train)
    train.update({f: getattr(args, f) for f in TRAIN_FLAGS if getattr(args, f) is not None})
    if args.steps is not None:
        train["steps"] = args.steps
    elif args.epochs is not None:
        train["steps"], train["epochs"] = None, args.epochs
    for key in ("steps", "batch_size", "eval_every", "checkpoint_every", "log_every"):
        if train.get(key) is not None and train[key] < 1:
            raise UserError(f"--{key.replace('_', '-')} must be at least 1")
    known = {f.name for f in fields(TrainConfig)}
    tokenizer = None
    if args.tokenizer or args.vocab_size:
        kind = args.tokenizer or ("word" if (args.data or "").startswith("grammar") else "unigram")
        tokenizer = TokenizerConfig(kind=kind, vocab_size=args.vocab_size or preset.vocab_size)
    elif not (args.data or "").startswith("grammar"):
        tokenizer = TokenizerConfig(kind="unigram", vocab_size=preset.vocab_size)
    if args.resume:  # the run's own config.json rules; only an explicit --steps or --epochs extends it
        train = {**TrainConfig().to_dict(), "steps": args.steps}
        for flag in ignored_on_resume(args):
            print(f"s2s train: note: {flag} is ignored: --resume keeps the run's settings (its {CONFIG})",
                  file=sys.stderr)  # fmt: skip
    return RunRequest(
        data=args.data or "",
        out=Path(args.out),
        model=model,
        train=TrainConfig(**{k: v for k, v in train.items() if k in known}),
        tokenizer=tokenizer,
        preset=args.preset or "fast",
        device=args.device,
        resume=args.resume,
        resume_epochs=args.epochs if args.resume else None,
    )


def ignored_on_resume(args) -> list[str]:
    """The model, data and training options given with --resume that differ from the run's own."""
    from core.run.folder import read_json

    config = read_json(Path(args.out) / CONFIG)
    if not config:
        return []  # not a run: the session says so
    stored = {**config.get("train", {}), **config.get("model", {}), "data": config.get("data", {}).get("spec"),
              "preset": config.get("preset"), "tokenizer": config.get("tokenizer", {}).get("kind"),
              "vocab_size": config.get("tokenizer", {}).get("vocab_size")}  # fmt: skip
    given = {f: getattr(args, f) for f in (*MODEL_FLAGS, *TRAIN_FLAGS, "data", "preset", "tokenizer",
                                           "vocab_size", "reverse_source", "attention")}  # fmt: skip
    return [f"--{name.replace('_', '-')} {value}" for name, value in given.items()
            if value is not None and value != stored.get(name)]  # fmt: skip


class ProgressBar:
    """tqdm on stderr: step, loss, last dev perplexity/BLEU."""

    def __init__(self, enabled: bool):
        self.enabled, self.bar, self.dev = enabled, None, ""

    def on_step(self, step, total, loss):
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=step - 1, unit="step", dynamic_ncols=True, file=sys.stderr)
        self.bar.update(1)
        self.bar.set_postfix_str(f"loss {loss:.3f}{self.dev}", refresh=False)

    def on_train_log(self, record):
        pass

    def on_eval(self, record):
        bleu = record.get("bleu")
        self.dev = f" | dev ppl {record['ppl']:.2f}" + (f" BLEU {bleu:.1f}" if bleu is not None else "")
        if not self.enabled:
            print(f"step {record['step']}{self.dev}", file=sys.stderr, flush=True)

    def on_checkpoint(self, position):
        pass

    def close(self):
        if self.bar is not None:
            self.bar.close()


def run(args) -> int:
    import torch

    from core.run.folder import STATUS, read_json
    from core.training.session import train_run

    if args.threads is not None:
        if args.threads < 1:
            raise UserError(f"--threads must be at least 1, not {args.threads}")
        torch.set_num_threads(args.threads)
    request = build_request(args)
    progress = ProgressBar(enabled=not args.no_progress and sys.stderr.isatty())
    trainers = []

    def stop(signum, frame):
        if trainers:
            trainers[0].request_stop()
        if signum == signal.SIGINT:
            signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C interrupts at once

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        result = train_run(request, callbacks=[progress], on_trainer=trainers.append)
    finally:
        progress.close()
    if os.environ.get("RANK", "0") != "0":
        return 0  # under torchrun, rank 0 speaks for the run
    if result == "nothing to do":
        status = read_json(request.out / STATUS)
        print(f"nothing to do: {request.out} already reached step {status.get('step', '?')}; "
              "give --steps N (more steps in all) to train it further", file=sys.stderr)  # fmt: skip
    elif result == "stopped":
        print(f"stopped cleanly with a checkpoint: continue with `s2s train --out {request.out} --resume`",
              file=sys.stderr)  # fmt: skip
    else:
        print(f"finished: {request.out}", file=sys.stderr)
    return 0
