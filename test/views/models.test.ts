import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rollbackTarget } from '../../src/core/registry/history';
import type { AliasChange, ModelRecord, ModelVersionRecord } from '../../src/core/registry/types';
import {
  aliasBadges,
  aliasConfirmation,
  blessingState,
  blessingSummary,
  metricComparison,
  modelContextValue,
  modelDescription,
  productionComparison,
  rollbackConfirmation,
  versionContextValue,
  versionDescription,
} from '../../src/extension/models/collect';
import { cliErrorMessage, describeRegistryAction, registryArgs, registryInvocation } from '../../src/extension/models/registryCli';
import { sampleReport } from '../fixtures/evaluation/report';
import { REPO_ROOT } from '../helpers/tmp';

function version(v: number, o: Partial<ModelVersionRecord> = {}): ModelVersionRecord {
  return {
    model: 'taxi',
    version: v,
    runId: 10 + v,
    uri: `/store/artifacts/model-${v}`,
    weightsHash: `sha256:${v}`,
    task: 'binary',
    blessed: true,
    evaluationUri: `/store/artifacts/evaluation-${v}`,
    metrics: { auc: 0.8 + v / 100, accuracy: 0.7 + v / 100, log_loss: 0.5 - v / 100, example_count: 400 },
    createdAt: 1_700_000_000_000 + v,
    pushedTo: null,
    forced: false,
    aliases: [],
    ...o,
  };
}

const model = (o: Partial<ModelRecord> = {}): ModelRecord => ({ name: 'taxi', createdAt: 0, latestVersion: 3, versionCount: 3, aliases: {}, ...o });

const change = (fromVersion: number | null, toVersion: number | null, at: number, alias = 'production'): AliasChange => ({
  model: 'taxi',
  alias,
  fromVersion,
  toVersion,
  at,
  reason: 'test',
  forced: false,
  rollback: false,
});

test('blessing state: blessed, not blessed, never evaluated, or pushed anyway', () => {
  assert.equal(blessingState(version(1)), 'blessed');
  assert.equal(blessingState(version(1, { blessed: false })), 'unblessed');
  assert.equal(blessingState(version(1, { blessed: null })), 'unevaluated');
  assert.equal(blessingState(version(1, { blessed: false, forced: true, pushedTo: '/serving/taxi/1' })), 'forced');
  assert.equal(blessingState(version(1, { blessed: null, forced: true })), 'forced');
  assert.equal(blessingState(version(1, { blessed: true, forced: true })), 'blessed', 'blessed later: no longer a forced push');
});

test('a version reads: alias badges, production first, then its headline metrics', () => {
  assert.deepEqual(aliasBadges(['canary', 'staging', 'production']), ['production', 'staging', 'canary']);
  assert.equal(versionDescription(version(2, { aliases: ['staging', 'production'] })), 'production · staging · auc 0.82 · accuracy 0.72');
  assert.equal(versionDescription(version(2, { metrics: {} })), '');
  assert.equal(modelDescription(model({ aliases: { production: 2, staging: 3 } })), '3 versions · production v2');
  assert.equal(modelDescription(model({ versionCount: 1 })), '1 version');
});

/** The `viewItem =~ /…/` of each Models-view menu entry in package.json, by command. */
function menuPatterns(): Map<string, RegExp[]> {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes: { menus: { 'view/item/context': { command: string; when: string }[] } };
  };
  const out = new Map<string, RegExp[]>();
  for (const m of pkg.contributes.menus['view/item/context']) {
    if (!m.when.includes('view == mlops.models')) continue;
    const re = /viewItem =~ \/(.+)\/$/.exec(m.when);
    assert.ok(re, `a viewItem pattern in "${m.when}"`);
    out.set(m.command, [...(out.get(m.command) ?? []), new RegExp(re[1])]);
  }
  return out;
}

