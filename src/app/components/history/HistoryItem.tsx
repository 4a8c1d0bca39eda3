import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { HistoryRecord } from '../../history/records';
import { recordRankers, shortDate } from '../../history/records';

interface Props {
  record: HistoryRecord;
  compared: boolean;
  onToggleCompare(): void;
  onOpen(): void;
  onRename(name: string): void;
  onDelete(): void;
}

const fmt = (v: number | undefined) => (typeof v === 'number' ? v.toFixed(3) : '—');

/** One saved run: what it was, its final nDCG@10 per ranker, and what can be done with it. */
export function HistoryItem({ record, compared, onToggleCompare, onOpen, onRename, onDelete }: Props) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(record.name);
  const inputRef = useRef<HTMLInputElement>(null);
  const renameRef = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);

  useEffect(() => {
    if (editing) inputRef.current?.select();
    else if (wasEditing.current) renameRef.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (draft.trim()) onRename(draft);
      setEditing(false);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setDraft(record.name);
      setEditing(false);
    }
  };

  const rankers = recordRankers(record);
  return (
    <li className="history-item" data-testid="history-item" data-run-id={record.id}>
      <label className="history-compare">
        <input type="checkbox" checked={compared} onChange={onToggleCompare} data-testid="history-compare" aria-label={`Compare ${record.name}`} />
        <span aria-hidden="true">compare</span>
      </label>
      <div className="history-main">
        {editing ? (
          <input
            ref={inputRef}
            className="history-rename-input"
            data-testid="history-rename-input"
            aria-label={`New name for ${record.name} (Enter saves, Escape cancels)`}
            value={draft}
            maxLength={200}
            onChange={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={onKey}
            onBlur={() => {
              setDraft(record.name);
              setEditing(false);
            }}
          />
        ) : (
          <span className="history-name" data-testid="history-name">
            {record.name}
          </span>
        )}
        <span className="history-meta muted">
          saved {shortDate(record.savedAt)} · seed {record.config.seed}
          {record.backend ? ` · ${record.backend}` : ''}
        </span>
        <span className="history-final" data-testid="history-final">
          final nDCG@10:{' '}
          {rankers.map((id, i) => (
            <span key={id}>
              {i > 0 && ', '}
              {id} {fmt(record.final[id]?.['ndcg@10'])}
            </span>
          ))}
        </span>
      </div>
      <div className="history-actions">
        <button type="button" onClick={onOpen} data-testid="history-open" aria-label={`Open ${record.name}: reload its setup`}>
          Open
        </button>
        <button
          type="button"
          ref={renameRef}
          onClick={() => {
            setDraft(record.name);
            setEditing(true);
          }}
          data-testid="history-rename"
          aria-label={`Rename ${record.name}`}
        >
          Rename
        </button>
        <button type="button" onClick={onDelete} data-testid="history-delete" aria-label={`Delete ${record.name}`}>
          Delete
        </button>
      </div>
    </li>
  );
}
