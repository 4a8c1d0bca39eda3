import type { RankingDataset } from '../dataset';
import { createSkipReport, DataError, describeSkips, recordSkip, type SkipReport } from '../parse/errors';
import type { ChunkConsumer } from '../parse/stream';
import { bytesOf, COLON, concat, CR, decodeToken, formatBytes, HASH, indexOfBytes, isSpace, LineContext, NEWLINE, SPACE, TAB } from './bytes';
import { FeatureBlocks } from './feature-blocks';
import { dropEmptyQueries, groupRows } from './grouping';
import { parseDecimal, parseIndex, POW10 } from './numbers';
import { QueryAssigner } from './query-assigner';

export interface LetorOptions {
  /** Used in every message. */
  fileName: string;
  /** Drop malformed lines (reported in `skipped`) instead of stopping at the first. */
  skipBadLines?: boolean;
  /** Bytes the feature matrix may take at its peak (blocks + the compacted copy); over it, loading stops. */
  memoryBudgetBytes?: number;
  /** The group-file variant: documents per query, in order; lines then carry no `qid:`. */
  groups?: Int32Array;
  /** A feature index above this is refused as absurd (a corrupt file, not a real dataset). */
  maxFeatureIndex?: number;
}

export interface LetorResult {
  dataset: RankingDataset;
  /** From `# docid = X` comments (MQ2007/2008), else null. */
  docIds: string[] | null;
  /** Per feature, how many documents gave it explicitly (the rest are absent, i.e. 0). */
  featurePresence: Float64Array;
  warnings: string[];
  skipped: SkipReport;
  /** Lines read, data or not. */
  lines: number;
}

const DEFAULT_MAX_FEATURE_INDEX = 100_000;
const DEFAULT_BUDGET = 4 * 1024 ** 3;
const DOCID = bytesOf('docid');

/**
 * Streaming LETOR / SVMlight parser: `label qid:Q idx:val ... # comment`, one document per line.
 * Works on bytes, chunk by chunk, never a string or object per document. Feature indices are
 * 1-based; absent features are 0; the width is the largest index seen. Documents of a query that
 * reappears after other queries are grouped with its first occurrence (file order kept inside
 * the query), with a warning naming the lines.
 */
export class LetorParser implements ChunkConsumer {
  private readonly blocks = new FeatureBlocks(64);
  private labels = new Int8Array(1 << 16);
  private rowQuery = new Int32Array(1 << 16);
  private readonly ctx: LineContext;
  private readonly queries: QueryAssigner;
  private presence = new Float64Array(64);
  /** Largest feature index of committed rows: the dataset's width. */
  private maxIndex = 0;
  /** Largest index the storage has room for (may include a skipped line's). */
  private storageWidth = 0;
  /** Feature indices of the row in progress, counted into `presence` only when it commits. */
  private rowFeatures = new Int32Array(256);
  private rowFeatureCount = 0;
  private rowMaxIndex = 0;
  private carry: Uint8Array | null = null;
  private docIds: string[] | null = null;
  private readonly skipped = createSkipReport();
  private readonly budget: number;
  private readonly maxFeature: number;

  constructor(private readonly opts: LetorOptions) {
    this.budget = opts.memoryBudgetBytes ?? DEFAULT_BUDGET;
    this.maxFeature = opts.maxFeatureIndex ?? DEFAULT_MAX_FEATURE_INDEX;
    this.ctx = new LineContext(opts.fileName);
    this.queries = new QueryAssigner(this.ctx, opts.groups);
  }