test('context menus: what each version and model offers, through the package.json patterns', () => {
  const patterns = menuPatterns();
  const offers = (contextValue: string) =>
    [...patterns]
      .filter(([, res]) => res.some((re) => re.test(contextValue)))
      .map(([command]) => command)
      .sort();
  const production = version(2, { aliases: ['production'] });

  const candidate = versionContextValue(version(3), production);
  assert.equal(candidate, 'version.evaluated.run.comparable');
  assert.deepEqual(offers(candidate), [
    'mlops.compareWithProduction',
    'mlops.promoteToStaging',
    'mlops.pushToProduction',
    'mlops.showEvaluation',
    'mlops.showLineage',
  ]);

  const current = versionContextValue(production, production);
  assert.equal(current, 'version.production.evaluated.run');
  assert.deepEqual(offers(current), ['mlops.promoteToStaging', 'mlops.rollbackProduction', 'mlops.showEvaluation', 'mlops.showLineage']);

  const staged = versionContextValue(version(3, { aliases: ['staging'], blessed: null }), production);
  assert.equal(staged, 'version.staging.run.comparable');
  assert.deepEqual(offers(staged), ['mlops.compareWithProduction', 'mlops.pushToProduction', 'mlops.showEvaluation', 'mlops.showLineage']);

  const orphan = versionContextValue(version(1, { runId: null }), production);
  assert.equal(orphan, 'version.evaluated');
  assert.deepEqual(offers(orphan), ['mlops.promoteToStaging', 'mlops.pushToProduction', 'mlops.showLineage']);

  assert.equal(versionContextValue(version(3), undefined), 'version.evaluated.run', 'no production: nothing to compare with');
  const serving = ['mlops.sendTestRequest', 'mlops.showMonitoring', 'mlops.startServing'];
  assert.deepEqual(offers(modelContextValue(model({ aliases: { production: 2 } }))), ['mlops.rollbackProduction', ...serving]);
  assert.deepEqual(offers(modelContextValue(model())), serving);
});

test('rollback target: the version production left most recently, skipping re-pushes; twice toggles', () => {
  // Newest first, as the store returns it: 1 → 2 → 3, with a re-push of 3 and a staging change in between.
  const history = [change(3, 3, 5), change(1, 4, 4, 'staging'), change(2, 3, 3), change(1, 2, 2), change(null, 1, 1)];
  assert.equal(rollbackTarget(history, 'production', 3), 2);
  const rolledBack = [change(3, 2, 6), ...history];
  assert.equal(rollbackTarget(rolledBack, 'production', 2), 3, 'rolling back again toggles');
  assert.equal(rollbackTarget([change(null, 1, 1)], 'production', 1), undefined, 'the first version has nothing before it');
  assert.equal(rollbackTarget(history, 'production', undefined), undefined);
});

test('Compare with Production: the production run first, or why not', () => {
  const production = version(2, { aliases: ['production'] });
  assert.deepEqual(productionComparison(version(3), production), { runIds: [12, 13] });
  assert.match((productionComparison(version(3), undefined) as { problem: string }).problem, /no production version/);
  assert.match((productionComparison(production, production) as { problem: string }).problem, /taxi@2 is the production version/);
  assert.match((productionComparison(version(3, { runId: null }), production) as { problem: string }).problem, /run of taxi@3 was deleted/);
  assert.match((productionComparison(version(3), version(2, { runId: null })) as { problem: string }).problem, /taxi@2 \(production\) was deleted/);
});

test('metrics against production: each headline metric with its change and whether that is better', () => {
  const lines = metricComparison(version(3).metrics, version(2, { aliases: ['production'] }));
  assert.deepEqual(lines, [
    'auc 0.83 (v2: 0.82, +0.01 better)',
    'accuracy 0.73 (v2: 0.72, +0.01 better)',
    'log_loss 0.47 (v2: 0.48, −0.01 better)',
    'example_count 400 (v2: 400, ±0)',
  ]);
  assert.deepEqual(metricComparison({ auc: 0.8 }, undefined), ['auc 0.8']);
});

test('the push confirmation: the evaluation, what changes, and a force button only without a blessing', () => {
  const production = version(2, { aliases: ['production'] });
  const blessed = aliasConfirmation({ candidate: version(3), current: production, alias: 'production', blessing: sampleReport().blessing, verb: 'Push' });
  assert.equal(blessed.message, 'Push taxi@3 to production?');
  assert.equal(blessed.action, 'Push');
  assert.equal(blessed.force, false);
  assert.match(blessed.detail, /^Blessed by its evaluation \(2 passed, 0 failed, 1 skipped\)\./);
  assert.match(blessed.detail, /production is now taxi@2; it becomes taxi@3\./);
  assert.match(blessed.detail, /Metrics against production \(taxi@2\):\nauc 0\.83 \(v2: 0\.82, \+0\.01 better\)/);

  const failing = sampleReport({ failing: true }).blessing;
  const unblessed = aliasConfirmation({ candidate: version(3, { blessed: false }), current: production, alias: 'production', blessing: failing, verb: 'Push' });
  assert.equal(unblessed.message, 'taxi@3 is not blessed. Push it to production anyway?');
  assert.equal(unblessed.action, 'Push Anyway (force)');
  assert.equal(unblessed.force, true);
  assert.match(unblessed.detail, /NOT blessed: its evaluation failed \(2 passed, 1 failed, 1 skipped\)\.\n• auc on payment_type:Cash: 0\.\d+ < 0\.95/);
  assert.match(unblessed.detail, /Forcing it is recorded in the alias history\./);

  const first = aliasConfirmation({ candidate: version(1, { blessed: null }), current: undefined, alias: 'staging', blessing: undefined, verb: 'Promote' });
  assert.equal(first.message, 'taxi@1 is not evaluated. Promote it to staging anyway?');
  assert.equal(first.action, 'Promote Anyway (force)');
  assert.match(first.detail, /never evaluated/);
  assert.match(first.detail, /taxi has no staging version yet\./);
  assert.match(blessingSummary(version(1, { blessed: false }), undefined), /^NOT blessed: its evaluation failed\.$/);
});

