import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DEMO_PIPELINE_FILE, writeDemoWorkspace } from '../../core/demo/workspace';
import { UserError } from '../../core/util/problems';
import { defineCommand, flag } from '../args';
import { artifactsRootFor } from '../storePath';
import { style } from '../style';
import { runCommand } from './run';

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'Generate a demo workspace (synthetic taxi trips in daily spans, a pipeline file, a custom step) and run it.',
  arguments: [{ name: 'dir', description: 'folder to create (default: ./demo)', optional: true }],
  options: [flag('no-run', 'only write the files')],
  examples: ['mlops demo', 'mlops demo /tmp/taxi --no-run'],
  async run({ positionals, options }) {
    const dir = path.resolve(positionals.dir ?? 'demo');
    const existing = await fs.readdir(dir).catch(() => [] as string[]);
    if (existing.length && !existing.includes(DEMO_PIPELINE_FILE)) {
      throw UserError.at(`${dir} is not empty and is not a demo workspace`, { file: dir }, 'choose a new folder: mlops demo <dir>');
    }
    const { pipelineFile, files } = await writeDemoWorkspace(dir);
    const say = (s: string) => process.stdout.write(s + '\n');
    say(`${style.green('✓')} wrote ${files.length} files to ${dir}`);
    const storePath = options.store !== undefined ? path.resolve(options.store) : path.join(dir, '.mlops', 'store.sqlite');
    if (options['no-run'] === true) {
      say(`run it with: mlops run ${pipelineFile}`);
      return 0;
    }
    say(style.dim('the data has a drifted day and a malformed row on purpose: validate reports them as a warning, and the run goes on'));
    const code = await runCommand.run({ positionals: { pipeline: pipelineFile }, options: { store: storePath } });
    say('');
    say(`pipeline   ${pipelineFile}`);
    say(`store      ${storePath}`);
    say(`artifacts  ${artifactsRootFor(storePath)}`);
    say(`next       mlops runs list --store ${path.relative(process.cwd(), storePath)}  ·  npm run vscode (opens it in VS Code)`);
    return code;
  },
});
