"""One process per GPU under torchrun: the rank set-up, the collective operations a run needs, the DDP wrap."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, List, Tuple

import torch
import torch.distributed as dist
from torch import nn

from .train_options import ConfigError


@dataclass
class Dist:
    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        return self.rank == 0


def init_distributed(device_pref: str) -> Dist:
    """torchrun sets WORLD_SIZE, RANK and LOCAL_RANK; a plain start is one process."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return Dist()
    info = Dist(int(os.environ["RANK"]), world, int(os.environ.get("LOCAL_RANK", "0")))
    use_cuda = device_pref != "cpu" and torch.cuda.is_available()
    if use_cuda:
        torch.cuda.set_device(info.local_rank)
    if not dist.is_initialized():
        dist.init_process_group("nccl" if use_cuda else "gloo")
    return info


def shut_down(synchronise: bool = False) -> None:
    """Ends the process group, if one was started. With `synchronise` (every rank got here
    normally), the ranks first meet at a barrier, which lets gloo's threads finish their pending
    work while this thread waits without the GIL: a group torn down with work still pending can
    hang the process at exit (gloo's thread waiting for the GIL, the main thread joining it)."""
    if dist.is_initialized():
        if synchronise:
            dist.barrier()
        dist.destroy_process_group()


def rank_batch(batch: int, d: Dist) -> int:
    """Each rank's share of the global batch."""
    if batch % d.world:
        raise ConfigError(f"--batch {batch} is the global batch and must divide among {d.world} processes")
    return batch // d.world


def data_parallel(module: nn.Module, device: torch.device, d: Dist) -> nn.Module:
    """The module, wrapped in DistributedDataParallel when there are several processes."""
    if d.world == 1:
        return module
    device_ids = [device.index] if device.type == "cuda" else None
    return nn.parallel.DistributedDataParallel(module, device_ids=device_ids)


def mean_and_any(loss: torch.Tensor, stop: bool, d: Dist) -> Tuple[float, bool]:
    """(the loss averaged over ranks, whether any rank's `stop` is true): one all-reduce."""
    if d.world == 1:
        return loss.item(), stop
    packed = torch.stack([loss.detach().float(), torch.tensor(float(stop), device=loss.device)])
    dist.all_reduce(packed)
    return packed[0].item() / d.world, packed[1].item() > 0


def sum_over_ranks(totals: torch.Tensor, d: Dist) -> torch.Tensor:
    """The tensor summed over every rank (in place)."""
    if d.world > 1:
        dist.all_reduce(totals)
    return totals


def gather(obj: Any, d: Dist) -> List[Any]:
    """Every rank's `obj`, in rank order."""
    if d.world == 1:
        return [obj]
    gathered: List[Any] = [None] * d.world
    dist.all_gather_object(gathered, obj)
    return gathered
