import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FEEDBACK_LOG, REQUEST_LOG_PREFIX, type FeedbackRecord, type ServedRecord } from '../serve/log';
import { UserError } from '../util/problems';
import { parseFeedbackRecord, parseServedRecord } from './records';
import type { MalformedLine } from './types';

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

interface Position {
  offset: number;
  /** Lines consumed so far, so a malformed one is named by its 1-based line number. */
  line: number;
}

/**
 * The server's log of one model (`<log dir>/<model>/`), read from where the previous read stopped:
 * each call returns only lines completed since, so `--follow` never reads a row twice and a line the
 * server is still writing waits for the next call. Request files are read in name (= day) order.
 */
export class ServingLog {
  private readonly positions = new Map<string, Position>();

  private constructor(readonly dir: string) {}

  static async open(logDir: string, model: string): Promise<ServingLog> {
    const dir = path.join(logDir, model);
    const stat = await fs.stat(dir).catch(() => undefined);
    if (!stat?.isDirectory()) {
      const known = await fs.readdir(logDir).catch(() => undefined);
      throw UserError.at(
        known === undefined ? 'no serving log folder here' : `no serving log of model '${model}' here`,
        { file: known === undefined ? logDir : dir },
        known?.length
          ? `models with a log: ${known.join(', ')}; or point --log-dir at the folder the server writes to`
          : 'the server writes one while it serves (mlops serve); or point --log-dir at the folder it writes to',
      );
    }
    return new ServingLog(dir);
  }

  async newRecords(): Promise<{ records: ServedRecord[]; malformed: MalformedLine[] }> {
    const names = (await fs.readdir(this.dir)).filter((n) => n.startsWith(REQUEST_LOG_PREFIX) && n.endsWith('.jsonl')).sort();
    const records: ServedRecord[] = [];
    const malformed: MalformedLine[] = [];
    for (const name of names) {
      await this.readLines(path.join(this.dir, name), (text, file, line) => {
        const parsed = parseServedRecord(text);
        if (typeof parsed === 'string') malformed.push({ file, line, reason: parsed });
        else records.push(parsed);
      });
    }
    return { records, malformed };
  }

  async newFeedback(): Promise<{ feedback: FeedbackRecord[]; malformed: MalformedLine[] }> {
    const feedback: FeedbackRecord[] = [];
    const malformed: MalformedLine[] = [];
    await this.readLines(path.join(this.dir, FEEDBACK_LOG), (text, file, line) => {
      const parsed = parseFeedbackRecord(text);
      if (typeof parsed === 'string') malformed.push({ file, line, reason: parsed });
      else feedback.push(parsed);
    });
    return { feedback, malformed };
  }

  /** Calls `take` for each complete, non-blank line after the file's position; a missing file has none yet. */
  private async readLines(file: string, take: (text: string, file: string, line: number) => void): Promise<void> {
    const handle = await fs.open(file, 'r').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (!handle) return;
    try {
      const size = (await handle.stat()).size;
      let at = this.positions.get(file) ?? { offset: 0, line: 0 };
      // A file that shrank was rewritten, not appended to: read it again from the start.
      if (size < at.offset) at = { offset: 0, line: 0 };
      let carry = Buffer.alloc(0);
      let offset = at.offset;
      let line = at.line;
      while (offset + carry.length < size) {
        const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, size - offset - carry.length));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset + carry.length);
        if (bytesRead === 0) break;
        const bytes = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
        let start = 0;
        for (let end = bytes.indexOf(NEWLINE); end >= 0; end = bytes.indexOf(NEWLINE, start)) {
          line++;
          const text = bytes.toString('utf8', start, end).trim();
          if (text.length) take(text, file, line);
          start = end + 1;
        }
        offset += start;
        carry = Buffer.from(bytes.subarray(start));
      }
      this.positions.set(file, { offset, line });
    } finally {
      await handle.close();
    }
  }
}
