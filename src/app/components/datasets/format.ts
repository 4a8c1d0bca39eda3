/** Sizes in decimal megabytes, as file managers and download bars show them. */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / 1e6;
  return `${mb >= 100 ? mb.toFixed(0) : mb >= 10 ? mb.toFixed(1) : mb.toFixed(2)} MB`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return formatMegabytes(bytes);
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en');
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`;
  if (perSecond >= 1e4) return `${(perSecond / 1e3).toFixed(0)} k`;
  return perSecond.toFixed(0);
}

/** Feature statistics span many magnitudes (counts, BM25 scores, ratios): 4 significant digits, no exponent noise. */
export function formatStat(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e7 || abs < 1e-4) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}
