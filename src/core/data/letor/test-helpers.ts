import { expect } from 'vitest';
import { DataError } from '../parse/errors';
import { LetorParser, type LetorOptions, type LetorResult } from './parser';

// Helpers shared by the LETOR parser test files.
export const enc = new TextEncoder();
export const FILE = 'train.txt';

export function parse(text: string | Uint8Array, opts: Omit<LetorOptions, 'fileName'> = {}): LetorResult {
  const p = new LetorParser({ fileName: FILE, ...opts });
  p.push(typeof text === 'string' ? enc.encode(text) : text);
  return p.finish();
}

export function parseError(text: string | Uint8Array, opts: Omit<LetorOptions, 'fileName'> = {}): DataError {
  try {
    parse(text, opts);
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  return expect.fail('expected a DataError');
}

/** The features of row r as a plain array. */
export function row(res: LetorResult, r: number): number[] {
  const n = res.dataset.nFeatures;
  return Array.from(res.dataset.features.subarray(r * n, (r + 1) * n));
}

export const f32 = (xs: number[]) => xs.map(Math.fround);
