// Inference speed of the image encoder: onnxruntime-node (the product's runtime) against
// PyTorch (the trainer's model code) on the same weights, the same batch and the same number
// of threads, as a ratio measured in this run; then the latency of one warm `describe` call
// (image + mask -> top-k) in-process.
//   npm run bench:infer [-- --size tiny|ViT-B/16|ViT-L/14|ViT-L/14@336px] [--batch 16]
//                          [--threads N] [--rounds 20] [--torch-blas DIR]
// PyTorch runs in $ANOMALY_LENS_PYTHON (default /usr/bin/python3) with PYTHONPATH=server/trainer.
// Its matrix products use whatever BLAS it loads (printed); --torch-blas DIR puts DIR first on
// that process's library path, e.g. /usr/lib/x86_64-linux-gnu/openblas-pthread on Debian.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Predictor } from '../server/model';
import { ClipTokenizer, learnMerges, writeMergesFile, writeTokenFile } from '../server/model/tokenizer';
import { arg } from './benchArgs';

const repo = join(__dirname, '..');
const size = arg('--size', 'tiny');
const batch = Number(arg('--batch', '16'));
const threads = Number(arg('--threads', String(availableParallelism())));
const rounds = Number(arg('--rounds', '20'));
const python = process.env.ANOMALY_LENS_PYTHON ?? '/usr/bin/python3';
const torchBlas = arg('--torch-blas', '');

const DESCRIPTIONS = [
  'crack in hazelnut', 'cut in hazelnut', 'hole in hazelnut', 'print in hazelnut', 'scratch in wood', 'hole in wood',
  'cut inner insulation of cable', 'bent wire in cable', 'broken teeth in zipper', 'glue strip in tile', 'contamination in bottle',
  'broken large part of bottle', 'faulty imprint on capsule', 'squeezed capsule', 'color stain on carpet', 'metal contamination in carpet',
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeRuns(run: () => Promise<unknown>, count: number): Promise<number[]> {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return times;
}

function readF32(file: string): Float32Array {
  const bytes = readFileSync(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

interface TorchResult {
  bundle: string;
  imageSize: number;
  embedDim: number;
  batch: number;
  threads: number;
  torch: string;
  blas: string;
  secondsPerBatch: number;
  regionsPerSecond: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'al-bench-infer-'));
  try {
    const merges = learnMerges(DESCRIPTIONS, 80);
    const mergesFile = join(dir, 'merges.txt.gz');
    await writeMergesFile(mergesFile, merges);
    const tokens = join(dir, 'tokens.json');
    await writeTokenFile(DESCRIPTIONS, new ClipTokenizer(merges), tokens);

    process.stderr.write(`building and exporting a random ${size} AlphaCLIP, timing PyTorch (${threads} threads)…\n`);
    const py = spawnSync(
      python,
      [join(repo, 'bench', 'infer_torch.py'), '--out', dir, '--tokens', tokens, '--merges', mergesFile, '--size', size, '--batch', String(batch), '--threads', String(threads), '--rounds', String(rounds)],
      {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        env: {
          ...process.env,
          PYTHONPATH: join(repo, 'server', 'trainer'),
          OPENBLAS_NUM_THREADS: String(threads),
          ...(torchBlas ? { LD_LIBRARY_PATH: [torchBlas, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : {}),
        },
      },
    );
    if (py.status !== 0) throw new Error(`${python} bench/infer_torch.py failed (${py.status ?? py.error?.message}):\n${py.stderr}`);
    const torch = JSON.parse(py.stdout.trim().split('\n').pop() as string) as TorchResult;

    const S = torch.imageSize;
    const images = readF32(join(dir, 'image.f32'));
    const alphas = readF32(join(dir, 'alpha.f32'));
    const inputs = Array.from({ length: batch }, (_, i) => ({
      image: images.subarray(i * 3 * S * S, (i + 1) * 3 * S * S),
      alpha: alphas.subarray(i * S * S, (i + 1) * S * S),
    }));
    const predictor = await Predictor.open(torch.bundle, { intraOpNumThreads: threads, batchSize: batch });
    try {
      // Same weights: the runtime's embeddings of the batch against PyTorch's.
      const ours = await predictor.embedImages(inputs);
      const reference = readF32(join(dir, 'torch.f32'));
      let diff = 0;
      ours.forEach((row, i) => row.forEach((v, j) => (diff = Math.max(diff, Math.abs(v - reference[i * torch.embedDim + j])))));

      const ortSeconds = median(await timeRuns(() => predictor.embedImages(inputs), rounds));
      const ortRate = batch / ortSeconds;

      // One warm describe call: a 1024 x 1024 image and one region mask, top-5 of the bundle's descriptions.
      const W = 1024;
      const noise = Buffer.alloc(W * W * 3);
      for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
      const imageFile = join(dir, 'image.png');
      const maskFile = join(dir, 'mask.png');
      await sharp(noise, { raw: { width: W, height: W, channels: 3 } }).png().toFile(imageFile);
      const mask = Buffer.alloc(W * W);
      for (let y = 300; y < 420; y++) mask.fill(255, y * W + 500, y * W + 640);
      await sharp(mask, { raw: { width: W, height: W, channels: 1 } }).png().toFile(maskFile);
      const describeTimes = await timeRuns(() => predictor.describeRegions(imageFile, [maskFile], predictor.descriptions, 5), Math.max(5, Math.round(rounds / 2)));

      const ratio = ortRate / torch.regionsPerSecond;
      const lines = [
        `image encoder, random ${size} AlphaCLIP (${S} px input, embedding ${torch.embedDim}), batch ${batch}, ${threads} thread(s), same weights (max |ORT - PyTorch| of normalised embeddings ${diff.toExponential(1)}):`,
        `  onnxruntime-node   ${ortRate.toFixed(1).padStart(9)} regions/s   (${(ortSeconds * 1000).toFixed(2)} ms per batch, median of ${rounds})`,
        `  PyTorch ${torch.torch.padEnd(10)} ${torch.regionsPerSecond.toFixed(1).padStart(9)} regions/s   (${(torch.secondsPerBatch * 1000).toFixed(2)} ms per batch, median of ${rounds})`,
        `  (PyTorch's BLAS: ${torch.blas})`,
        `  ratio onnxruntime-node / PyTorch: ${ratio.toFixed(2)}x ${ratio >= 1 ? '(ONNX Runtime at least as fast)' : '(ONNX Runtime SLOWER than PyTorch)'}`,
        `describe, warm, in-process (${W}x${W} PNG + mask -> top-5 of ${predictor.descriptions.length}): median ${(median(describeTimes) * 1000).toFixed(1)} ms, min ${(Math.min(...describeTimes) * 1000).toFixed(1)} ms over ${describeTimes.length} calls`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await predictor.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:infer failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
