import { chartImage, draw, type Result, type Row, type TopLevelSpec } from './vega';

/**
 * The page's drawn charts by name (`parallel`, `scatter`, `curve-<metric>`): drawing one again
 * replaces it, and an export finds it by the same name.
 */
export class DrawnCharts {
  private readonly charts = new Map<string, Result>();

  constructor(
    private readonly onDrawn: () => void,
    private readonly onError: (e: unknown) => void,
  ) {}

  names(): string[] {
    return [...this.charts.keys()];
  }

  async draw(name: string, el: HTMLElement, spec: TopLevelSpec, data: Record<string, Row[]>): Promise<void> {
    this.charts.get(name)?.finalize();
    this.charts.delete(name);
    try {
      this.charts.set(name, await draw(el, spec, data));
    } catch (e) {
      this.onError(e);
    }
    this.onDrawn();
  }

  image(name: string, format: 'svg' | 'png'): Promise<string> | undefined {
    const result = this.charts.get(name);
    return result && chartImage(result, format);
  }

  clear(): void {
    for (const r of this.charts.values()) r.finalize();
    this.charts.clear();
  }
}

/** What a page's chart sections need of it: the view, the saved choices, the charts, and when to draw. */
export interface ChartPage<View, State> {
  view: View;
  state(): State;
  save(patch: Partial<State>): void;
  charts: DrawnCharts;
  /** Charts size themselves to their container: drawn once the section is laid out. */
  afterLayout(draw: () => void): void;
}
