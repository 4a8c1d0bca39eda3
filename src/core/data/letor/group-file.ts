import { DataError } from '../parse/errors';
import type { ChunkConsumer } from '../parse/stream';
import { concat, CR, decodeToken, NEWLINE } from './bytes';

/**
 * LightGBM `*.query` / XGBoost `*.group` files: one positive integer per line, the number of
 * consecutive documents of each query in the feature file that goes with it.
 */
export class GroupFileParser implements ChunkConsumer {
  private counts = new Int32Array(1024);
  private n = 0;
  private lineNo = 0;
  private carry: Uint8Array | null = null;

  constructor(private readonly fileName: string) {}

  get rows(): number {
    return this.n;
  }

  push(chunk: Uint8Array): void {
    const data = this.carry ? concat(this.carry, chunk) : chunk;
    this.carry = null;
    let start = 0;
    for (let nl = data.indexOf(NEWLINE); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
      this.line(data, start, nl);
      start = nl + 1;
    }
    if (start < data.length) this.carry = data.slice(start);
  }

  finish(): Int32Array {
    if (this.carry) this.line(this.carry, 0, this.carry.length);
    if (this.n === 0) throw new DataError({ kind: 'format', file: this.fileName, reason: this.lineNo === 0 ? 'the group file is empty' : 'the group file has no counts' });
    return this.counts.slice(0, this.n);
  }

  private line(buf: Uint8Array, start: number, end: number): void {
    this.lineNo++;
    if (end > start && buf[end - 1] === CR) end--;
    const text = decodeToken(buf, start, end).trim();
    if (text === '') return;
    const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
    if (!(value > 0)) {
      throw new DataError({ kind: 'format', file: this.fileName, line: this.lineNo, token: text, reason: 'expected the number of documents of a query (a positive whole number)' });
    }
    if (this.n === this.counts.length) {
      const bigger = new Int32Array(this.n * 2);
      bigger.set(this.counts);
      this.counts = bigger;
    }
    this.counts[this.n++] = value;
  }
}
