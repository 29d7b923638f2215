import { pythonClientDir } from '../../core/tracking/pythonClient';
import { UserError } from '../../core/util/problems';
import { defineCommand } from '../args';
import { print } from '../style';

/** `mlops python-path`: where `import mlops` comes from, for a notebook or script outside a pipeline step. */
export const pythonPathCommand = defineCommand({
  name: 'python-path',
  summary: 'Print the folder of the `mlops` Python tracking module (steps get it on PYTHONPATH by themselves).',
  arguments: [],
  options: [],
  examples: ['export PYTHONPATH="$(mlops python-path)"', 'python -c "import sys; sys.path.insert(0, \'$(mlops python-path)\'); import mlops"'],
  async run() {
    const dir = pythonClientDir();
    if (!dir)
      throw UserError.at('the mlops Python module is missing from this installation (resources/python/mlops)', undefined, 'reinstall the extension or the CLI');
    print(dir);
    return 0;
  },
});
