import { useId } from 'react';
import { useRankPlay } from '../../store';
import { RankedList } from '../text/RankedList';

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
            <RankedList title="Before: base model" rows={view.base.rows} showMoves ndcg={view.base.ndcg10} testId="adapt-list-base" />
            <RankedList title="After: adapted" rows={view.adapted.rows} showMoves ndcg={view.adapted.ndcg10} testId="adapt-list-adapted" />
          </div>
        </>
      )}
    </div>
  );
}
