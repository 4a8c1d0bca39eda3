import { SPLIT_NAMES, type DatasetInfo } from '../../../core/data/library';
import { useRankPlay } from '../../store';
import { selectShownDataset } from '../../store/selectors';
import { formatBytes } from './format';

function totalBytes(info: DatasetInfo): number {
  return info.files.reduce((sum, f) => sum + f.bytes, 0);
}

/** Feature sets list their splits; text sets list what their files are (corpus, queries, qrels, run). */
function partsOf(info: DatasetInfo): string {
  if (info.kind === 'features') return SPLIT_NAMES.filter((s) => info.splits[s]).join(', ') || '—';
  const roles = [...new Set(info.files.map((f) => f.role))];
  return roles.join(', ') || '—';
}

function storageText(info: DatasetInfo): string {
  if (info.storage.where === 'indexeddb') return 'this browser (IndexedDB)';
  return `memory only${info.storage.note ? `: ${info.storage.note}` : ' (gone after a reload)'}`;
}

export function DatasetList() {
  const datasets = useRankPlay((s) => s.datasets);
  const data = useRankPlay((s) => s.config.data);
  const shown = useRankPlay(selectShownDataset);
  const showDataset = useRankPlay((s) => s.showDataset);
  const chooseDataset = useRankPlay((s) => s.useDataset);
  const deleteDataset = useRankPlay((s) => s.deleteDataset);
  const inUseId = data.kind === 'stored' ? data.id : null;

  if (datasets.length === 0) {
    return (
      <p className="field-note" data-testid="dataset-list-empty">
        No data sets loaded in this browser yet.
      </p>
    );
  }
  return (
    <div className="dataset-list-wrap">
      <table className="dataset-list" data-testid="dataset-list">
        <caption>Data sets in this browser</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">Parts</th>
            <th scope="col">Kept in</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((info) => {
            const inUse = info.id === inUseId;
            const isShown = shown?.id === info.id;
            return (
              <tr
                key={info.id}
                data-testid="dataset-row"
                data-id={info.id}
                data-in-use={inUse ? 'true' : undefined}
                className={isShown ? 'dataset-row dataset-row--shown' : 'dataset-row'}
              >
                <th scope="row" className="dataset-name" title={info.name}>
                  {info.name}
                  {inUse && <span className="badge">in use</span>}
                </th>
                <td data-testid="dataset-kind">{info.kind === 'features' ? 'features' : 'text'}</td>
                <td className="num" data-testid="dataset-size">
                  {formatBytes(totalBytes(info))}
                </td>
                <td data-testid="dataset-splits">{partsOf(info)}</td>
                <td data-testid="dataset-storage" className={info.storage.where === 'memory' ? 'storage-memory' : undefined}>
                  {storageText(info)}
                </td>
                <td className="dataset-actions">
                  <button type="button" className="text-button" data-testid="show-dataset" disabled={isShown} onClick={() => showDataset(info.id)}>
                    Summary
                  </button>
                  {info.kind === 'features' && (
                    <button
                      type="button"
                      className="text-button text-button--primary"
                      data-testid="use-dataset"
                      disabled={inUse}
                      title="Train the rankers on this data set"
                      onClick={() => chooseDataset(info.id)}
                    >
                      {inUse ? 'In use' : 'Use'}
                    </button>
                  )}
                  <button
                    type="button"
                    className="text-button text-button--danger"
                    data-testid="delete-dataset"
                    onClick={() => deleteDataset(info.id)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
