import { MUTED_COLOR, SERIES_COLORS } from '../palette';
import type { ClickFitModelName } from '../../../worker/protocol';

/** How each fitted click model is named and drawn, in one place so table and charts agree. */
export const CLICK_FIT_MODELS: readonly { model: ClickFitModelName; label: string; colour: string; hint: string }[] = [
  { model: 'pbm', label: 'PBM', colour: SERIES_COLORS[0], hint: 'Position-based model: examination depends on the rank only.' },
  { model: 'cascade', label: 'Cascade', colour: SERIES_COLORS[1], hint: 'Top-down, stops at the first click.' },
  { model: 'dcm', label: 'DCM', colour: SERIES_COLORS[3], hint: 'Dependent click model: after a click, goes on with a per-rank probability λ.' },
  { model: 'dbn', label: 'DBN', colour: SERIES_COLORS[2], hint: 'Dynamic Bayesian network: stops when satisfied, else goes on with probability γ.' },
  { model: 'ubm', label: 'UBM', colour: SERIES_COLORS[4], hint: 'User browsing model: examination depends on the rank and the distance to the last click.' },
];

export function modelLabel(model: ClickFitModelName): string {
  return CLICK_FIT_MODELS.find((m) => m.model === model)?.label ?? model;
}

export function modelColour(model: ClickFitModelName): string {
  return CLICK_FIT_MODELS.find((m) => m.model === model)?.colour ?? MUTED_COLOR;
}

export const formatValue = (value: unknown, digits = 4) => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—');
