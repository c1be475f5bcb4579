// Finding a Python that can run the trainer: PyTorch plus numpy, Pillow and onnx.
import { execFile } from 'node:child_process';
import { UserError } from '../util/errors';

export interface PythonInfo {
  /** The command or path, as given or found. */
  executable: string;
  python: string;
  torch: string;
  /** CUDA devices PyTorch sees (0 without CUDA). */
  cudaDevices: number;
}

export interface FindPythonOptions {
  /** Environment to read ANOMALY_LENS_PYTHON from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Candidates tried after an explicit setting (default python3, /usr/bin/python3, python). */
  fallbacks?: readonly string[];
  /** Seconds one probe may take (importing torch is slow on a cold disk). */
  timeoutSeconds?: number;
}

export const PYTHON_ENV = 'ANOMALY_LENS_PYTHON';
export const DEFAULT_FALLBACKS: readonly string[] = ['python3', '/usr/bin/python3', 'python'];

export const INSTALL_HINT = [
  'Install PyTorch and the trainer\'s other packages, then point Anomaly Lens at that Python:',
  '  Debian/Ubuntu:  sudo apt-get install python3-torch python3-numpy python3-pil python3-onnx',
  '  in a venv:      python3 -m venv ~/.venvs/anomaly-lens && ~/.venvs/anomaly-lens/bin/pip install torch numpy pillow onnx',
  `                  then --python ~/.venvs/anomaly-lens/bin/python (or ${PYTHON_ENV}=~/.venvs/anomaly-lens/bin/python)`,
].join('\n');

// Prints one JSON line; a missing module is reported by name rather than as a traceback.
const PROBE = `
import json, sys
missing = []
for name in ("torch", "numpy", "PIL", "onnx"):
    try:
        __import__(name)
    except Exception as err:
        missing.append(f"{name} ({type(err).__name__}: {err})")
if missing:
    print(json.dumps({"missing": missing}))
else:
    import torch
    print(json.dumps({"python": sys.version.split()[0], "torch": torch.__version__,
                      "cuda": torch.cuda.device_count() if torch.cuda.is_available() else 0}))
`;

type Probe = { ok: true; info: PythonInfo } | { ok: false; why: string };

const probes = new Map<string, Promise<Probe>>();

function probe(executable: string, timeoutSeconds: number): Promise<Probe> {
  return new Promise((resolve) => {
    execFile(executable, ['-c', PROBE], { timeout: timeoutSeconds * 1000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const lastLine = stdout.trim().split('\n').pop() ?? '';
      let parsed: { missing?: string[]; python?: string; torch?: string; cuda?: number } | undefined;
      try {
        parsed = JSON.parse(lastLine);
      } catch {
        parsed = undefined;
      }
      if (parsed?.missing) return resolve({ ok: false, why: `lacks ${parsed.missing.join(', ')}` });
      if (parsed?.torch) {
        return resolve({ ok: true, info: { executable, python: parsed.python ?? '?', torch: parsed.torch, cudaDevices: parsed.cuda ?? 0 } });
      }
      const code = (err as NodeJS.ErrnoException | null)?.code;
      if (code === 'ENOENT') return resolve({ ok: false, why: 'not found' });
      if (code === 'EACCES') return resolve({ ok: false, why: 'not executable' });
      if (err && (err as { killed?: boolean }).killed) return resolve({ ok: false, why: `no answer within ${timeoutSeconds} s` });
      const detail = stderr.trim().split('\n').pop() || (err ? err.message : 'no output');
      resolve({ ok: false, why: `does not run as Python (${detail})` });
    });
  });
}

/** Probes once per executable while it answers well; a failure is probed again next time (the user may install torch meanwhile). */
function cachedProbe(executable: string, timeoutSeconds: number): Promise<Probe> {
  let found = probes.get(executable);
  if (!found) {
    found = probe(executable, timeoutSeconds);
    probes.set(executable, found);
    found.then((result) => {
      if (!result.ok) probes.delete(executable);
    });
  }
  return found;
}

/**
 * The Python to run the trainer with. An explicit setting (the `--python` option, else the
 * ANOMALY_LENS_PYTHON variable) is the only one tried: a broken choice is an error rather than
 * a silent switch to another interpreter. Without one: python3, /usr/bin/python3, python — the
 * first that imports torch, numpy, PIL and onnx. None: a UserError saying what to install.
 */
export async function findPython(setting?: string, options: FindPythonOptions = {}): Promise<PythonInfo> {
  const env = options.env ?? process.env;
  const timeout = options.timeoutSeconds ?? 120;
  const explicit = setting?.trim() || env[PYTHON_ENV]?.trim();
  if (explicit) {
    const result = await cachedProbe(explicit, timeout);
    if (result.ok) return result.info;
    const source = setting?.trim() ? '--python' : PYTHON_ENV;
    throw new UserError(`${source} ${explicit}: ${result.why}; the trainer needs PyTorch, numpy, Pillow and onnx.\n${INSTALL_HINT}`);
  }
  const tried: string[] = [];
  for (const candidate of [...new Set(options.fallbacks ?? DEFAULT_FALLBACKS)]) {
    const result = await cachedProbe(candidate, timeout);
    if (result.ok) return result.info;
    tried.push(`  ${candidate}: ${result.why}`);
  }
  throw new UserError(`no Python with PyTorch, numpy, Pillow and onnx was found. Tried:\n${tried.join('\n')}\n${INSTALL_HINT}`);
}
