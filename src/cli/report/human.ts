import type { RunEvent } from '../../core/runner/events';
import type { RunReporter } from '../../core/runner/reporter';
import { formatDuration } from '../../core/util/format';
import { statusStyle, style } from '../style';

const MARK: Record<string, string> = { complete: '✓', cached: '✓', failed: '✗', canceled: '■', skipped: '·' };
/** Progress lines are throttled: a pipe to a terminal or a CI log should not be flooded. */
const PROGRESS_INTERVAL_MS = 2000;

/** What a person watching the terminal reads: one line per component, throttled progress, the result. */
export class HumanReporter implements RunReporter {
  private lastProgress = new Map<string, number>();

  constructor(private readonly write: (line: string) => void) {}

  event(e: RunEvent): void {
    switch (e.type) {
      case 'run-started':
        this.write(style.bold(`▶ ${e.pipeline}`) + style.dim(` · run #${e.runId} · ${e.components.join(' → ')}`));
        break;
      case 'component-started':
        this.write(`  ${style.cyan('●')} ${e.component} ${style.dim('started')}`);
        break;
      case 'component-progress': {
        const now = Date.now();
        if (now - (this.lastProgress.get(e.component) ?? 0) < PROGRESS_INTERVAL_MS) break;
        this.lastProgress.set(e.component, now);
        const pct = e.fraction === undefined ? '' : `${Math.round(e.fraction * 100)}% `;
        this.write(style.dim(`    ${e.component}: ${pct}${e.message}`));
        break;
      }
      case 'component-finished': {
        const paint = e.warning ? style.yellow : (statusStyle[e.status] ?? ((s: string) => s));
        const mark = e.warning ? '⚠' : (MARK[e.status] ?? '?');
        const detail = e.error ? `\n${indent(e.error, '    ')}` : e.summary ? style.dim(`  ${e.summary}`) : '';
        const warning = e.warning ? `\n    ${style.yellow(e.warning)}` : '';
        this.write(`  ${paint(mark)} ${e.component} ${paint(e.status)} ${style.dim(formatDuration(e.durationMs))}${detail}${warning}`);
        break;
      }
      case 'metric':
        break;
      case 'run-finished': {
        const paint = statusStyle[e.status] ?? ((s: string) => s);
        this.write(paint(style.bold(`${MARK[e.status] ?? '✗'} run #${e.runId} ${e.status}`)) + style.dim(` in ${formatDuration(e.durationMs)}`));
        break;
      }
    }
  }

  log(component: string, line: string): void {
    this.write(style.dim(`    [${component}] `) + line);
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}
