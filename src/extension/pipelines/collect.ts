import * as path from 'node:path';
import { PIPELINE_FILE } from '../../core/pipeline/fileName';
import type { ComponentInfo, ParsedPipeline } from '../../core/pipeline/load';
import type { Problem } from '../../core/util/problems';

/** The glob VS Code matches pipeline files with (activation, watchers, schema, CodeLens). */
export const PIPELINE_GLOB = '**/*.pipeline.{yaml,yml,json}';
/** Folders never searched for pipeline files: dependencies, VCS data, our own store and artifacts. */
export const PIPELINE_SEARCH_EXCLUDE = '**/{node_modules,.git,.mlops}/**';

export { isPipelineFile } from '../../core/pipeline/fileName';

/** `taxi.pipeline.yaml` → `taxi`: the name shown until the file declares `pipeline: <name>`. */
export function fileStem(fsPath: string): string {
  return path.basename(fsPath).replace(PIPELINE_FILE, '');
}

/** 0-based line of the `pipeline:` key (YAML or JSON), where the "Run pipeline" lens sits. */
export function pipelineKeyLine(text: string): number {
  const lines = text.split(/\r?\n/);
  const yamlKey = /^\s*["']?pipeline["']?\s*:/;
  const jsonKey = /"pipeline"\s*:/;
  const i = lines.findIndex((l) => yamlKey.test(l) || jsonKey.test(l));
  return i < 0 ? 0 : i;
}

/** One pipeline file as the views, tasks and lenses see it (parsed from the saved file). */
export interface PipelineEntry {
  /** Absolute path. */
  file: string;
  /** Workspace-folder-relative path with forward slashes (the task definition's `pipeline`). */
  relativePath: string;
  /** Index of the workspace folder the file is in. */
  folderIndex: number;
  /** The declared `pipeline:` name, else the file stem. */
  name: string;
  components: ComponentInfo[];
  problems: Problem[];
  hasErrors: boolean;
  /** The text it was parsed from, so diagnostics can compute ranges without reopening the file. */
  text: string;
}

export function toPipelineEntry(file: string, relativePath: string, folderIndex: number, text: string, parsed: ParsedPipeline): PipelineEntry {
  return {
    file,
    relativePath,
    folderIndex,
    name: parsed.name ?? fileStem(file),
    components: parsed.components,
    problems: parsed.problems,
    hasErrors: parsed.problems.some((p) => p.severity === 'error'),
    text,
  };
}

export function sortEntries(entries: Iterable<PipelineEntry>): PipelineEntry[] {
  return [...entries].sort((a, b) => a.folderIndex - b.folderIndex || a.relativePath.localeCompare(b.relativePath));
}
