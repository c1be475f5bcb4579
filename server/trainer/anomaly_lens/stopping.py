"""A clean stop on request: SIGINT or SIGTERM lets the current step finish and a checkpoint be written."""
from __future__ import annotations

import signal
import sys
from typing import Any, Dict, Optional


class Stopper:
    """SIGINT/SIGTERM ask for a clean stop: the current step finishes, a checkpoint is written."""

    def __init__(self) -> None:
        self.signal_name: Optional[str] = None

    @property
    def requested(self) -> bool:
        return self.signal_name is not None

    def install(self) -> Dict[int, Any]:
        """Installs the handlers; returns the previous ones."""
        return {sig: signal.signal(sig, self._handle) for sig in (signal.SIGINT, signal.SIGTERM)}

    @staticmethod
    def uninstall(previous: Dict[int, Any]) -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum, _frame) -> None:
        if self.signal_name is None:
            self.signal_name = signal.Signals(signum).name
            print(f"{self.signal_name} received: stopping after the current step", file=sys.stderr)
