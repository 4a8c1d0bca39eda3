import { float64Column, IdTable, type NumberColumn } from './columns';

/**
 * Ids and texts of a collection (passages, documents, queries) without an object per entry: the
 * texts live concatenated in a few long strings with an offset table, ids in one array, and a Map
 * answers id → index. Ids are unique (parsers keep the first of a repeated id and warn).
 */
export interface TextTable {
  readonly size: number;
  id(i: number): string;
  text(i: number): string;
  /** Index of `id`, or -1. */
  indexOf(id: string): number;
}

/** BEIR corpus entries: the title kept apart from the text, so BM25 can weight or join them later. */
export interface TitledTextTable extends TextTable {
  title(i: number): string;
}

/** TREC topics: text() is the title (the short query); the longer fields stay available. */
export interface TopicTable extends TextTable {
  description(i: number): string;
  narrative(i: number): string;
}

/** A column of strings stored as few long strings plus offsets. */
export interface StringColumn {
  readonly size: number;
  get(i: number): string;
}

/**
 * Segments stay well under V8's maximum string length (~2^29 characters), so an MS MARCO-sized
 * collection (3 GB of text) still fits in several strings rather than failing on one.
 */
const SEGMENT_CHARS = 1 << 26;

export class StringColumnBuilder {
  private readonly segments: string[] = [];
  /** Global offset where each closed segment starts. */
  private readonly segmentStarts: number[] = [];
  private parts: string[] = [];
  private partsChars = 0;
  private total = 0;
  private readonly offsets: NumberColumn<Float64Array> = float64Column();

  /** `segmentChars` is only lowered by tests, to see segments without gigabytes of text. */
  constructor(private readonly segmentChars = SEGMENT_CHARS) {
    this.offsets.push(0);
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  push(s: string): void {
    // A string never straddles two segments, so get() slices exactly one.
    if (this.partsChars > 0 && this.partsChars + s.length > this.segmentChars) this.closeSegment();
    if (s.length > 0) {
      this.parts.push(s);
      this.partsChars += s.length;
      this.total += s.length;
    }
    this.offsets.push(this.total);
  }

  build(): StringColumn {
    if (this.partsChars > 0) this.closeSegment();
    return new SegmentedStrings(this.segments, this.segmentStarts, this.offsets.toArray());
  }

  private closeSegment(): void {
    // join() flattens: the pieces (slices of decoded chunks) and their parents can then be freed.
    this.segments.push(this.parts.join(''));
    this.segmentStarts.push(this.total - this.partsChars);
    this.parts = [];
    this.partsChars = 0;
  }
}

class SegmentedStrings implements StringColumn {
  constructor(
    private readonly segments: string[],
    private readonly starts: number[],
    private readonly offsets: Float64Array,
  ) {}

  get size(): number {
    return this.offsets.length - 1;
  }

  get(i: number): string {
    if (!(i >= 0 && i < this.size)) throw new RangeError(`index ${i} is outside 0..${this.size - 1}`);
    const from = this.offsets[i];
    const to = this.offsets[i + 1];
    if (from === to) return '';
    let s = this.segments.length - 1;
    while (this.starts[s] > from) s--;
    const base = this.starts[s];
    return this.segments[s].slice(from - base, to - base);
  }
}

/**
 * Collects entries: an id and one string per column. A repeated id is refused (add() returns -1)
 * so the caller can warn; the first entry stays.
 */
export class TextTableBuilder {
  readonly columns: StringColumnBuilder[];
  private readonly ids = new IdTable();

  constructor(nColumns: number) {
    this.columns = Array.from({ length: nColumns }, () => new StringColumnBuilder());
  }

  get size(): number {
    return this.ids.size;
  }

  /** Adds an entry; returns its index, or -1 if the id is already there (nothing added). */
  add(id: string, ...values: string[]): number {
    const row = this.ids.addNew(id);
    if (row < 0) return -1;
    for (let c = 0; c < this.columns.length; c++) this.columns[c].push(values[c] ?? '');
    return row;
  }

  indexOf(id: string): number {
    return this.ids.indexOf(id);
  }

  /** The finished table, as `Table` (ColumnTextTable or one of its richer views). */
  build<T extends ColumnTextTable>(Table: new (ids: readonly string[], index: Map<string, number>, columns: StringColumn[]) => T): T {
    return new Table(
      this.ids.ids,
      this.ids.map(),
      this.columns.map((c) => c.build()),
    );
  }
}

/** The TextTable implementation: column 0 is text(), further columns serve the richer views. */
export class ColumnTextTable implements TextTable {
  constructor(
    private readonly ids: readonly string[],
    private readonly index: Map<string, number>,
    private readonly columns: StringColumn[],
  ) {}

  get size(): number {
    return this.ids.length;
  }

  id(i: number): string {
    if (!(i >= 0 && i < this.ids.length)) throw new RangeError(`index ${i} is outside 0..${this.ids.length - 1}`);
    return this.ids[i];
  }

  text(i: number): string {
    return this.columns[0].get(i);
  }

  indexOf(id: string): number {
    return this.index.get(id) ?? -1;
  }

  /** Column `c` of entry `i` ('' when the table has no such column). */
  field(c: number, i: number): string {
    return c < this.columns.length ? this.columns[c].get(i) : '';
  }
}

/** Columns: text, title. */
export class TitledColumnTable extends ColumnTextTable implements TitledTextTable {
  title(i: number): string {
    return this.field(1, i);
  }
}

/** Columns: title (as text), description, narrative. */
export class TopicColumnTable extends ColumnTextTable implements TopicTable {
  description(i: number): string {
    return this.field(1, i);
  }

  narrative(i: number): string {
    return this.field(2, i);
  }
}
