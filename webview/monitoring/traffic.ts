import type { ServingInfo, TrafficPoint } from '../../src/shared/monitoring';
import { TRAFFIC_SPAN_MS } from '../../src/shared/monitoringView';
import { changeData, draw, type Result, type Row } from '../common/vega';
import { h } from '../common/dom';
import { card, note } from './cards';
import { liveLatencyRows, liveLatencySpec, throughputRows, throughputSpec } from './specs';
import type { Chart } from '../common/vega';

interface LiveChart {
  name: string;
  rows: (p: TrafficPoint) => Row[];
  result?: Promise<Result | undefined>;
}

/**
 * The live traffic of the server this window runs: requests and errors per second, p50 and p99
 * latency over the last minutes. Drawn once per view; each new point is added to the drawn charts
 * (and points older than the span removed) without drawing them again.
 */
export class LiveTraffic {
  private charts: LiveChart[] = [];

  constructor(
    private readonly onDrawn: () => void,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Names of the charts drawn. */
  async names(): Promise<string[]> {
    const drawn = await Promise.all(this.charts.map(async (c) => ((await c.result) ? c.name : undefined)));
    return drawn.filter((n): n is string => !!n);
  }

  /** The section for a served model; `afterLayout` draws its charts once they have a width. */
  section(serving: ServingInfo, points: readonly TrafficPoint[], afterLayout: (draw: () => void) => void): HTMLElement {
    this.clear();
    const minutes = Math.round(TRAFFIC_SPAN_MS / 60_000);
    const title = h('h2', null, `Live traffic (last ${minutes} minutes)`);
    if (serving.state !== 'serving' && !points.length) {
      return h('section', { class: 'live', testid: 'live' }, title, note('live-empty', 'Live requests and latency show here once the server is up.'));
    }
    const specs: [LiveChart, string, Chart][] = [
      [{ name: 'throughput', rows: throughputRows }, 'Requests and errors per second', throughputSpec(points)],
      [{ name: 'live-latency', rows: liveLatencyRows }, 'Latency', liveLatencySpec(points)],
    ];
    const cards = specs.map(([chart, heading, spec]) => {
      const el = h('div', { class: 'chart', testid: chart.name });
      this.charts.push(chart);
      afterLayout(() => {
        chart.result = draw(el, spec.spec, spec.data).catch((e: unknown) => {
          this.onError(e);
          return undefined;
        });
        void chart.result.then(this.onDrawn);
      });
      return card(heading, chart.name, el);
    });
    const waiting = points.length
      ? null
      : note(
          'live-waiting',
          `No requests yet: Send Test Request, or point a client at ${serving.url ?? 'the server'} (TF Serving REST, Open Inference Protocol v2 or /invocations).`,
        );
    return h('section', { class: 'live', testid: 'live' }, title, waiting, h('div', { class: 'grid' }, ...cards));
  }

  /** A new point: added to each drawn chart, with the points that left the span removed. */
  append(point: TrafficPoint): void {
    const from = point.at - TRAFFIC_SPAN_MS;
    for (const chart of this.charts) {
      void chart.result?.then((result) => result && changeData(result, 'traffic', chart.rows(point), (row) => (row.at as number) <= from)).catch(this.onError);
    }
  }

  clear(): void {
    for (const chart of this.charts) void chart.result?.then((r) => r?.finalize());
    this.charts = [];
  }
}
