import type { Parsed } from './CommitInput';

const MAX_LAYERS = 8;
const MAX_UNITS = 1024;

export function formatHiddenLayers(layers: readonly number[]): string {
  return layers.join(',');
}

/** "32,16" → [32, 16]; says which part is wrong, in the same limits the config schema enforces. */
export function parseHiddenLayers(text: string): Parsed<number[]> {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: 'give layer sizes such as 32,16' };
  if (parts.length > MAX_LAYERS) return { ok: false, error: `at most ${MAX_LAYERS} hidden layers` };
  const layers: number[] = [];
  for (const part of parts) {
    if (!/^\d+$/.test(part)) return { ok: false, error: `'${part.slice(0, 12)}' is not a whole number` };
    const units = Number(part);
    if (units < 1 || units > MAX_UNITS) return { ok: false, error: `layer sizes go from 1 to ${MAX_UNITS} (got ${units})` };
    layers.push(units);
  }
  return { ok: true, value: layers };
}

export function sameLayers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((units, i) => units === b[i]);
}
