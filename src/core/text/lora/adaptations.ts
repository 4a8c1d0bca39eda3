import type { Rng } from '../../experiment/rng';
import type { BertConfig } from '../model/config';
import type { BertParams } from '../model/params';
import { ADAPTATION_KINDS, type Adaptation, type AdaptationConfig, type AdaptationFactory, type AdaptationKind, type TrainableCount } from './adaptation';
import { checkLoraConfig } from './lora';
import { loraFactory } from './lora-adaptation';
import { alloraFactory } from './variants/allora';
import { dyloraFactory } from './variants/dylora';
import { fullFactory, headFactory } from './variants/full';
import { randloraFactory } from './variants/randlora';
import { soraFactory } from './variants/sora';
import { svfitFactory } from './variants/svfit';

/** Every fine-tuning method by kind. Variants register here (one module each under variants/). */
const FACTORIES: Partial<Record<AdaptationKind, AdaptationFactory>> = {
  lora: loraFactory,
  dylora: dyloraFactory,
  sora: soraFactory,
  allora: alloraFactory,
  randlora: randloraFactory,
  svfit: svfitFactory,
  head: headFactory,
  full: fullFactory,
};

export function adaptationFactory(kind: AdaptationKind): AdaptationFactory {
  const f = FACTORIES[kind];
  if (!f) throw new Error(`fine-tuning method '${String(kind)}' is not available (one of ${availableAdaptations().join(', ')})`);
  return f;
}

export function availableAdaptations(): AdaptationKind[] {
  return ADAPTATION_KINDS.filter((k) => FACTORIES[k] !== undefined);
}

/** Checks the fields every kind reads; a message names the field and the value. */
export function checkAdaptationConfig(ac: AdaptationConfig): AdaptationConfig {
  if (!ADAPTATION_KINDS.includes(ac.kind)) throw new Error(`unknown fine-tuning method '${String(ac.kind)}' (one of ${ADAPTATION_KINDS.join(', ')})`);
  if (ac.kind !== 'head' && ac.kind !== 'full') checkLoraConfig(ac);
  if (!(Number.isFinite(ac.soraLambda) && ac.soraLambda >= 0)) throw new Error(`SoRA: λ must be ≥ 0, got ${String(ac.soraLambda)}`);
  if (!(Number.isFinite(ac.alloraEta) && ac.alloraEta > 0)) throw new Error(`ALLoRA: η must be positive, got ${String(ac.alloraEta)}`);
  if (!(Number.isInteger(ac.randloraBases) && ac.randloraBases >= 0)) throw new Error(`RandLoRA: bases must be a whole number ≥ 0, got ${String(ac.randloraBases)}`);
  return ac;
}

/** Trainable parameters of a config on a model, before anything is built. */
export function adaptationCount(ac: AdaptationConfig, c: BertConfig): TrainableCount {
  return adaptationFactory(checkAdaptationConfig(ac).kind).count(ac, c);
}

export function createAdaptation(ac: AdaptationConfig, c: BertConfig, base: BertParams, rng: Rng): Promise<Adaptation> {
  return adaptationFactory(checkAdaptationConfig(ac).kind).create(ac, c, base, rng);
}
