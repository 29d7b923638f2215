import { spawnSync } from 'node:child_process';

/**
 * A Python that imports every module named, or why there is none. Debian's packages (python3-torch,
 * python3-onnx) live in /usr/bin/python3's site-packages, which a python3 earlier on PATH (pyenv) may
 * not see. `.ci/run` installs them and sets MLOPS_REQUIRE_ML_PYTHON, so CI fails rather than skips.
 */
export function pythonWith(modules: string[]): { python?: string; skip?: string } {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
    if (r.status === 0) return { python };
  }
  const why = `no python3 here imports ${modules.join(', ')} (Debian: apt-get install ${modules.map((m) => `python3-${m}`).join(' ')})`;
  if (process.env.MLOPS_REQUIRE_ML_PYTHON) throw new Error(why);
  return { skip: why };
}
