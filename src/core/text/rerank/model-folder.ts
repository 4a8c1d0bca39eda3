/**
 * The Hugging Face model layout as a cross-encoder loader reads it: which files, where they
 * resolve, and how to name what is missing. Pure string work, shared by the URL and picked-files
 * paths of the loader.
 */

export const CONFIG_FILE = 'config.json';
export const TOKENIZER_FILE = 'tokenizer.json';
export const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';
export const DEFAULT_ONNX_FILE = 'onnx/model.onnx';

/** "1.2 MB", "512 bytes": for progress lines and error messages. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} bytes`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/**
 * A model folder URL as the loader fetches from it, ending in '/'. A bare Hub model page
 * (https://huggingface.co/org/name) becomes its file base (…/resolve/main/), which is what a
 * person copies from the address bar.
 */
export function modelBaseUrl(base: string): string {
  const trimmed = base.trim();
  const hub = /^(https?:\/\/(?:www\.)?huggingface\.co\/[^/?#]+\/[^/?#]+?)\/?$/.exec(trimmed);
  if (hub && !/\/(resolve|tree|blob)\//.test(trimmed)) return `${hub[1]}/resolve/main/`;
  const tree = /^(https?:\/\/(?:www\.)?huggingface\.co\/[^/]+\/[^/]+)\/(?:tree|blob)\/([^/]+)\/?$/.exec(trimmed);
  if (tree) return `${tree[1]}/resolve/${tree[2]}/`;
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** The model's display name from its base URL: the Hub id, else the last path segment. */
export function nameFromUrl(base: string): string {
  const hub = /huggingface\.co\/([^/]+\/[^/]+)\/resolve\//.exec(base);
  if (hub) return hub[1];
  const parts = base.replace(/[?#].*$/, '').split('/').filter(Boolean);
  return parts[parts.length - 1] ?? base;
}

/** Which ONNX file: a relative path inside the folder, without '..'. */
export function checkOnnxFileName(file: string): string {
  const f = file.replace(/^\.?\//, '');
  if (!/\.onnx$/i.test(f) || f.split('/').includes('..')) throw new Error(`onnxFile must be a .onnx path inside the model folder (e.g. ${DEFAULT_ONNX_FILE}), got '${file}'`);
  return f;
}

/**
 * Picked files keyed by their path in the folder. A picked directory arrives with its own name in
 * front (webkitRelativePath "my-model/config.json"): when every path shares one first segment and
 * config.json is not at the top, that segment is dropped. Returns relative path → original key.
 */
export function folderPaths(keys: Iterable<string>): Map<string, string> {
  const all = [...keys].map((k) => [k.replace(/\\/g, '/').replace(/^\.?\//, ''), k] as const);
  const firsts = new Set(all.map(([p]) => (p.includes('/') ? p.slice(0, p.indexOf('/')) : '')));
  const strip = !all.some(([p]) => p === CONFIG_FILE) && firsts.size === 1 && !firsts.has('');
  return new Map(all.map(([p, k]) => [strip ? p.slice(p.indexOf('/') + 1) : p, k]));
}

/** What to tell a person whose model folder lacks `file`. */
export function missingFileMessage(file: string, onnxFile: string, available?: readonly string[]): string {
  const base = `the model folder has no ${file}`;
  if (file === TOKENIZER_FILE) return `${base} (RankPlay tokenises with the model's own fast-tokenizer file; save it with tokenizer.save_pretrained())`;
  if (file === CONFIG_FILE) return `${base} (a Hugging Face model folder starts with its config.json)`;
  if (file === onnxFile) {
    const others = (available ?? []).filter((f) => /\.onnx$/i.test(f));
    const hint = others.length ? `; it has ${others.join(', ')}: choose one of those as the ONNX file` : '; export one with `optimum-cli export onnx --task text-classification`';
    return `${base}${hint}`;
  }
  return base;
}
