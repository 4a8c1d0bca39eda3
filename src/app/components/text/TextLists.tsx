import { useId, useState } from 'react';
import { useRankPlay } from '../../store';
import type { TextListRow } from '../../../worker/protocol';
import { formatMeasure, formatScore, movement } from './text-format';

const SHORT = 10;

function LabelChip({ label }: { label: number | null }) {
  if (label === null) return <span className="text-label text-label--none" title="not judged">–</span>;
  return (
    <span className={`grade grade-${Math.max(0, Math.min(4, label))} text-label`} title={`judged ${label}`}>
      {label}
    </span>
  );
}

function RankedList({ title, rows, showMoves, ndcg, testId }: { title: string; rows: TextListRow[]; showMoves: boolean; ndcg: number | null; testId: string }) {
  return (
    <table className="text-list" data-testid={testId}>
      <caption>
        {title} <span className="muted">nDCG@10 {formatMeasure(ndcg)}</span>
      </caption>
      <thead>
        <tr>
          <th scope="col" className="num">Rank</th>
          {showMoves && <th scope="col"><span className="visually-hidden">Move from BM25</span></th>}
          <th scope="col">Passage</th>
          <th scope="col">Label</th>
          <th scope="col" className="num">Score</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const move = movement(r.rank, r.bm25Rank);
          return (
            <tr key={r.docId} className={r.label !== null && r.label > 0 ? 'text-row--relevant' : undefined}>
              <td className="num">{r.rank}</td>
              {showMoves && (
                <td className={`text-move text-move--${move.kind}`} title={move.label} aria-label={move.label}>
                  {move.text}
                </td>
              )}
              <td className="text-passage">
                <span className="text-doc-id">{r.docId}</span> {r.title && <strong>{r.title}</strong>} <span className="text-snippet">{r.snippet}</span>
              </td>
              <td>
                <LabelChip label={r.label} />
              </td>
              <td className="num">{formatScore(r.score)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

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
