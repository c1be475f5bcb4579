"""Anomaly Lens trainer: AlphaCLIP + LoRA fine-tuning with a supervised contrastive loss, and export to ONNX bundles."""
