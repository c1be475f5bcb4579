"""The training run: its set-up, the loop of steps and epoch ends, a clean stop and the finish.

Fine-tuning AlphaCLIP on a region dataset (paper §3.3, §4.1): supervised contrastive loss between
region embeddings and the frozen text embeddings of their descriptions, LoRA or full tuning of the
visual tower, one process per GPU under torchrun, checkpoints that resume bit-exactly on the CPU,
validation accuracy per epoch, and an exported bundle at the end.

Tuning modes and their defaults (train_options.py applies them)
  --tune lora   (default with --init, i.e. pretrained weights) LoRA r=64, alpha=64, dropout 0.1 on
                the visual attention in/out projections and MLP layers (paper Table 3), plus
                conv1_alpha (lr 1e-4) and conv1 (lr 1e-6); the LoRA lr (--lr) defaults to 1e-4.
  --tune full   (default without --init, i.e. `--base tiny` from random weights) every visual
                parameter trains. From random weights LoRA would adapt noise, and the paper's conv
                learning rates (tuned for moving pretrained weights a little) would all but freeze
                the patch embeddings, so here --lr defaults to 5e-4 and --lr-alpha-conv and
                --lr-conv default to --lr. With --init and --tune full: --lr 1e-5, convs as the paper.
The text tower (and logit_scale) never trains. AdamW, betas (0.9, 0.999), weight decay 1e-4.
"""
from __future__ import annotations

import gc
import math
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Dict, Optional

import torch

from . import checkpoint as ckpt
from . import validation
from .batches import ResumableBatches, flip_generator, make_loader, random_flips
from .devices import amp_dtype, autocast, enable_fast_kernels, make_scaler, pick_device, reference_blas
from .distributed import data_parallel, gather, init_distributed, mean_and_any, rank_batch, shut_down
from .export import text_embeddings
from .history import RunHistory
from .loss import supcon_loss
from .progress import PROTOCOL_VERSION, Progress, RateMeter
from .random_state import rng_state, seed_everything, set_rng_state
from .run_export import export_model, validation_calibration
from .run_inputs import load_datasets, read_inputs, write_run_json
from .run_state import RunState, finished
from .stopping import Stopper
from .train_options import ConfigError, TrainConfig, resolve_config, runtime_checks
from .tuning import ImageTower, lr_factor, parameter_groups, prepare_model


