import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePipeline } from '../../../src/core/pipeline/load';
import { nextScheduled, scheduleProblem } from '../../../src/core/triggers/schedule';
import { describeTrigger, parseTrigger, type RunTrigger } from '../../../src/core/triggers/trigger';
import { formatProblem, isUserError } from '../../../src/core/util/problems';

const FILE = '/work/p/taxi.pipeline.yaml';
const pipeline = (triggers: string) => `pipeline: taxi\ndata:\n  train: 'data/*.csv'\n${triggers}`;

describe('triggers in the pipeline file', () => {
  it('defaults to new spans settled for 2 s and no schedule', () => {
    const config = parsePipeline(pipeline(''), FILE).config!;
    assert.deepEqual(config.triggers, { spans: true, settleMs: 2000, schedule: undefined, location: undefined });
  });

  it('reads the schedule, the settle time and spans: false', () => {
    const config = parsePipeline(pipeline('triggers:\n  spans: false\n  settle: 500ms\n  schedule: "0 3 * * *"\n'), FILE).config!;
    assert.deepEqual([config.triggers.spans, config.triggers.settleMs, config.triggers.schedule?.value], [false, 500, '0 3 * * *']);
    assert.equal(config.triggers.schedule?.location.line, 7);
    assert.equal(parsePipeline(pipeline('triggers: { settle: 1m }\n'), FILE).config!.triggers.settleMs, 60_000);
  });

  it('names the line and what is wrong with a cron expression, a settle time or an unknown key', () => {
    const problems = (text: string) => parsePipeline(pipeline(text), FILE).problems.map(formatProblem);
    const [cron] = problems('triggers:\n  schedule: "61 3 * * *"\n');
    assert.match(cron, /taxi\.pipeline\.yaml:5:14: .*triggers\.schedule: '61 3 \* \* \*' is not a cron expression: Invalid value for minute: 61/);
    assert.match(
      problems('triggers: { schedule: "0 3 * *" }\n')[0],
      /:4:.*it has 4 fields: a schedule has 5 \(minute hour day month weekday\), or 6 with seconds first/,
    );
    const [settle] = problems('triggers: { settle: 2 hours }\n');
    assert.match(settle, /:4:.*triggers\.settle: '2 hours' is not of the expected form/);
    assert.match(settle, /500ms, 2s, 1m/, 'the hint shows the form');
    assert.match(problems('triggers: { shedule: "0 3 * * *" }\n')[0], /:4:.*shedule/);
  });
});

describe('schedules', () => {
  it('gives the next time strictly after a moment, in local time', () => {
    const at = new Date(2026, 0, 1, 3, 0, 0).getTime();
    assert.equal(nextScheduled('0 3 * * *', at - 1), at);
    assert.equal(nextScheduled('0 3 * * *', at), new Date(2026, 0, 2, 3, 0, 0).getTime());
    assert.equal(scheduleProblem('0 3 * * *'), undefined);
    assert.match(scheduleProblem('0 25 * * *')!, /hour/);
    assert.equal(scheduleProblem('*/10 0 3 * * *'), undefined, 'seconds first');
    assert.equal(scheduleProblem('* * * * * * *'), 'it has 7 fields: a schedule has 5 (minute hour day month weekday), or 6 with seconds first');
  });
});

describe('run triggers', () => {
  it('reads the --trigger JSON the watcher passes and refuses anything else', () => {
    const span: RunTrigger = { kind: 'span', files: ['/d/data/day-2.csv'] };
    assert.deepEqual(parseTrigger(JSON.stringify(span)), span);
    assert.equal(describeTrigger(span, '/d'), 'new span data/day-2.csv');
    assert.equal(describeTrigger({ kind: 'alert', alertId: 4, model: 'taxi', message: 'fare moved' }), 'taxi alert #4: fare moved');
    for (const bad of ['{"kind":"span","files":[]}', '{"kind":"cron"}', 'not json']) {
      assert.throws(
        () => parseTrigger(bad),
        (e) => isUserError(e) && /is not a trigger/.test(e.problems[0].message),
      );
    }
  });
});
