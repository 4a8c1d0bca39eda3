/**
 * Feature rows accumulated in fixed-size blocks while the row count and the width are still
 * unknown. Blocks never reallocate what is already parsed (a growing array would copy
 * gigabytes); when a wider feature index appears, only the current block is re-laid out, and the
 * width grows geometrically so that happens O(log width) times. `compact` writes the exact
 * nDocs × nFeatures matrix, in any row order, dropping each block as soon as it is copied.
 */
const BLOCK_ROWS = 8192;
/** The first blocks are small and double, so a tiny file does not allocate megabytes. */
const FIRST_BLOCK_ROWS = 256;

interface Block {
  data: Float32Array;
  stride: number;
  rows: number;
  /** Rows this block holds. */
  capacity: number;
}

export class FeatureBlocks {
  private blocks: (Block | null)[] = [];
  private current: Block | null = null;
  private stride: number;
  /** Float32 values allocated across blocks: what memory budgets are checked against. */
  allocatedValues = 0;
  rows = 0;

  constructor(initialWidth: number) {
    this.stride = Math.max(1, initialWidth);
  }

  /** Makes room for feature index `width` (1-based max) in the row being written. */
  ensureWidth(width: number): void {
    if (width <= this.stride) return;
    const newStride = Math.max(width, Math.ceil(this.stride * 1.25));
    const block = this.current;
    this.stride = newStride;
    if (!block) return;
    const wider = new Float32Array(block.capacity * newStride);
    // Rows written so far plus the row in progress.
    for (let r = 0; r <= block.rows && r < block.capacity; r++) {
      wider.set(block.data.subarray(r * block.stride, (r + 1) * block.stride), r * newStride);
    }
    this.allocatedValues += wider.length - block.data.length;
    block.data = wider;
    block.stride = newStride;
  }

  /** What allocatedValues would be after ensureWidth(width): budgets are checked before allocating. */
  valuesAfterWidening(width: number): number {
    const block = this.current;
    if (width <= this.stride || !block) return this.allocatedValues;
    return this.allocatedValues + block.capacity * Math.max(width, Math.ceil(this.stride * 1.25)) - block.data.length;
  }

  /** Starts a new (zeroed) row and returns the array and offset where feature j (0-based) goes at offset + j. */
  beginRow(): { data: Float32Array; offset: number } {
    let block = this.current;
    if (!block || block.rows === block.capacity) {
      // Doubling, written without shifts: `256 << 24` wraps to 0 in 32-bit arithmetic.
      const capacity = Math.min(BLOCK_ROWS, FIRST_BLOCK_ROWS * 2 ** Math.min(this.blocks.length, 16));
      block = { data: new Float32Array(capacity * this.stride), stride: this.stride, rows: 0, capacity };
      this.allocatedValues += block.data.length;
      this.blocks.push(block);
      this.current = block;
    }
    return { data: block.data, offset: block.rows * block.stride };
  }

  /** Clears the row in progress (it turned out bad and is skipped). */
  discardRow(): void {
    const block = this.current;
    if (!block) return;
    block.data.fill(0, block.rows * block.stride, (block.rows + 1) * block.stride);
  }

  commitRow(): void {
    if (this.current) this.current.rows++;
    this.rows++;
  }

  /** The row in progress's storage (it may move when the width grows mid-row). */
  currentRow(): { data: Float32Array; offset: number } {
    const block = this.current!;
    return { data: block.data, offset: block.rows * block.stride };
  }

  /**
   * Copies row r to position destination[r] of an nFeatures-wide matrix and frees the blocks.
   * `destination` null means identity (rows already in order).
   */
  compact(nFeatures: number, destination: Int32Array | null): Float32Array {
    const out = new Float32Array(this.rows * nFeatures);
    let row = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b]!;
      const width = Math.min(block.stride, nFeatures);
      for (let r = 0; r < block.rows; r++, row++) {
        const to = (destination ? destination[row] : row) * nFeatures;
        const from = r * block.stride;
        out.set(block.data.subarray(from, from + width), to);
      }
      this.blocks[b] = null;
    }
    this.current = null;
    this.allocatedValues = 0;
    return out;
  }
}
