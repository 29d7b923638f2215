/** How a pipeline file is named: `*.pipeline.yaml`, `.yml` or `.json` (the CLI, the editor and lineage tell them apart by it). */
export const PIPELINE_FILE = /\.pipeline\.(ya?ml|json)$/i;

export function isPipelineFile(file: string): boolean {
  return PIPELINE_FILE.test(file);
}
