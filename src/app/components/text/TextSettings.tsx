import { useId, type InputHTMLAttributes } from 'react';
import { useRankPlay } from '../../store';
import type { TextForm } from '../../store/text-slice';
import { FieldGroup, NumberField, SelectField, type SelectOption } from '../fields';
import { formatCount } from '../datasets/format';

const DEMO_SPLITS: SelectOption<TextForm['split']>[] = [
  { value: 'test', label: 'Test queries (held-out topics)' },
  { value: 'train', label: 'Training queries' },
];
const STORED_SPLITS: SelectOption<TextForm['split']>[] = [
  { value: 'judged', label: 'Judged queries (qrels)' },
  { value: 'all', label: 'All queries' },
];
const MODELS: SelectOption<TextForm['model']>[] = [
  { value: 'demo', label: 'Demo cross-encoder (offline)' },
  { value: 'url', label: 'From a URL / Hugging Face id' },
  { value: 'files', label: 'From files on this computer' },
];
const BACKENDS: SelectOption<TextForm['backend']>[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'wasm', label: 'wasm (CPU)' },
];

/** React's types lack the folder picker's attribute; Chromium, Firefox and Safari all honour it. */
const FOLDER_PICKER = { webkitdirectory: '' } as InputHTMLAttributes<HTMLInputElement>;

/** First stage: which collection, which queries, BM25's k1 and b (Anserini's defaults) and how deep to retrieve. */
export function TextCorpusSettings() {
  const form = useRankPlay((s) => s.textForm);
  const setForm = useRankPlay((s) => s.setTextForm);
  const busy = useRankPlay((s) => s.textRunning !== null);
  const datasets = useRankPlay((s) => s.datasets);
  const textSets = datasets.filter((d) => d.kind === 'text');
  const corpora: SelectOption<string>[] = [
    { value: 'demo', label: 'Demo corpus (offline)' },
    ...textSets.map((d) => ({ value: d.id, label: `${d.name} (${formatCount(d.text?.documents ?? 0)} docs)` })),
  ];
  // A set deleted meanwhile: show the demo rather than a value the list lacks.
  const corpus = corpora.some((c) => c.value === form.corpus) ? form.corpus : 'demo';
  const splits = corpus === 'demo' ? DEMO_SPLITS : STORED_SPLITS;
  const runFile = useRankPlay((s) => s.textRunFile);
  const setRunFile = useRankPlay((s) => s.setTextRunFile);
  return (
    <FieldGroup title="First stage: BM25 or your run">
      <SelectField label="Corpus" testId="text-corpus" value={corpus} options={corpora} onChange={(v) => setForm({ corpus: v })} disabled={busy} hint="Text sets loaded in the data panel (MS MARCO, BEIR, TREC) appear here" />
      <SelectField label="Queries" testId="text-split" value={splits.some((s) => s.value === form.split) ? form.split : splits[0].value} options={splits} onChange={(v) => setForm({ split: v })} disabled={busy} />
      <NumberField label="k1" testId="text-k1" value={form.k1} min={0} max={10} step={0.1} onCommit={(v) => (setForm({ k1: v }), null)} hint="Term-frequency saturation" />
      <NumberField label="b" testId="text-b" value={form.b} min={0} max={1} step={0.05} onCommit={(v) => (setForm({ b: v }), null)} hint="Length normalisation" />
      <NumberField label="Documents per query" testId="text-k" value={form.k} integer min={1} max={1000} onCommit={(v) => (setForm({ k: v }), null)} />
      <p className="field-note">k1 = 0.9, b = 0.4 are Anserini&rsquo;s defaults (Lucene BM25, Porter stemming, English stopwords).</p>
      <div className="text-file-pickers">
        <label className={busy ? 'file-button file-button--disabled' : 'file-button'}>
          Use a TREC run instead…
          <input
            className="visually-hidden"
            type="file"
            disabled={busy}
            data-testid="text-run-file"
            onChange={(e) => {
              setRunFile(e.currentTarget.files?.[0] ?? null);
              e.currentTarget.value = '';
            }}
          />
        </label>
        {runFile ? (
          <>
            <span data-testid="text-run-file-name">Candidates from {runFile.name}</span>
            <button type="button" className="text-button" data-testid="text-run-file-clear" disabled={busy} onClick={() => setRunFile(null)}>
              Back to BM25
            </button>
          </>
        ) : (
          <span className="muted">Your own first stage: a TREC run over this collection (qid Q0 docno rank score tag).</span>
        )}
      </div>
    </FieldGroup>
  );
}

/** Second stage: which cross-encoder, on which device, how deep. */
export function TextModelSettings() {
  const form = useRankPlay((s) => s.textForm);
  const setForm = useRankPlay((s) => s.setTextForm);
  const busy = useRankPlay((s) => s.textRunning !== null);
  const files = useRankPlay((s) => s.textModelFiles);
  const setFiles = useRankPlay((s) => s.setTextModelFiles);
  const urlId = useId();
  return (
    <FieldGroup title="Second stage: cross-encoder">
      <SelectField label="Model" testId="text-model" value={form.model} options={MODELS} onChange={(v) => setForm({ model: v })} disabled={busy} />
      {form.model === 'url' && (
        <div className="field text-url-field">
          <label htmlFor={urlId}>URL base or Hugging Face id</label>
          <input
            id={urlId}
            type="text"
            data-testid="text-model-url"
            placeholder="https://huggingface.co/owner/name/resolve/main/"
            value={form.modelUrl}
            disabled={busy}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setForm({ modelUrl: e.currentTarget.value })}
          />
        </div>
      )}
      {form.model === 'files' && (
        <div className="text-file-pickers">
          {/* The input inside its label: keyboard focus shows on the button (file-button:focus-within). */}
          <label className={busy ? 'file-button file-button--disabled' : 'file-button'}>
            Choose folder…
            <input className="visually-hidden" type="file" multiple disabled={busy} data-testid="text-model-folder" {...FOLDER_PICKER} onChange={(e) => setFiles(Array.from(e.currentTarget.files ?? []))} />
          </label>
          <label className={busy ? 'file-button file-button--disabled' : 'file-button'}>
            Choose files…
            <input className="visually-hidden" type="file" multiple disabled={busy} data-testid="text-model-files" onChange={(e) => setFiles(Array.from(e.currentTarget.files ?? []))} />
          </label>
          <span className="muted" data-testid="text-model-file-list">
            {files.length ? files.map((f) => f.path).join(', ') : 'config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx'}
          </span>
        </div>
      )}
      <NumberField label="Rerank depth" testId="text-depth" value={form.depth} integer min={1} max={1000} onCommit={(v) => (setForm({ depth: v }), null)} hint="How many of each query's BM25 documents the cross-encoder rescores" />
      <SelectField label="Device" testId="text-backend" value={form.backend} options={BACKENDS} onChange={(v) => setForm({ backend: v })} disabled={busy} hint="Automatic: WebGPU on a hardware GPU, else wasm" />
      <p className="field-note">The demo model is tiny: a depth of 20–50 is plenty. Real models (MiniLM) want a GPU.</p>
    </FieldGroup>
  );
}
