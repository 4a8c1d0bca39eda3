import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { useRankPlay } from '../../store';
import { clickFormProblem } from '../../store/clicks-slice';
import type { ClickForm } from '../../store/types';
import { CtrChart, ExaminationChart } from './CtrChart';
import { ClickProgress } from './ClickProgress';
import { FitTable, PropensityTable } from './ClickTables';
import { SessionViewer } from './SessionViewer';

export const CLICK_MODEL_OPTIONS: readonly { value: ClickForm['model']; label: string }[] = [
  { value: 'pbm', label: 'PBM' },
  { value: 'cascade', label: 'cascade' },
  { value: 'dbn', label: 'DBN' },
  { value: 'ubm', label: 'UBM' },
  { value: 'dcm', label: 'DCM' },
];

interface NumberInputProps {
  label: string;
  testId: string;
  value: number | null;
  onChange: (value: number) => void;
  hint?: string;
  step?: number | 'any';
  disabled?: boolean;
  /** Blank means "the default" (onChange gets null) instead of a missing number. */
  onBlank?: () => void;
  placeholder?: string;
}

/** A plain number box: whatever is typed goes to the parser, which says what is wrong with it. */
function NumberInput({ label, testId, value, onChange, hint, step = 'any', disabled, onBlank, placeholder }: NumberInputProps) {
  const id = useId();
  const [text, setText] = useState(value === null ? '' : String(value));
  // A value set from elsewhere (a pasted link) replaces the text; what is being typed stays as typed.
  const typed = text.trim() === '' ? (onBlank ? null : Number.NaN) : Number(text);
  if (!Object.is(typed, value) && !(value !== null && Number.isNaN(value) && typed !== null && Number.isNaN(typed))) {
    setText(value === null ? '' : String(value));
  }
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
        placeholder={placeholder}
        onChange={(e) => {
          const raw = e.currentTarget.value;
          setText(raw);
          if (raw.trim() === '' && onBlank) onBlank();
          else onChange(raw.trim() === '' ? Number.NaN : Number(raw));
        }}
      />
    </div>
  );
}

interface SelectProps<T extends string> {
  label: string;
  testId: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  hint?: string;
  disabled?: boolean;
}

