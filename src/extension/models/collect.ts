import type { ModelRecord, ModelVersionRecord } from '../../core/registry/types';
import type { Blessing } from '../../shared/evaluation';
import { baselineChange, largeRegressions, regressionChange, regressionText, type Regression } from '../../shared/evaluationView';
import { formatMetric } from '../../core/util/format';
import { evaluationDirection, keyMetrics, metricOrder } from '../evaluation/collect';

/**
 * The Models tree's and the registry commands' pure part: how a version reads (aliases, blessing,
 * headline metrics), what its context menu offers, which version a rollback goes back to, and what
 * the push confirmation says. No `vscode` import, so the tests use it directly.
 */

const label = (v: Pick<ModelVersionRecord, 'model' | 'version'>) => `${v.model}@${v.version}`;

export const PRODUCTION = 'production';
export const STAGING = 'staging';

/** `forced`: pushed although not blessed (or never evaluated). */
export type BlessingState = 'blessed' | 'unblessed' | 'unevaluated' | 'forced';

export function blessingState(v: Pick<ModelVersionRecord, 'blessed' | 'forced'>): BlessingState {
  if (v.forced && v.blessed !== true) return 'forced';
  if (v.blessed === null) return 'unevaluated';
  return v.blessed ? 'blessed' : 'unblessed';
}

export const BLESSING_LABEL: Record<BlessingState, string> = {
  blessed: 'blessed',
  unblessed: 'not blessed',
  unevaluated: 'not evaluated',
  forced: 'pushed without a blessing (forced)',
};

