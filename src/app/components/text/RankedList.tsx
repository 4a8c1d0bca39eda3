import type { TextListRow } from '../../../worker/protocol';
import { formatMeasure, formatScore, movement } from './text-format';

function LabelChip({ label }: { label: number | null }) {
  if (label === null) return <span className="text-label text-label--none" title="not judged">–</span>;
  return (
    <span className={`grade grade-${Math.max(0, Math.min(4, label))} text-label`} title={`judged ${label}`}>
      {label}
    </span>
  );
}

/** A ranked list of passages with grades and scores; `showMoves` marks how far each moved from its BM25 rank. */
export function RankedList({ title, rows, showMoves, ndcg, testId }: { title: string; rows: TextListRow[]; showMoves: boolean; ndcg: number | null; testId: string }) {
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
