import { TOOL_VERSION } from '../version';
import { GATE_LINE, mainLines, REPORT_DIR, RUN_ID, runLines, type CiPlan } from './plan';

export const GITHUB_WORKFLOW_FILE = '.github/workflows/mlops.yml';

/**
 * `.github/workflows/mlops.yml`. Every `run:` reads only environment variables (expressions go in
 * `env:`), so its commands run the same outside GitHub: the tests run them locally. The PR job
 * keeps the run's exit code, reports, comments, uploads, then gates; the main branch runs and pushes.
 */
export function githubWorkflow(plan: CiPlan): string {
  const block = (lines: string[], indent: string) => lines.map((l) => indent + l).join('\n');
  const prRun = runLines(plan.pullRequestComponent);
  return `# Written by \`mlops ci init github\` (mlops ${TOOL_VERSION}); yours to edit.
# Pull requests: run the pipeline${plan.pullRequestComponent ? ` up to ${plan.pullRequestComponent} (pushing is the ${plan.branch} branch's)` : ''}, post \`mlops report\` as a
# comment and in the job summary, upload the report, its charts and the run store, then fail the job
# with the run's exit code (1: a gate failed, anomalies or a model not blessed; 2: an error).
# ${plan.branch}: run the pipeline; ${mainPushNote(plan)}
# The run store (.mlops/, with the model registry) is kept between runs in the Actions cache: pull
# requests compare with the production version of the ${plan.branch} branch's latest run.
name: mlops

on:
  pull_request:
  push:
    branches: [${JSON.stringify(plan.branch)}]

permissions:
  contents: read

env:
  MLOPS_PIPELINE: ${JSON.stringify(plan.pipeline)}
  # The mlops CLI: an npm spec (a version of the package, or the URL of a tarball made by \`npm pack\`).
  MLOPS_CLI: ${JSON.stringify(plan.cli)}
  MLOPS_REPORT_DIR: ${REPORT_DIR}

jobs:
  pull-request:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - name: Install the mlops CLI
        run: npm install --global "$MLOPS_CLI"
      - name: Restore the run store of ${plan.branch} (its registry knows production)
        uses: actions/cache/restore@v4
        with:
          path: .mlops
          key: mlops-store-\${{ github.base_ref }}-\${{ github.sha }}
          restore-keys: mlops-store-\${{ github.base_ref }}-
      - name: Run the pipeline
        run: |
${block(prRun, '          ')}
      - name: Report
        run: |
          mlops report ${RUN_ID} --against production --out "$MLOPS_REPORT_DIR/report.md" --charts-link "$RUN_URL"
        env:
          RUN_URL: \${{ github.server_url }}/\${{ github.repository }}/actions/runs/\${{ github.run_id }}
      - name: Job summary
        run: cat "$MLOPS_REPORT_DIR/report.md" >> "$GITHUB_STEP_SUMMARY"
      - name: Comment on the pull request
        # One comment per pull request, edited on each push. A fork's token cannot comment: the
        # job summary and the artifact still have the report.
        run: gh pr comment "$PR_NUMBER" --edit-last --create-if-none --body-file "$MLOPS_REPORT_DIR/report.md"
        continue-on-error: \${{ github.event.pull_request.head.repo.fork }}
        env:
          GH_TOKEN: \${{ github.token }}
          GH_REPO: \${{ github.repository }}
          PR_NUMBER: \${{ github.event.pull_request.number }}
      - name: Upload the report, its charts and the run store
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: mlops-report
          path: |
            ${REPORT_DIR}/
            .mlops/
          include-hidden-files: true
      - name: Gate on the run's exit code
        if: always()
        run: ${GATE_LINE}

  production:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    concurrency: mlops-production
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - name: Install the mlops CLI
        run: npm install --global "$MLOPS_CLI"
      - name: Restore the run store
        uses: actions/cache/restore@v4
        with:
          path: .mlops
          key: mlops-store-\${{ github.ref_name }}-\${{ github.sha }}
          restore-keys: mlops-store-\${{ github.ref_name }}-
      - name: Run the pipeline${plan.mainPush === 'none' ? '' : ' and push a blessed model'}
        run: |
${block(mainLines(plan), '          ')}
      - name: Save the run store
        if: always()
        uses: actions/cache/save@v4
        with:
          path: .mlops
          key: mlops-store-\${{ github.ref_name }}-\${{ github.sha }}
      - name: Upload the run store and the pushed model
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: mlops-store
          path: .mlops/
          include-hidden-files: true
`;
}

export function mainPushNote(plan: CiPlan): string {
  return {
    pipeline: 'its push component moves production to the new model when it is blessed.',
    command: "`mlops push` then registers the run's model and moves production to it (refused unless blessed).",
    none: 'the pipeline evaluates no model, so nothing is pushed.',
  }[plan.mainPush];
}
