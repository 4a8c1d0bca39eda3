import type { StoredDataSpec, SyntheticDataSpec } from '../../core/experiment/config';
import { useRankPlay } from '../store';
import { describeSource } from '../../core/data/source';
import { selectDatasetInUse } from '../store/selectors';
import { FieldGroup, NumberField, SelectField, type SelectOption } from './fields';
import { useConfigCommit } from './use-config-commit';

const RELEVANCE_OPTIONS = [
  { value: 'linear', label: 'linear' },
  { value: 'nonlinear', label: 'nonlinear' },
] as const;

type Normalization = StoredDataSpec['normalization'];

export const NORMALIZATION_OPTIONS: readonly SelectOption<Normalization>[] = [
  { value: 'none', label: 'none' },
  { value: 'zscore', label: 'z-score' },
  { value: 'minmax', label: 'min-max' },
  { value: 'log1p-z', label: 'log1p + z-score' },
];

export function DataSettings() {
  const config = useRankPlay((s) => s.config);
  const commit = useConfigCommit();
  const data = config.data;
  return (
    <FieldGroup title="Data">
      <NumberField
        label="Seed"
        testId="cfg-seed"
        hint="Every random choice (data, split, initial weights, batches) follows from it."
        integer
        min={0}
        max={0xffffffff}
        value={config.seed}
        onCommit={(v) => commit((c) => { c.seed = v; })}
      />
      {data.kind === 'synthetic' ? <SyntheticFields data={data} /> : <StoredFields data={data} />}
    </FieldGroup>
  );
}

/** Edits config.data only while it is still synthetic: a stale closure must not write fields a stored set lacks. */
function useSyntheticCommit(): (edit: (d: SyntheticDataSpec) => void) => string | null {
  const commit = useConfigCommit();
  return (edit) =>
    commit((c) => {
      if (c.data.kind === 'synthetic') edit(c.data);
    });
}

function SyntheticFields({ data }: { data: SyntheticDataSpec }) {
  const commit = useSyntheticCommit();
  return (
    <>
      <NumberField
        label="Queries"
        testId="cfg-queries"
        integer
        min={4}
        max={100_000}
        value={data.queries}
        onCommit={(v) => commit((d) => { d.queries = v; })}
      />
      <NumberField
        label="Docs per query"
        testId="cfg-docs-per-query"
        integer
        min={2}
        max={1000}
        value={data.docsPerQuery}
        onCommit={(v) => commit((d) => { d.docsPerQuery = v; })}
      />
      <NumberField
        label="Min docs per query"
        testId="cfg-docs-per-query-min"
        hint="Lists vary in size, uniformly between this and Docs per query; equal to it means every list has the same size."
        integer
        min={1}
        max={1000}
        value={data.docsPerQueryMin ?? data.docsPerQuery}
        onCommit={(v) => commit((d) => { d.docsPerQueryMin = v === d.docsPerQuery ? undefined : v; })}
      />
      <NumberField
        label="Features"
        testId="cfg-features"
        integer
        min={1}
        max={1024}
        value={data.features}
        onCommit={(v) => commit((d) => { d.features = v; })}
      />
      <SelectField
        label="Relevance function"
        testId="cfg-relevance"
        hint="The hidden function of the features that decides each document's relevance label."
        value={data.relevance}
        options={RELEVANCE_OPTIONS}
        onChange={(v) => commit((d) => { d.relevance = v; })}
      />
      <NumberField
        label="Label noise"
        testId="cfg-noise"
        hint="Noise added to the hidden score before it is cut into labels: the higher, the further the labels stray from the truth."
        min={0}
        max={10}
        step={0.1}
        value={data.noise}
        onCommit={(v) => commit((d) => { d.noise = v; })}
      />
      <NumberField
        label="Test fraction"
        testId="cfg-test-fraction"
        hint="Share of queries held out to measure nDCG."
        min={0.05}
        max={0.95}
        step={0.05}
        value={data.testFraction}
        onCommit={(v) => commit((d) => { d.testFraction = v; })}
      />
      <button type="button" className="text-button" data-testid="go-to-data-panel" onClick={scrollToDataPanel}>
        Load your own data…
      </button>
    </>
  );
}

/** The data panel sits below the charts; this brings a researcher straight to it. */
function scrollToDataPanel(): void {
  document.querySelector('[data-testid="dataset-panel"]')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function StoredFields({ data }: { data: StoredDataSpec }) {
  const commit = useConfigCommit();
  const info = useRankPlay(selectDatasetInUse);
  const known = useRankPlay((s) => s.datasetsKnown);
  const useSynthetic = useRankPlay((s) => s.useSynthetic);
  const editStored = (edit: (d: StoredDataSpec) => void) =>
    commit((c) => {
      if (c.data.kind === 'stored') edit(c.data);
    });
  // Without a test file the held-out queries are a seeded share of train; with one, the fraction means nothing.
  const hasTestSplit = Boolean(info?.splits.test);
  return (
    <>
      <div className="field stored-name">
        <span>Data set</span>
        <strong data-testid="cfg-dataset-name" title={data.name}>
          {data.name}
        </strong>
      </div>
      {!info && known && (
        <p className="field-note field-note--warn" data-testid="cfg-dataset-missing">
          {data.source
            ? `This data set is not in this browser yet: it comes from ${data.source.from === 'files' ? 'local files' : describeSource(data.source)} (see the top of the page).`
            : 'This data set is not in this browser: load its files below, or go back to synthetic data.'}
        </p>
      )}
      <SelectField
        label="Feature normalisation"
        testId="cfg-normalization"
        hint="Fitted on the training split only, then applied to every split."
        value={data.normalization}
        options={NORMALIZATION_OPTIONS}
        onChange={(v) => editStored((d) => { d.normalization = v; })}
      />
      {hasTestSplit ? (
        <p className="field-note">Tested on the set&apos;s own test file.</p>
      ) : (
        <NumberField
          label="Test fraction"
          testId="cfg-test-fraction"
          hint="No test file: this share of the training queries (chosen by the seed) is held out to measure nDCG."
          min={0.05}
          max={0.95}
          step={0.05}
          value={data.testFraction}
          onCommit={(v) => editStored((d) => { d.testFraction = v; })}
        />
      )}
      <button type="button" className="text-button" data-testid="use-synthetic" onClick={useSynthetic}>
        Back to synthetic data
      </button>
    </>
  );
}