class Trainer:
    def __init__(self, explicit: Dict[str, Any], progress: Progress, stopper: Stopper):
        self.progress = progress
        self.stopper = stopper
        self.started = time.monotonic()
        self.d = init_distributed(explicit.get("device", "auto"))
        out = explicit.get("out")
        if not out:
            raise ConfigError("--out is required")
        self.run = Path(out).resolve()
        resume = ckpt.find_resume(self.run)
        self.resumed = ckpt.load(resume) if resume is not None else None
        self.history = RunHistory.disabled()
        self.cfg: TrainConfig = resolve_config(explicit, self.resumed["config"] if self.resumed else None)
        runtime_checks(self.cfg)
        if self.cfg.dataset is None or self.cfg.tokens is None or self.cfg.merges is None:
            raise ConfigError("--dataset, --tokens and --merges are required")

    # -- set-up --------------------------------------------------------------------------------------
    def run_training(self) -> int:
        cfg, d = self.cfg, self.d
        self.inputs = read_inputs(cfg, self.run, self.resumed)
        self.device = pick_device(cfg.device, d)
        self.dtype = amp_dtype(cfg.amp, self.device)
        enable_fast_kernels(self.device)
        blas = reference_blas() if self.device.type == "cpu" else None
        if blas:
            self.progress.warning(f"PyTorch computes with the reference BLAS ({blas}), many times slower than an "
                                  "optimised one; on Debian/Ubuntu: sudo apt-get install libopenblas0-pthread")
        self.model, trainable = prepare_model(cfg, int(self.inputs.tokenizer["vocabSize"]))
        if self.resumed and finished(self.resumed["state"]):
            # A finished run: nothing to train, the bundle is written again.
            self.state = RunState(**self.resumed["state"])
            if d.main:
                self.history = RunHistory.open(self.run, self.state.step)
            return self._finish()
        if d.main:
            self.run.mkdir(parents=True, exist_ok=True)
            if not self.resumed:
                write_run_json(self.run, cfg, self.model, self.inputs)
        self.data = load_datasets(cfg, self.inputs, self.model.cfg.image_size, self.progress,
                                  lambda: self.stopper.requested and d.world == 1)
        if self.stopper.requested:
            self.progress.emit("stopped", step=0, epoch=0, checkpoint=None, signal=self.stopper.signal_name)
            return 0

        self.model.to(self.device)
        self.model.set_grad_checkpointing(cfg.grad_checkpointing)
        batches = ResumableBatches(self.data.train, rank_batch(cfg.batch, d), d.world, d.rank, cfg.seed)
        per_epoch = batches.batches_per_epoch()
        total = cfg.epochs * per_epoch if cfg.max_steps is None else min(cfg.epochs * per_epoch, cfg.max_steps)
        self.optimizer = torch.optim.AdamW(parameter_groups(self.model, cfg), betas=(cfg.beta1, cfg.beta2),
                                           weight_decay=cfg.weight_decay)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, lr_factor(cfg.schedule, cfg.warmup_steps, total))
        self.scaler = make_scaler(self.dtype == torch.float16)
        self.state = RunState()
        if self.resumed:
            self.state = ckpt.restore(self.resumed, self.run, cfg.tune, self.model, self.optimizer, self.scheduler,
                                      self.scaler)
        self.state.total_steps = total
        if d.main:
            self.history = RunHistory.open(self.run, self.state.step if self.resumed else None)

        # The text tower is frozen, so the embeddings of the descriptions never change: computing
        # them once here instead of in every step saves the whole text forward pass (a third of
        # CLIP's compute at ViT-L) and lets each batch look its texts up by label.
        self.model.eval()
        ids = torch.tensor(self.inputs.ids, dtype=torch.int64, device=self.device)
        text_emb = torch.from_numpy(text_embeddings(self.model, ids, cfg.eval_batch)).to(self.device)
        self.model.train()

        self.tower = data_parallel(ImageTower(self.model), self.device, d)
        trainable_names = set(trainable)
        self._record(
            "start", version=PROTOCOL_VERSION, run=str(self.run), device=str(self.device), world_size=d.world,
            amp=str(self.dtype).replace("torch.", "") if self.dtype else "off", config=asdict(cfg),
            samples={"train": len(self.data.train), "val": len(self.data.val)}, descriptions=len(self.inputs.texts),
            steps={"total": total, "per_epoch": per_epoch}, epochs=math.ceil(total / per_epoch),
            resumed_from=self.state.step if self.resumed else None,
            trainable_parameters=sum(p.numel() for n, p in self.model.named_parameters() if n in trainable_names),
            cached=self.data.cached,
        )
        self._restore_rng()
        return self._loop(batches, text_emb, total, per_epoch)

    def _restore_rng(self) -> None:
        rng = self.resumed["rng"] if self.resumed else None
        if rng and self.d.rank < len(rng):
            set_rng_state(rng[self.d.rank])
        else:
            seed_everything(self.cfg.seed + 1_000 * self.d.rank + self.state.step)

    # -- the loop ------------------------------------------------------------------------------------
    def _loop(self, batches: ResumableBatches, text_emb: torch.Tensor, total: int, per_epoch: int) -> int:
        s, cfg = self.state, self.cfg
        rate = RateMeter()
        rate.tick()
        while True:
            if s.step < total:
                batches.set_epoch(s.epoch, skip=s.batch_in_epoch)
                for batch in make_loader(self.data.train, batches, cfg.workers, self.device):
                    loss_t = self._train_step(batch, text_emb)
                    s.step += 1
                    s.batch_in_epoch += 1
                    loss, stop = self._stop_agreed(loss_t)
                    if not math.isfinite(loss):
                        raise FloatingPointError(f"the loss became {loss} at step {s.step}; lower --lr (now {cfg.lr:g})")
                    s.last_loss = loss
                    rate.tick()
                    sps = rate.steps_per_s()
                    fields = dict(step=s.step, epoch=s.epoch + 1, loss=loss, lr=self.optimizer.param_groups[0]["lr"],
                                  samples_per_s=sps * cfg.batch if sps else None, eta_s=rate.eta(total - s.step))
                    self.history.write("step", **fields)
                    self.progress.step(force=s.step == 1 or s.step >= total or stop, **fields)
                    if stop:
                        return self._stopped(self._save())
                    if s.step >= total:
                        break
                    if cfg.checkpoint_every and s.step % cfg.checkpoint_every == 0 and s.batch_in_epoch < per_epoch:
                        self._save()
            if s.epoch_end_step != s.step:
                # The epoch's batches are done, or the run's last step is: validate, checkpoint.
                best = self._validate(text_emb)
                if s.batch_in_epoch >= per_epoch:
                    s.epoch += 1
                    s.batch_in_epoch = 0
                s.epoch_end_step = s.step
                self._save(best=best)
                rate.reset()
            if s.step >= total:
                return self._finish()
            if self._stop_agreed(torch.zeros((), device=self.device))[1]:
                return self._stopped(self.run / "last.pt")

    def _train_step(self, batch, text_emb: torch.Tensor) -> torch.Tensor:
        image, alpha, labels = (t.to(self.device, non_blocking=True) for t in batch)
        image, alpha = random_flips(image, alpha, flip_generator(self.cfg.seed, self.state.step))
        with autocast(self.device, self.dtype):
            emb = self.tower(image, alpha)
        # The text side is the precomputed, frozen embedding of each sample's description.
        loss = supcon_loss(emb.float(), text_emb[labels], labels, self.cfg.temperature)
        self.optimizer.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.scheduler.step()
        return loss

    def _stop_agreed(self, loss: torch.Tensor):
        """(the loss averaged over ranks, whether any rank was asked to stop)."""
        stop = self.stopper.requested or (self.cfg.stop_at is not None and self.state.step >= self.cfg.stop_at)
        return mean_and_any(loss, stop, self.d)

    def _validate(self, text_emb: torch.Tensor) -> bool:
        """Validation at an epoch end; True when it is the best so far (or when there is no val split)."""
        s = self.state
        if len(self.data.val) == 0:
            return True
        accuracy, loss, n = validation.evaluate(self.model, self.data.val, text_emb, self.cfg, self.d, self.device,
                                                self.dtype)
        best = validation.record(s, accuracy, loss)
        self._record("eval", epoch=s.epoch + 1, step=s.step, val_accuracy=accuracy, val_loss=loss, samples=n, best=best)
        return best

    def _save(self, best: bool = False) -> Optional[Path]:
        """A checkpoint of the state after the current step (every rank calls; rank 0 writes)."""
        rng = gather(rng_state(), self.d)
        if not self.d.main:
            return None
        s = self.state
        # What the checkpoint says happened is on disk with it.
        self.history.sync()
        content = ckpt.content(self.cfg, self.model, self.optimizer, self.scheduler, self.scaler, s, rng, self.inputs)
        path = ckpt.write(self.run, content, best, self.cfg.keep_checkpoints)
        self._record("checkpoint", path=str(path), step=s.step, epoch=s.epoch_of_step(), best=best)
        return path

    def _record(self, type_: str, **fields) -> None:
        """A progress event that the run's history keeps too."""
        self.history.write(type_, **fields)
        self.progress.emit(type_, **fields)

    # -- the end -------------------------------------------------------------------------------------
    def _stopped(self, checkpoint: Optional[Path]) -> int:
        s = self.state
        self._record("stopped", step=s.step, epoch=s.epoch_of_step(), checkpoint=str(checkpoint) if checkpoint else None,
                           signal=self.stopper.signal_name or "stop-at")
        return 0

    def _calibration(self, best: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """The best model's temperature and uncertainty threshold fitted on the validation split, on the
        run's device (the split read again when a finished run is exported again)."""
        data = getattr(self, "data", None)
        return validation_calibration(self.model, best, self.cfg, self.device, self.progress, data.val if data else None)

    def _finish(self) -> int:
        s = self.state
        bundle = None
        if self.d.main and self.cfg.export:
            best = ckpt.load(self.run / "best.pt")
            self.model.load_state_dict(best["model"], strict=False)
            calibration = self._calibration(best)
            bundle = export_model(self.model.cpu(), best, self.run / "bundle", self.cfg, calibration)
        self._record(
            "done", best_accuracy=s.best_accuracy, best_step=s.best_step, best_epoch=s.best_epoch, steps=s.step,
            seconds=time.monotonic() - self.started,
            paths={"run": str(self.run), "last": str(self.run / "last.pt"), "best": str(self.run / "best.pt"),
                   "bundle": str(bundle) if bundle else None},
        )
        return 0


def train(explicit: Dict[str, Any], progress: Progress) -> int:
    """Runs (or resumes) a training run; explicit holds the options given (TrainConfig names)."""
    stopper = Stopper()
    previous = stopper.install()
    trainer = None
    finished = False
    try:
        trainer = Trainer(explicit, progress, stopper)
        code = trainer.run_training()
        finished = True
        return code
    finally:
        if trainer is not None:
            trainer.history.close()
            # DistributedDataParallel's reducer holds the process group: it goes first, while the
            # interpreter runs, not at its exit.
            trainer.tower = None
            trainer = None
            gc.collect()
        stopper.uninstall(previous)
        shut_down(synchronise=finished)
