import type { ModelSource } from '../core/text/rerank/types';

/** A Hugging Face model id: `owner/name`. */
const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/**
 * The URL base a model's files sit under, from what a person typed: a base
 * (`https://huggingface.co/<id>/resolve/main/`), a hub id (`owner/name`), a model page on the hub,
 * or the URL of one of its files (config.json, onnx/model.onnx). Always ends with '/'.
 */
export function modelBase(input: string): string {
  const text = input.trim();
  if (!text) throw new Error('give the model\'s URL base (…/resolve/main/) or a Hugging Face id such as owner/name');
  if (HUB_ID.test(text)) return `https://huggingface.co/${text}/resolve/main/`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`'${text.slice(0, 80)}' is neither a URL (https://…/resolve/main/) nor a Hugging Face model id (owner/name)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`the model URL must start with https:// (got ${url.protocol})`);
  url.search = '';
  url.hash = '';
  const segments = url.pathname.split('/').filter(Boolean);
  if (url.hostname === 'huggingface.co' && segments.length === 2) return `https://huggingface.co/${segments[0]}/${segments[1]}/resolve/main/`;
  // A file of the model: its folder is the base (onnx/ files sit one level down).
  const last = segments[segments.length - 1] ?? '';
  if (/\.(json|onnx|safetensors|txt)$/i.test(last)) {
    segments.pop();
    if (segments[segments.length - 1] === 'onnx' && /\.onnx$/i.test(last)) segments.pop();
    url.pathname = `/${segments.join('/')}${segments.length ? '/' : ''}`;
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** Same key, same model: a loaded model is reused rather than loaded again. */
export function modelKey(source: ModelSource): string {
  if (source.kind === 'url') return `url ${source.base}`;
  const files = [...source.files].map(([path, blob]) => `${path}:${blob.size}:${blob instanceof File ? blob.lastModified : ''}`).sort();
  return `files ${files.join('|')}`;
}
