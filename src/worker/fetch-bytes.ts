/** fetch, or a stand-in for it in tests. */
export type Fetcher = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

/**
 * The bytes of `file` under `base` (the demo corpus, a model folder), with errors that name the
 * URL and why; `hint` says what to check when the fetch itself fails. A cancel is passed through.
 */
export async function fetchBytes(fetcher: Fetcher, base: string, file: string, signal: AbortSignal, hint = ''): Promise<Uint8Array> {
  const url = new URL(file, base).href;
  let response: Response;
  try {
    response = await fetcher(url, { signal });
  } catch (e) {
    if (signal.aborted) throw e;
    throw new Error(`could not fetch ${url} (${e instanceof Error ? e.message : String(e)})${hint}`);
  }
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  return new Uint8Array(await response.arrayBuffer());
}
