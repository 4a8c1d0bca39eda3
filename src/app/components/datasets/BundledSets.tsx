import { BUNDLED_SETS } from '../../../core/data/bundled';
import { useRankPlay } from '../../store';
import './linked-data.css';

/** Feature sets that come with the app: one click loads (once) and trains on them, and a link names them. */
export function BundledSets() {
  const loading = useRankPlay((s) => s.dataLoading);
  const ready = useRankPlay((s) => s.backend !== null);
  const data = useRankPlay((s) => s.config.data);
  const useBundled = useRankPlay((s) => s.useBundled);
  return (
    <div className="bundled-sets" data-testid="bundled-sets">
      {BUNDLED_SETS.map((set) => {
        const inUse = data.kind === 'stored' && data.source?.from === 'bundled' && data.source.name === set.name;
        return (
          <div className="bundled-set" key={set.name}>
            <strong>{set.title}</strong>
            <button
              type="button"
              className="text-button text-button--primary"
              data-testid="use-bundled"
              data-name={set.name}
              disabled={loading || !ready || inUse}
              onClick={() => useBundled(set.name)}
            >
              {inUse ? 'In use' : 'Use'}
            </button>
            <p>{set.description}</p>
          </div>
        );
      })}
    </div>
  );
}
