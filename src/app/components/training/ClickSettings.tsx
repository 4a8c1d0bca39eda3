import { CLICK_MODELS, type ClickModelName } from '../../../core/clicks/models/config';
import type { ClicksSpec, ExperimentConfig } from '../../../core/experiment/config';
import { useRankPlay } from '../../store';
import { FieldGroup, NumberField, SelectField, type SelectOption } from '../fields';
import { useConfigCommit } from '../use-config-commit';
import { usesClicks, usesEstimatedPropensities } from './rankers';

type Policy = ClicksSpec['policy'];
type PolicyKind = Policy['kind'];
type Intervention = ClicksSpec['estimation']['intervention'];
type Examination = 'power' | 'eye-tracking' | 'table';

const MODEL_LABELS: Record<ClickModelName, string> = { pbm: 'PBM', cascade: 'Cascade', dcm: 'DCM', dbn: 'DBN', ubm: 'UBM' };
const MODEL_OPTIONS: readonly SelectOption<ClickModelName>[] = CLICK_MODELS.map((value) => ({ value, label: MODEL_LABELS[value] }));

const POLICY_LABELS: Record<PolicyKind, string> = {
  production: 'Production',
  pl: 'Sampled',
  random: 'Random',
  feature: 'One feature',
  scores: 'Scores',
};

function policyOptions(current: PolicyKind): SelectOption<PolicyKind>[] {
  const kinds: PolicyKind[] = ['production', 'pl', 'random', 'feature'];
  // 'scores' needs a score file the settings cannot supply; shown only when a link carries it.
  if (current === 'scores') kinds.push('scores');
  return kinds.map((value) => ({ value, label: POLICY_LABELS[value] }));
}

/** A fresh policy of a kind, keeping the production ranker's settings where both have them. */
function policyOfKind(kind: PolicyKind, old: Policy): Policy {
  const production = old.kind === 'production' || old.kind === 'pl' ? { fraction: old.fraction, ridge: old.ridge } : { fraction: 0.01, ridge: 0.1 };
  switch (kind) {
    case 'production':
      return { kind, ...production };
    case 'pl':
      return { kind, temperature: 1, base: 'production', ...production };
    case 'random':
      return { kind };
    case 'feature':
      return { kind, feature: 1 };
    case 'scores':
      return { kind };
  }
}

const INTERVENTION_OPTIONS: readonly SelectOption<Intervention['kind']>[] = [
  { value: 'randtop', label: 'RandTop-n (shuffle the top)' },
  { value: 'swap', label: 'Swap rank 1 with rank k' },
];

function examinationOf(table: ClicksSpec['model']['table']): Examination {
  if (table === undefined) return 'power';
  return table === 'eye-tracking' ? 'eye-tracking' : 'table';
}

function examinationOptions(current: Examination): SelectOption<Examination>[] {
  const options: SelectOption<Examination>[] = [
    { value: 'power', label: '(1/r)^η' },
    { value: 'eye-tracking', label: 'eye-tracking^η' },
  ];
  if (current === 'table') options.push({ value: 'table', label: 'table from link' });
  return options;
}

/**
 * Where the click-based rankers' training signal comes from: the simulated user (click model), the
 * ranking shown to them (logging policy) and how many sessions are logged. Bad combinations (ε− above
 * ε+, an eye-tracking table deeper than 10) come back from the schema as a message under the field.
 */
