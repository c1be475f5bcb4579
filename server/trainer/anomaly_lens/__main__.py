"""The trainer's command line (run by the TypeScript CLI and child server):

    python -m anomaly_lens train --dataset DIR --tokens TOKENS.json --merges MERGES --out RUN [options]
    python -m anomaly_lens export --run RUN --out BUNDLE [--checkpoint best|last|PATH]
    python -m anomaly_lens import-weights --clip FILE [--alpha FILE] --merges MERGES --out BUNDLE
                                          [--tokens TOKENS.json] [--whole-image]

Token ids come from the TypeScript tokenizer (`--tokens`, written by `anomaly-lens train` or
`anomaly-lens tokenize`); this package never tokenises. stdout carries only the JSON-lines progress
protocol (progress.py); logs go to stderr. Several GPUs: `torchrun --nproc_per_node N -m anomaly_lens train …`.
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from typing import Any, Dict, Optional, Sequence

from .config import SIZES
from .progress import Progress, claim_stdout


def _bool_pair(parser: argparse.ArgumentParser, name: str, dest: str, help_on: str, help_off: str) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(f"--{name}", dest=dest, action="store_true", default=argparse.SUPPRESS, help=help_on)
    group.add_argument(f"--no-{name}", dest=dest, action="store_false", default=argparse.SUPPRESS, help=help_off)


def _train_parser(sub) -> None:
    p = sub.add_parser("train", help="fine-tune AlphaCLIP on a region dataset", argument_default=argparse.SUPPRESS)
    p.add_argument("--dataset", help="dataset folder (dataset.json, train.jsonl, val.jsonl)")
    p.add_argument("--tokens", help="token file of the dataset's descriptions (from the TypeScript tokenizer)")
    p.add_argument("--merges", help="the tokenizer's merges file, copied into the exported bundle")
    p.add_argument("--out", help="run folder: checkpoints, run.json, bundle/; an existing run is resumed")
    p.add_argument("--base", choices=list(SIZES), help="model size without --init (default tiny)")
    p.add_argument("--init", help="starting weights: a bundle folder, a run folder, a checkpoint, or OpenAI CLIP weights")
    p.add_argument("--init-trusted", action="store_true",
                   help="--init may be read as a full pickle (a training checkpoint), which can run code: only for files you trust")
    p.add_argument("--tune", choices=["lora", "full"], help="lora (default with --init) or full visual tuning")
    p.add_argument("--epochs", type=int, help="epochs (default 10)")
    p.add_argument("--max-steps", type=int, help="stop the schedule after this many steps")
    p.add_argument("--batch", type=int, help="global training batch (default 64)")
    p.add_argument("--eval-batch", type=int, help="evaluation batch (default 256)")
    p.add_argument("--lr", type=float, help="lr of the LoRA adapters / visual tower (defaults: see train.py)")
    p.add_argument("--lr-alpha-conv", type=float, help="lr of conv1_alpha (1e-4 from pretrained weights)")
    p.add_argument("--lr-conv", type=float, help="lr of conv1 (1e-6 from pretrained weights)")
    p.add_argument("--weight-decay", type=float, help="AdamW weight decay (default 1e-4)")
    p.add_argument("--lora-r", type=int, help="LoRA rank (default 64)")
    p.add_argument("--lora-alpha", type=float, help="LoRA alpha (default 64)")
    p.add_argument("--lora-dropout", type=float, help="LoRA dropout (default 0.1)")
    p.add_argument("--temperature", type=float, help="SupCon temperature (default 0.07)")
    p.add_argument("--schedule", choices=["constant", "cosine"], help="learning-rate schedule (default constant)")
    p.add_argument("--warmup-steps", type=int, help="linear warmup steps (default 0)")
    p.add_argument("--no-alpha", dest="alpha", action="store_false", help="whole-image variant: the mask is not used")
    p.add_argument("--seed", type=int, help="random seed (default 0)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], help="default auto: CUDA when present")
    p.add_argument("--amp", choices=["auto", "off", "fp16", "bf16"], help="mixed precision on CUDA (default auto)")
    p.add_argument("--workers", type=int, help="decoding threads / DataLoader workers")
    p.add_argument("--cache-mb", type=int, help="cache preprocessed samples in memory up to this size (default 4096)")
    p.add_argument("--checkpoint-every", type=int, help="also checkpoint every N steps (0: at epoch ends only)")
    p.add_argument("--keep-checkpoints", type=int, help="step checkpoints kept (default 3; 0 keeps all)")
    p.add_argument("--stop-at", type=int, help="stop cleanly after this step, as on SIGTERM (resumable)")
    _bool_pair(p, "export", "export", "export RUN/bundle at the end (default)", "do not export at the end")
    p.add_argument("--grad-checkpointing", action="store_true", help="recompute activations (less GPU memory)")


def _export_parser(sub) -> None:
    p = sub.add_parser("export", help="export a run's checkpoint as a model bundle")
    p.add_argument("--run", required=True, help="run folder")
    p.add_argument("--out", required=True, help="bundle folder to write")
    p.add_argument("--checkpoint", default="best", help="best (default), last, or a checkpoint file")


def import_arguments(p: argparse.ArgumentParser) -> None:
    """The options of import-weights (also those of `python -m anomaly_lens.cli_import`)."""
    p.add_argument("--clip", required=True, help="OpenAI CLIP weights (.pt)")
    p.add_argument("--alpha", help="AlphaCLIP visual checkpoint (.pth) of the same size")
    p.add_argument("--merges", required=True, help="CLIP BPE merges file (bpe_simple_vocab_16e6.txt.gz)")
    p.add_argument("--tokens", help="token file of descriptions whose text embeddings the bundle carries")
    p.add_argument("--whole-image", action="store_true", help="a whole-image model: the alpha input is ignored")
    p.add_argument("--out", required=True, help="bundle folder to write")


def _import_parser(sub) -> None:
    import_arguments(sub.add_parser("import-weights", help="import published CLIP / AlphaCLIP weights as a model bundle"))


def _train(args: argparse.Namespace, progress: Progress) -> int:
    from .train import train

    explicit: Dict[str, Any] = {k: v for k, v in vars(args).items() if k != "command"}
    return train(explicit, progress)


def _export(args: argparse.Namespace, progress: Progress) -> int:
    from . import checkpoint as ckpt
    from .model_files import model_from_checkpoint
    from .devices import pick_device
    from .distributed import Dist
    from .run_export import export_model, validation_calibration
    from .train_options import TrainConfig

    run = Path(args.run).resolve()
    chosen = {"best": run / "best.pt", "last": run / "last.pt"}.get(args.checkpoint, Path(args.checkpoint))
    if args.checkpoint == "best" and not chosen.is_file():
        chosen = run / "last.pt"
    content = ckpt.load(chosen)
    model = model_from_checkpoint(content, str(chosen))
    cfg = TrainConfig(**content["config"])
    # The run may have trained on a GPU this machine lacks: any device will do for the calibration.
    device = pick_device("cpu" if cfg.device == "cpu" else "auto", Dist())
    calibration = validation_calibration(model, content, cfg, device, progress)
    bundle = export_model(model.cpu(), content, Path(args.out), cfg, calibration)
    progress.emit("done", paths={"bundle": str(bundle), "checkpoint": str(chosen)}, step=content["state"]["step"],
                  val_accuracy=content["state"]["best_accuracy"])
    return 0


def _import_weights(args: argparse.Namespace, progress: Progress) -> int:
    from .cli_import import import_weights
    from .model_files import save_weights
    from .weights import load_pretrained

    # Read the published files once: the same model is exported and saved beside the ONNX files.
    model = load_pretrained(args.clip, args.alpha, use_alpha=not args.whole_image)
    summary = import_weights(args.clip, args.alpha, args.out, args.merges, args.tokens, args.whole_image, model=model)
    # The bundle also carries the PyTorch weights, so that training can start from it (--init BUNDLE).
    save_weights(model, Path(summary["bundle"]), not args.whole_image)
    progress.emit("done", paths={"bundle": summary["bundle"]}, **{k: v for k, v in summary.items() if k != "bundle"})
    return 0


def _user_errors() -> tuple:
    """Exceptions that mean bad input (files, options), reported without a traceback."""
    from .checkpoint import CheckpointError
    from .dataset_files import DatasetError
    from .export import ExportError
    from .preprocess import ImageReadError
    from .train_options import ConfigError
    from .weights import WeightsError

    return (CheckpointError, ConfigError, DatasetError, ExportError, ImageReadError, WeightsError, FloatingPointError)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m anomaly_lens", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    _train_parser(sub)
    _export_parser(sub)
    _import_parser(sub)
    args = parser.parse_args(argv)

    # Under torchrun only rank 0 reports.
    progress = Progress(claim_stdout(), enabled=os.environ.get("RANK", "0") == "0")
    commands = {"train": _train, "export": _export, "import-weights": _import_weights}
    user_errors: tuple = ()
    try:
        user_errors = _user_errors()
        return commands[args.command](args, progress)
    except Exception as err:  # noqa: BLE001 - every failure becomes an error event
        if user_errors and isinstance(err, user_errors):
            if os.environ.get("ANOMALY_LENS_EVENTS") != "1":  # the parent prints the error event itself
                print(f"error: {err}", file=sys.stderr)
            progress.emit("error", message=str(err), kind="user")
            return 2
        traceback.print_exc()
        progress.emit("error", message=f"{type(err).__name__}: {err}", kind="internal")
        return 1


if __name__ == "__main__":
    sys.exit(main())
