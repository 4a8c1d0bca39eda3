import { innerName } from './parse/stream';

/** The formats RankPlay reads; text formats are detected by core/data/text. */
export type FeatureFormat = 'letor' | 'group';

export interface Detection<F extends string = string> {
  format: F | null;
  /** Why this format (or why none), for messages. */
  reason: string;
}

const LETOR_LINE = /^\s*-?\d+(\.\d+)?\s+(qid:\S+\s+)?\d+:\S/;
const GROUP_NAME = /\.(query|group)$/i;

/** True when the first bytes contain NUL or control characters text files do not have. */
export function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 0) return true;
    if (c < 9 || (c > 13 && c < 32)) control++;
  }
  return control > n / 100;
}

function firstDataLine(text: string): string | undefined {
  return text.split('\n').find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
}

/** LETOR / SVMlight and group files, from the file name and the first (decompressed) bytes. */
export function detectFeatureFormat(name: string, head: Uint8Array): Detection<FeatureFormat> {
  const inner = innerName(name);
  if (GROUP_NAME.test(inner)) return { format: 'group', reason: 'a .query/.group file: documents per query' };
  if (looksBinary(head)) return { format: null, reason: 'it is not a text file (binary bytes near the start)' };
  const line = firstDataLine(new TextDecoder().decode(head.subarray(0, 65536)));
  if (line !== undefined && LETOR_LINE.test(line)) return { format: 'letor', reason: "lines look like 'label qid:Q idx:val ...'" };
  return { format: null, reason: 'no line looks like a LETOR/SVMlight document' };
}
