"""Imports published weights (OpenAI CLIP, optionally an AlphaCLIP visual checkpoint) as a model bundle:

    python -m anomaly_lens.cli_import --clip ViT-L-14-336px.pt [--alpha clip_l14_336_grit_20m_4xe.pth]
        --merges bpe_simple_vocab_16e6.txt.gz [--tokens TOKENS.json] [--whole-image] --out BUNDLE

TOKENS.json is a token file written by `anomaly-lens tokenize` (descriptions and their token ids);
with it the bundle carries the descriptions' text embeddings. Prints one JSON line describing the
bundle; errors go to stderr and exit with status 2.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Dict, Optional, Sequence, Union

from .export import ExportError, export_bundle
from .model import AlphaCLIP
from .token_file import read_token_file
from .weights import WeightsError, load_pretrained

PathLike = Union[str, Path]
BYTE_TOKENS = 512  # 256 bytes, and the same with an end-of-word mark
SPECIAL_TOKENS = 2


def sha256(path: PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def count_merges(path: PathLike) -> int:
    """Merges in a CLIP merges file (.gz or plain): non-blank lines after the header."""
    try:
        data = Path(path).read_bytes()
        text = (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as err:
        raise ExportError(f"{path}: cannot read the tokenizer merges: {err}") from err
    return sum(1 for line in text.splitlines()[1:] if line.strip())


def _file_info(path: PathLike) -> Dict[str, str]:
    return {"file": Path(path).name, "sha256": sha256(path)}


def import_weights(
    clip: PathLike,
    alpha: Optional[PathLike],
    out_bundle: PathLike,
    merges: PathLike,
    tokens: Optional[PathLike] = None,
    whole_image: bool = False,
    model: Optional[AlphaCLIP] = None,
) -> Dict[str, Any]:
    """Writes a bundle of the published model; returns a summary of it. `model`: the model
    load_pretrained(clip, alpha) already made, so that the files are not read twice."""
    if model is None:
        model = load_pretrained(clip, alpha, use_alpha=not whole_image)
    elif model.use_alpha == whole_image:
        raise ValueError("the given model's use_alpha contradicts whole_image")
    cfg = model.cfg
    vocab = cfg.vocab_size
    if tokens is not None:
        tokenizer, texts, ids = read_token_file(tokens)
    else:
        tokenizer = {"kind": "clip-bpe", "vocabSize": vocab, "startId": vocab - 2, "endId": vocab - 1,
                     "contextLength": cfg.context_length}
        texts, ids = [], []
    needed = vocab - BYTE_TOKENS - SPECIAL_TOKENS
    available = count_merges(merges)
    if available < needed:
        raise ExportError(f"{merges}: holds {available} merges; the model's vocabulary of {vocab} needs {needed}")
    provenance = {
        "kind": "imported",
        "base": {"clip": _file_info(clip), **({"alpha": _file_info(alpha)} if alpha is not None else {})},
        "size": cfg.size,
    }
    out = export_bundle(model, out_bundle, tokenizer, merges, texts, ids, provenance, alpha=not whole_image)
    return {"bundle": str(out), "size": cfg.size, "alpha": not whole_image, "alphaWeights": alpha is not None,
            "descriptions": len(texts)}


def main(argv: Optional[Sequence[str]] = None) -> int:
    # The options are those of `python -m anomaly_lens import-weights`, defined there once.
    from .__main__ import import_arguments

    parser = argparse.ArgumentParser(prog="python -m anomaly_lens.cli_import", description=__doc__.split("\n\n")[0])
    import_arguments(parser)
    args = parser.parse_args(argv)
    try:
        summary = import_weights(args.clip, args.alpha, args.out, args.merges, args.tokens, args.whole_image)
    except (WeightsError, ExportError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