export function ClickSettings() {
  const config = useRankPlay((s) => s.config);
  const commit = useConfigCommit();
  const { model, policy, sessions, estimation } = config.clicks;
  const editClicks = (change: (c: ExperimentConfig['clicks']) => void) => commit((c) => change(c.clicks));
  const usesEta = model.model === 'pbm' || model.model === 'ubm';
  const examination = examinationOf(model.table);

  return (
    <FieldGroup title="Clicks for training">
      {!usesClicks(config) && <p className="field-note">Every ranker is an oracle: these settings apply once one learns from clicks.</p>}
      <SelectField
        label="Click model"
        testId="cfg-click-model"
        hint="PBM: position-based; Cascade: stop at the first click; DCM: dependent click; DBN: dynamic Bayesian network; UBM: user browsing."
        value={model.model}
        options={MODEL_OPTIONS}
        onChange={(v) => editClicks((c) => { c.model.model = v; })}
      />
      {usesEta && (
        <>
          <SelectField
            label="Examination"
            testId="cfg-click-examination"
            hint="How likely a user looks at rank r: (1/r)^η, or the eye-tracking fixation rates (ranks 1–10) raised to η."
            value={examination}
            options={examinationOptions(examination)}
            onChange={(v) => editClicks((c) => { if (v !== 'table') c.model.table = v === 'eye-tracking' ? 'eye-tracking' : undefined; })}
          />
          <NumberField
            label="η (bias severity)"
            testId="cfg-click-eta"
            hint="0: no position bias; 1: the usual setting; 2: users hardly look past the top."
            min={0}
            max={100}
            step={0.1}
            value={model.eta}
            onCommit={(v) => editClicks((c) => { c.model.eta = v; })}
          />
        </>
      )}
      <NumberField
        label="ε− (noise click)"
        testId="cfg-click-eps-minus"
        hint="Click probability of an examined irrelevant document."
        min={0}
        max={1}
        step={0.05}
        value={model.epsMinus}
        onCommit={(v) => editClicks((c) => { c.model.epsMinus = v; })}
      />
      <NumberField
        label="ε+ (relevant click)"
        testId="cfg-click-eps-plus"
        hint="Click probability of an examined document of the top grade."
        min={0}
        max={1}
        step={0.05}
        value={model.epsPlus}
        onCommit={(v) => editClicks((c) => { c.model.epsPlus = v; })}
      />
      <NumberField
        label="Results shown (top-k)"
        testId="cfg-click-top-k"
        integer
        min={1}
        max={1000}
        value={model.topK}
        onCommit={(v) => editClicks((c) => { c.model.topK = v; })}
      />
      <SelectField
        label="Logging policy"
        testId="cfg-click-policy"
        hint="The ranking the simulated users see. Production: a ranker trained on a few labelled queries. Sampled: rankings drawn from a Plackett–Luce distribution around it (temperature: how far from it). Random: uniform shuffles."
        value={policy.kind}
        options={policyOptions(policy.kind)}
        onChange={(v) => editClicks((c) => { if (c.policy.kind !== v) c.policy = policyOfKind(v, c.policy); })}
      />
      {policy.kind === 'pl' && (
        <NumberField
          label="Temperature"
          testId="cfg-click-temperature"
          hint="Lower: close to the production ranking; higher: closer to random."
          min={0.01}
          max={1_000_000}
          step={0.1}
          value={policy.temperature}
          onCommit={(v) => editClicks((c) => { if (c.policy.kind === 'pl') c.policy.temperature = v; })}
        />
      )}
      {policy.kind === 'feature' && (
        <NumberField
          label="Feature (1-based)"
          testId="cfg-click-feature"
          hint="Rank by this feature column, e.g. a BM25 feature."
          integer
          min={1}
          max={100_000}
          value={policy.feature}
          onCommit={(v) => editClicks((c) => { if (c.policy.kind === 'feature') c.policy.feature = v; })}
        />
      )}
      <NumberField
        label="Sessions"
        testId="cfg-click-sessions"
        hint="Logged sessions, spread uniformly over the training queries."
        integer
        min={10}
        max={5_000_000}
        step={1000}
        value={sessions}
        onCommit={(v) => editClicks((c) => { c.sessions = v; })}
      />
      {usesEstimatedPropensities(config) && (
        <>
          <p className="field-note">IPS with estimated propensities: they come from a separate randomised log.</p>
          <SelectField
            label="Intervention"
            testId="cfg-estimation-intervention"
            value={estimation.intervention.kind}
            options={INTERVENTION_OPTIONS}
            onChange={(v) => editClicks((c) => { if (c.estimation.intervention.kind !== v) c.estimation.intervention = { kind: v, fraction: v === 'swap' ? 0.5 : 1 }; })}
          />
          <NumberField
            label="Intervention sessions"
            testId="cfg-estimation-sessions"
            integer
            min={100}
            max={5_000_000}
            step={1000}
            value={estimation.sessions}
            onCommit={(v) => editClicks((c) => { c.estimation.sessions = v; })}
          />
        </>
      )}
    </FieldGroup>
  );
}
