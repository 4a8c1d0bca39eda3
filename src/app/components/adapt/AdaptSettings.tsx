import { LOSS_NAMES, type LossName } from '../../../core/rank/losses/types';
import { TEXT_ESTIMATORS, type TextEstimator } from '../../../core/text/adapt/types';
import type { AdaptationKind } from '../../../core/text/lora/adaptation';
import type { LoraTarget } from '../../../core/text/lora/lora';
import { useRankPlay } from '../../store';
import { adaptFormErrors, type AdaptForm } from '../../store/adapt-form';
import { FieldGroup, NumberField, SelectField, type SelectOption } from '../fields';

const SIGNALS: SelectOption<AdaptForm['signal']>[] = [
  { value: 'clicks', label: 'Simulated clicks' },
  { value: 'labels', label: 'Relevance labels' },
];
/** One empty list for every render: a new [] from a store selector would re-render forever. */
const NONE: never[] = [];
const ESTIMATOR_LABELS: Record<TextEstimator, string> = { naive: 'Naive (clicks as labels)', ips: 'IPS (true propensities)', dla: 'DLA (learned propensities)' };
const ESTIMATORS: SelectOption<TextEstimator>[] = TEXT_ESTIMATORS.map((e) => ({ value: e, label: ESTIMATOR_LABELS[e] }));
const LOSSES: SelectOption<LossName>[] = LOSS_NAMES.map((l) => ({ value: l, label: l }));
const NEGATIVES: SelectOption<AdaptForm['negatives']>[] = [
  { value: 'hard', label: 'Hard (BM25 top, unjudged)' },
  { value: 'random', label: 'Random passages' },
];
const TARGET_LABELS: Record<string, string> = {
  query: 'query',
  key: 'key',
  value: 'value',
  'attention.output.dense': 'attention output',
  'intermediate.dense': 'FFN in',
  'output.dense': 'FFN out',
};

/**
 * One number field of the form: the field's own rules reject unreadable text, and the form's rules
 * (the same ones that gate Train) refuse a value with their message beside the field.
 */
function FormNumber({ field, label, integer, min, max, step, hint }: { field: keyof AdaptForm; label: string; integer?: boolean; min?: number; max?: number; step?: number | 'any'; hint?: string }) {
  const form = useRankPlay((s) => s.adaptForm);
  const setForm = useRankPlay((s) => s.setAdaptForm);
  const value = form[field];
  if (typeof value !== 'number') return null;
  return (
    <NumberField
      label={label}
      testId={`adapt-${field}`}
      value={value}
      integer={integer}
      min={min}
      max={max}
      step={step}
      hint={hint}
      onCommit={(v) => {
        const next = { ...form, [field]: v };
        const error = adaptFormErrors(next)[field];
        if (error) return error;
        setForm({ [field]: v });
        return null;
      }}
    />
  );
}

function TargetModules() {
  const targets = useRankPlay((s) => s.adaptMethods?.targets ?? NONE);
  const chosen = useRankPlay((s) => s.adaptForm.targets);
  const setForm = useRankPlay((s) => s.setAdaptForm);
  const error = useRankPlay((s) => adaptFormErrors(s.adaptForm).targets);
  return (
    <fieldset className="adapt-targets" data-testid="adapt-targets">
      <legend>Target layers</legend>
      {targets.map((t) => (
        <label key={t} className="adapt-check">
          <input
            type="checkbox"
            data-testid={`adapt-target-${t}`}
            checked={chosen.includes(t as LoraTarget)}
            onChange={(e) => setForm({ targets: e.target.checked ? [...chosen, t as LoraTarget] : chosen.filter((c) => c !== t) })}
          />
          {TARGET_LABELS[t] ?? t}
        </label>
      ))}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The adapter, where its signal comes from, and how it trains. */
export function AdaptSettings() {
  const form = useRankPlay((s) => s.adaptForm);
  const setForm = useRankPlay((s) => s.setAdaptForm);
  const methods = useRankPlay((s) => s.adaptMethods?.methods ?? NONE);
  const busy = useRankPlay((s) => s.adaptBusy !== null);
  const methodOptions: SelectOption<AdaptationKind>[] = methods.length ? methods.map((m) => ({ value: m.kind, label: m.label })) : [{ value: 'lora', label: 'LoRA' }];
  const summary = methods.find((m) => m.kind === form.kind)?.summary;
  const lowRank = form.kind !== 'head' && form.kind !== 'full';
  return (
    <div className="adapt-settings" data-testid="adapt-settings">
      <FieldGroup title="Adapter">
        <SelectField label="Method" testId="adapt-kind" value={form.kind} options={methodOptions} onChange={(v) => setForm({ kind: v })} disabled={busy} hint={summary} />
        {summary && <p className="field-note">{summary}</p>}
        {lowRank && (
          <>
            <FormNumber field="r" label="Rank r" integer min={1} max={256} />
            <FormNumber field="alpha" label="α" min={0} step="any" hint="The update is scaled by α/r" />
            <FormNumber field="dropout" label="Dropout" min={0} max={0.99} step={0.05} hint="On the adapter's input, while training" />
            <TargetModules />
          </>
        )}
      </FieldGroup>
      <FieldGroup title="Training signal">
        <SelectField label="Signal" testId="adapt-signal" value={form.signal} options={SIGNALS} onChange={(v) => setForm({ signal: v })} disabled={busy} />
        {form.signal === 'clicks' && (
          <>
            <SelectField label="Estimator" testId="adapt-estimator" value={form.estimator} options={ESTIMATORS} onChange={(v) => setForm({ estimator: v })} disabled={busy} />
            <FormNumber field="sessionsPerQuery" label="Sessions per query" integer min={1} max={100000} />
            <FormNumber field="eta" label="Position bias η" min={0} max={10} step={0.1} hint="Examination (1/rank)^η on BM25's top 10" />
          </>
        )}
        <SelectField label="Negatives" testId="adapt-negatives" value={form.negatives} options={NEGATIVES} onChange={(v) => setForm({ negatives: v })} disabled={busy} />
        {form.negatives === 'hard' && <FormNumber field="skipTopUnlabelled" label="Skip top-N unlabelled" integer min={0} max={100} hint="Near the top, an unjudged passage is often relevant" />}
      </FieldGroup>
      <FieldGroup title="Optimisation">
        <SelectField label="Loss" testId="adapt-loss" value={form.loss} options={LOSSES} onChange={(v) => setForm({ loss: v })} disabled={busy} />
        <FormNumber field="steps" label="Steps" integer min={1} max={100000} />
        <FormNumber field="learningRate" label="Learning rate" min={0} max={1} step="any" />
        <FormNumber field="evalEvery" label="Validate every" integer min={1} hint="Steps between validations (and step 0: the base model)" />
        <FormNumber field="patience" label="Patience" integer min={0} max={1000} hint="Validations without a better nDCG@10 before stopping (0 = never)" />
        <FormNumber field="seed" label="Seed" integer min={0} />
      </FieldGroup>
    </div>
  );
}
