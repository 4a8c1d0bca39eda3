/**
 * The one set of series colours every chart draws with: Okabe & Ito's colour-blind-safe palette
 * (yellow left out: too faint on white). Pairs stay apart under simulated protanopia,
 * deuteranopia and tritanopia (palette.test.ts). Black is kept for reference lines (truth, a
 * base model), so no series is ever drawn in it. The dark theme lifts the blue in CSS only.
 */
export const SERIES_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'] as const;
export const REFERENCE_COLOR = '#222222';
/** Secondary reference lines (a base model's score), drawn dashed. */
export const MUTED_COLOR = '#6b7a8f';

/** The i-th series colour, cycling; callers past six series add a dash pattern to tell repeats apart. */
export function seriesColor(index: number): string {
  return SERIES_COLORS[((index % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length];
}