/** Aliases first (`production` before `staging` before the rest), as the version's badges. */
export function aliasBadges(aliases: readonly string[]): string[] {
  const rank = (a: string) => (a === PRODUCTION ? 0 : a === STAGING ? 1 : 2);
  return [...aliases].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** `production · staging · auc 0.912 · accuracy 0.85` */
export function versionDescription(v: Pick<ModelVersionRecord, 'aliases' | 'metrics' | 'version'>, production?: ModelVersionRecord): string {
  const metrics = keyMetrics(v.metrics).map(([k, value]) => `${k} ${formatMetric(value)}`);
  const [worst] = productionRegressions(v, production);
  const fell = worst ? [`⚠ ${worst.metric} ${regressionChange(worst)} vs ${PRODUCTION}`] : [];
  return [...aliasBadges(v.aliases), ...fell, ...metrics].join(' · ');
}

/** The metrics a version lost much of against the production version (none for production itself). */
export function productionRegressions(v: Pick<ModelVersionRecord, 'metrics' | 'version'>, production: ModelVersionRecord | undefined): Regression[] {
  if (!production || production.version === v.version) return [];
  return largeRegressions(v.metrics, production.metrics, evaluationDirection);
}

/** `3 versions · production v2` */
export function modelDescription(m: ModelRecord): string {
  const production = m.aliases[PRODUCTION];
  return `${m.versionCount} version${m.versionCount === 1 ? '' : 's'}${production !== undefined ? ` · ${PRODUCTION} v${production}` : ''}`;
}

/**
 * A version's context value, dot-separated flags in a fixed order the menus match on:
 * `version[.production][.staging][.evaluated][.run][.comparable]`. `comparable`: it has a run, and
 * another version with a run is in production.
 */
export function versionContextValue(v: ModelVersionRecord, production: ModelVersionRecord | undefined): string {
  const isProduction = v.aliases.includes(PRODUCTION);
  const comparable = v.runId !== null && !!production && production.version !== v.version && production.runId !== null;
  return [
    'version',
    isProduction && PRODUCTION,
    v.aliases.includes(STAGING) && STAGING,
    v.blessed !== null && 'evaluated',
    v.runId !== null && 'run',
    comparable && 'comparable',
  ]
    .filter(Boolean)
    .join('.');
}

/** `model` or `model.production` (it has a production version to roll back). */
export function modelContextValue(m: ModelRecord): string {
  return m.aliases[PRODUCTION] !== undefined ? `model.${PRODUCTION}` : 'model';
}

/** The two runs Compare with Production opens (production's first), or why there are none. */
export function productionComparison(v: ModelVersionRecord, production: ModelVersionRecord | undefined): { runIds: [number, number] } | { problem: string } {
  if (!production) return { problem: `${v.model} has no production version to compare with.` };
  if (production.version === v.version) return { problem: `${label(v)} is the production version.` };
  if (production.runId === null) return { problem: `the run of ${label(production)} (production) was deleted: there is nothing to compare with.` };
  if (v.runId === null) return { problem: `the run of ${label(v)} was deleted: there is nothing to compare.` };
  return { runIds: [production.runId, v.runId] };
}

export interface Confirmation {
  message: string;
  detail: string;
  /** The button that confirms: `Push` / `Promote`, or for a version without a blessing `… Anyway (force)`. */
  action: string;
  force: boolean;
}

/** Candidate against the version the alias has now, metric by metric: `auc 0.912 (v2: 0.905, +0.007 better)`. */
export function metricComparison(candidate: Record<string, number>, current: ModelVersionRecord | undefined): string[] {
  return metricOrder(Object.keys(candidate)).map((k) => {
    const value = candidate[k];
    const before = current?.metrics[k];
    if (!current || typeof before !== 'number') return `${k} ${formatMetric(value)}`;
    const change = baselineChange(value, before, evaluationDirection(k));
    const delta = change ? `${change.delta > 0 ? '+' : change.delta < 0 ? '−' : '±'}${formatMetric(Math.abs(change.delta))}` : '';
    const verdict = change && (change.verdict === 'better' || change.verdict === 'worse') ? ` ${change.verdict}` : '';
    return `${k} ${formatMetric(value)} (v${current.version}: ${formatMetric(before)}, ${delta}${verdict})`;
  });
}

/** The evaluation in one paragraph: verdict, then each failed check's reason. */
export function blessingSummary(v: ModelVersionRecord, blessing: Blessing | undefined): string {
  if (v.blessed === null) return 'This version was never evaluated: no threshold checked it.';
  const checks = blessing?.checks ?? [];
  const count = (o: string) => checks.filter((c) => c.outcome === o).length;
  const tally = checks.length ? ` (${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped)` : '';
  if (v.blessed) return `Blessed by its evaluation${tally}.`;
  const failed = checks.filter((c) => c.outcome === 'failed').map((c) => `• ${c.metric} on ${c.slice}: ${c.reason}`);
  return [`NOT blessed: its evaluation failed${tally}.`, ...failed].join('\n');
}

/**
 * The modal that asks before pointing `alias` at a version: what the evaluation said, what changes
 * against the version the alias has now, and a force button when the version is not blessed.
 */
export function aliasConfirmation(o: {
  candidate: ModelVersionRecord;
  current: ModelVersionRecord | undefined;
  alias: string;
  blessing: Blessing | undefined;
  verb: 'Push' | 'Promote';
}): Confirmation {
  const { candidate, current, alias } = o;
  const force = candidate.blessed !== true;
  const into = alias === PRODUCTION ? 'to production' : `to ${alias}`;
  const message = force
    ? `${label(candidate)} is ${candidate.blessed === null ? 'not evaluated' : 'not blessed'}. ${o.verb} it ${into} anyway?`
    : `${o.verb} ${label(candidate)} ${into}?`;
  const replaces = current ? `${alias} is now ${label(current)}; it becomes ${label(candidate)}.` : `${candidate.model} has no ${alias} version yet.`;
  const metrics = metricComparison(candidate.metrics, current);
  const fell = current ? largeRegressions(candidate.metrics, current.metrics, evaluationDirection) : [];
  const detail = [
    ...(fell.length
      ? [`⚠ Much worse than ${alias} (${label(current!)}), whatever the blessing says: ${fell.map((r) => regressionText(r, formatMetric)).join(', ')}.`, '']
      : []),
    blessingSummary(candidate, o.blessing),
    replaces,
    ...(metrics.length ? ['', `Metrics${current ? ` against ${alias} (${label(current)})` : ''}:`, ...metrics] : []),
    ...(force ? ['', 'Forcing it is recorded in the alias history.'] : []),
  ].join('\n');
  return { message, detail, action: force ? `${o.verb} Anyway (force)` : o.verb, force };
}

export function rollbackConfirmation(model: string, alias: string, from: number, to: ModelVersionRecord | undefined, toVersion: number): Confirmation {
  const metrics = to ? versionDescription({ aliases: [], metrics: to.metrics, version: to.version }) : '';
  const about = to ? ` (${BLESSING_LABEL[blessingState(to)]}${metrics ? `; ${metrics}` : ''})` : '';
  return {
    message: `Roll back ${alias} of ${model} from version ${from} to version ${toVersion}?`,
    detail: `${model}@${toVersion}${about} was ${alias} before ${model}@${from}. The change is recorded in the alias history.`,
    action: 'Rollback',
    force: false,
  };
}
