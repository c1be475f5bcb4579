"""Where a training run stands: its step and place in the epoch, the best validation so far, the history."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


@dataclass
class RunState:
    step: int = 0
    epoch: int = 0  # the epoch in progress, from 0
    batch_in_epoch: int = 0
    best_accuracy: Optional[float] = None
    best_step: Optional[int] = None
    best_epoch: Optional[int] = None
    last_loss: Optional[float] = None
    #: The step at which the last epoch end (validation, checkpoint) was handled.
    epoch_end_step: Optional[int] = None
    total_steps: Optional[int] = None
    history: List[Dict[str, Any]] = field(default_factory=list)

    def epoch_of_step(self) -> int:
        """The epoch (from 1) of the last step taken; at an epoch end the state has moved on already."""
        return self.epoch if self.batch_in_epoch == 0 and self.step > 0 else self.epoch + 1


def finished(state: Dict[str, Any]) -> bool:
    """Whether a saved state (a checkpoint's) is of a run that took its last step and ended its epoch."""
    total = state.get("total_steps")
    return total is not None and state["step"] >= total and state.get("epoch_end_step") == state["step"]
