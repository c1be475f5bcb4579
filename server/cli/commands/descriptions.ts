import { resolve } from 'node:path';
import type { Command } from 'commander';
import { datasetDescriptions } from '../../dataset/classDescriptions';
import { writeOverridesTemplate } from '../../describe';
import { checkOutputFile } from '../../util/outputPath';

interface DescriptionsOptions {
  template?: string;
  force?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('descriptions')
    .description(
      'List the defect classes of a built dataset (as recorded in dataset.json) or of a source dataset (as the built-in table words them), with their descriptions; --template writes them as a curated overrides file to edit and pass to `build --overrides`.',
    )
    .argument('<dir>', 'a built dataset or a source dataset folder')
    .option('--template <file>', 'write an overrides template (JSON) with every class and its current description')
    .option('--force', 'overwrite an existing template file')
    .option('--json', 'print the classes as JSON')
    .action(async (dir: string, options: DescriptionsOptions) => {
      if (options.template) checkOutputFile(options.template, '--template');
      const { entries, problems } = await datasetDescriptions(resolve(dir));
      for (const p of problems) process.stderr.write(`${p.severity}: ${p.file}: ${p.message}\n`);
      if (options.template) {
        await writeOverridesTemplate(options.template, entries, { overwrite: options.force });
        process.stderr.write(`${entries.length} classes written to ${resolve(options.template)}\n`);
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      } else if (!options.template) {
        for (const e of entries) process.stdout.write(`${e.object}/${e.defect}\t${e.text}\t(${e.provenance.kind})\n`);
      }
    });
}
