/**
 * Turning the live recharts <svg> into a standalone file: the app styles it through CSS, so a bare
 * copy would lose fonts and colours. Every element of the copy gets the computed values of the
 * properties that decide how SVG paints, inlined as presentation style.
 */
const PAINT_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'visibility',
  'display',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
] as const;

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface LegendEntry {
  label: string;
  color: string;
}

const LEGEND_HEIGHT = 28;

/** The legend recharts rendered (as HTML) inside `root`: each item's text and its icon's colour. */
export function readLegend(root: ParentNode): LegendEntry[] {
  return Array.from(root.querySelectorAll<HTMLElement>('.recharts-legend-item')).map((item) => {
    const icon = item.querySelector<SVGElement>('.recharts-legend-icon');
    const iconStyle = icon ? getComputedStyle(icon) : null;
    const stroke = iconStyle?.stroke && iconStyle.stroke !== 'none' ? iconStyle.stroke : '';
    const fill = iconStyle?.fill && iconStyle.fill !== 'none' ? iconStyle.fill : '';
    const label = (item.querySelector('.recharts-legend-item-text')?.textContent ?? item.textContent ?? '').trim();
    return { label, color: stroke || fill || getComputedStyle(item).color };
  });
}

export interface SerializedChart {
  svg: string;
  width: number;
  height: number;
}

/** The chart's <svg>, with computed paint inlined, a white background and xmlns, as markup. */
export function serializeChartSvg(source: SVGSVGElement, legend: readonly LegendEntry[] = []): SerializedChart {
  const box = source.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width || Number(source.getAttribute('width')) || 600));
  const chartHeight = Math.max(1, Math.round(box.height || Number(source.getAttribute('height')) || 320));
  const height = chartHeight + (legend.length ? LEGEND_HEIGHT : 0);
  const copy = source.cloneNode(true) as SVGSVGElement;
  const originals = [source, ...Array.from(source.querySelectorAll('*'))];
  const copies = [copy, ...Array.from(copy.querySelectorAll('*'))];
  originals.forEach((original, i) => {
    const target = copies[i];
    if (!target) return;
    const computed = getComputedStyle(original);
    const declarations: string[] = [];
    for (const prop of PAINT_PROPERTIES) {
      const value = computed.getPropertyValue(prop);
      if (value) declarations.push(`${prop}:${value}`);
    }
    const own = i === 0 ? null : target.getAttribute('style'); // The root's own size rules (100%) mean nothing standalone.
    target.setAttribute('style', `${declarations.join(';')}${own ? `;${own}` : ''}`);
  });
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  for (const attr of ['class', 'role', 'tabindex']) copy.removeAttribute(attr);
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('x', '0');
  background.setAttribute('y', '0');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  copy.insertBefore(background, copy.firstChild);
  // recharts draws its legend as HTML beside the <svg>: redraw it as SVG under the plot.
  let x = 16;
  const y = chartHeight + LEGEND_HEIGHT / 2;
  for (const entry of legend) {
    const line = document.createElementNS(SVG_NS, 'line');
    for (const [k, v] of Object.entries({ x1: x, y1: y, x2: x + 18, y2: y, stroke: entry.color, 'stroke-width': 3 })) line.setAttribute(k, String(v));
    const text = document.createElementNS(SVG_NS, 'text');
    for (const [k, v] of Object.entries({ x: x + 24, y: y + 5, fill: '#333333', 'font-size': 13, 'font-family': 'system-ui, sans-serif' })) text.setAttribute(k, String(v));
    text.textContent = entry.label;
    copy.append(line, text);
    x += 40 + entry.label.length * 7.5;
  }
  return { svg: new XMLSerializer().serializeToString(copy), width, height };
}

/** The serialized chart drawn onto a canvas at `scale`× and encoded as PNG. */
export async function chartPng(chart: SerializedChart, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([chart.svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.decoding = 'sync';
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the chart image could not be decoded'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = chart.width * scale;
    canvas.height = chart.height * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png');
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}
