import { describe, expect, it } from 'vitest';
import { SERIES_COLORS } from './palette';

/**
 * Colour-vision-deficiency check: every pair of series colours must stay distinguishable for
 * people with protanopia, deuteranopia or tritanopia. Simulation: Machado, Oliveira & Fernandes
 * (2009), severity 1, applied in linear sRGB; distance: CIE76 ΔE in CIELAB (D65).
 */
const MACHADO: Record<string, number[][]> = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);

function linearRgb(hex: string): number[] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => toLinear(v / 255));
}

function lab([r, g, b]: number[]): number[] {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  [r, g, b] = [r, g, b].map(clamp);
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

function simulate(matrix: number[][] | null, hex: string): number[] {
  const rgb = linearRgb(hex);
  return matrix ? matrix.map((row) => row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]) : rgb;
}

/** Smallest ΔE between any two colours of the palette as seen with this vision (null: typical). */
function minDistance(colors: readonly string[], matrix: number[][] | null): number {
  let min = Infinity;
  for (let i = 0; i < colors.length; i++) {
    for (let j = i + 1; j < colors.length; j++) {
      const [a, b] = [lab(simulate(matrix, colors[i])), lab(simulate(matrix, colors[j]))];
      min = Math.min(min, Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]));
    }
  }
  return min;
}

describe('series palette', () => {
  for (const [vision, matrix] of [['typical', null], ...Object.entries(MACHADO)] as const) {
    it(`keeps every pair of series apart for ${vision} vision`, () => {
      expect(minDistance(SERIES_COLORS, matrix)).toBeGreaterThan(15);
    });
  }

  it('the check can fail: the palettes two charts used before (adapt runs, click CTR) do', () => {
    // Okabe–Ito's worst pairs: ΔE 20.7 (protan), 17.9 (deutan), 16.1 (tritan); these fell to 6–8.
    expect(minDistance(['#2f6fd6', '#d9534f', '#2e9e5b', '#8e5cc4', '#e08a1e', '#1f9bb0', '#b5487f', '#6b7a8f'], MACHADO.protanopia)).toBeLessThan(15);
    expect(minDistance(['#1f6feb', '#2da44e', '#d4731b', '#8250df'], MACHADO.deuteranopia)).toBeLessThan(15);
  });
});
