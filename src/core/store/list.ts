import type { StoreContext } from './context';
import { RUN_COLUMNS, RUNS_FROM, toRun } from './rows';
import type { PipelineRecord, RunListPage, RunListQuery } from './types';

/**
 * A running run's duration is its time so far, which grows, so duration sorts cannot use an index;
 * sorting ten thousand rows takes a few milliseconds. Every sort ends on the id to keep pages stable.
 */
const SORT_EXPRESSIONS: Record<NonNullable<RunListQuery['sort']>, string> = {
  startedAt: 'r.started_at',
  duration: 'COALESCE(r.ended_at, @now) - r.started_at',
  id: 'r.id',
};

const TEXT_MATCH = `(p.name LIKE @text ESCAPE '\\' OR r.component LIKE @text ESCAPE '\\' OR r.error LIKE @text ESCAPE '\\'
  OR EXISTS (SELECT 1 FROM tags t WHERE t.run_id = r.id AND t.value LIKE @text ESCAPE '\\'))`;

export function listRuns(ctx: StoreContext, query: RunListQuery = {}): RunListPage {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {
    limit: query.limit ?? 100,
    offset: query.offset ?? 0,
    now: ctx.now(),
  };
  if (query.pipeline !== undefined) {
    conditions.push('p.name = @pipeline');
    params.pipeline = query.pipeline;
  }
  const parent = query.parent ?? 'none';
  if (parent === 'none') conditions.push('r.parent_run_id IS NULL');
  else if (parent !== 'any') {
    conditions.push('r.parent_run_id = @parent');
    params.parent = parent;
  }
  if (query.status?.length) {
    conditions.push('r.status IN (SELECT value FROM json_each(@statuses))');
    params.statuses = JSON.stringify(query.status);
  }
  if (query.text) {
    conditions.push(TEXT_MATCH);
    params.text = `%${query.text.replace(/[\\%_]/g, '\\$&')}%`;
  }
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  const orderBy = `${SORT_EXPRESSIONS[query.sort ?? 'startedAt']} ${direction}, r.id ${direction}`;
  return ctx.read(() => {
    const total = ctx.statement(`SELECT count(*) AS n FROM ${RUNS_FROM} ${where}`).get(params) as { n: number };
    const rows = ctx.statement(`SELECT ${RUN_COLUMNS} FROM ${RUNS_FROM} ${where} ORDER BY ${orderBy} LIMIT @limit OFFSET @offset`).all(params);
    return { runs: rows.map(toRun), total: total.n };
  });
}

export function listPipelines(ctx: StoreContext): PipelineRecord[] {
  return ctx.statement('SELECT id, name, file, created_at AS createdAt FROM pipelines ORDER BY name').all() as PipelineRecord[];
}
