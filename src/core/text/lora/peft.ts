import type { BertConfig } from '../model/config';
import type { WeightData } from '../model/params';
import { readSafetensors, writeSafetensors } from '../model/safetensors';
import { checkLoraConfig, LORA_TARGETS, loraModuleSpecs, makeAdapter, TARGET_PATH, type LoraAdapters, type LoraConfig, type LoraTarget } from './lora';

/**
 * PEFT's on-disk layout for a LoRA adapter (huggingface/peft docs, "PEFT checkpoint format"):
 * `adapter_config.json` plus `adapter_model.safetensors` whose keys are the wrapped model's module
 * paths under `base_model.model.`, without the adapter name: for BertForSequenceClassification
 * `base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight` [r, in] and
 * `...lora_B.weight` [out, r].
 *
 * target_modules: PEFT matches a list entry against the end of each module path (`key == t` or
 * `key.endswith("." + t)`), and a string as a regex that must fullmatch the whole path. Our targets
 * are written as these suffixes: "query", "key", "value", "attention.output.dense",
 * "intermediate.dense", "output.dense". The last is ambiguous in PEFT (it also matches
 * `attention.output.dense`), so when 'output.dense' is targeted without 'attention.output.dense'
 * the config is written as a regex over `bert.encoder.layer.N.<path>` instead of a list. The short
 * "dense" is never written: it would also match `bert.pooler.dense`, which we do not adapt.
 *
 * task_type is "SEQ_CLS"; PEFT then also treats `classifier` as a module to save. We keep the base
 * classifier frozen, so the file has no classifier entries and PEFT falls back to the base model's.
 */

export const PEFT_PREFIX = 'base_model.model.';

