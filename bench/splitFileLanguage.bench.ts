// Parsing a split file for the editor (positions of every field) against JSON.parse of the
// same lines, measured in the same run (lines/s).
//   npm run bench:language [-- --lines N]
import { parseSplitFile } from '../server/datasetText/parseSplitFile';
import { splitFileDiagnostics } from '../server/datasetText/diagnostics';
import { SAMPLE_DESCRIPTIONS, sampleLines } from '../test/unit/datasetText/fixtures';

const i = process.argv.indexOf('--lines');
const count = i >= 0 ? Number(process.argv[i + 1]) : 100_000;
const text = sampleLines(count);

function best(run: () => void): number {
  let ms = Infinity;
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    run();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

const reference = best(() => {
  for (const line of text.split('\n')) if (line.trim() !== '') JSON.parse(line);
});
const parse = best(() => parseSplitFile(text));
const diagnose = best(() => splitFileDiagnostics(parseSplitFile(text), { root: '/data/ds', descriptions: SAMPLE_DESCRIPTIONS }));
const rate = (ms: number) => `${Math.round((count / ms) * 1000).toLocaleString('en')} lines/s (${ms.toFixed(0)} ms)`;
console.log(`${count.toLocaleString('en')} lines, ${(text.length / 1e6).toFixed(1)} MB`);
console.log(`JSON.parse per line (reference): ${rate(reference)}`);
console.log(`parseSplitFile:                  ${rate(parse)}, ${(parse / reference).toFixed(1)}x the reference`);
console.log(`parse + diagnostics (no files):  ${rate(diagnose)}, ${(diagnose / reference).toFixed(1)}x the reference`);
