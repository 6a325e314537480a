"""`s2s train`: train (or resume) a run. Works under `torchrun --nproc_per_node=K -m core train`."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from core.analysis.suites import DEFAULT_PROBE_SUITES
from core.cli.flags import add_device, add_option, add_probe_suites, add_threads, check_threads, given
from core.config import declared
from core.errors import UserError
from core.options import options_of
from core.run.folder import CONFIG
from core.training.presets import PRESETS

DEFAULT_PRESET = "fast"
# each saves a checkpoint and stops: kill/a process manager, Ctrl-C, and SLURM's warning before a
# time limit or preemption (submitit's --signal=USR2@90; srun passes it to every task)
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGUSR2)


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="train a model (or resume one)", description=__doc__)
    p.add_argument(
        "--data", help="grammar[:N] | a TSV file | a folder with train.tsv/dev.tsv | SRC,TGT files"
    )
    p.add_argument("--out", required=True, help="the run folder to create (or resume)")
    p.add_argument("--preset", help=f"{' | '.join(PRESETS)} (default {DEFAULT_PRESET})")
    p.add_argument("--resume", action="store_true", help="continue the run in --out from its last checkpoint")
    add_device(p)
    add_threads(p)
    p.add_argument("--no-progress", action="store_true", help="no progress bar (e.g. when the app runs it)")
    probes = p.add_mutually_exclusive_group()
    add_probe_suites(
        probes,
        "probe suites scored at every dev evaluation (TSV files or builtin:NAME; "
        f"default {' '.join(DEFAULT_PROBE_SUITES)})",
    )
    probes.add_argument("--no-probes", action="store_true", help="score no probe suite during training")
    groups = {}
    for opt in declared():
        target = p
        if opt.spec.group is not None:
            if opt.spec.group not in groups:  # one group per name (setdefault would make one per option)
                groups[opt.spec.group] = p.add_mutually_exclusive_group()
            target = groups[opt.spec.group]
        add_option(target, opt)
    p.set_defaults(handler=run)


def build_request(args):
    """The RunRequest of `s2s train`'s arguments: the preset, then the options given; the tokenizer
    is decided here, by the data (core.config.tokenizer.default_kind), when none is given."""
    from core.config.model import ModelConfig
    from core.config.tokenizer import TokenizerConfig, default_kind
    from core.config.training import TrainConfig
    from core.corpus.spec import DataSpec
    from core.training.presets import get_preset
    from core.training.session import RunRequest

    if args.resume:  # the run's own config.json rules; only an explicit --steps or --epochs extends it
        for flag in ignored_on_resume(args):
            print(
                f"s2s train: note: {flag} is ignored: --resume keeps the run's settings (its {CONFIG})",
                file=sys.stderr,
            )
        length = TrainConfig(steps=args.steps)
        return RunRequest(
            Path(args.out), train=length, device=args.device, resume=True, resume_epochs=args.epochs
        )
    if not args.data:
        raise UserError("--data is required for a new run (e.g. --data grammar)")
    spec = DataSpec.parse(args.data)
    preset = get_preset(args.preset or DEFAULT_PRESET)
    train = {**preset.train, **given(args, options_of(TrainConfig, "train"))}
    if args.epochs is not None:
        train["steps"] = None  # --epochs decides the length
    tokenizer = {"kind": default_kind(spec.is_grammar), "vocab_size": preset.vocab_size}
    return RunRequest(
        Path(args.out),
        data=spec,
        model=ModelConfig(**{**preset.model, **given(args, options_of(ModelConfig, "model"))}),
        train=TrainConfig(**train),
        tokenizer=TokenizerConfig(**{**tokenizer, **given(args, options_of(TokenizerConfig, "tokenizer"))}),
        preset=args.preset or DEFAULT_PRESET,
        device=args.device,
        probe_suites=() if args.no_probes else tuple(args.probe_suite or DEFAULT_PROBE_SUITES),
    )


def ignored_on_resume(args) -> list[str]:
    """The model, data and training options given with --resume that differ from the run's own."""
    from core.run.config import RunConfig

    if not (Path(args.out) / CONFIG).is_file():
        return []  # not a run: the session says so
    config = RunConfig.read(args.out)
    stored = {
        **config.train.to_dict(),
        **config.model.to_dict(),
        "kind": config.tokenizer.kind,
        "vocab_size": config.tokenizer.vocab_size,
        "data": config.data.spec,
        "preset": config.preset,
    }
    names = [o.name for o in declared() if o.spec.group is None] + ["data", "preset"]
    flags = {o.name: o.flag for o in declared()} | {"data": "--data", "preset": "--preset"}
    return [
        f"{flags[name]} {getattr(args, name)}"
        for name in names
        if getattr(args, name) is not None and getattr(args, name) != stored.get(name)
    ]


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

    from core.run.status import read_status
    from core.training.session import train_run
    from core.training.trainer import PLATEAU

    if check_threads(args.threads) is not None:
        torch.set_num_threads(args.threads)
    request = build_request(args)
    progress = ProgressBar(enabled=not args.no_progress and sys.stderr.isatty())
    trainers = []

    def stop(signum, frame):
        if not trainers:  # still reading data or building the model: nothing to checkpoint yet
            raise KeyboardInterrupt
        trainers[0].request_stop()
        if signum == signal.SIGINT:
            signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C interrupts at once

    before = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
    try:
        result = train_run(request, callbacks=[progress], on_trainer=trainers.append)
    finally:
        progress.close()
        for sig, handler in before.items():  # a caller in the same process (a test, a study) keeps its own
            signal.signal(sig, handler)
    if os.environ.get("RANK", "0") != "0":
        return 0  # under torchrun, rank 0 speaks for the run
    if result == "nothing to do":
        status = read_status(request.out)
        print(
            f"nothing to do: {request.out} already reached step {status.step}; "
            "give --steps N (more steps in all) to train it further",
            file=sys.stderr,
        )
    elif result == "stopped":
        print(
            f"stopped cleanly with a checkpoint: continue with `s2s train --out {request.out} --resume`",
            file=sys.stderr,
        )
    elif result == PLATEAU:
        print(f"finished early: {read_status(request.out).message}: {request.out}", file=sys.stderr)
    else:
        print(f"finished: {request.out}", file=sys.stderr)
    return 0
