// Prints the digest of a sample output (server/sample/digest.ts): node --import tsx scripts/sample-digest.ts DIR
import { sampleDigest } from '../server/sample/digest';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: sample-digest SAMPLE_DIR\n');
  process.exit(2);
}
process.stdout.write(`${sampleDigest(dir)}\n`);
