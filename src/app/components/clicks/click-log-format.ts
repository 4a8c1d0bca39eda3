import type { ClickFitModelName } from '../../../worker/protocol';

/** How each fitted click model is named and drawn, in one place so table and charts agree. */
export const CLICK_FIT_MODELS: readonly { model: ClickFitModelName; label: string; colour: string; hint: string }[] = [
  { model: 'pbm', label: 'PBM', colour: '#1f6feb', hint: 'Position-based model: examination depends on the rank only.' },
  { model: 'cascade', label: 'Cascade', colour: '#d4731b', hint: 'Top-down, stops at the first click.' },
  { model: 'dcm', label: 'DCM', colour: '#8250df', hint: 'Dependent click model: after a click, goes on with a per-rank probability λ.' },
  { model: 'dbn', label: 'DBN', colour: '#2da44e', hint: 'Dynamic Bayesian network: stops when satisfied, else goes on with probability γ.' },
  { model: 'ubm', label: 'UBM', colour: '#cf222e', hint: 'User browsing model: examination depends on the rank and the distance to the last click.' },
];

export function modelLabel(model: ClickFitModelName): string {
  return CLICK_FIT_MODELS.find((m) => m.model === model)?.label ?? model;
}

export function modelColour(model: ClickFitModelName): string {
  return CLICK_FIT_MODELS.find((m) => m.model === model)?.colour ?? '#555';
}

export const formatValue = (value: unknown, digits = 4) => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—');
