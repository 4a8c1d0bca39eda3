import { deflateSync, Inflate, strFromU8, strToU8 } from 'fflate';
import { CONFIG_VERSION, defaultConfig, parseConfig, type ExperimentConfig } from './config';

/**
 * The whole config travels in the URL hash as `#c=<base64url(deflate(JSON))>`. Decoding is
 * defensive: the hash is untrusted input. It is size-limited before and after inflation,
 * parsed only as JSON, validated by the schema, and never evaluated or rendered as HTML.
 */
export const HASH_KEY = 'c';
/** Browsers and chat apps start truncating URLs around 8 KB; a longer hash is refused, not cut. */
export const MAX_HASH_CHARS = 8000;
export const MAX_JSON_BYTES = 64 * 1024;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('it contains characters that base64url does not use');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Inflates with a hard cap on output, so a tiny hostile hash cannot expand into gigabytes. */
function inflateLimited(data: Uint8Array, maxBytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > maxBytes) throw new Error(`it expands beyond ${maxBytes / 1024} KB`);
    chunks.push(chunk);
  });
  try {
    inflater.push(data, true);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(reason.startsWith('it expands') ? reason : 'it is not valid compressed data');
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** base64url(deflate(JSON)): the payload of every link format (`#c=` and share/link.ts's `#l=`). */
export function encodeJsonPayload(value: unknown): string {
  return toBase64Url(deflateSync(strToU8(JSON.stringify(value)), { level: 9 }));
}

/**
 * The inverse of encodeJsonPayload for untrusted text: size-capped inflation, JSON.parse only.
 * Throws an Error whose message reads after "could not be used (…)".
 */
export function decodeJsonPayload(encoded: string): unknown {
  const text = strFromU8(inflateLimited(fromBase64Url(encoded), MAX_JSON_BYTES));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('it is not valid JSON');
  }
}

export function encodeConfig(config: ExperimentConfig): string {
  return encodeJsonPayload(config);
}

export function configToHash(config: ExperimentConfig): string {
  return `#${HASH_KEY}=${encodeConfig(config)}`;
}

export interface HashDecodeResult {
  config: ExperimentConfig;
  /** Set when the hash was present but unusable: say why, and that defaults are in use. */
  error?: string;
  /** True when the config came from the hash. */
  fromHash: boolean;
}

function rejected(reason: string): HashDecodeResult {
  return { config: defaultConfig(), fromHash: false, error: `The link's settings could not be used (${reason}); showing the default experiment instead.` };
}

/** Reads a config from a location hash (with or without '#'); an empty hash gives the default quietly. */
export function configFromHash(hash: string): HashDecodeResult {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body === '') return { config: defaultConfig(), fromHash: false };
  if (body.length > MAX_HASH_CHARS) return rejected(`it is ${body.length} characters long, over the ${MAX_HASH_CHARS} limit`);
  const params = new URLSearchParams(body);
  const encoded = params.get(HASH_KEY);
  if (encoded === null) return rejected(`it has no "${HASH_KEY}=" part`);
  let json: unknown;
  try {
    json = decodeJsonPayload(encoded);
  } catch (e) {
    return rejected(e instanceof Error ? e.message : String(e));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return rejected('it is not a settings object');
  const version = (json as { version?: unknown }).version;
  if (version !== CONFIG_VERSION) {
    const shown = typeof version === 'number' ? String(version) : 'missing';
    return rejected(`settings version ${shown.slice(0, 12)} is not one this app knows (it reads version ${CONFIG_VERSION})`);
  }
  const parsed = parseConfig(json);
  if (!parsed.ok) return rejected(parsed.error.slice(0, 300));
  return { config: parsed.config, fromHash: true };
}
