import { promises as fsp } from 'fs';
import * as path from 'path';
import { UserError } from '../util/problems';
import { STATISTICS_FORMAT, STATISTICS_VERSION, type StatisticsFile } from './types';

/** Written to a temporary name and renamed, so a killed run never leaves half a statistics file. */
export async function writeStatistics(file: string, stats: StatisticsFile): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(temporary, JSON.stringify(stats) + '\n');
  await fsp.rename(temporary, file);
}

export async function readStatistics(file: string): Promise<StatisticsFile> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw UserError.at('statistics file not found', { file });
    if (code === 'EISDIR') throw UserError.at('expected a statistics file but this is a folder', { file }, 'give the statistics.json inside it');
    throw e;
  }
  let json: Partial<StatisticsFile>;
  try {
    json = JSON.parse(text) as Partial<StatisticsFile>;
  } catch {
    throw UserError.at('not a statistics file: it is not JSON', { file }, 'write one with `mlops stats <data.csv> --out FILE`');
  }
  if (!json || typeof json !== 'object' || json.format !== STATISTICS_FORMAT) {
    throw UserError.at(`not a statistics file: "format" is not "${STATISTICS_FORMAT}"`, { file }, 'write one with `mlops stats <data.csv> --out FILE`');
  }
  if (json.version !== STATISTICS_VERSION) {
    throw UserError.at(
      `statistics version ${String(json.version)} is not supported (this mlops reads version ${STATISTICS_VERSION})`,
      { file },
      'compute the statistics again with this mlops',
    );
  }
  if (!Array.isArray(json.datasets)) throw UserError.at('not a statistics file: "datasets" is missing', { file });
  return json as StatisticsFile;
}
