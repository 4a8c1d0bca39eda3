import { useState } from 'react';
import { SPLIT_NAMES, type DatasetInfo, type SplitInfo, type SplitName, type TextSetInfo } from '../../../core/data/library';
import { useRankPlay } from '../../store';
import { selectShownDataset } from '../../store/selectors';
import { FeatureStatsTable } from './FeatureStatsTable';
import { formatBytes, formatCount } from './format';
import { HistogramChart, labelRows } from './HistogramChart';

/** The summary of the data set picked in the list (or in use, or the newest). */
export function DatasetSummary() {
  const info = useRankPlay(selectShownDataset);
  if (!info) return null;
  // Keyed: another data set starts on its own first split, not on the previous one's choice.
  return <Summary key={info.id} info={info} />;
}

function Summary({ info }: { info: DatasetInfo }) {
  return (
    <section className="dataset-summary" data-testid="dataset-summary" data-id={info.id} aria-label={`Summary of ${info.name}`}>
      <h3>
        {info.name} <span className="muted">({info.kind === 'features' ? 'feature vectors' : 'text collection'})</span>
      </h3>
      <FileList info={info} />
      <Warnings warnings={info.warnings} />
      {info.kind === 'features' ? <FeatureSummary info={info} /> : info.text ? <TextSummary text={info.text} /> : null}
    </section>
  );
}

function FileList({ info }: { info: DatasetInfo }) {
  return (
    <details className="summary-files">
      <summary>
        {info.files.length} file{info.files.length === 1 ? '' : 's'}, {formatBytes(info.files.reduce((s, f) => s + f.bytes, 0))}
      </summary>
      <ul>
        {info.files.map((f) => (
          <li key={`${f.role}:${f.name}`}>
            <strong>{f.name}</strong> — {f.role}, {f.format}, {formatBytes(f.bytes)}, {formatCount(f.rows)} rows in {f.seconds.toFixed(2)} s
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Enough to see what kind of trouble there was; the full list is one click away. */
const WARNINGS_SHOWN = 5;

function Warnings({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0) return null;
  const first = warnings.slice(0, WARNINGS_SHOWN);
  const rest = warnings.slice(WARNINGS_SHOWN);
  return (
    <div className="summary-warnings" data-testid="dataset-warnings">
      <strong>
        {warnings.length} warning{warnings.length === 1 ? '' : 's'} while loading
      </strong>
      <ul>
        {first.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
      {rest.length > 0 && (
        <details>
          <summary>{rest.length} more</summary>
          <ul>
            {rest.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function FeatureSummary({ info }: { info: DatasetInfo }) {
  const present = SPLIT_NAMES.filter((s) => info.splits[s]);
  const [chosen, setChosen] = useState<SplitName>(present[0] ?? 'train');
  const split = info.splits[chosen];
  if (present.length === 0) return <p className="field-note">No splits in this data set.</p>;
  return (
    <>
      <CountsTable info={info} splits={present} />
      <div className="split-tabs" role="group" aria-label="Split shown below">
        <span className="muted">Charts and feature statistics for</span>
        {present.map((s) => (
          <button
            key={s}
            type="button"
            className={s === chosen ? 'split-tab split-tab--active' : 'split-tab'}
            aria-pressed={s === chosen}
            data-testid={`summary-split-${s}`}
            onClick={() => setChosen(s)}
          >
            {s}
          </button>
        ))}
      </div>
      {split && <SplitDetails split={split} name={chosen} />}
    </>
  );
}

function CountsTable({ info, splits }: { info: DatasetInfo; splits: SplitName[] }) {
  return (
    <table className="summary-counts" data-testid="summary-counts">
      <thead>
        <tr>
          <th scope="col">Split</th>
          <th scope="col" className="num">
            Queries
          </th>
          <th scope="col" className="num">
            Documents
          </th>
          <th scope="col" className="num">
            Features
          </th>
          <th scope="col" className="num" title="Docs per query: min / mean / max">
            Docs per query
          </th>
          <th scope="col" className="num" title="Queries where no document has a label of 1 or more: they carry no ranking signal.">
            Queries without a relevant doc
          </th>
        </tr>
      </thead>
      <tbody>
        {splits.map((name) => {
          const st = (info.splits[name] as SplitInfo).stats;
          return (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className="num" data-testid={`summary-queries-${name}`} data-value={st.queries}>
                {formatCount(st.queries)}
              </td>
              <td className="num" data-testid={`summary-docs-${name}`} data-value={st.docs}>
                {formatCount(st.docs)}
              </td>
              <td className="num" data-testid={`summary-features-${name}`} data-value={st.features}>
                {formatCount(st.features)}
              </td>
              <td className="num">
                {st.docsPerQuery.min} / {st.docsPerQuery.mean.toFixed(1)} / {st.docsPerQuery.max}
              </td>
              <td className="num" data-testid={`summary-norel-${name}`} data-value={st.noRelevantQueries}>
                {formatCount(st.noRelevantQueries)}
                {st.queries > 0 ? ` (${((st.noRelevantQueries / st.queries) * 100).toFixed(0)}%)` : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function SplitDetails({ split, name }: { split: SplitInfo; name: SplitName }) {
  const st = split.stats;
  const dpq = st.docsPerQueryHistogram.map((b) => ({ label: b.from === b.to ? String(b.from) : `${b.from}–${b.to}`, count: b.count }));
  return (
    <>
      <div className="summary-charts">
        <HistogramChart title={`Relevance labels (${name})`} xLabel="label" rows={labelRows(st.labels)} testId="label-histogram" />
        <HistogramChart title={`Documents per query (${name})`} xLabel="documents" rows={dpq} testId="dpq-histogram" />
      </div>
      <FeatureStatsTable stats={st.featureStats} docs={st.docs} split={name} />
    </>
  );
}

function TextSummary({ text }: { text: TextSetInfo }) {
  return (
    <>
      <dl className="summary-text">
        <div>
          <dt>Documents</dt>
          <dd data-testid="summary-text-documents" data-value={text.documents}>
            {formatCount(text.documents)}
          </dd>
        </div>
        <div>
          <dt>Queries</dt>
          <dd data-testid="summary-text-queries" data-value={text.queries}>
            {formatCount(text.queries)}
          </dd>
        </div>
        <div>
          <dt>Judgements</dt>
          <dd data-testid="summary-text-judgements" data-value={text.judgements}>
            {formatCount(text.judgements)}
          </dd>
        </div>
        <div>
          <dt>Run entries</dt>
          <dd data-testid="summary-text-run" data-value={text.runEntries}>
            {formatCount(text.runEntries)}
          </dd>
        </div>
      </dl>
      <div className="summary-charts">
        <HistogramChart title="Judged relevance grades" xLabel="grade" rows={labelRows(text.labels)} testId="label-histogram" />
      </div>
    </>
  );
}
