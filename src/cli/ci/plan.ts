import type { PipelineConfig } from '../../core/pipeline/config';
import { pipelineComponents } from '../../core/pipeline/components';

/** What a CI file runs, decided from the pipeline file; the GitHub and GitLab writers lay it out. */
export interface CiPlan {
  /** The pipeline file, relative to the repository root, with `/`. */
  pipeline: string;
  /** The CLI to install: an npm spec (a version of the package, or a tarball URL of `npm pack`). */
  cli: string;
  /** The branch whose runs push to production. */
  branch: string;
  /** A pull request runs up to this component (push is the main branch's), or the whole pipeline. */
  pullRequestComponent: string | undefined;
  /**
   * How the main branch pushes a blessed model: the pipeline's own push component, `mlops push`
   * of the run (evaluated, no push section), or not at all (nothing evaluated, so nothing blessed).
   */
  mainPush: 'pipeline' | 'command' | 'none';
}

/** Where a job keeps the report, the run's outcome and its exit code. */
export const REPORT_DIR = 'mlops-report';

export function ciPlan(config: PipelineConfig, options: { pipeline: string; cli: string; branch: string }): CiPlan {
  const components = new Set(pipelineComponents(config).map((c) => c.name));
  return {
    ...options,
    pullRequestComponent: components.has('push') ? 'evaluate' : undefined,
    mainPush: components.has('push') ? 'pipeline' : components.has('evaluate') ? 'command' : 'none',
  };
}

/**
 * The shell lines both CI files share (POSIX sh, as GitHub's bash and GitLab's runner run them):
 * run the pipeline keeping its exit code for the gate, report on that run, gate.
 */
export function runLines(component: string | undefined): string[] {
  return [
    `mkdir -p "$MLOPS_REPORT_DIR"`,
    'status=0',
    `mlops run "$MLOPS_PIPELINE"${component ? ` --component ${component}` : ''} --json > "$MLOPS_REPORT_DIR/run.json" || status=$?`,
    `echo "$status" > "$MLOPS_REPORT_DIR/exit-code"`,
  ];
}

/**
 * The run's id from `mlops run --json`. A pipeline file that does not load leaves no run (and no
 * JSON): this says so in one line, under the run's own file:line message, and fails.
 */
export const RUN_ID = `"$(node -e 'const t = require("fs").readFileSync(process.argv[1], "utf8"); const id = t.trim() && JSON.parse(t).runId; if (!id) { console.error("mlops run started no run (its message is above), so there is none to report on or push"); process.exit(2); } console.log(id)' "$PWD/$MLOPS_REPORT_DIR/run.json")"`;

export const GATE_LINE = 'exit "$(cat "$MLOPS_REPORT_DIR/exit-code")"';

/** The main branch: run everything, then push the run's model when the pipeline does not itself. */
export function mainLines(plan: CiPlan): string[] {
  if (plan.mainPush !== 'command') return ['mlops run "$MLOPS_PIPELINE"'];
  return [`mkdir -p "$MLOPS_REPORT_DIR"`, `mlops run "$MLOPS_PIPELINE" --json > "$MLOPS_REPORT_DIR/run.json"`, `mlops push ${RUN_ID}`];
}
