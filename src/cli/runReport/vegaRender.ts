import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * A vega-lite chart as SVG, without a browser: vega's headless view. Bundled on its own
 * (dist/vegaRender.js, about 2 MB) and loaded only when `mlops report` draws charts, so no other
 * command parses vega.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
