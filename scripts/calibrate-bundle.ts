// Records a bundle's calibration in its bundle.json: the temperature that minimises the NLL of
// its answers on a dataset's validation split, and the confidence above which those answers are
// right 95 % of the time (docs/model-bundle.md, "calibration"). The trainer does this at export;
// this script serves bundles exported without it, such as the embedded default models:
//   node --import tsx scripts/calibrate-bundle.ts --bundle media/default-model --dataset .cache/train-default/dataset
// (the dataset that scripts/train-default.sh trains them on). The weights are not touched.
import { parseArgs } from 'node:util';
import { calibrateBundle } from '../server/eval/calibrate';

const { values } = parseArgs({
  options: {
    bundle: { type: 'string' },
    dataset: { type: 'string' },
    target: { type: 'string' },
    threads: { type: 'string' },
  },
});
if (!values.bundle || !values.dataset) {
  process.stderr.write('usage: calibrate-bundle.ts --bundle DIR --dataset DIR [--target 0.95] [--threads N]\n');
  process.exit(2);
}
void calibrateBundle({
  bundle: values.bundle,
  dataset: values.dataset,
  ...(values.target ? { target: Number(values.target) } : {}),
  ...(values.threads ? { threads: Number(values.threads) } : {}),
  warn: (message) => process.stderr.write(`warning: ${message}\n`),
}).then(
  (calibration) => process.stdout.write(`${JSON.stringify(calibration, null, 2)}\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
