import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findPython } from '../../../server/jobs/findPython';
import { UserError } from '../../../server/util/errors';
import { TORCH_PYTHON, pythonWithoutTorch, tempDir } from './fixtures';

describe('findPython', () => {
  it('finds PyTorch in Debian\'s Python and reports its version and GPUs', async () => {
    const found = await findPython(undefined, { env: {}, fallbacks: [TORCH_PYTHON] });
    assert.equal(found.executable, TORCH_PYTHON);
    assert.match(found.torch, /^\d+\.\d+/);
    assert.match(found.python, /^3\.\d+/);
    assert.ok(Number.isInteger(found.cudaDevices) && found.cudaDevices >= 0);
  });

  it('skips candidates without torch and takes the first that has it', async (t) => {
    const dir = tempDir(t);
    const found = await findPython(undefined, { env: {}, fallbacks: [join(dir, 'absent-python'), pythonWithoutTorch(dir), TORCH_PYTHON] });
    assert.equal(found.executable, TORCH_PYTHON);
  });

  it('says exactly what to install when no candidate has torch', async (t) => {
    const dir = tempDir(t);
    const noTorch = pythonWithoutTorch(dir);
    const absent = join(dir, 'absent-python');
    await assert.rejects(findPython(undefined, { env: {}, fallbacks: [noTorch, absent] }), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.match(err.message, /no Python with PyTorch, numpy, Pillow and onnx was found/);
      assert.match(err.message, new RegExp(`${noTorch}: lacks torch \\(ModuleNotFoundError: No module named 'torch'\\)`));
      assert.match(err.message, new RegExp(`${absent}: not found`));
      assert.match(err.message, /apt-get install python3-torch python3-numpy python3-pil python3-onnx/);
      assert.match(err.message, /pip install torch numpy pillow onnx/);
      assert.match(err.message, /--python .*ANOMALY_LENS_PYTHON/);
      return true;
    });
  });

  it('uses only an explicit choice: --python, else ANOMALY_LENS_PYTHON', async (t) => {
    const dir = tempDir(t);
    const noTorch = pythonWithoutTorch(dir);
    await assert.rejects(findPython(noTorch, { env: {}, fallbacks: [TORCH_PYTHON] }), /--python .*python-without-torch: lacks torch/);
    await assert.rejects(findPython(undefined, { env: { ANOMALY_LENS_PYTHON: noTorch }, fallbacks: [TORCH_PYTHON] }), /ANOMALY_LENS_PYTHON .*: lacks torch/);
    const found = await findPython(undefined, { env: { ANOMALY_LENS_PYTHON: TORCH_PYTHON }, fallbacks: [noTorch] });
    assert.equal(found.executable, TORCH_PYTHON);
  });
});