  get rows(): number {
    return this.blocks.rows;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    if (this.carry) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        this.carry = concat(this.carry, chunk);
        return;
      }
      const line = concat(this.carry, chunk.subarray(0, nl));
      this.carry = null;
      this.line(line, 0, line.length);
      start = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl < 0) break;
      this.line(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) this.carry = chunk.slice(start);
  }

  finish(): LetorResult {
    if (this.carry) {
      const last = this.carry;
      this.carry = null;
      this.line(last, 0, last.length);
    }
    const nDocs = this.blocks.rows;
    if (nDocs === 0) {
      const reason = this.ctx.lineNo === 0 ? 'the file is empty' : `no document lines in ${this.ctx.lineNo.toLocaleString('en')} lines (expected 'label qid:Q idx:val ...')`;
      throw new DataError({ kind: 'format', file: this.opts.fileName, reason });
    }
    this.queries.checkGroupsUsed(nDocs + this.skipped.count);
    const nFeatures = Math.max(1, this.maxIndex);
    const rowQuery = this.rowQuery.subarray(0, nDocs);
    const table = this.queries.table;
    dropEmptyQueries(rowQuery, table);
    const { qidOffsets, destination } = groupRows(rowQuery, table.ids.length, this.queries.reappearances.length > 0);
    const labels = new Int8Array(nDocs);
    const src = this.labels;
    for (let r = 0; r < nDocs; r++) labels[destination ? destination[r] : r] = src[r];
    let docIds = this.docIds;
    if (docIds && destination) {
      const ordered = new Array<string>(nDocs);
      for (let r = 0; r < nDocs; r++) ordered[destination[r]] = docIds[r];
      docIds = ordered;
    }
    const features = this.blocks.compact(nFeatures, destination);
    this.labels = new Int8Array(0);
    this.rowQuery = new Int32Array(0);
    return {
      dataset: { qidOffsets, features, labels, nFeatures, queryIds: table.ids },
      docIds,
      featurePresence: this.presence.slice(0, nFeatures),
      warnings: this.warnings(),
      skipped: this.skipped,
      lines: this.ctx.lineNo,
    };
  }

  private warnings(): string[] {
    const out: string[] = [];
    const reappeared = this.queries.reappearanceWarning();
    if (reappeared) out.push(reappeared);
    const skips = describeSkips(this.opts.fileName, this.skipped);
    if (skips) out.push(skips);
    return out;
  }

  private line(buf: Uint8Array, start: number, end: number): void {
    this.ctx.lineNo++;
    if (end > start && buf[end - 1] === CR) end--;
    let i = start;
    // A UTF-8 byte order mark (Windows editors write one) is not part of the first label.
    if (this.ctx.lineNo === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) i += 3;
    while (i < end && isSpace(buf[i])) i++;
    if (i === end || buf[i] === HASH) return;
    this.ctx.lineStart = start;
    // Group mode: every data line, good or bad, is one of the group file's documents; claimed
    // outside the try so that "more lines than the group file" is never skipped as a bad line.
    if (this.opts.groups) this.queries.claimGroupSlot(buf, i);
    this.blocks.beginRow();
    this.rowFeatureCount = 0;
    this.rowMaxIndex = 0;
    try {
      this.dataLine(buf, i, end);
    } catch (e) {
      if (!(e instanceof DataError) || !this.opts.skipBadLines || e.kind !== 'format') throw e;
      this.blocks.discardRow();
      this.uncountFeatures();
      this.queries.forgetLine();
      recordSkip(this.skipped, e);
    }
  }

  private dataLine(buf: Uint8Array, i: number, end: number): void {
    // Label.
    let t = i;
    while (t < end && !isSpace(buf[t]) && buf[t] !== HASH) t++;
    const label = parseDecimal(buf, i, t);
    if (!Number.isInteger(label) || label < -128 || label > 127) {
      const hint = this.rows === 0 ? ' — is this a LETOR/SVMlight file (label qid:Q idx:val ...)?' : '';
      this.ctx.fail(Number.isNaN(label) ? `the label is not a number${hint}` : 'the label must be an integer from -128 to 127', buf, i, t);
    }
    i = t;
    while (i < end && isSpace(buf[i])) i++;
    // qid (or the group file's counts).
    const [query, afterQid] = this.queries.assign(buf, i, end);
    i = this.features(buf, afterQid, end);
    if (i < end) this.readDocId(buf, i + 1, end);
    this.commit(label, query);
  }

  /**
   * The hot loop: `index:value` tokens until the end of the line or a '#'. Index and the common
   * decimal forms are parsed inline in one pass over the bytes; exponents, long mantissas and
   * anything odd go through parseDecimal, which is exact and says NaN for non-numbers.
   * Returns where it stopped (a '#' or the end).
   */
  private features(buf: Uint8Array, i: number, end: number): number {
    let { data, offset } = this.blocks.currentRow();
    const maxFeature = this.maxFeature;
    let rowFeatures = this.rowFeatures;
    let count = this.rowFeatureCount;
    let width = this.storageWidth;
    let presence = this.presence;
    let rowMax = 0;
    // Digit loops need no bounds test: past `end` is a line break, '\r' or past the array (undefined).
    while (i < end) {
      let c = buf[i];
      if (c === SPACE || c === TAB) {
        i++;
        continue;
      }
      if (c === HASH) break;
      const tokenStart = i;
      let index = 0;
      let d: number;
      while ((d = buf[i] - 48) >= 0 && d <= 9) {
        index = index * 10 + d;
        i++;
      }
      c = buf[i];
      if (c !== COLON || i >= end || i === tokenStart || i - tokenStart > 9 || index > maxFeature || index === 0) {
        // So that a skipped line's features already counted into `presence` are taken back.
        this.rowFeatureCount = count;
        this.badIndex(buf, tokenStart, end, index);
      }
      i++;
      const valueStart = i;
      let negative = false;
      if (buf[i] === 45) {
        negative = true;
        i++;
      }
      let mantissa = 0;
      const integerStart = i;
      while ((d = buf[i] - 48) >= 0 && d <= 9) {
        mantissa = mantissa * 10 + d;
        i++;
      }
      c = buf[i];
      let digits = i - integerStart;
      let scale = 0;
      if (c === 46) {
        const fractionStart = ++i;
        while ((d = buf[i] - 48) >= 0 && d <= 9) {
          mantissa = mantissa * 10 + d;
          i++;
        }
        c = buf[i];
        scale = i - fractionStart;
        digits += scale;
      }
      let value: number;
      if (digits > 0 && digits <= 15 && i <= end && (i === end || c === SPACE || c === TAB || c === HASH)) {
        value = scale === 0 ? mantissa : mantissa / POW10[scale];
        if (negative) value = -value;
      } else {
        // Exponent, long mantissa, or not a number at all: the exact general parser decides.
        i = valueStart;
        while (i < end && !isSpace(buf[i]) && buf[i] !== HASH) i++;
        value = parseDecimal(buf, valueStart, i);
        // Finite as a double is not enough: 1e39 would be Infinity in the Float32Array.
        if (!Number.isFinite(Math.fround(value))) {
          this.rowFeatureCount = count;
          this.badValue(buf, tokenStart, valueStart, i, index, value);
        }
      }
      // Above the row's largest index so far it cannot be a repeat (tested against the largest, not
      // the previous index: in '5:1 2:2 5:3' the second 5 follows a 2).
      if (index <= rowMax) {
        this.rowFeatureCount = count;
        this.checkDuplicate(buf, tokenStart, i, index);
      }
      if (index > width) {
        // Before widening: one wide index can ask for a block of gigabytes.
        const values = this.blocks.valuesAfterWidening(index);
        if (values * 8 > this.budget) this.checkBudget(values, Math.max(this.maxIndex, largestIndex(buf, tokenStart, end)));
        width = this.storageWidth = index;
        this.blocks.ensureWidth(index);
        ({ data, offset } = this.blocks.currentRow());
        if (index > presence.length) {
          const bigger = new Float64Array(Math.max(index, presence.length * 2));
          bigger.set(presence);
          presence = this.presence = bigger;
        }
      }
      data[offset + index - 1] = value;
      presence[index - 1]++;
      if (index > rowMax) rowMax = index;
      if (count === rowFeatures.length) rowFeatures = this.rowFeatures = grow(rowFeatures, new Int32Array(rowFeatures.length * 2));
      rowFeatures[count++] = index;
    }
    this.rowFeatureCount = count;
    this.rowMaxIndex = rowMax;
    return i;
  }

  private badIndex(buf: Uint8Array, s: number, end: number, index: number): never {
    let e = s;
    while (e < end && !isSpace(buf[e])) e++;
    let colon = s;
    while (colon < e && buf[colon] !== COLON) colon++;
    if (colon === e) this.ctx.fail("expected a feature 'index:value'", buf, s, e);
    const parsed = parseIndex(buf, s, colon);
    if (parsed < 0 && index <= this.maxFeature) this.ctx.fail('the feature index is not a whole number', buf, s, e);
    if (parsed === 0) this.ctx.fail('feature index 0: indices are 1-based', buf, s, e);
    this.ctx.fail(`the feature index is absurdly large (the limit is ${this.maxFeature.toLocaleString('en')})`, buf, s, e);
  }

  private badValue(buf: Uint8Array, tokenStart: number, valueStart: number, e: number, index: number, value: number): never {
    const text = decodeToken(buf, valueStart, e).toLowerCase();
    const why = /nan|inf/.test(text)
      ? 'is not a finite number (NaN and Infinity are not allowed)'
      : Number.isNaN(value)
        ? 'is not a number'
        : 'is not a finite number in 32-bit floats (beyond ±3.4e38)';
    this.ctx.fail(`the value of feature ${index} ${why}`, buf, tokenStart, e);
  }

  /** Indices should increase; when one is not above the row's largest so far, make sure it is not a repeat within the line. */
  private checkDuplicate(buf: Uint8Array, s: number, e: number, index: number): void {
    for (let k = 0; k < this.rowFeatureCount; k++) {
      if (this.rowFeatures[k] === index) this.ctx.fail(`feature ${index} appears twice on this line`, buf, s, e);
    }
  }

  /** A skipped line's features were counted as present as they were read: take them back. */
  private uncountFeatures(): void {
    for (let k = 0; k < this.rowFeatureCount; k++) this.presence[this.rowFeatures[k] - 1]--;
    this.rowFeatureCount = 0;
  }

  private readDocId(buf: Uint8Array, start: number, end: number): void {
    const at = indexOfBytes(buf, start, end, DOCID);
    if (at < 0) return;
    let i = at + DOCID.length;
    while (i < end && (isSpace(buf[i]) || buf[i] === 61)) i++; // spaces and '='
    let t = i;
    while (t < end && !isSpace(buf[t])) t++;
    if (!this.docIds) this.docIds = new Array<string>(this.rows).fill('');
    this.docIds[this.rows] = decodeToken(buf, i, t);
  }

  private commit(label: number, query: number): void {
    const r = this.rows;
    if (r === this.labels.length) {
      this.labels = grow(this.labels, new Int8Array(r * 2));
      this.rowQuery = grow(this.rowQuery, new Int32Array(r * 2));
    }
    this.labels[r] = label;
    this.rowQuery[r] = query;
    if (this.rowMaxIndex > this.maxIndex) this.maxIndex = this.rowMaxIndex;
    if (this.docIds && this.docIds.length === r) this.docIds.push('');
    this.blocks.commitRow();
    this.checkBudget();
  }

  private checkBudget(values = this.blocks.allocatedValues, nFeatures = this.maxIndex): void {
    // Peak = the blocks plus the compacted copy made at the end.
    const peak = values * 4 * 2;
    if (peak <= this.budget) return;
    throw new DataError({
      kind: 'limit',
      file: this.opts.fileName,
      line: this.ctx.lineNo,
      reason: `the features need more than ${formatBytes(peak)} of memory by this line, over the budget of ${formatBytes(this.budget)} here. This browser can hold about ${Math.floor(this.budget / 2 / 4 / Math.max(1, nFeatures)).toLocaleString('en')} documents of ${nFeatures} features: load a smaller file (e.g. one fold) or use the command line`,
    });
  }
}

/** The largest well-formed feature index in buf[i, end) before a '#' (for a message: not the hot path). */
function largestIndex(buf: Uint8Array, i: number, end: number): number {
  let max = 0;
  while (i < end && buf[i] !== HASH) {
    if (isSpace(buf[i])) {
      i++;
      continue;
    }
    let colon = i;
    while (colon < end && buf[colon] !== COLON && !isSpace(buf[colon])) colon++;
    const index = buf[colon] === COLON ? parseIndex(buf, i, colon) : -1;
    if (index > max) max = index;
    i = colon;
    while (i < end && !isSpace(buf[i])) i++;
  }
  return max;
}

function grow<T extends Int8Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
