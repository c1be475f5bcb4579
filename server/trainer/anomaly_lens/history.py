"""RUN/history.jsonl: the course of a run, written as it goes, for whoever looks at the run later.

One JSON object per line, the progress events of these types (progress.py) with `time` added
(Unix seconds): every step (stdout carries only a few a second), every validation, every
checkpoint, the start of each trainer process (a resumed run starts again), and how it ended:

    start       {...the start event..., time}
    step        {step, epoch, loss, lr, samples_per_s, eta_s, time}
    eval        {epoch, step, val_accuracy, val_loss, samples, best, time}
    checkpoint  {path, step, epoch, best, time}
    stopped     {step, epoch, checkpoint, signal, time}
    done        {best_accuracy, best_step, best_epoch, steps, seconds, paths, time}

Each line is one write(2) on a file opened with O_APPEND, so a killed trainer leaves whole lines
and at most a torn last one, which readers skip. The file is flushed to disk before every
checkpoint is written, so the history on disk reaches at least the step of the newest checkpoint.
A resumed run first cuts the file back to its checkpoint's step (the events of steps after it,
and an earlier end, were of a course the run no longer follows; the file is rewritten to a
temporary file and renamed), then appends: a step is never in the file twice. Only rank 0 writes.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from .progress import clean_json

HISTORY_FILE = "history.jsonl"
RECORDED = ("start", "step", "eval", "checkpoint", "stopped", "done")


def history_path(run: Path) -> Path:
    return Path(run) / HISTORY_FILE


def parse_history(data: bytes) -> List[Dict[str, Any]]:
    """The events of a history file's bytes: lines that are not a JSON object, and a last line
    without its newline (a write the trainer did not finish), are skipped."""
    lines = data.split(b"\n")
    whole = lines[:-1]  # the part after the last newline is torn or empty
    events = []
    for line in whole:
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict) and isinstance(value.get("type"), str):
            events.append(value)
    return events


def read_history(run: Path) -> List[Dict[str, Any]]:
    path = history_path(run)
    try:
        return parse_history(path.read_bytes())
    except FileNotFoundError:
        return []


def kept_on_resume(events: List[Dict[str, Any]], step: int) -> List[Dict[str, Any]]:
    """The events a run resumed from the checkpoint of `step` keeps: those before the first event of a
    later step, less an earlier `done` (the run ends again)."""
    kept = []
    for event in events:
        if isinstance(event.get("step"), int) and event["step"] > step:
            break
        if event["type"] != "done":
            kept.append(event)
    return kept


def _line(event: Dict[str, Any]) -> bytes:
    return (json.dumps(clean_json(event), ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def _replace(path: Path, events: List[Dict[str, Any]]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(b"".join(_line(e) for e in events))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class RunHistory:
    """The history file of a run being trained; does nothing when disabled (ranks other than 0)."""

    def __init__(self, path: Optional[Path], fd: Optional[int]):
        self.path = path
        self._fd = fd

    @classmethod
    def disabled(cls) -> "RunHistory":
        return cls(None, None)

    @classmethod
    def open(cls, run: Path, resumed_step: Optional[int]) -> "RunHistory":
        """The history of `run` ready to append to: cut back to `resumed_step` when the run resumes
        from a checkpoint, else started afresh."""
        path = history_path(run)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = None
        if resumed_step is None:
            if data is None or data:
                _replace(path, [])
        else:
            events = parse_history(data or b"")
            kept = kept_on_resume(events, resumed_step)
            # Rewritten only when something goes: a later step, an end, a torn or unreadable line.
            if data is None or len(kept) != len(events) or b"".join(_line(e) for e in events) != data:
                _replace(path, kept)
        return cls(path, os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)))

    def write(self, type_: str, **fields: Any) -> None:
        """Appends one event as one whole line."""
        if self._fd is None:
            return
        if type_ not in RECORDED:
            raise ValueError(f"history records no {type_!r} events")
        data = memoryview(_line({"type": type_, **fields, "time": round(time.time(), 3)}))
        while data:
            data = data[os.write(self._fd, data):]

    def sync(self) -> None:
        """What was written so far is on disk."""
        if self._fd is not None:
            os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None