test('the rollback confirmation names from and to', () => {
  const c = rollbackConfirmation('taxi', 'production', 3, version(2), 2);
  assert.equal(c.message, 'Roll back production of taxi from version 3 to version 2?');
  assert.match(c.detail, /^taxi@2 \(blessed; auc 0\.82 · accuracy 0\.72\) was production before taxi@3\./);
  assert.equal(c.action, 'Rollback');
});

test("the CLI command lines: push and rollback, with the store, through the extension host's Node", () => {
  const push = { kind: 'push' as const, model: 'taxi', version: 3, alias: 'production', force: true, reason: 'pushed from VS Code' };
  assert.deepEqual(registryArgs(push), ['push', 'taxi@3', '--alias', 'production', '--force', '--reason', 'pushed from VS Code', '--json']);
  assert.deepEqual(registryArgs({ ...push, force: false, alias: 'staging' }), [
    'push',
    'taxi@3',
    '--alias',
    'staging',
    '--reason',
    'pushed from VS Code',
    '--json',
  ]);
  const rollback = { kind: 'rollback' as const, model: 'taxi', alias: 'production', to: 2 };
  assert.deepEqual(registryArgs(rollback), ['rollback', 'taxi', '--to', '2', '--alias', 'production', '--json']);
  const inv = registryInvocation({
    nodePath: '/bin/code',
    cliPath: '/ext/dist/cli.js',
    storePath: '/ws/.mlops/store.sqlite',
    cwd: '/ws',
    baseEnv: { PATH: '/bin', FORCE_COLOR: '1' },
    action: rollback,
  });
  assert.equal(inv.command, '/bin/code');
  assert.deepEqual(inv.args, ['/ext/dist/cli.js', 'rollback', 'taxi', '--to', '2', '--alias', 'production', '--json', '--store', '/ws/.mlops/store.sqlite']);
  assert.equal(inv.cwd, '/ws');
  assert.deepEqual(inv.env, { PATH: '/bin', FORCE_COLOR: '0', NO_COLOR: '1', ELECTRON_RUN_AS_NODE: '1' });
  assert.equal(describeRegistryAction(push), 'mlops push taxi@3 --alias production --force --reason "pushed from VS Code" --json');
});

test('a failed CLI: its own message on one line', () => {
  assert.equal(
    cliErrorMessage({ code: 2, stdout: '', stderr: "\x1b[31merror: model 'taxi@3' is not blessed\x1b[39m\n  hint: push it with --force\n" }),
    "error: model 'taxi@3' is not blessed — hint: push it with --force",
  );
  assert.equal(cliErrorMessage({ code: 1, stdout: '{"error":"x"}\n', stderr: '' }), '{"error":"x"}');
  assert.equal(cliErrorMessage({ code: null, stdout: '', stderr: '' }), 'mlops exited with code unknown (killed)');
  assert.ok(cliErrorMessage({ code: 2, stdout: '', stderr: 'x'.repeat(2000) }).length <= 601);
});

test('a version much worse than production says so in the tree and in the push confirmation, blessed or not', () => {
  const production = version(1, { aliases: ['production'], metrics: { auc: 0.79, recall: 0.564, f1: 0.528 } });
  const collapsed = version(2, { metrics: { auc: 0.78, recall: 0.018, f1: 0.035 } });
  assert.equal(versionDescription(collapsed, production), '⚠ recall −97% vs production · auc 0.78 · f1 0.035');
  assert.equal(versionDescription(production, production), 'production · auc 0.79 · f1 0.528', 'production is not compared with itself');
  const push = aliasConfirmation({ candidate: collapsed, current: production, alias: 'production', blessing: sampleReport().blessing, verb: 'Push' });
  assert.match(
    push.detail.split('\n')[0],
    /^⚠ Much worse than production \(taxi@1\), whatever the blessing says: recall 0\.564 → 0\.018 \(−97%\), f1 0\.528 → 0\.035 \(−93%\)\.$/,
  );
});
