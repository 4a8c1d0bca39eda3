import { MAX_HASH_CHARS } from '../../../core/experiment/url-codec';

/**
 * How big a share link is, and what that allows (issue 9). Pure, so it is unit-tested without a
 * browser. Links over the limit are refused (Copy disabled, a message says why), never truncated:
 * a cut link would silently open a different experiment, or none.
 */

/** Browsers, chat apps and mail clients start cutting links around 8 KB. */
export const MAX_LINK_CHARS = MAX_HASH_CHARS;

/**
 * The most bytes a QR code holds: version 40 (177×177 modules) at the lowest error correction
 * (L), in byte mode. A link longer than this gets "too long for a QR code" instead of a code.
 */
export const QR_MAX_BYTES = 2953;

export interface LinkSize {
  /** The link's length in characters (UTF-16 code units, as browsers count URLs). */
  chars: number;
  /** Its length in UTF-8 bytes: what a QR code has to hold. */
  bytes: number;
  limit: number;
  /** chars / limit, clamped to [0, 1]: the meter's value. */
  fraction: number;
  overLimit: boolean;
  fitsQr: boolean;
  /** "1,234 characters of 8,000". */
  label: string;
  /** Set when the link is refused: the message to show instead of offering it. */
  refusal?: string;
}

const numberFormat = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function refusalMessage(chars: number, limit = MAX_LINK_CHARS): string {
  return (
    `This experiment is too large for a link (${formatCount(chars)} characters, browsers cut links beyond ${formatCount(limit)}): ` +
    'make it smaller (fewer rankers, shorter names, fewer custom settings) or share a screenshot of its settings instead.'
  );
}

export function linkSize(link: string, limit = MAX_LINK_CHARS): LinkSize {
  const chars = link.length;
  const bytes = utf8Length(link);
  const overLimit = chars > limit;
  return {
    chars,
    bytes,
    limit,
    fraction: limit > 0 ? Math.min(1, chars / limit) : 1,
    overLimit,
    fitsQr: !overLimit && bytes <= QR_MAX_BYTES,
    label: `${formatCount(chars)} characters of ${formatCount(limit)}`,
    ...(overLimit ? { refusal: refusalMessage(chars, limit) } : {}),
  };
}

/** What the Share dialog shows for a link, or for the reason no link could be made. */
export interface ShareLinkState {
  /** The link to offer; '' when refused. */
  link: string;
  /** Its size; absent when no link could be made at all. */
  size?: LinkSize;
  /** Set when the link is refused: shown instead of the link, Copy disabled, no QR code. */
  refusal?: string;
  /** Whether to draw a QR code. */
  showQr: boolean;
}

export function describeLink(current: { link?: string; error?: string }, limit = MAX_LINK_CHARS): ShareLinkState {
  if (current.error !== undefined || current.link === undefined) {
    return { link: '', refusal: current.error || 'No link could be made for this experiment.', showQr: false };
  }
  const size = linkSize(current.link, limit);
  if (size.refusal) return { link: '', size, refusal: size.refusal, showQr: false };
  return { link: current.link, size, showQr: size.fitsQr };
}
