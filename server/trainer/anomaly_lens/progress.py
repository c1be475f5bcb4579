"""The trainer's progress protocol: JSON lines on stdout, read by the CLI and the child server.

Every stdout line is one JSON object with a "type"; nothing else is written to stdout (logs and
library chatter go to stderr, see `claim_stdout`). Protocol version 1, mirrored as TypeScript
types in server/jobs/trainProgress.ts. Fields:

  prepare     {split, done, total}                      decoding and caching the samples
  start       {version, run, device, world_size, amp, config, samples: {train, val},
               descriptions, steps: {total, per_epoch}, epochs, resumed_from (step or null),
               trainable_parameters, cached}
  step        {step, epoch, loss, lr, samples_per_s, eta_s}
                 step counts from 1; epoch from 1; loss is the batch's SupCon loss (mean over
                 ranks); lr that of the main parameter group; at most a few lines a second
  eval        {epoch, step, val_accuracy, val_loss, samples, best}
                 region accuracy (argmax over all descriptions, paper eq. 3) in [0, 1]; val_loss is
                 the cross-entropy of softmax(cos / temperature) over all descriptions
  checkpoint  {path, step, epoch, best}                 best: this checkpoint is now RUN/best.pt
  warning     {message, file?}                          a problem the run goes on with
  stopped     {step, epoch, checkpoint, signal}        stopped on request; resumable
  done        {best_accuracy, best_step, best_epoch, steps, seconds, paths: {run, last, best, bundle}}
                 (export and import-weights end with done {paths: {bundle}, ...} too)
  error       {message, kind: "user" | "internal"}

The run's history file (history.py) keeps start, every step, eval, checkpoint, stopped and done.

Exit status: 0 after done or stopped, 2 after a user error (bad dataset, options, files),
1 after an internal error (traceback on stderr).
"""
from __future__ import annotations

import json
import math
import os
import sys
import time
from typing import Any, Dict, IO, Optional

PROTOCOL_VERSION = 1

EVENT_TYPES = ("prepare", "start", "step", "eval", "checkpoint", "warning", "stopped", "done", "error")


def clean_json(value: Any) -> Any:
    """JSON has no NaN or infinity: such numbers become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_json(v) for v in value]
    return value


def claim_stdout() -> IO[str]:
    """A private handle on the real stdout for protocol lines; file descriptor 1 (and sys.stdout)
    then point at stderr, so that a print() or a native library cannot corrupt the protocol."""
    sys.stdout.flush()
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return protocol


class Progress:
    """Writes protocol lines; silent when disabled (the ranks of a distributed run other than 0)."""

    def __init__(self, stream: Optional[IO[str]], enabled: bool = True, min_step_interval: float = 0.25):
        self.stream = stream
        self.enabled = enabled and stream is not None
        self.min_step_interval = min_step_interval
        self._last_step_time = -math.inf
        self._last_prepare_time = -math.inf

    def emit(self, type_: str, **fields: Any) -> None:
        if type_ not in EVENT_TYPES:
            raise ValueError(f"unknown progress event type {type_!r}")
        if not self.enabled:
            return
        line = json.dumps(clean_json({"type": type_, **fields}), ensure_ascii=False, allow_nan=False)
        self.stream.write(line + "\n")
        self.stream.flush()

    def step(self, force: bool = False, **fields: Any) -> None:
        """A step line, throttled to a few a second unless forced (first and last steps)."""
        now = time.monotonic()
        if force or now - self._last_step_time >= self.min_step_interval:
            self._last_step_time = now
            self.emit("step", **fields)

    def prepare(self, split: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - self._last_prepare_time >= 0.5:
            self._last_prepare_time = now
            self.emit("prepare", split=split, done=done, total=total)

    def warning(self, message: str, file: Optional[str] = None) -> None:
        print(f"warning: {message}", file=sys.stderr)
        fields: Dict[str, Any] = {"message": message}
        if file is not None:
            fields["file"] = file
        self.emit("warning", **fields)


class RateMeter:
    """Steps per second, smoothed (exponential moving average over step durations)."""

    def __init__(self, smoothing: float = 0.1):
        self.smoothing = smoothing
        self.seconds_per_step: Optional[float] = None
        self._last: Optional[float] = None

    def tick(self) -> None:
        now = time.monotonic()
        if self._last is not None:
            dt = now - self._last
            s = self.seconds_per_step
            self.seconds_per_step = dt if s is None else (1 - self.smoothing) * s + self.smoothing * dt
        self._last = now

    def reset(self) -> None:
        """Forget the last tick (after a pause such as an evaluation)."""
        self._last = None

    def steps_per_s(self) -> Optional[float]:
        s = self.seconds_per_step
        return 1.0 / s if s else None

    def eta(self, remaining_steps: int) -> Optional[float]:
        s = self.seconds_per_step
        return remaining_steps * s if s is not None else None
