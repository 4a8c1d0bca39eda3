import { useMemo } from 'react';
import type { RankerSpec } from '../../../core/experiment/config';
import type { LossName } from '../../../core/rank/losses/types';
import { useRankPlay } from '../../store';
import { rankerColor } from '../chart-data';
import { FieldGroup, NumberField, SelectField, type SelectOption } from '../fields';
import { useConfigCommit } from '../use-config-commit';
import { applyPreset, matchPreset, PRESETS, type PresetId } from '../../../core/experiment/presets';
import { ESTIMATOR_HINTS, ESTIMATOR_OPTIONS, LOSS_HINT, LOSS_OPTIONS, lossLabel, MAX_RANKERS, modelOfKind, newRanker, rankerIdFor, type ModelKind } from './rankers';
import './training.css';

const CUSTOM = 'custom';
type PresetChoice = PresetId | typeof CUSTOM;
/** A ranker without its own loss uses the experiment's ('default' is no loss name, so it cannot clash). */
const DEFAULT_LOSS = 'default';
type LossChoice = LossName | typeof DEFAULT_LOSS;

const PROPENSITY_OPTIONS: readonly SelectOption<RankerSpec['propensities']>[] = [
  { value: 'true', label: 'True' },
  { value: 'estimated', label: 'Estimated' },
];

const MODEL_OPTIONS: readonly SelectOption<ModelKind>[] = [
  { value: 'linear', label: 'Linear' },
  { value: 'mlp', label: 'MLP' },
  // allRank-style: a small transformer encoder over the whole candidate list (d 32, 2 heads, 2 layers).
  { value: 'attention', label: 'Attention (listwise)' },
];


export function PresetPicker() {
  const config = useRankPlay((s) => s.config);
  const commit = useConfigCommit();
  // Re-derived only when the config changes (three preset builds and parses).
  const active = useMemo(() => matchPreset(config), [config]);
  const options: SelectOption<PresetChoice>[] = PRESETS.map((p) => ({ value: p.id, label: p.label }));
  if (active === null) options.push({ value: CUSTOM, label: 'Custom' });
  const description = PRESETS.find((p) => p.id === active)?.description;
  return (
    <FieldGroup title="Experiment">
      <div className="preset">
        <SelectField
          label="Preset"
          testId="preset-select"
          hint="Replaces the rankers, clicks and training settings; keeps the data and the seed."
          value={active ?? CUSTOM}
          options={options}
          onChange={(id) => {
            if (id !== CUSTOM) commit((c) => applyPreset(c, id));
          }}
        />
      </div>
      {description && <p className="field-note">{description}</p>}
    </FieldGroup>
  );
}

function RankerCard({ ranker, index, colour, canRemove }: { ranker: RankerSpec; index: number; colour: string; canRemove: boolean }) {
  const commit = useConfigCommit();
  const defaultLoss = useRankPlay((s) => s.config.train.loss);
  const edit = (change: (r: RankerSpec) => void) =>
    commit((c) => {
      const r = c.rankers[index];
      if (r) change(r);
    });
  const lossOptions: SelectOption<LossChoice>[] = [{ value: DEFAULT_LOSS, label: 'Default' }, ...LOSS_OPTIONS];
  const usesClip = ranker.estimator === 'ips' || ranker.estimator === 'dla';
  return (
    <fieldset className="ranker-card" data-testid={`ranker-card-${index}`}>
      <legend>
        <span className="swatch" style={{ background: colour }} aria-hidden="true" />
        <span data-testid={`ranker-${index}-id`}>{ranker.id}</span>
      </legend>
      <button
        type="button"
        className="ranker-remove"
        data-testid={`ranker-${index}-remove`}
        aria-label={`Remove ranker ${ranker.id}`}
        title={canRemove ? `Remove ${ranker.id}` : 'An experiment needs at least one ranker'}
        disabled={!canRemove}
        onClick={() => commit((c) => { c.rankers.splice(index, 1); })}
      >
        Remove
      </button>
      <SelectField
        label="Estimator"
        testId={`ranker-${index}-estimator`}
        hint={ESTIMATOR_HINTS[ranker.estimator]}
        value={ranker.estimator}
        options={ESTIMATOR_OPTIONS}
        onChange={(v) =>
          commit((c) => {
            const r = c.rankers[index];
            if (!r) return;
            r.estimator = v;
            // The id names the estimator so the legend says what each line is.
            r.id = rankerIdFor(v, c.rankers, index);
          })
        }
      />
      <SelectField
        label="Model"
        testId={`ranker-${index}-model`}
        value={ranker.model.kind}
        options={MODEL_OPTIONS}
        onChange={(kind) =>
          commit((c) => {
            const r = c.rankers[index];
            if (r && r.model.kind !== kind) r.model = modelOfKind(kind, c);
          })
        }
      />
      <SelectField
        label="Loss"
        testId={`ranker-${index}-loss`}
        hint={`Default: the experiment's loss (${lossLabel(defaultLoss)}, under Model & training). ${LOSS_HINT}`}
        value={ranker.loss ?? DEFAULT_LOSS}
        options={lossOptions}
        onChange={(v) => edit((r) => { r.loss = v === DEFAULT_LOSS ? undefined : v; })}
      />
      {ranker.estimator === 'ips' && (
        <SelectField
          label="Propensities"
          testId={`ranker-${index}-propensities`}
          hint="True: the click model's own examination curve. Estimated: measured from a separate randomised log (see Clicks)."
          value={ranker.propensities}
          options={PROPENSITY_OPTIONS}
          onChange={(v) => edit((r) => { r.propensities = v; })}
        />
      )}
      {usesClip && (
        <NumberField
          label="Clip at"
          testId={`ranker-${index}-clip`}
          hint="θ_r/θ_1 below this is raised to it, so no click weighs more than 1/clip (0 = no clipping)."
          min={0}
          max={1}
          step={0.01}
          value={ranker.clip}
          onCommit={(v) => edit((r) => { r.clip = v; })}
        />
      )}
    </fieldset>
  );
}

/** The rankers of the run: each one's estimator, model and loss, added and removed here. */
export function EstimatorSettings() {
  const rankers = useRankPlay((s) => s.config.rankers);
  const commit = useConfigCommit();
  const ids = rankers.map((r) => r.id);
  return (
    <FieldGroup title={`Rankers (${rankers.length} of ${MAX_RANKERS})`}>
      <div className="ranker-list">
        {rankers.map((r, i) => (
          <RankerCard key={`${i}:${r.id}`} ranker={r} index={i} colour={rankerColor(ids, r.id)} canRemove={rankers.length > 1} />
        ))}
      </div>
      <button
        type="button"
        className="text-button"
        data-testid="add-ranker"
        disabled={rankers.length >= MAX_RANKERS}
        title={rankers.length >= MAX_RANKERS ? `At most ${MAX_RANKERS} rankers train side by side` : undefined}
        onClick={() => commit((c) => { c.rankers.push(newRanker(c.rankers)); })}
      >
        Add ranker
      </button>
    </FieldGroup>
  );
}
