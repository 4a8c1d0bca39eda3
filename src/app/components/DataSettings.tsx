import { useRankPlay } from '../store';
import { FieldGroup, NumberField, SelectField } from './fields';
import { useConfigCommit } from './use-config-commit';

const RELEVANCE_OPTIONS = [
  { value: 'linear', label: 'linear' },
  { value: 'nonlinear', label: 'nonlinear' },
] as const;

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
      <NumberField
        label="Queries"
        testId="cfg-queries"
        integer
        min={4}
        max={100_000}
        value={data.queries}
        onCommit={(v) => commit((c) => { c.data.queries = v; })}
      />
      <NumberField
        label="Docs per query"
        testId="cfg-docs-per-query"
        integer
        min={2}
        max={1000}
        value={data.docsPerQuery}
        onCommit={(v) => commit((c) => { c.data.docsPerQuery = v; })}
      />
      <NumberField
        label="Features"
        testId="cfg-features"
        integer
        min={1}
        max={1024}
        value={data.features}
        onCommit={(v) => commit((c) => { c.data.features = v; })}
      />
      <SelectField
        label="Relevance function"
        testId="cfg-relevance"
        hint="The hidden function of the features that decides each document's relevance label."
        value={data.relevance}
        options={RELEVANCE_OPTIONS}
        onChange={(v) => commit((c) => { c.data.relevance = v; })}
      />
      <NumberField
        label="Label noise"
        testId="cfg-noise"
        hint="Noise added to the hidden score before it is cut into labels: the higher, the further the labels stray from the truth."
        min={0}
        max={10}
        step={0.1}
        value={data.noise}
        onCommit={(v) => commit((c) => { c.data.noise = v; })}
      />
      <NumberField
        label="Test fraction"
        testId="cfg-test-fraction"
        hint="Share of queries held out to measure nDCG."
        min={0.05}
        max={0.95}
        step={0.05}
        value={data.testFraction}
        onCommit={(v) => commit((c) => { c.data.testFraction = v; })}
      />
    </FieldGroup>
  );
}
