/** Splits a stream of text chunks into whole lines; a partial last line waits for the next chunk. */
export class LineBuffer {
  private rest = '';

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.length > 0);
  }

  /** What is left when the stream ends (a last line without a newline). */
  flush(): string[] {
    const rest = this.rest;
    this.rest = '';
    return rest.trim() ? [rest] : [];
  }
}

/** A pseudoterminal needs CRLF: a bare LF moves down without returning to column 0. */
export function toTerminalText(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
