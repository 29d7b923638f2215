import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { TrackedArtifact } from './protocol';

/** A logged file as an output to record: its artifact type and properties. */
export interface LoggedOutput {
  name: string;
  type: string;
  path: string;
  properties?: Record<string, unknown>;
}

/**
 * The artifacts and models code logged, by name: a name is taken once (the first is kept), and
 * names in `reserved` (a step's declared outputs) are refused. Relative paths resolve from `cwd`.
 */
export class LoggedArtifacts {
  private readonly byName = new Map<string, TrackedArtifact>();

  constructor(
    private readonly cwd: string,
    private readonly reserved: ReadonlySet<string> = new Set(),
  ) {}

  /** The sink for TrackingIngest: undefined when kept, else why not. */
  add(record: TrackedArtifact): string | undefined {
    if (this.reserved.has(record.name)) return `${record.type} "${record.name}" has the name of a declared output: log it under another name`;
    const first = this.byName.get(record.name);
    if (first) return `${record.type} "${record.name}" was logged twice: kept ${first.path}; log the second under another name`;
    this.byName.set(record.name, { ...record, path: path.resolve(this.cwd, record.path) });
    return undefined;
  }

  get all(): TrackedArtifact[] {
    return [...this.byName.values()];
  }
}

/** A logged artifact as an output: `File`/`Directory`, or a `Model` with its flavor and signature; undefined when nothing is at its path. */
export async function loggedOutput(logged: TrackedArtifact): Promise<LoggedOutput | undefined> {
  const stat = await fs.stat(logged.path).catch(() => undefined);
  if (!stat) return undefined;
  if (logged.type === 'artifact') return { name: logged.name, type: stat.isDirectory() ? 'Directory' : 'File', path: logged.path };
  return {
    name: logged.name,
    type: 'Model',
    path: logged.path,
    properties: { flavor: logged.flavor, ...(logged.signature ? { signature: logged.signature } : {}) },
  };
}
