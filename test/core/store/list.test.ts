import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunListQuery, RunStatus, RunStore } from '../../../src/core/store';
import { FakeClock, newRun, openTempStore } from './helpers';

/** What each of the 10,000 runs is, kept in memory to compute the expected answer of every query. */
interface ModelRun {
  id: number;
  pipeline: string;
  status: RunStatus;
  component: string | null;
  error: string | null;
  tag: string | null;
  startedAt: number;
  endedAt: number | null;
}

const RUNS = 10_000;
const PIPELINES = ['taxi', 'penguins', 'iris'];
const STATUSES: RunStatus[] = ['running', 'complete', 'complete', 'complete', 'complete', 'complete', 'complete', 'failed', 'failed', 'canceled'];
const clock = new FakeClock(1_000_000);
const model: ModelRun[] = [];
let store: RunStore;

before(() => {
  store = openTempStore({ now: clock.now }).store;
  const base = clock.time;
  for (let i = 0; i < RUNS; i++) {
    const status = STATUSES[i % 10];
    const error = i % 10 === 7 ? 'train: loss became NaN' : i % 10 === 8 ? 'ingest: data/x%y.csv is missing' : null;
    // A permutation of start times, so start order differs from id order.
    const startedAt = base + ((i * 7919) % RUNS) * 1000;
    const run = store.createRun(newRun({ pipelineName: PIPELINES[i % 3], component: i % 5 === 0 ? 'train' : null, startedAt }));
    const tag = i % 4 === 0 ? (i % 8 === 0 ? 'ana' : 'bo_b') : null;
    if (tag) store.setTags(run.id, { owner: tag });
    let endedAt: number | null = null;
    if (status !== 'running') {
      clock.time = startedAt + ((i * 31) % 97) * 100;
      endedAt = clock.time;
      store.finishRun(run.id, status, error);
    }
    model.push({ id: run.id, pipeline: PIPELINES[i % 3], status, component: run.component, error, tag, startedAt, endedAt });
  }
  clock.time = base + RUNS * 1000 + 50_000;
});

after(() => store.close());

function expected(query: RunListQuery): { ids: number[]; total: number } {
  const text = query.text?.toLowerCase();
  const matches = model.filter(
    (r) =>
      (query.pipeline === undefined || r.pipeline === query.pipeline) &&
      (!query.status?.length || query.status.includes(r.status)) &&
      (!text || [r.pipeline, r.component, r.error, r.tag].some((field) => field?.toLowerCase().includes(text))),
  );
  const key = (r: ModelRun): number => (query.sort === 'id' ? r.id : query.sort === 'duration' ? (r.endedAt ?? clock.time) - r.startedAt : r.startedAt);
  const sign = query.order === 'asc' ? 1 : -1;
  matches.sort((a, b) => sign * (key(a) - key(b) || a.id - b.id));
  const offset = query.offset ?? 0;
  return { ids: matches.slice(offset, offset + (query.limit ?? 100)).map((r) => r.id), total: matches.length };
}

function actual(query: RunListQuery): { ids: number[]; total: number } {
  const page = store.listRuns(query);
  return { ids: page.runs.map((r) => r.id), total: page.total };
}

test('the first page is the newest 100 runs of all 10,000', () => {
  const page = store.listRuns({});
  assert.equal(page.total, RUNS);
  assert.equal(page.runs.length, 100);
  assert.deepEqual(
    page.runs.map((r) => r.id),
    expected({}).ids,
  );
  assert.ok(page.runs.every((r, i) => i === 0 || page.runs[i - 1].startedAt >= r.startedAt));
});

test('paging walks every run exactly once, in order', () => {
  const seen: number[] = [];
  for (let offset = 0; offset < RUNS; offset += 1000) seen.push(...actual({ limit: 1000, offset }).ids);
  assert.deepEqual(seen, expected({ limit: RUNS }).ids);
  assert.deepEqual(actual({ offset: RUNS }), { ids: [], total: RUNS });
});

test('filters by pipeline, statuses and both, with totals', () => {
  for (const query of [
    { pipeline: 'penguins' },
    { status: ['failed', 'canceled'] },
    { pipeline: 'iris', status: ['running'] },
    { pipeline: 'iris', status: ['running'], offset: 100, limit: 50 },
    { pipeline: 'nobody' },
    { status: [] },
  ] satisfies RunListQuery[]) {
    assert.deepEqual(actual(query), expected(query), JSON.stringify(query));
  }
  assert.equal(actual({ pipeline: 'penguins' }).total, (RUNS / 3) | 0);
});

test('text matches pipeline, component, error and tag values, case-insensitively and literally', () => {
  for (const text of ['PENG', 'train', 'nan', 'ana', '%', '_', 'x%y', 'no such text']) {
    const query = { text, limit: RUNS };
    assert.deepEqual(actual(query), expected(query), text);
  }
  assert.equal(actual({ text: '%' }).total, RUNS / 10, 'a % in the text is not a wildcard');
  assert.equal(actual({ text: '_' }).total, RUNS / 8, 'nor is an underscore');
});

test('sorts by duration (running runs count their time so far) and by id, both ways', () => {
  for (const query of [
    { sort: 'duration' },
    { sort: 'duration', order: 'asc', offset: 4000 },
    { sort: 'duration', status: ['running'] },
    { sort: 'id', order: 'asc', offset: 9950 },
    { sort: 'startedAt', order: 'asc', pipeline: 'taxi', text: 'ana' },
  ] satisfies RunListQuery[]) {
    assert.deepEqual(actual(query), expected(query), JSON.stringify(query));
  }
});
