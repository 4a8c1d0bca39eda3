import { useId, useState } from 'react';
import { useRankPlay } from '../../store';
import type { ClickForm } from '../../store/types';
import { CtrChart } from './CtrChart';
import { SessionViewer } from './SessionViewer';

const MODELS: readonly { value: ClickForm['model']; label: string }[] = [
  { value: 'pbm', label: 'PBM' },
  { value: 'cascade', label: 'cascade' },
  { value: 'dbn', label: 'DBN' },
  { value: 'ubm', label: 'UBM' },
  { value: 'dcm', label: 'DCM' },
];

interface NumberInputProps {
  label: string;
  testId: string;
  value: number;
  onChange: (value: number) => void;
  hint?: string;
  step?: number | 'any';
  disabled?: boolean;
}

/** A plain number box: whatever is typed goes to the worker, which validates it and says what is wrong. */
function NumberInput({ label, testId, value, onChange, hint, step = 'any', disabled }: NumberInputProps) {
  const id = useId();
  const [text, setText] = useState(String(value));
  return (
    <div className="field">
      <label htmlFor={id} title={hint}>
        {label}
      </label>
      <input
        id={id}
        type="number"
        data-testid={testId}
        value={text}
        step={step}
        disabled={disabled}
        onChange={(e) => {
          setText(e.currentTarget.value);
          onChange(e.currentTarget.value.trim() === '' ? Number.NaN : Number(e.currentTarget.value));
        }}
      />
    </div>
  );
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/**
 * Position bias, shown: simulate a click log on the current data with a chosen click model and
 * logging policy, plot CTR by rank against the model's true examination and against what CTR
 * would be from relevance alone, and fit PBM to see whether the examination curve comes back.
 */
export function ClickPanel() {
  const form = useRankPlay((s) => s.clickForm);
  const setForm = useRankPlay((s) => s.setClickForm);
  const simulate = useRankPlay((s) => s.simulateClicks);
  const result = useRankPlay((s) => s.clickResult);
  const error = useRankPlay((s) => s.clickError);
  const running = useRankPlay((s) => s.clickRunning);
  const ready = useRankPlay((s) => s.backend !== null);
  const modelId = useId();
  const policyId = useId();
  const usesEta = form.model === 'pbm' || form.model === 'ubm';

  return (
    <section className="click-panel" data-testid="click-panel" aria-label="Clicks: position bias">
      <h2>Clicks: position bias</h2>
      <p className="click-intro">
        Users click what they look at, and they look at the top of a list far more than the bottom: that is position bias. A
        simulated user (the click model) examines rank <i>r</i> with some probability and clicks an examined result with a
        probability set by its relevance. Compare the measured CTR with the dashed relevance-only line: the gap is the bias.
        Fitting PBM on the log should recover the true examination curve, but only when rankings vary (the random policy);
        under a fixed production ranking position and relevance cannot be told apart.
      </p>
      <form
        className="click-form"
        onSubmit={(e) => {
          e.preventDefault();
          simulate();
        }}
      >
        <div className="click-fields">
          <div className="field">
            <label htmlFor={modelId} title="PBM: position-based; cascade: stop at the first click; DBN: dynamic Bayesian network; UBM: user browsing; DCM: dependent click.">
              Click model
            </label>
            <select id={modelId} data-testid="click-model" value={form.model} onChange={(e) => setForm({ model: e.currentTarget.value as ClickForm['model'] })}>
              {MODELS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </div>
          <NumberInput label="η (bias severity)" testId="click-eta" value={form.eta} onChange={(eta) => setForm({ eta })} hint="Examination of rank r is (1/r)^η; 0 = no position bias. PBM and UBM only." disabled={!usesEta} />
          <NumberInput label="ε− (noise click)" testId="click-eps-minus" value={form.epsMinus} onChange={(epsMinus) => setForm({ epsMinus })} hint="Click probability of an examined irrelevant document." />
          <NumberInput label="ε+ (relevant click)" testId="click-eps-plus" value={form.epsPlus} onChange={(epsPlus) => setForm({ epsPlus })} hint="Click probability of an examined document of the top grade." />
          <NumberInput label="Sessions" testId="click-sessions" value={form.sessions} step={1000} onChange={(sessions) => setForm({ sessions })} />
          <div className="field">
            <label htmlFor={policyId} title="Which ranking the simulated users see.">
              Logging policy
            </label>
            <select id={policyId} data-testid="click-policy" value={form.policy} onChange={(e) => setForm({ policy: e.currentTarget.value as ClickForm['policy'] })}>
              <option value="random">random</option>
              <option value="production">production</option>
            </select>
          </div>
        </div>
        <div className="click-actions">
          <label className="checkbox">
            <input type="checkbox" data-testid="fit-pbm" checked={form.fit} onChange={(e) => setForm({ fit: e.currentTarget.checked })} />
            Fit PBM (75% of sessions; perplexity on the other 25%)
          </label>
          <button type="submit" className="primary-button" data-testid="simulate-clicks" disabled={running || !ready}>
            {running ? 'Simulating…' : 'Simulate clicks'}
          </button>
        </div>
      </form>
      {error && (
        <p className="click-error" role="alert" data-testid="click-error">
          {error}
        </p>
      )}
      {result ? (
        <>
          <p className="click-summary" data-testid="click-summary">
            {result.model.toUpperCase()} on {result.dataName}, {result.policy} policy: {result.sessions.toLocaleString('en')} sessions,{' '}
            {result.clicks.toLocaleString('en')} clicks, {result.sessionsWithoutClick.toLocaleString('en')} sessions without a click (
            {pct(result.sessionsWithoutClick / Math.max(1, result.sessions))}).
            {result.fitted && (
              <>
                {' '}
                Fitted PBM: held-out perplexity {result.fitted.perplexity.toFixed(3)} ({result.fitted.testSessions.toLocaleString('en')} sessions).
              </>
            )}
          </p>
          <CtrChart result={result} />
          <SessionViewer result={result} />
        </>
      ) : (
        <p className="field-note">No clicks yet: choose a model and press Simulate clicks.</p>
      )}
    </section>
  );
}
