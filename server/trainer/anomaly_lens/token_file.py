"""Token files of the TypeScript tokenizer: its settings, the descriptions and their token ids."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Tuple, Union

from .export import ExportError

PathLike = Union[str, Path]


def read_token_file(path: PathLike) -> Tuple[Dict[str, Any], List[str], List[List[int]]]:
    """(tokenizer, texts, input_ids) of a token file."""
    try:
        content = json.loads(Path(path).read_text(encoding="utf-8"))
        tokenizer = content["tokenizer"]
        rows = content["texts"]
        texts = [str(r["text"]) for r in rows]
        ids = [[int(i) for i in r["input_ids"]] for r in rows]
    except OSError as err:
        raise ExportError(f"{path}: cannot read the token file: {err.strerror or err}") from err
    except (ValueError, KeyError, TypeError) as err:
        raise ExportError(f"{path}: not a token file ({{tokenizer, texts: [{{text, input_ids}}]}}): {err}") from err
    return tokenizer, texts, ids
