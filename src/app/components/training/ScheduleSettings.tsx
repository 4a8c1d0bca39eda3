import type { TrainSpec } from '../../../core/experiment/config';
import { useRankPlay } from '../../store';
import { FieldGroup, NumberField, SelectField, type SelectOption } from '../fields';
import { useConfigCommit } from '../use-config-commit';

const SCHEDULES: readonly SelectOption<TrainSpec['schedule']['kind']>[] = [
  { value: 'constant', label: 'Constant' },
  { value: 'warmup-cosine', label: 'Warm-up + cosine' },
  { value: 'warmup-linear', label: 'Warm-up + linear' },
];

const VALIDATE_BY: readonly SelectOption<TrainSpec['validateBy']>[] = [
  { value: 'labels', label: 'Labels (nDCG)' },
  { value: 'clicks', label: 'Clicks (click nDCG)' },
];

/** Learning-rate schedule, gradient clipping and early stopping: the knobs that keep a run from diverging or overfitting. */
export function ScheduleSettings() {
  const train = useRankPlay((s) => s.config.train);
  const commit = useConfigCommit();
  const edit = (change: (t: TrainSpec) => void) => commit((c) => change(c.train));
  const scheduled = train.schedule.kind !== 'constant';
  const validating = train.validationFraction > 0;
  return (
    <FieldGroup title="Schedule & stopping">
      <SelectField
        label="Learning-rate schedule"
        testId="cfg-schedule"
        hint="Warm-up raises the rate linearly from 0, then it decays to the final fraction by the last step."
        value={train.schedule.kind}
        options={SCHEDULES}
        onChange={(v) => edit((t) => { t.schedule.kind = v; })}
      />
      {scheduled && (
        <>
          <NumberField
            label="Warm-up steps"
            testId="cfg-warmup-steps"
            integer
            min={0}
            max={1_000_000}
            value={train.schedule.warmupSteps}
            onCommit={(v) => edit((t) => { t.schedule.warmupSteps = v; })}
          />
          <NumberField
            label="Final rate (fraction)"
            testId="cfg-final-fraction"
            hint="The learning rate at the last step, as a fraction of the peak."
            min={0}
            max={1}
            step={0.05}
            value={train.schedule.finalFraction}
            onCommit={(v) => edit((t) => { t.schedule.finalFraction = v; })}
          />
        </>
      )}
      <NumberField
        label="Clip gradient norm"
        testId="cfg-clip-norm"
        hint="Rescales a step whose global gradient norm exceeds this (0 = off). Helps when the loss jumps or becomes NaN."
        min={0}
        max={1_000_000}
        step={0.5}
        value={train.clipNorm}
        onCommit={(v) => edit((t) => { t.clipNorm = v; })}
      />
      <NumberField
        label="Validation fraction"
        testId="cfg-validation-fraction"
        hint="Share of training queries held out for validation curves and early stopping (0 = none)."
        min={0}
        max={0.5}
        step={0.05}
        value={train.validationFraction}
        onCommit={(v) => edit((t) => { t.validationFraction = v; })}
      />
      {validating && (
        <>
          <NumberField
            label="Patience (evaluations)"
            testId="cfg-patience"
            hint="Stop a ranker after this many evaluations without a better validation score (0 = never stop early)."
            integer
            min={0}
            max={10_000}
            value={train.patience}
            onCommit={(v) => edit((t) => { t.patience = v; })}
          />
          <SelectField
            label="Validate by"
            testId="cfg-validate-by"
            hint="Labels: nDCG on the held-out queries' labels. Clicks: nDCG of held-out click sessions, for when labels are hidden."
            value={train.validateBy}
            options={VALIDATE_BY}
            onChange={(v) => edit((t) => { t.validateBy = v; })}
          />
        </>
      )}
    </FieldGroup>
  );
}
