import qrcode from 'qrcode-generator';
import { QR_MAX_BYTES, utf8Length } from './link-size';

/**
 * A QR code as a standalone SVG document: dark modules on white, a 4-module quiet zone (what the
 * standard asks for), crisp edges, and a viewBox in modules so it scales to any size on a slide.
 */
export interface QrSvg {
  /** The standalone SVG document (for download). */
  svg: string;
  /** The dark modules as one path, in module units, offset by the quiet zone (for rendering). */
  path: string;
  /** Side of the whole image in modules, quiet zone included. */
  size: number;
  /** Modules per side, without the quiet zone (21 for version 1 … 177 for version 40). */
  modules: number;
}

export const QUIET_ZONE = 4;

/** Returns null when the text does not fit in a QR code. */
export function qrSvg(text: string, title = 'QR code'): QrSvg | null {
  if (utf8Length(text) > QR_MAX_BYTES) return null;
  const qr = qrcode(0, 'L');
  // The library maps each char code to one byte: hand it the UTF-8 bytes as a binary string.
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  qr.addData(binary, 'Byte');
  try {
    qr.make();
  } catch {
    return null;
  }
  const n = qr.getModuleCount();
  const size = n + 2 * QUIET_ZONE;
  let path = '';
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!qr.isDark(row, col)) continue;
      // Runs of dark modules in a row become one rectangle: a much shorter path.
      let end = col;
      while (end + 1 < n && qr.isDark(row, end + 1)) end++;
      path += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h${end - col + 1}v1h${-(end - col + 1)}z`;
      col = end;
    }
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size * 8}" height="${size * 8}" shape-rendering="crispEdges">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect width="${size}" height="${size}" fill="#ffffff"/>` +
    `<path d="${path}" fill="#000000"/>` +
    '</svg>';
  return { svg, path, size, modules: n };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
