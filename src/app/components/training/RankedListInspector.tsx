import { useEffect, useId, useState } from 'react';
import type { QueryInspection } from '../../../worker/protocol';
import { useRankPlay } from '../../store';
import type { InspectSplit } from '../../store/inspect-slice';
import { selectControlsReady } from '../../store/selectors';
import { rankerColor } from '../chart-data';
import { NumberField } from '../fields';
import './training.css';

/** Lists are long on real data; the top of a ranking is where the estimators differ anyway. */
const SHOWN_BY_DEFAULT = 15;

function LabelChip({ label }: { label: number }) {
  // Five steps of one hue (ColorBrewer Blues), so grade order reads without telling colours apart.
  const step = Math.max(0, Math.min(4, Math.round(label)));
  return (
    <span className={`label-chip label-chip--${step}`} title={`relevance label ${label}`}>
      {label}
    </span>
  );
}

interface RankingProps {
  id: string;
  colour: string;
  inspection: QueryInspection;
  limit: number;
}

function Ranking({ id, colour, inspection, limit }: RankingProps) {
  const ranking = inspection.rankings[id];
  if (!ranking) return null;
  const training = inspection.split === 'train';
  const order = ranking.order.slice(0, limit);
  return (
    <table className="ranking" data-testid={`inspector-ranking-${id}`}>
      <caption>
        <span className="swatch" style={{ background: colour }} aria-hidden="true" />
        {id}
      </caption>
      <thead>
        <tr>
          <th scope="col" className="num">
            Rank
          </th>
          <th scope="col" className="num" title="The document's position in the data (the same document has the same number in every ranking).">
            Doc
          </th>
          <th scope="col">Label</th>
          <th scope="col" className="num">
            Score
          </th>
          {training && (
            <th scope="col" className="num" title="Clicks / impressions of this document in the training click log.">
              Clicks
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {order.map((doc, rank) => {
          const d = inspection.docs[doc];
          return (
            <tr key={doc} data-testid={`inspector-row-${id}`}>
              <td className="num">{rank + 1}</td>
              <td className="num">{doc}</td>
              <td>
                <LabelChip label={d.label} />
              </td>
              <td className="num">{ranking.scores[doc].toFixed(3)}</td>
              {training && (
                <td className="num">
                  {d.clicks}/{d.impressions}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * One query, every ranker's ranking of it side by side: where the naive ranker puts a relevant
 * document the oracle puts first shows what position bias did. Rankings are fetched from the
 * worker when the pick changes and whenever training settles (paused, stepped, done), not on every
 * step of a playing run, which would slow training down for a view nobody can read that fast.
 */
export function RankedListInspector() {
  const summary = useRankPlay((s) => s.summary);
  const rankerIds = useRankPlay((s) => s.rankerIds);
  const split = useRankPlay((s) => s.inspectSplit);
  const query = useRankPlay((s) => s.inspectQueryIndex);
  const inspection = useRankPlay((s) => s.inspection);
  const error = useRankPlay((s) => s.inspectError);
  const busy = useRankPlay((s) => s.inspecting);
  const inspect = useRankPlay((s) => s.inspectQuery);
  const pick = useRankPlay((s) => s.pickInspectQuery);
  const ready = useRankPlay(selectControlsReady);
  const settledStep = useRankPlay((s) => (s.runState === 'playing' ? null : s.step));
  const [showAll, setShowAll] = useState(false);
  const splitId = useId();

  const count = summary ? (split === 'train' ? summary.trainQueries : summary.testQueries) : 0;
  const q = Math.min(query, Math.max(0, count - 1));

  useEffect(() => {
    if (ready && summary && count > 0) inspect(split, q);
    // Re-inspect when the run (summary), the pick or the settled step changes.
  }, [ready, summary, split, q, count, settledStep, inspect]);

  const shown = inspection && inspection.split === split && inspection.query === q ? inspection : null;
  const docs = shown?.docs.length ?? 0;
  const limit = showAll ? docs : Math.min(docs, SHOWN_BY_DEFAULT);

  return (
    <section className="inspector" data-testid="inspector" aria-labelledby="inspector-heading">
      <h2 id="inspector-heading">Ranked lists</h2>
      <div className="inspector-controls">
        <div className="field">
          <label htmlFor={splitId}>Split</label>
          <select id={splitId} data-testid="inspector-split" value={split} onChange={(e) => pick(e.currentTarget.value as InspectSplit, 0)}>
            <option value="test">Test</option>
            <option value="train">Training (with clicks)</option>
          </select>
        </div>
        <button type="button" className="text-button" aria-label="Previous query" disabled={q <= 0} onClick={() => pick(split, q - 1)}>
          ←
        </button>
        <NumberField
          label={`Query (0–${Math.max(0, count - 1)})`}
          testId="inspector-query"
          integer
          min={0}
          max={Math.max(0, count - 1)}
          value={q}
          onCommit={(v) => {
            pick(split, v);
            return null;
          }}
        />
        <button type="button" className="text-button" aria-label="Next query" disabled={q >= count - 1} onClick={() => pick(split, q + 1)}>
          →
        </button>
        <button type="button" className="text-button" data-testid="inspector-refresh" disabled={!ready || count === 0} onClick={() => inspect(split, q)}>
          Refresh
        </button>
      </div>
      {!summary && <p className="panel-intro">The rankings appear once the experiment has loaded.</p>}
      {error && (
        <p className="click-error" role="alert" data-testid="inspector-error">
          {error}
        </p>
      )}
      {shown && (
        <>
          <p className="panel-intro" data-testid="inspector-summary" aria-busy={busy}>
            Query id <strong>{shown.queryId}</strong> · {docs} documents
            {docs > limit && ` · top ${limit} shown`}
            {split === 'train' && ' · clicks/impressions from the training log'}
          </p>
          <div className="rankings">
            {rankerIds.map((id) => (
              <Ranking key={id} id={id} colour={rankerColor(rankerIds, id)} inspection={shown} limit={limit} />
            ))}
          </div>
          {docs > SHOWN_BY_DEFAULT && (
            <button type="button" className="text-button" onClick={() => setShowAll((v) => !v)}>
              {showAll ? `Show the top ${SHOWN_BY_DEFAULT}` : `Show all ${docs}`}
            </button>
          )}
        </>
      )}
    </section>
  );
}
