import { z } from '../zod';
import { BUNDLED_SET_NAMES } from './bundled';

/**
 * Where a loaded data set came from, so that a link can bring it to another browser (issue 9).
 * A set in IndexedDB is known by an id only that browser has; its source is what anyone can use:
 *   bundled — a set the app ships, by name;
 *   url     — a public http(s) address the page can fetch (CORS permitting);
 *   files   — the visitor's own files, by name, size and SHA-256: the page asks for them and
 *             refuses files whose hash differs, so a run never silently uses other data.
 */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export const fileRefSchema = z.strictObject({
  name: z.string().min(1).max(200),
  bytes: z.number().int().min(0).max(2 ** 48),
  sha256: z.string().regex(SHA256_HEX, 'sha256: 64 lowercase hex digits'),
});
export type FileRef = z.infer<typeof fileRefSchema>;

const httpUrl = z
  .string()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), { message: 'a data URL must start with https:// or http://' });

export const dataSourceSchema = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('bundled'), name: z.enum(BUNDLED_SET_NAMES) }),
  z.strictObject({ from: z.literal('url'), url: httpUrl }),
  z.strictObject({ from: z.literal('files'), files: z.array(fileRefSchema).min(1).max(8) }),
]);
export type DataSource = z.infer<typeof dataSourceSchema>;

/** Same data by construction: same bundled name, same URL, or the same file contents (hashes, in any order). */
export function sameSource(a: DataSource | undefined, b: DataSource | undefined): boolean {
  if (!a || !b || a.from !== b.from) return false;
  if (a.from === 'bundled' && b.from === 'bundled') return a.name === b.name;
  if (a.from === 'url' && b.from === 'url') return a.url === b.url;
  if (a.from === 'files' && b.from === 'files') return sameMembers(a.files.map((f) => f.sha256), b.files.map((f) => f.sha256));
  return false;
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = (x: readonly string[]) => [...x].sort().join('\n');
  return sorted(a) === sorted(b);
}

function shortHash(sha256: string): string {
  return `${sha256.slice(0, 12)}…`;
}

export function formatFileRef(f: FileRef): string {
  return `${f.name} (${f.bytes.toLocaleString('en')} bytes, SHA-256 ${shortHash(f.sha256)})`;
}

/**
 * Files a visitor chose, checked against the files a link names. Files are matched by content
 * (a renamed copy is fine); every expected file must be there, and nothing else.
 */
export function checkFiles(expected: readonly FileRef[], chosen: readonly FileRef[]): { ok: true } | { ok: false; error: string } {
  const byHash = new Map(chosen.map((f) => [f.sha256, f]));
  const missing = expected.filter((e) => !byHash.has(e.sha256));
  const wanted = new Set(expected.map((e) => e.sha256));
  const extra = chosen.filter((c) => !wanted.has(c.sha256));
  if (missing.length === 0 && extra.length === 0) return { ok: true };
  const lines: string[] = [];
  for (const e of missing) {
    const sameName = chosen.find((c) => c.name === e.name || baseName(c.name) === baseName(e.name));
    lines.push(
      sameName
        ? `${sameName.name} is not the file this link was made with: its SHA-256 is ${shortHash(sameName.sha256)} (${sameName.bytes.toLocaleString('en')} bytes), the link expects ${shortHash(e.sha256)} (${e.bytes.toLocaleString('en')} bytes)`
        : `missing ${formatFileRef(e)}`,
    );
  }
  for (const c of extra) {
    if (!missing.some((e) => e.name === c.name || baseName(e.name) === baseName(c.name))) lines.push(`${c.name} is not one of the link's files`);
  }
  return { ok: false, error: `The chosen files do not match this link, so nothing was loaded: ${lines.join('; ')}.` };
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/** One line for the data panel: where this set can be had. */
export function describeSource(source: DataSource): string {
  switch (source.from) {
    case 'bundled':
      return `the bundled set ${source.name}`;
    case 'url':
      return source.url;
    case 'files':
      return source.files.map(formatFileRef).join(', ');
  }
}
