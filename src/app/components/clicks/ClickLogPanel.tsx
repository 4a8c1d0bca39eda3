import { useId, useRef, useState, type DragEvent } from 'react';
import { useRankPlay } from '../../store';
import type { ClickLogForm } from '../../store/click-logs-slice';
import { filesFromDrop } from '../datasets/drop-files';
import { formatCount, formatMegabytes } from '../datasets/format';
import { CLICK_FIT_MODELS, modelLabel } from './click-log-format';
import { ClickLogResults } from './ClickLogResults';

function carriesFiles(transfer: DataTransfer | null): boolean {
  return Boolean(transfer && Array.from(transfer.types).includes('Files'));
}

/** A number box that keeps what is typed; the worker checks the value and says what is wrong. */
function NumberField({ label, testId, value, onChange, hint, step, disabled }: { label: string; testId: string; value: number; onChange: (v: number) => void; hint: string; step: number; disabled: boolean }) {
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

function ClickLogProgress() {
  const running = useRankPlay((s) => s.clickLogRunning);
  const progress = useRankPlay((s) => s.clickLogProgress);
  const cancel = useRankPlay((s) => s.cancelClickLogFit);
  if (!running) return null;
  let head = 'Starting…';
  let bar = <progress aria-label="Progress" data-testid="click-log-bar" />;
  let figures: string | null = null;
  if (progress?.phase === 'read') {
    const e = progress.event;
    head = `Reading ${e.file}${e.fileCount > 1 ? ` (file ${e.fileIndex + 1} of ${e.fileCount})` : ''}`;
    if (e.totalBytes !== null) bar = <progress aria-label="Bytes read" data-testid="click-log-bar" value={e.bytesRead} max={e.totalBytes} />;
    figures = `${formatMegabytes(e.bytesRead)}${e.totalBytes !== null ? ` of ${formatMegabytes(e.totalBytes)}` : ''}, ${formatCount(e.rows)} lines`;
  } else if (progress?.phase === 'fit') {
    const e = progress.event;
    head = `Fitting ${modelLabel(e.model)} (model ${e.modelIndex + 1} of ${e.modelCount})`;
    bar = <progress aria-label="Models fitted" data-testid="click-log-bar" value={e.modelIndex} max={e.modelCount} />;
    figures = e.iteration > 0 ? `EM iteration ${e.iteration}` : null;
  }
  return (
    <div className="load-progress" data-testid="click-log-progress" role="status" aria-live="polite">
      <div className="load-progress-head">
        <span className="load-file">{head}</span>
        <button type="button" className="text-button" data-testid="click-log-cancel" onClick={cancel}>
          Cancel
        </button>
      </div>
      {bar}
      {figures && <div className="load-figures">{figures}</div>}
    </div>
  );
}

function ClickLogError() {
  const failure = useRankPlay((s) => s.clickLogError);
  const dismiss = useRankPlay((s) => s.dismissClickLogError);
  const skipping = useRankPlay((s) => s.clickLogForm.skipBadLines);
  if (!failure) return null;
  if (failure.cancelled) {
    return (
      <div className="load-message load-message--cancelled" role="status" data-testid="click-log-cancelled">
        <span>Fit cancelled{failure.file ? ` (${failure.file})` : ''}: nothing was fitted.</span>
        <button type="button" className="notice-dismiss" aria-label="Dismiss" onClick={dismiss} />
      </div>
    );
  }
  return (
    <div className="load-message load-message--error" role="alert" data-testid="click-log-error">
      <div>
        <strong>The click log could not be fitted.</strong>
        <p className="load-error-text" data-testid="click-log-error-message">
          {failure.error}
        </p>
        {failure.line !== undefined && !skipping && (
          <p className="load-error-hint">Fix the line and choose the file again, or tick &ldquo;Skip bad lines&rdquo; to fit the other sessions.</p>
        )}
      </div>
      <button type="button" className="notice-dismiss" aria-label="Dismiss" onClick={dismiss} />
    </div>
  );
}

/**
 * A researcher's real clicks: pick or drop a click log (RankPlay TSV, Yandex, Baidu-ULTR
 * sessions), and the worker reads it, holds out sessions, fits the chosen click models and
 * compares them by held-out log-likelihood and perplexity.
 */
export function ClickLogPanel() {
  const form = useRankPlay((s) => s.clickLogForm);
  const setForm = useRankPlay((s) => s.setClickLogForm);
  const fit = useRankPlay((s) => s.fitClickLog);
  const running = useRankPlay((s) => s.clickLogRunning);
  const result = useRankPlay((s) => s.clickLogResult);
  const failure = useRankPlay((s) => s.clickLogError);
  const ready = useRankPlay((s) => s.backend !== null);
  const unseenId = useId();
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed; a depth count tells when the pointer really left.
  const depth = useRef(0);
  const disabled = running || !ready;

  const toggle = (model: ClickLogForm['models'][number], on: boolean) => {
    const chosen = new Set(form.models);
    if (on) chosen.add(model);
    else chosen.delete(model);
    // Kept in the table's order whatever the clicking order.
    setForm({ models: CLICK_FIT_MODELS.map((m) => m.model).filter((m) => chosen.has(m)) });
  };

  const onDrop = (e: DragEvent) => {
    depth.current = 0;
    setDragging(false);
    if (!carriesFiles(e.dataTransfer)) return;
    // Claimed here, so the data panel's page-wide drop handler leaves it alone.
    e.preventDefault();
    if (disabled) return;
    void filesFromDrop(e.dataTransfer).then((files) => {
      if (files.length > 0) fit(files);
    });
  };

  return (
    <section
      className={dragging ? 'click-log-panel click-log-panel--dragover' : 'click-log-panel'}
      data-testid="click-log-panel"
      aria-labelledby="click-log-title"
      onDragEnter={(e) => {
        if (!carriesFiles(e.dataTransfer)) return;
        depth.current++;
        setDragging(true);
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDragOver={(e) => {
        if (!carriesFiles(e.dataTransfer)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
      }}
      onDrop={onDrop}
    >
      <h2 id="click-log-title">Fit click models to a real log</h2>
      <p className="click-intro">
        Drop a click log here or choose one: RankPlay TSV (<code>session query rank doc click [dwell]</code>), a Yandex log
        (WSCD 2012) or Baidu-ULTR training sessions, <code>.gz</code> too. It is read in this browser and never uploaded. Part of
        the sessions is held out; each model is fitted on the rest and scored on them. Choose two files to use the second as the
        test log instead.
      </p>
      <div className="click-log-controls">
        <fieldset className="click-log-models" disabled={disabled}>
          <legend>Click models</legend>
          {CLICK_FIT_MODELS.map((m) => (
            <label key={m.model} className="checkbox" title={m.hint}>
              <input type="checkbox" data-testid={`click-log-model-${m.model}`} checked={form.models.includes(m.model)} onChange={(e) => toggle(m.model, e.currentTarget.checked)} />
              {m.label}
            </label>
          ))}
        </fieldset>
        <div className="click-fields">
          <NumberField label="Held-out share" testId="click-log-test-fraction" value={form.testFraction} step={0.05} disabled={disabled} hint="Fraction of the sessions kept out of fitting and used to score the models (between 0 and 1)." onChange={(testFraction) => setForm({ testFraction })} />
          <NumberField label="Split seed" testId="click-log-seed" value={form.seed} step={1} disabled={disabled} hint="Which sessions are held out: same seed, same split, same numbers." onChange={(seed) => setForm({ seed })} />
          <div className="field">
            <label htmlFor={unseenId} title="Test sessions can show (query, document) pairs that training never saw; their attractiveness has to come from somewhere.">
              Unseen pairs get
            </label>
            <select id={unseenId} data-testid="click-log-unseen" value={form.unseen} disabled={disabled} onChange={(e) => setForm({ unseen: e.currentTarget.value === 'mean' ? 'mean' : 'prior' })}>
              <option value="prior">prior (0.5)</option>
              <option value="mean">fitted mean</option>
            </select>
          </div>
        </div>
        <div className="click-actions">
          <label className="checkbox" title="Leave out sessions with a malformed line instead of stopping at the first; the notes say what was left out.">
            <input type="checkbox" data-testid="click-log-skip-bad-lines" checked={form.skipBadLines} disabled={disabled} onChange={(e) => setForm({ skipBadLines: e.currentTarget.checked })} />
            Skip bad lines
          </label>
          <label className={disabled ? 'file-button file-button--disabled' : 'file-button'}>
            {running ? 'Fitting…' : 'Choose click log…'}
            <input
              type="file"
              multiple
              className="visually-hidden"
              data-testid="click-log-file-input"
              aria-label="Click log file (or a training log and a test log)"
              disabled={disabled}
              onChange={(e) => {
                const files = Array.from(e.currentTarget.files ?? []);
                // Cleared so that picking the same file again (after fixing it) fires 'change' again.
                e.currentTarget.value = '';
                if (files.length > 0) fit(files);
              }}
            />
          </label>
        </div>
      </div>
      {dragging && <div className="drop-hint">Drop to fit click models</div>}
      <ClickLogProgress />
      <ClickLogError />
      {result ? <ClickLogResults result={result} /> : !running && !failure && <p className="field-note">No log fitted yet.</p>}
    </section>
  );
}
