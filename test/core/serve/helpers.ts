import { cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { mlops } from '../../helpers/cli';
import { SHARED_DATASETS, tempDir } from '../../helpers/tmp';
import { taxiPipeline } from '../../helpers/taxiPipeline';

export const TAXI = path.join(SHARED_DATASETS, 'taxi');

export interface TaxiModel {
  /** The workspace the CLI ran in (its store is `.mlops/store.sqlite`). */
  workspace: string;
  /** `.mlops/serving/taxi`, holding version 1 and `aliases.json` {"production": 1}. */
  servingDir: string;
  /** The model package of version 1, to copy as further versions. */
  packageDir: string;
  inputs: { name: string; type: string; required: boolean }[];
}

/** A small taxi DNN trained and pushed as taxi@1 by the CLI, as a user would. */
export function trainTaxiModel(): TaxiModel {
  const workspace = tempDir('mlops-serve-');
  writeFileSync(path.join(workspace, 'taxi.pipeline.yaml'), taxiPipeline(TAXI, { hidden: [16], epochs: 1 }));
  for (const args of [
    ['run', 'taxi.pipeline.yaml'],
    ['push', '1', '--force', '--model', 'taxi'],
  ]) {
    const r = mlops(args, workspace);
    if (r.status !== 0) throw new Error(`mlops ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  const servingDir = path.join(workspace, '.mlops', 'serving', 'taxi');
  const packageDir = path.join(servingDir, '1');
  const manifest = JSON.parse(readFileSync(path.join(packageDir, 'mlops-model.json'), 'utf8')) as { signature: { inputs: TaxiModel['inputs'] } };
  return { workspace, servingDir, packageDir, inputs: manifest.signature.inputs };
}

/** A version as push writes it: copied under a hidden name, renamed into place, then aliases.json replaced. */
export function publishVersion(servingDir: string, source: string, version: number, aliases: Record<string, number> = { production: version }): void {
  const hidden = path.join(servingDir, `.${version}.tmp-test`);
  cpSync(source, hidden, { recursive: true });
  renameSync(hidden, path.join(servingDir, String(version)));
  writeAliases(servingDir, aliases);
}

export function writeAliases(servingDir: string, aliases: Record<string, number>): void {
  const temporary = path.join(servingDir, '.aliases.json.tmp');
  writeFileSync(temporary, JSON.stringify(aliases) + '\n');
  renameSync(temporary, path.join(servingDir, 'aliases.json'));
}

/** The first `n` rows of the taxi eval split as CSV text cells, and the header. */
export function evalCsv(n: number): { header: string[]; lines: string[]; rows: Record<string, string>[] } {
  const [headerLine, ...lines] = readFileSync(path.join(TAXI, 'eval.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, n + 1);
  const header = headerLine.split(',');
  const rows = lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((c, i) => [c, cells[i]]));
  });
  return { header, lines, rows };
}

/** A CSV row as a JSON instance: the model's inputs only, typed (numbers as numbers), empty cells left out. */
export function instance(row: Record<string, string>, inputs: TaxiModel['inputs']): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const input of inputs) {
    const cell = row[input.name];
    if (cell === undefined || cell === '') continue;
    out[input.name] = input.type === 'int' || input.type === 'float' ? Number(cell) : input.type === 'bool' ? cell === 'true' : cell;
  }
  return out;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** One HTTP request (a body other than a string or Buffer is sent as JSON), sent as application/json unless told; the reply parsed when JSON. */
export async function call(base: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' || Buffer.isBuffer(init.body) ? init.body : JSON.stringify(init.body);
  const res = await fetch(base + path, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body,
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
