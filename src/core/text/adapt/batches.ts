import type { Tokenizer } from '@huggingface/tokenizers';
import { shuffleInPlace, type Rng } from '../../experiment/rng';
import type { PairBatch } from '../model/bert';
import { encodePair, padPairs, type EncodedPair } from '../model/encode';
import type { ClickSessions } from './clicks';
import { gainOf, hardNegativePool, hasRelevant, sampleLabelList } from './data';
import type { AdaptData, AdaptTrainConfig } from './types';

/**
 * A step's training batch: listsPerStep lists of `width` pairs, row-major. For labels, `targets`
 * are gains 2^y − 1; for clicks, the logged clicks (and `labels` the grades, which the estimators
 * only read for reporting). Slots past a short list are padding pairs with mask 0.
 */
export interface TrainBatch {
  pairs: PairBatch;
  nLists: number;
  width: number;
  targets: Float32Array;
  labels: Float32Array;
  mask: Float32Array;
}

export interface OrderState {
  items: number[];
  cursor: number;
}

/**
 * Draws lists in epochs (a seeded shuffle, then consecutive slices), as rank/sessions.ts does, so
 * every query (labels) or session (clicks) is used once per epoch. Pairs are tokenised once and cached:
 * the same query–passage pairs come back every epoch.
 */
export class TrainBatcher {
  private items: number[];
  private cursor: number;
  private readonly cache = new Map<string, EncodedPair>();
  private readonly pool: number[][];
  readonly width: number;

  constructor(
    private readonly data: AdaptData,
    private readonly cfg: AdaptTrainConfig,
    private readonly tokenizer: Tokenizer,
    private readonly padId: number,
    readonly sessions: ClickSessions | null,
    private readonly rng: Rng,
  ) {
    const source = sessions ? Array.from(sessions.query.keys()) : data.train.map((q, i) => (hasRelevant(q) ? i : -1)).filter((i) => i >= 0);
    this.items = source;
    this.cursor = source.length;
    this.width = sessions ? sessions.k : cfg.listSize;
    this.pool = cfg.negatives.kind === 'hard' ? data.train.map((q) => hardNegativePool(q, cfg.negatives.skipTopUnlabelled)) : [];
  }

  getState(): OrderState {
    return { items: this.items.slice(), cursor: this.cursor };
  }

  setState(s: OrderState): void {
    const sorted = s.items.slice().sort((a, b) => a - b);
    const mine = this.items.slice().sort((a, b) => a - b);
    if (sorted.length !== mine.length || sorted.some((v, i) => v !== mine[i]) || !(Number.isInteger(s.cursor) && s.cursor >= 0 && s.cursor <= s.items.length)) {
      throw new Error('the checkpoint was saved with different training data (its list order does not fit)');
    }
    this.items = s.items.slice();
    this.cursor = s.cursor;
  }

  private nextItem(): number {
    if (this.cursor >= this.items.length) {
      shuffleInPlace(this.items, this.rng);
      this.cursor = 0;
    }
    return this.items[this.cursor++];
  }

  private encode(qi: number, passage: number): EncodedPair {
    const key = `${qi}:${passage}`;
    let e = this.cache.get(key);
    if (!e) {
      e = encodePair(this.tokenizer, this.data.train[qi].query, this.data.corpus[passage], this.cfg.maxLength);
      this.cache.set(key, e);
    }
    return e;
  }

  next(): TrainBatch {
    const n = this.cfg.listsPerStep;
    const w = this.width;
    const targets = new Float32Array(n * w);
    const labels = new Float32Array(n * w);
    const mask = new Float32Array(n * w);
    const encoded: EncodedPair[] = [];
    for (let l = 0; l < n; l++) {
      const item = this.nextItem();
      let qi: number;
      let list: { passage: number; label: number; target: number }[];
      if (this.sessions) {
        qi = this.sessions.query[item];
        const shown = this.sessions.shown[qi];
        list = shown.passages.map((p, r) => ({ passage: p, label: shown.labels[r], target: this.sessions!.clicks[item * w + r] }));
      } else {
        qi = item;
        const sampled = sampleLabelList(this.data.train[qi], this.data.corpus.length, w, this.cfg.negatives, this.rng, this.pool[qi]);
        list = sampled.map((it) => ({ ...it, target: gainOf(it.label) }));
      }
      for (let r = 0; r < w; r++) {
        const it = list[r];
        // Padding slots repeat the list's first pair (any real pair works: mask 0 hides it).
        encoded.push(this.encode(qi, (it ?? list[0]).passage));
        if (!it) continue;
        targets[l * w + r] = it.target;
        labels[l * w + r] = it.label;
        mask[l * w + r] = 1;
      }
    }
    return { pairs: padPairs(encoded, this.padId), nLists: n, width: w, targets, labels, mask };
  }
}
