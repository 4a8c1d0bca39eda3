import { DataError } from '../parse/errors';
import { bytesOf, decodeToken, isSpace, startsWith, type LineContext } from './bytes';
import type { QueryTable } from './grouping';

const QID = bytesOf('qid:');

/**
 * Which query each line belongs to: from its `qid:` token, or, in the group-file variant, from
 * the running document counts. Remembers where each query was first seen, so a query that
 * reappears after others can be named in a warning.
 */
export class QueryAssigner {
  readonly table: QueryTable = { ids: [], index: new Map(), firstLine: [] };
  readonly reappearances: { qid: string; line: number; firstLine: number }[] = [];
  private lastQid: Uint8Array = new Uint8Array(0);
  private lastQuery = -1;
  private groupCursor = 0;
  private groupRemaining = 0;
  /** Group mode: the query of the line being read, claimed by claimGroupSlot. */
  private groupQuery = -1;
  /** What the last qid change did, so that a line skipped as bad can be forgotten. */
  private changedAtLine = -1;
  private changeAdded = false;
  private previousQid: Uint8Array = this.lastQid;
  private previousQuery = -1;

  constructor(
    private readonly ctx: LineContext,
    private readonly groups: Int32Array | undefined,
  ) {}

  /** The query of the line whose qid token (or features, in group mode) starts at i; returns [query, end of token]. */
  assign(buf: Uint8Array, i: number, end: number): [number, number] {
    if (this.groups) {
      if (startsWith(buf, i, end, QID)) this.ctx.fail('this line has a qid: but a group file was given: use one or the other', buf, i, i + 4);
      return [this.groupQuery, i];
    }
    let t = i;
    while (t < end && !isSpace(buf[t])) t++;
    if (!startsWith(buf, i, end, QID)) {
      const hint = this.table.ids.length === 0 ? " — is this a LETOR/SVMlight file (label qid:Q idx:val ...)?" : '';
      this.ctx.fail(`expected 'qid:<id>' after the label (or load a group file with the document counts)${hint}`, buf, i, t);
    }
    if (t === i + 4) this.ctx.fail('the qid is empty', buf, i, t);
    return [this.fromQid(buf, i + 4, t), t];
  }

  private fromQid(buf: Uint8Array, s: number, e: number): number {
    // Same qid as the previous line: the common case, no string needed.
    const last = this.lastQid;
    if (last.length === e - s && this.lastQuery >= 0) {
      let k = 0;
      while (k < last.length && last[k] === buf[s + k]) k++;
      if (k === last.length) return this.lastQuery;
    }
    const id = decodeToken(buf, s, e);
    let q = this.table.index.get(id);
    this.changedAtLine = this.ctx.lineNo;
    this.changeAdded = q === undefined;
    this.previousQid = this.lastQid;
    this.previousQuery = this.lastQuery;
    if (q === undefined) q = this.add(id);
    else this.reappearances.push({ qid: id, line: this.ctx.lineNo, firstLine: this.table.firstLine[q] });
    this.lastQid = buf.slice(s, e);
    this.lastQuery = q;
    return q;
  }

  private add(id: string): number {
    const q = this.table.ids.length;
    this.table.ids.push(id);
    this.table.index.set(id, q);
    this.table.firstLine.push(this.ctx.lineNo);
    return q;
  }

  /**
   * The current line was skipped as bad: its qid leaves no trace (no query first seen there, no
   * reappearance warning, not the qid the next line is compared with). Group mode keeps the slot.
   */
  forgetLine(): void {
    if (this.groups || this.changedAtLine !== this.ctx.lineNo) return;
    this.changedAtLine = -1;
    if (this.changeAdded) {
      this.table.index.delete(this.table.ids.pop()!);
      this.table.firstLine.pop();
    } else this.reappearances.pop();
    this.lastQid = this.previousQid;
    this.lastQuery = this.previousQuery;
  }

  /** Group mode: the next document slot goes to the data line starting at i (called before the line is read). */
  claimGroupSlot(buf: Uint8Array, i: number): void {
    this.groupQuery = this.nextGroupQuery(buf, i);
  }

  private nextGroupQuery(buf: Uint8Array, i: number): number {
    const groups = this.groups!;
    while (this.groupRemaining === 0) {
      if (this.groupCursor >= groups.length) {
        this.ctx.fail(`the group file accounts for ${total(groups).toLocaleString('en')} documents, but the feature file has more lines`, buf, i, i);
      }
      this.groupRemaining = groups[this.groupCursor++];
      this.add(String(this.groupCursor));
    }
    this.groupRemaining--;
    return this.table.ids.length - 1;
  }

  /** At the end: the group file and the feature file must agree on the number of documents (data lines, skipped ones included). */
  checkGroupsUsed(rows: number): void {
    const groups = this.groups;
    if (!groups || (this.groupCursor === groups.length && this.groupRemaining === 0)) return;
    throw new DataError({
      kind: 'format',
      file: this.ctx.fileName,
      reason: `the group file accounts for ${total(groups).toLocaleString('en')} documents in ${groups.length.toLocaleString('en')} queries, but the feature file has ${rows.toLocaleString('en')} document lines`,
    });
  }

  reappearanceWarning(): string | null {
    const r = this.reappearances;
    if (!r.length) return null;
    const shown = r.slice(0, 3).map((x) => `qid ${x.qid} at line ${x.line.toLocaleString('en')} (first at line ${x.firstLine.toLocaleString('en')})`);
    return `${this.ctx.fileName}: ${r.length.toLocaleString('en')} time(s) a query reappeared after other queries: ${shown.join('; ')}${r.length > 3 ? '; …' : ''}. Its documents were grouped together, in file order.`;
  }
}

function total(a: Int32Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}
