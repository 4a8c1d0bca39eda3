import { useId, useState } from 'react';
import { useRankPlay } from '../../store';
import type { TextListRow } from '../../../worker/protocol';
import { RankedList } from './RankedList';

const SHORT = 10;

/** One query at a time: its BM25 list beside its reranked list, with grades, scores and how each passage moved. */
export function TextLists() {
  const bm25 = useRankPlay((s) => s.textBm25);
  const rerank = useRankPlay((s) => s.textRerank);
  const index = useRankPlay((s) => s.textQueryIndex);
  const view = useRankPlay((s) => s.textQuery);
  const show = useRankPlay((s) => s.showTextQuery);
  const [all, setAll] = useState(false);
  const pickerId = useId();
  if (!bm25 || bm25.queries.length === 0) return null;
  const n = bm25.queries.length;
  const per = (q: number) => {
    const before = bm25.bm25.perQueryNdcg[q];
    const after = rerank?.rerank.perQueryNdcg[q];
    if (before === null || before === undefined) return '';
    return after !== undefined && after !== null ? ` (nDCG ${before.toFixed(2)} → ${after.toFixed(2)})` : ` (nDCG ${before.toFixed(2)})`;
  };
  const rows = (r: TextListRow[]) => (all ? r : r.slice(0, SHORT));
  const shown = view && view.index === index ? view : null;
  return (
    <div className="text-lists" data-testid="text-lists">
      <div className="text-query-picker">
        <label htmlFor={pickerId}>Query</label>
        <button type="button" className="text-button" aria-label="Previous query" disabled={index <= 0} onClick={() => show(index - 1)}>
          ‹
        </button>
        <select id={pickerId} data-testid="text-query" value={index} onChange={(e) => show(Number(e.currentTarget.value))}>
          {bm25.queries.map((q, i) => (
            <option key={q.id} value={i}>
              {q.id}: {q.text.length > 70 ? `${q.text.slice(0, 70)}…` : q.text}
              {per(i)}
            </option>
          ))}
        </select>
        <button type="button" className="text-button" aria-label="Next query" disabled={index >= n - 1} onClick={() => show(index + 1)}>
          ›
        </button>
        <label className="checkbox">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} data-testid="text-show-all" /> Show top 50
        </label>
      </div>
      {shown ? (
        <>
          <p className="text-query-text" data-testid="text-query-text">
            <strong>{shown.id}</strong>: {shown.text}
            {!shown.judged && <span className="muted"> (no judgements for this query)</span>}
          </p>
          <div className="text-side-by-side">
            <RankedList title="BM25" rows={rows(shown.bm25.rows)} showMoves={false} ndcg={shown.bm25.ndcg10} testId="text-list-bm25" />
            {shown.rerank ? (
              <RankedList title={`Reranked (top ${shown.rerank.depth})`} rows={rows(shown.rerank.rows)} showMoves ndcg={shown.rerank.ndcg10} testId="text-list-rerank" />
            ) : (
              <p className="text-list-empty muted">Rerank to see the cross-encoder&rsquo;s list beside BM25&rsquo;s.</p>
            )}
          </div>
        </>
      ) : (
        <p className="muted">Loading the lists…</p>
      )}
    </div>
  );
}