function Select<T extends string>({ label, testId, value, options, onChange, hint, disabled }: SelectProps<T>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} title={hint}>
        {label}
      </label>
      <select id={id} data-testid={testId} value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value as T)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Group({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="click-group">
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The settings: the simulated user, the log (who is shown what), the intervention. */
function ClickSettings() {
  const form = useRankPlay((s) => s.clickForm);
  const setForm = useRankPlay((s) => s.setClickForm);
  const usesEta = form.model === 'pbm' || form.model === 'ubm';
  return (
    <div className="click-fields">
      <Group legend="Simulated user">
        <Select
          label="Click model"
          testId="click-model"
          value={form.model}
          options={CLICK_MODEL_OPTIONS}
          onChange={(model) => setForm({ model })}
          hint="PBM: position-based; cascade: stop at the first click; DBN: dynamic Bayesian network; UBM: user browsing; DCM: dependent click."
        />
        <Select
          label="Examination"
          testId="click-examination"
          value={form.examination}
          options={[
            { value: 'power', label: '(1/r)^η' },
            { value: 'eye-tracking', label: 'eye-tracking' },
          ]}
          onChange={(examination) => setForm({ examination })}
          hint="PBM and UBM: examination of rank r is (1/r)^η, or the eye-tracking fixation rates .68 .61 .48 .34 .28 .20 .11 .10 .08 .06 (Joachims et al. 2005) raised to η; the table covers ranks 1..10."
          disabled={!usesEta}
        />
        <NumberInput label="η (bias severity)" testId="click-eta" value={form.eta} onChange={(eta) => setForm({ eta })} hint="0 = no position bias; larger = steeper. PBM and UBM only." disabled={!usesEta} />
        <NumberInput label="ε− (noise click)" testId="click-eps-minus" value={form.epsMinus} onChange={(epsMinus) => setForm({ epsMinus })} hint="Click probability of an examined document of grade 0." />
        <NumberInput label="ε+ (relevant click)" testId="click-eps-plus" value={form.epsPlus} onChange={(epsPlus) => setForm({ epsPlus })} hint="Click probability of an examined document of the top grade (ymax)." />
        <NumberInput
          label="ymax (top grade)"
          testId="click-ymax"
          value={form.ymax}
          step={1}
          onChange={(ymax) => setForm({ ymax })}
          onBlank={() => setForm({ ymax: null })}
          placeholder="data's top"
          hint="The grade that gets ε+. Blank: the data's top grade. Labels above it are refused."
        />
        <NumberInput label="Top-k (shown)" testId="click-top-k" value={form.topK} step={1} onChange={(topK) => setForm({ topK })} />
        <label className="checkbox click-check" title="Users trust the ranker: irrelevant results near the top get more clicks (per-rank ε− and ε+, core's trust-bias preset).">
          <input type="checkbox" data-testid="click-trust-bias" checked={form.trustBias} onChange={(e) => setForm({ trustBias: e.currentTarget.checked })} />
          Trust bias (ε± per rank)
        </label>
      </Group>
      <Group legend="Log">
        <NumberInput label="Sessions" testId="click-sessions" value={form.sessions} step={1000} onChange={(sessions) => setForm({ sessions })} />
        <NumberInput label="Seed" testId="click-seed" value={form.seed} step={1} onChange={(seed) => setForm({ seed })} hint="Same seed, same settings: the same log." />
        <Select
          label="Logging policy"
          testId="click-policy"
          value={form.policy}
          options={[
            { value: 'random', label: 'random' },
            { value: 'production', label: 'production' },
            { value: 'pl', label: 'Plackett–Luce' },
          ]}
          onChange={(policy) => setForm({ policy })}
          hint="Which ranking the simulated users see: a uniformly random one, the 'production' ranker (trained on 1% of the queries), or rankings sampled around it (Plackett–Luce)."
        />
        <NumberInput
          label="Temperature"
          testId="click-temperature"
          value={form.temperature}
          onChange={(temperature) => setForm({ temperature })}
          hint="Plackett–Luce only: near 0 = the production ranking, large = random."
          disabled={form.policy !== 'pl'}
        />
      </Group>
      <Group legend="Intervention">
        <Select
          label="Randomisation"
          testId="click-intervention"
          value={form.intervention}
          options={[
            { value: 'none', label: 'none' },
            { value: 'randtop', label: 'RandTop-n' },
            { value: 'swap', label: 'swap 1 ↔ k' },
          ]}
          onChange={(intervention) => setForm({ intervention })}
          hint="RandTop-n shuffles the top n of every session; swap exchanges rank 1 with a random rank k ≤ n on a fraction of the sessions. Either gives estimates of θ_k/θ_1 with 95% intervals."
        />
        <NumberInput
          label="n (ranks)"
          testId="click-intervention-n"
          value={form.interventionN}
          step={1}
          onChange={(interventionN) => setForm({ interventionN })}
          onBlank={() => setForm({ interventionN: null })}
          placeholder="top-k"
          disabled={form.intervention === 'none'}
        />
        <NumberInput
          label="Swapped fraction"
          testId="click-swap-fraction"
          value={form.swapFraction}
          onChange={(swapFraction) => setForm({ swapFraction })}
          hint="Swap only: the share of sessions swapped; the rest are the comparison."
          disabled={form.intervention !== 'swap'}
        />
      </Group>
    </div>
  );
}

/**
 * Position bias, shown: simulate a click log on the current data with a chosen click model,
 * logging policy and intervention; plot CTR by rank against CTR from relevance alone, the true
 * examination against the intervention's estimates and a fitted click model's, and list a few
 * sessions.
 */
export function ClickPanel() {
  const form = useRankPlay((s) => s.clickForm);
  const setForm = useRankPlay((s) => s.setClickForm);
  const simulate = useRankPlay((s) => s.simulateClicks);
  const result = useRankPlay((s) => s.clickResult);
  const error = useRankPlay((s) => s.clickError);
  const running = useRankPlay((s) => s.clickRunning);
  const cancelled = useRankPlay((s) => s.clickCancelled);
  const ready = useRankPlay((s) => s.backend !== null);
  const problem = useMemo(() => clickFormProblem(form), [form]);
  const fitModelId = useId();
  // What is wrong now, else what went wrong last time: one message, never two saying the same.
  const shown = problem ?? error;
  // Cancel's button leaves with the progress block: give focus back to Simulate, not the page.
  const simulateButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (cancelled && !running && document.activeElement === document.body) simulateButton.current?.focus();
  }, [cancelled, running]);

  return (
    <section className="click-panel" data-testid="click-panel" aria-label="Clicks: position bias">
      <h2>Clicks: position bias</h2>
      <p className="click-intro">
        Users click what they look at, and they look at the top of a list far more than the bottom: that is position bias. A
        simulated user (the click model) examines rank <i>r</i> with some probability and clicks an examined result with a
        probability set by its relevance. Compare the measured CTR with the dashed relevance-only line: the gap is the bias.
        Randomising the ranking (an intervention) measures the examination curve directly; fitting a click model recovers it too,
        but only when rankings vary: under a fixed production ranking position and relevance cannot be told apart.
      </p>
      <form
        className="click-form"
        onSubmit={(e) => {
          e.preventDefault();
          simulate();
        }}
      >
        <ClickSettings />
        <div className="click-actions">
          <div className="click-fit">
            <label className="checkbox">
              <input type="checkbox" data-testid="click-fit" checked={form.fit} onChange={(e) => setForm({ fit: e.currentTarget.checked })} />
              Fit
            </label>
            <label htmlFor={fitModelId} className="visually-hidden">
              Click model to fit
            </label>
            <select id={fitModelId} data-testid="click-fit-model" value={form.fitModel} disabled={!form.fit} onChange={(e) => setForm({ fitModel: e.currentTarget.value as ClickForm['model'] })}>
              {CLICK_MODEL_OPTIONS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
            <span className="field-note">on 75% of the sessions; perplexity on the other 25%</span>
          </div>
          <button ref={simulateButton} type="submit" className="primary-button" data-testid="simulate-clicks" disabled={running || !ready}>
            {running ? 'Simulating…' : 'Simulate clicks'}
          </button>
        </div>
      </form>
      <ClickProgress />
      {cancelled && !running && (
        <p className="field-note" role="status" data-testid="click-cancelled">
          Simulation cancelled{result ? ': the results below are from the run before.' : '.'}
        </p>
      )}
      {shown && (
        <p className="click-error" role="alert" data-testid="click-error">
          {shown}
        </p>
      )}
      {result ? (
        <>
          <p className="click-summary" data-testid="click-summary">
            {result.model.toUpperCase()} on {result.dataName}, {result.policy} policy{result.trustBias ? ', trust bias' : ''}, top {result.k}, ymax {result.ymax}, seed{' '}
            {result.seed}: {result.sessions.toLocaleString('en')} sessions, {result.clicks.toLocaleString('en')} clicks,{' '}
            {result.sessionsWithoutClick.toLocaleString('en')} sessions without a click ({pct(result.sessionsWithoutClick / Math.max(1, result.sessions))}).
            {result.fitted && (
              <>
                {' '}
                Fitted {result.fitted.model.toUpperCase()}: held-out perplexity {result.fitted.perplexity.toFixed(3)} (the simulating model: {result.fitted.truePerplexity.toFixed(3)}).
              </>
            )}
          </p>
          <div className="click-charts">
            <CtrChart result={result} />
            <ExaminationChart result={result} />
          </div>
          {(result.intervention || result.fitted) && (
            <div className="click-tables">
              {result.intervention && <PropensityTable result={result} intervention={result.intervention} />}
              {result.fitted && <FitTable result={result} fitted={result.fitted} />}
            </div>
          )}
          <SessionViewer result={result} />
        </>
      ) : (
        <p className="field-note">No clicks yet: choose a model and press Simulate clicks.</p>
      )}
    </section>
  );
}
