import { useId } from 'react';
import type { TextListRow } from '../../../worker/protocol';
import { useRankPlay } from '../../store';
import { formatMeasure, formatScore } from '../text/text-format';

function Grade({ label }: { label: number | null }) {
  if (label === null) return <span className="text-label text-label--none" title="not judged">–</span>;
  return (
    <span className={`grade grade-${Math.max(0, Math.min(4, label))} text-label`} title={`judged ${label}`}>
      {label}
    </span>
  );
}

function List({ title, rows, ndcg, testId }: { title: string; rows: TextListRow[]; ndcg: number; testId: string }) {
  return (
    <table className="text-list" data-testid={testId}>
      <caption>
        {title} <span className="muted">nDCG@10 {formatMeasure(ndcg)}</span>
      </caption>
      <thead>
        <tr>
          <th scope="col" className="num">Rank</th>
          <th scope="col">Passage</th>
          <th scope="col">Label</th>
          <th scope="col" className="num">Score</th>
          <th scope="col" className="num" title="Its rank in BM25's list">BM25</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.docId} className={r.label !== null && r.label > 0 ? 'text-row--relevant' : undefined}>
            <td className="num">{r.rank}</td>
            <td className="text-passage">
              <span className="text-doc-id">{r.docId}</span> {r.title && <strong>{r.title}</strong>} <span className="text-snippet">{r.snippet}</span>
            </td>
            <td>
              <Grade label={r.label} />
            </td>
            <td className="num">{formatScore(r.score)}</td>
            <td className="num">{r.bm25Rank || '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A validation query ranked by the base cross-encoder and by the adapted one, side by side, with grades. */
export function AdaptLists() {
  const run = useRankPlay((s) => s.adaptRuns.at(-1));
  const index = useRankPlay((s) => s.adaptQueryIndex);
  const view = useRankPlay((s) => s.adaptQuery);
  const show = useRankPlay((s) => s.showAdaptQuery);
  const id = useId();
  const queries = run?.result?.info.data.validation;
  if (!queries?.length) return null;
  return (
    <div className="text-lists" data-testid="adapt-lists">
      <div className="text-query-picker">
        <label htmlFor={id}>Validation query</label>
        <select id={id} data-testid="adapt-query" value={index} onChange={(e) => show(Number(e.target.value))}>
          {queries.map((q, i) => (
            <option key={q.id} value={i}>
              {q.id}: {q.text}
            </option>
          ))}
        </select>
      </div>
      {view && view.index === index && (
        <>
          <p className="text-query-text">“{view.text}”</p>
          <div className="text-side-by-side">
            <List title="Before: base model" rows={view.base.rows} ndcg={view.base.ndcg10} testId="adapt-list-base" />
            <List title="After: adapted" rows={view.adapted.rows} ndcg={view.adapted.ndcg10} testId="adapt-list-adapted" />
          </div>
        </>
      )}
    </div>
  );
}
