import { unzipSync, zipSync } from 'fflate';

/**
 * The adapter's and the merged model's files as downloads (one zip each), and picked files read
 * back: either the zip or the two PEFT files. Every error names the file and the reason.
 */

export const PEFT_CONFIG = 'adapter_config.json';
export const PEFT_WEIGHTS = 'adapter_model.safetensors';

/** Stored, not deflated: float32 weights hardly compress and a zip should cost no time. */
export function zipFiles(files: Record<string, Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, [bytes, { level: 0 }]])));
}

export interface PickedAdapter {
  configName: string;
  configText: string;
  weightsName: string;
  weights: Uint8Array;
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

function fromZip(name: string, bytes: Uint8Array): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes);
  } catch (e) {
    throw new Error(`${name}: not a readable zip file (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Finds adapter_config.json and adapter_model.safetensors among picked files (or inside a picked
 * zip). Other names are accepted when their type is unambiguous: one .json and one .safetensors.
 */
export async function pickAdapterFiles(files: readonly { name: string; blob: Blob }[]): Promise<PickedAdapter> {
  if (files.length === 0) throw new Error(`pick ${PEFT_CONFIG} and ${PEFT_WEIGHTS} together, or the adapter's .zip`);
  let entries: { name: string; bytes: () => Promise<Uint8Array> }[] = files.map((f) => ({ name: f.name, bytes: () => bytesOf(f.blob) }));
  const zips = files.filter((f) => /\.zip$/i.test(f.name));
  if (zips.length > 1) throw new Error(`pick one adapter zip at a time (got ${zips.map((z) => z.name).join(', ')})`);
  if (zips.length === 1) {
    const zip = zips[0];
    const inside = fromZip(zip.name, await bytesOf(zip.blob));
    entries = Object.entries(inside)
      .filter(([path]) => !path.endsWith('/'))
      .map(([path, bytes]) => ({ name: `${zip.name}/${path}`, bytes: async () => bytes }));
    if (entries.length === 0) throw new Error(`${zip.name}: the zip is empty`);
  }
  const exact = (file: string) => entries.find((e) => baseName(e.name) === file);
  const byExt = (ext: RegExp) => {
    const found = entries.filter((e) => ext.test(e.name));
    return found.length === 1 ? found[0] : undefined;
  };
  const config = exact(PEFT_CONFIG) ?? byExt(/\.json$/i);
  const weights = exact(PEFT_WEIGHTS) ?? byExt(/\.safetensors$/i);
  const where = zips.length ? ` in ${zips[0].name}` : '';
  if (!config) throw new Error(`${PEFT_CONFIG} is missing${where}: pick it with ${PEFT_WEIGHTS}, or the adapter's .zip`);
  if (!weights) throw new Error(`${PEFT_WEIGHTS} is missing${where}: pick it with ${PEFT_CONFIG}, or the adapter's .zip`);
  const configText = new TextDecoder().decode(await config.bytes());
  return { configName: config.name, configText, weightsName: weights.name, weights: await weights.bytes() };
}

/** adapter_config.json parsed, or an error naming the file. */
export function parseAdapterConfig(picked: PickedAdapter): unknown {
  try {
    return JSON.parse(picked.configText);
  } catch (e) {
    throw new Error(`${picked.configName}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Core's messages name the files by their canonical names (and the safetensors reader says
 * "model.safetensors"): say the name the person picked instead, so they know which file is wrong.
 */
export function renameInMessage(message: string, picked: PickedAdapter): string {
  return message
    .replace(/^adapter_config\.json:/, `${picked.configName}:`)
    .replace(/^(adapter_)?model\.safetensors:/, `${picked.weightsName}:`);
}
