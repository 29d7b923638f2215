/**
 * How durations, times, sizes, counts and metrics read, the same in the CLI's output, the trees, the
 * status bar and the panels: a user comparing `mlops runs show` with the Runs tree or a panel should
 * read identical text. In the engine (no `vscode`, no DOM) so that every layer can use it.
 */

import { lazy } from './lazy';

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s - m * 60)}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m - h * 60}m`;
}

/** Run or execution duration; a running one counts up to `now`. */
export function elapsed(startedAt: number | null, endedAt: number | null, now: number): number | undefined {
  if (startedAt === null) return undefined;
  return (endedAt ?? now) - startedAt;
}

export function formatRelativeTime(then: number, now: number): string {
  const s = Math.round((now - then) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 30) return d === 1 ? 'yesterday' : `${d} days ago`;
  return new Date(then).toISOString().slice(0, 10);
}

export function formatTimestamp(t: number): string {
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatBytes(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '–';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

// Built on first use: an Intl object costs about 20 ms of ICU set-up, paid by every CLI start otherwise.
const grouped = lazy(() => new Intl.NumberFormat('en-US'));
const natural = lazy(() => new Intl.Collator('en', { numeric: true }));

/** Strings in natural order: `[8] < [16] < [128]`, `v2 < v10`. */
export function naturalCompare(a: string, b: string): number {
  return natural().compare(a, b);
}

/** Counts with thousands separators ("11,163"); one formatter, as toLocaleString builds one a call. */
export function formatCount(n: number): string {
  // Most counts in a table of many features are small: no separator to place, no formatter call.
  return Number.isInteger(n) && n > -1000 && n < 1000 ? String(n) : grouped().format(n);
}

/** Metric values: integers as they are, others with up to 4 significant decimals. */
export function formatMetric(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/** `sha256:abcdef…` shortened for a table cell; the full hash stays in the tooltip. */
export function shortHash(hash: string | null, length = 12): string {
  if (!hash) return '–';
  const [algo, hex] = hash.includes(':') ? hash.split(':', 2) : ['', hash];
  return (algo ? `${algo}:` : '') + hex.slice(0, length);
}
