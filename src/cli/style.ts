/** ANSI styling for terminals that want it: a TTY or FORCE_COLOR=1, and never with NO_COLOR or FORCE_COLOR=0. */
const force = process.env.FORCE_COLOR;
const enabled = !process.env.NO_COLOR && (force === undefined || force === '' ? Boolean(process.stdout.isTTY) : !['0', 'false'].includes(force));

const wrap = (open: number, close: number) => (s: string) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s);

export const style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  cyan: wrap(36, 39),
};

/** Plain text table: columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  // A loop, not Math.max(...rows): a table of 100,000 rows (one per column of a wide file) would overflow the stack.
  const width = header.map((h) => visible(h).length);
  for (const row of rows) for (let i = 0; i < width.length; i++) width[i] = Math.max(width[i], visible(row[i] ?? '').length);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(width[i] - visible(c).length))
      .join('  ')
      .trimEnd();
  return [style.bold(line(header)), ...rows.map(line)].join('\n');
}

function visible(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.includes('\x1b') ? s.replace(/\x1b\[[0-9;]*m/g, '') : s;
}

export const statusStyle: Record<string, (s: string) => string> = {
  complete: style.green,
  cached: style.green,
  running: style.cyan,
  failed: style.red,
  interrupted: style.red,
  canceled: style.yellow,
  skipped: style.dim,
};

/** One line (or block) to stdout: what a command prints as its result. */
export function print(text: string): void {
  process.stdout.write(text + '\n');
}
