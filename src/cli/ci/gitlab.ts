import { TOOL_VERSION } from '../version';
import { mainPushNote } from './github';
import { GATE_LINE, mainLines, REPORT_DIR, RUN_ID, runLines, type CiPlan } from './plan';

export const GITLAB_CI_FILE = '.gitlab-ci.yml';

/**
 * `.gitlab-ci.yml`: a merge request job (run, report, note on the merge request, gate) and a
 * default-branch job (run, push). A job token cannot write merge request notes, so the note needs a
 * project access token with the `api` scope in the CI/CD variable MLOPS_GITLAB_TOKEN; without it
 * the report stays in the job's artifacts (linked from the merge request by `expose_as`).
 */
export function gitlabCi(plan: CiPlan): string {
  // Each entry a literal block: the shell lines keep their quotes as written, as GitLab runs them.
  const items = (...entries: string[][]) => entries.map((lines) => `    - |\n${lines.map((l) => `      ${l}`).join('\n')}`).join('\n');
  return `# Written by \`mlops ci init gitlab\` (mlops ${TOOL_VERSION}); yours to edit.
# Merge requests: run the pipeline${plan.pullRequestComponent ? ` up to ${plan.pullRequestComponent} (pushing is the default branch's)` : ''}, post \`mlops report\` as a
# note (needs MLOPS_GITLAB_TOKEN: a project access token with the api scope, as a masked CI/CD
# variable), keep the report, its charts and the run store as artifacts, then fail the job with the
# run's exit code (1: a gate failed, anomalies or a model not blessed; 2: an error).
# Default branch: run the pipeline; ${mainPushNote(plan)}
# The run store (.mlops/, with the model registry) is kept in the cache of the default branch: merge
# requests compare with its production version. Runners without a shared cache start empty.
stages: [mlops]

variables:
  MLOPS_PIPELINE: ${JSON.stringify(plan.pipeline)}
  # The mlops CLI: an npm spec (a version of the package, or the URL of a tarball made by \`npm pack\`).
  MLOPS_CLI: ${JSON.stringify(plan.cli)}
  MLOPS_REPORT_DIR: ${REPORT_DIR}

default:
  image: node:22
  before_script:
    - npm install --global "$MLOPS_CLI"

mlops-merge-request:
  stage: mlops
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  cache:
    key: mlops-store-$CI_DEFAULT_BRANCH
    paths: [.mlops/]
    policy: pull
  script:
${items(
  runLines(plan.pullRequestComponent),
  [`mlops report ${RUN_ID} --against production --out "$MLOPS_REPORT_DIR/report.md" --charts-link "$CI_JOB_URL/artifacts/browse/$MLOPS_REPORT_DIR/"`],
  [
    'if [ -n "$MLOPS_GITLAB_TOKEN" ]; then',
    '  curl --fail --silent --show-error --request POST --header "PRIVATE-TOKEN: $MLOPS_GITLAB_TOKEN" \\',
    '    --data-urlencode "body@$MLOPS_REPORT_DIR/report.md" \\',
    '    "$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes" > /dev/null',
    'else',
    `  echo "MLOPS_GITLAB_TOKEN is not set: the report is in the job's artifacts, not on the merge request"`,
    'fi',
  ],
  [GATE_LINE],
)}
  artifacts:
    when: always
    expose_as: mlops report
    paths: [${REPORT_DIR}/, .mlops/]

mlops-production:
  stage: mlops
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  resource_group: mlops-production
  cache:
    key: mlops-store-$CI_DEFAULT_BRANCH
    paths: [.mlops/]
  script:
${items(mainLines(plan))}
  artifacts:
    when: always
    paths: [.mlops/]
`;
}
