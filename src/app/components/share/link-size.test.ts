import { describe, expect, it } from 'vitest';
import { configToHash, MAX_HASH_CHARS } from '../../../core/experiment/url-codec';
import { defaultConfig } from '../../../core/experiment/config';
import { describeLink, formatCount, linkSize, MAX_LINK_CHARS, QR_MAX_BYTES, refusalMessage } from './link-size';
import { qrSvg, QUIET_ZONE } from './qr-svg';

const base = 'http://127.0.0.1:4173/';

describe('linkSize', () => {
  it('uses the URL codec limit', () => {
    expect(MAX_LINK_CHARS).toBe(MAX_HASH_CHARS);
    expect(MAX_LINK_CHARS).toBe(8000);
  });

  it('labels a normal link and offers it', () => {
    const link = base + configToHash(defaultConfig());
    const size = linkSize(link);
    expect(size.chars).toBe(link.length);
    expect(size.overLimit).toBe(false);
    expect(size.refusal).toBeUndefined();
    expect(size.fitsQr).toBe(true);
    expect(size.label).toBe(`${formatCount(link.length)} characters of 8,000`);
    expect(size.fraction).toBeCloseTo(link.length / 8000);
  });

  it('formats with thousands separators', () => {
    expect(linkSize('x'.repeat(1234)).label).toBe('1,234 characters of 8,000');
  });

  it('accepts a link of exactly the limit and refuses one character more', () => {
    expect(linkSize('x'.repeat(8000)).overLimit).toBe(false);
    const over = linkSize('x'.repeat(8001));
    expect(over.overLimit).toBe(true);
    expect(over.fitsQr).toBe(false);
    expect(over.fraction).toBe(1);
    expect(over.refusal).toBe(refusalMessage(8001));
    expect(over.refusal).toMatch(/^This experiment is too large for a link \(8,001 characters, browsers cut links beyond 8,000\): /);
  });

  it('says "too long for a QR code" past the QR capacity but still offers the link', () => {
    const fits = linkSize(base + 'x'.repeat(QR_MAX_BYTES - base.length));
    expect(fits.fitsQr).toBe(true);
    const tooLong = linkSize(base + 'x'.repeat(QR_MAX_BYTES - base.length + 1));
    expect(tooLong.fitsQr).toBe(false);
    expect(tooLong.overLimit).toBe(false);
    expect(tooLong.refusal).toBeUndefined();
  });

  it('counts UTF-8 bytes for the QR capacity', () => {
    const s = linkSize('é'.repeat(10));
    expect(s.chars).toBe(10);
    expect(s.bytes).toBe(20);
  });
});

describe('qrSvg', () => {
  it('draws dark modules on white with a quiet zone', () => {
    const qr = qrSvg(base + configToHash(defaultConfig()));
    expect(qr).not.toBeNull();
    const { svg, size, modules, path } = qr!;
    expect(size).toBe(modules + 2 * QUIET_ZONE);
    expect(modules).toBeGreaterThanOrEqual(21);
    expect((modules - 17) % 4).toBe(0);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
    expect(svg).toContain(`<rect width="${size}" height="${size}" fill="#ffffff"/>`);
    expect(svg).toContain('fill="#000000"');
    // The finder pattern's top-left corner sits just inside the quiet zone.
    expect(path.startsWith(`M${QUIET_ZONE} ${QUIET_ZONE}h7`)).toBe(true);
  });

  it('fits the largest QR code and refuses beyond it', () => {
    expect(qrSvg('x'.repeat(QR_MAX_BYTES))?.modules).toBe(177);
    expect(qrSvg('x'.repeat(QR_MAX_BYTES + 1))).toBeNull();
  });

  it('escapes its title', () => {
    expect(qrSvg('a', '<b>&"')!.svg).toContain('<title>&#60;b&#62;&#38;&#34;</title>');
  });
});

describe('describeLink', () => {
  it('offers a link within the limits, with a QR code', () => {
    const d = describeLink({ link: base + '#l=abc' });
    expect(d).toMatchObject({ link: base + '#l=abc', showQr: true });
    expect(d.refusal).toBeUndefined();
    expect(d.size?.chars).toBe(base.length + 6);
  });

  it('offers a link too long for a QR code without one', () => {
    const d = describeLink({ link: base + 'x'.repeat(5000) });
    expect(d.showQr).toBe(false);
    expect(d.refusal).toBeUndefined();
    expect(d.link.length).toBe(base.length + 5000);
  });

  it('refuses an oversized link whole: no link, no QR code, the size and why', () => {
    const link = base + 'x'.repeat(9000);
    const d = describeLink({ link });
    expect(d.link).toBe('');
    expect(d.showQr).toBe(false);
    expect(d.size?.overLimit).toBe(true);
    expect(d.refusal).toBe(refusalMessage(link.length));
  });

  it("shows the link helper's message when it refuses to make a link", () => {
    const d = describeLink({ error: "This experiment's link would be 9001 characters, over the 8000-character limit" });
    expect(d).toEqual({ link: '', refusal: "This experiment's link would be 9001 characters, over the 8000-character limit", showQr: false });
  });
});
