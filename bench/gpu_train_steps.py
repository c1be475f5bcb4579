"""A few training steps of a large AlphaCLIP on a GPU with the product's training pieces.

Random weights and random inputs at the paper's batch (64), LoRA as in Table 3, mixed
precision, the supervised contrastive loss over frozen text embeddings; prints one JSON line
with samples/s and peak GPU memory, for docs/PERFORMANCE.md.

    PYTHONPATH=server/trainer python3 bench/gpu_train_steps.py [--size ViT-L/14@336px] [--steps 10]
"""
import argparse
import json
import time

import torch

from anomaly_lens.lora import apply_lora, mark_only_lora_trainable
from anomaly_lens.loss import supcon_loss
from anomaly_lens.model import build_model
from anomaly_lens.train import amp_dtype, autocast, make_scaler


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="ViT-L/14@336px")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--descriptions", type=int, default=73)
    parser.add_argument("--device", default="cuda", help="cpu only to check the script itself")
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("no CUDA device: this check needs a GPU")

    device = torch.device(args.device)
    cuda = device.type == "cuda"
    torch.manual_seed(0)
    model = build_model(args.size).to(device)
    for p in model.parameters():
        p.requires_grad_(False)
    apply_lora(model, r=64, alpha=64, dropout=0.1)
    names = mark_only_lora_trainable(model, also=["visual.conv1.weight", "visual.conv1_alpha.weight"])
    model.to(device)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-4, betas=(0.9, 0.999), weight_decay=1e-4)
    dtype = amp_dtype("auto", device)
    scaler = make_scaler(dtype == torch.float16)

    size = model.cfg.image_size
    ids = torch.randint(1, model.cfg.vocab_size - 2, (args.descriptions, model.cfg.context_length), device=device)
    ids[:, -1] = model.cfg.vocab_size - 1
    with torch.no_grad(), autocast(device, dtype):
        text = model.encode_text(ids).float()

    def step() -> float:
        image = torch.randn(args.batch, 3, size, size, device=device)
        alpha = torch.where(torch.rand(args.batch, 1, size, size, device=device) > 0.5, 1.923, -1.923)
        labels = torch.randint(0, args.descriptions, (args.batch,), device=device)
        with autocast(device, dtype):
            emb = model.encode_image(image, alpha)
        loss = supcon_loss(emb.float(), text[labels], labels, 0.07)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        return float(loss)

    for _ in range(args.warmup):
        step()
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    for _ in range(args.steps):
        loss = step()
    if cuda:
        torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    print(json.dumps({
        "size": args.size, "batch": args.batch, "steps": args.steps, "amp": str(dtype),
        "trainable_parameters": sum(p.numel() for p in params), "trainable_tensors": len(names),
        "samples_per_s": args.batch * args.steps / seconds,
        "peak_memory_gib": torch.cuda.max_memory_allocated() / 2**30 if cuda else None,
        "device": torch.cuda.get_device_name(0) if cuda else "cpu", "torch": torch.__version__, "last_loss": loss,
    }))


if __name__ == "__main__":
    main()