export interface PeftAdapterFiles {
  /** adapter_config.json's object (JSON.stringify it to write the file). */
  config: Record<string, unknown>;
  /** adapter_model.safetensors. */
  safetensors: Uint8Array;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** PEFT's target_modules for our targets: a list of path suffixes, or a regex where a list would adapt too much. */
export function peftTargetModules(targets: readonly LoraTarget[]): string[] | string {
  const ordered = LORA_TARGETS.filter((t) => targets.includes(t));
  if (ordered.includes('output.dense') && !ordered.includes('attention.output.dense')) {
    return `bert\\.encoder\\.layer\\.\\d+\\.(${ordered.map((t) => escapeRe(TARGET_PATH[t])).join('|')})`;
  }
  // With both present, "output.dense" alone covers attention.output.dense too; list both anyway for clarity.
  return ordered.map((t) => t);
}

/** Which of our targets PEFT's target_modules (list or regex) selects in a BERT encoder layer. */
export function targetsFromPeft(targetModules: unknown): LoraTarget[] {
  const path = (t: LoraTarget) => `bert.encoder.layer.0.${TARGET_PATH[t]}`;
  if (typeof targetModules === 'string') {
    const re = new RegExp(`^(?:${targetModules})$`);
    return LORA_TARGETS.filter((t) => re.test(path(t)));
  }
  if (Array.isArray(targetModules) && targetModules.every((m) => typeof m === 'string')) {
    return LORA_TARGETS.filter((t) => (targetModules as string[]).some((m) => path(t) === m || path(t).endsWith(`.${m}`)));
  }
  throw new Error('adapter_config.json: target_modules must be a list of module names or a regex string');
}

export async function exportPeftAdapter(l: LoraAdapters, opts: { baseModelNameOrPath?: string | null } = {}): Promise<PeftAdapterFiles> {
  const lc = checkLoraConfig(l.config);
  const tensors = new Map<string, WeightData>();
  for (const ad of l.adapters) {
    tensors.set(`${PEFT_PREFIX}${ad.module}.lora_A.weight`, { shape: ad.a.shape.slice(), data: new Float32Array(await ad.a.data()) });
    tensors.set(`${PEFT_PREFIX}${ad.module}.lora_B.weight`, { shape: ad.b.shape.slice(), data: new Float32Array(await ad.b.data()) });
  }
  const config: Record<string, unknown> = {
    peft_type: 'LORA',
    task_type: 'SEQ_CLS',
    base_model_name_or_path: opts.baseModelNameOrPath ?? null,
    revision: null,
    r: lc.r,
    lora_alpha: lc.alpha,
    lora_dropout: lc.dropout,
    target_modules: peftTargetModules(lc.targetModules),
    bias: 'none',
    fan_in_fan_out: false,
    use_rslora: false,
    use_dora: false,
    modules_to_save: null,
    inference_mode: true,
    init_lora_weights: true,
    rank_pattern: {},
    alpha_pattern: {},
  };
  return { config, safetensors: writeSafetensors(tensors) };
}

/**
 * Reads a PEFT LoRA adapter for this BERT config back into trainable adapters. Refuses what
 * RankPlay cannot apply exactly (another peft_type, bias other than "none", rsLoRA, DoRA,
 * per-module rank or alpha patterns, fan_in_fan_out, adapted modules outside our targets).
 */
export function importPeftAdapter(configJson: unknown, bytes: Uint8Array, c: BertConfig): LoraAdapters {
  if (typeof configJson !== 'object' || configJson === null || Array.isArray(configJson)) throw new Error('adapter_config.json: expected a JSON object');
  const j = configJson as Record<string, unknown>;
  if (j.peft_type !== 'LORA') throw new Error(`adapter_config.json: peft_type '${String(j.peft_type)}' is not LORA`);
  if ((j.bias ?? 'none') !== 'none') throw new Error(`adapter_config.json: bias '${String(j.bias)}' is not supported (only "none")`);
  for (const flag of ['use_rslora', 'use_dora', 'fan_in_fan_out'] as const) if (j[flag] === true) throw new Error(`adapter_config.json: ${flag} is not supported`);
  for (const pat of ['rank_pattern', 'alpha_pattern'] as const) {
    const p = j[pat];
    if (p !== undefined && p !== null && !(typeof p === 'object' && Object.keys(p).length === 0)) throw new Error(`adapter_config.json: ${pat} is not supported`);
  }
  const lc = checkLoraConfig({
    r: (j.r ?? 8) as number,
    alpha: (j.lora_alpha ?? 8) as number,
    dropout: (j.lora_dropout ?? 0) as number,
    targetModules: targetsFromPeft(j.target_modules),
  });
  const { tensors } = readSafetensors(bytes);
  const specs = loraModuleSpecs(lc, c);
  const expected = new Set(specs.flatMap((s) => [`${PEFT_PREFIX}${s.module}.lora_A.weight`, `${PEFT_PREFIX}${s.module}.lora_B.weight`]));
  for (const name of tensors.keys()) if (!expected.has(name)) throw new Error(`adapter_model.safetensors: unexpected tensor '${name}' (not a LoRA weight of the targeted modules)`);
  const take = (name: string, shape: number[]): WeightData => {
    const w = tensors.get(name);
    if (!w) throw new Error(`adapter_model.safetensors: missing '${name}'`);
    if (w.shape.length !== 2 || w.shape[0] !== shape[0] || w.shape[1] !== shape[1]) {
      throw new Error(`adapter_model.safetensors: '${name}' has shape [${w.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    return w;
  };
  // Check every tensor before creating any variable, so a bad file leaks nothing.
  const data = specs.map((s) => ({ module: s.module, a: take(`${PEFT_PREFIX}${s.module}.lora_A.weight`, [lc.r, s.in]), b: take(`${PEFT_PREFIX}${s.module}.lora_B.weight`, [s.out, lc.r]) }));
  const adapters = data.map((d) => makeAdapter(d.module, d.a, d.b));
  return { config: lc, scale: lc.alpha / lc.r, adapters };
}

export type { LoraConfig };
