import type { StateCreator } from 'zustand';
import type { DatasetInfo } from '../../core/data/library';
import { syntheticDataSchema, type SyntheticDataSpec } from '../../core/experiment/config';
import type { LoadOutcome } from '../../worker/protocol';
import type { DatasetsSlice, RankPlayState, WorkerLink } from './types';
import { bundledSet } from '../../core/data/bundled';
import type { DataSource } from '../../core/data/source';
import { siteBase, takeWaitingPlace } from './linked-data';
import { callWorker } from './worker-call';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The list the worker keeps is the truth; a finished load is shown at once, before its 'datasets' event. */
function upsert(list: DatasetInfo[], info: DatasetInfo): DatasetInfo[] {
  return [info, ...list.filter((d) => d.id !== info.id)];
}

export function createDatasetsSlice(link: WorkerLink): StateCreator<RankPlayState, [], [], DatasetsSlice> {
  return (set, get) => {
    // Not state: only "Back to synthetic data" reads it, to restore what was set before.
    let lastSynthetic: SyntheticDataSpec | null = null;

    /**
     * One load at a time. A loaded set whose source is the one a link's config waits for takes its
     * place in the config (the link's id belongs to another browser); `then` runs after a success.
     */
    function startLoad(what: string, call: (commands: NonNullable<WorkerLink['commands']>) => Promise<LoadOutcome>, then?: (info: DatasetInfo) => void): void {
      const commands = link.commands;
      if (!commands) {
        get().pushNotice('warning', 'The worker is still starting; load the data again in a moment.');
        return;
      }
      if (get().dataLoading) {
        get().pushNotice('warning', 'A data set is loading already: wait for it or cancel it first.');
        return;
      }
      set({ dataLoading: true, loadProgress: null, loadError: null });
      call(commands)
        .then((outcome) => {
          if (!outcome.ok) {
            set({ loadError: outcome });
            return;
          }
          set((s) => ({ datasets: upsert(s.datasets, outcome.info), shownDatasetId: outcome.info.id }));
          if (!takeWaitingPlace(get, outcome.info)) then?.(outcome.info);
        })
        .catch((error: unknown) => {
          set({ loadError: { ok: false, cancelled: false, error: `Could not load ${what}: ${errorText(error)}` } });
        })
        .finally(() => set({ dataLoading: false, loadProgress: null }));
    }

    /**
     * A link's data from its source: the visitor's files (checked against the link's SHA-256 before
     * anything is read), or a bundled set or URL fetched. The set takes its waiting place when loaded.
     */
    function loadLinked(source: DataSource | undefined, files: File[] = []): void {
      if (source?.from === 'files') {
        if (files.length > 0) startLoad(files.length === 1 ? files[0].name : `${files.length} files`, (c) => c.loadFiles(files, { skipBadLines: get().skipBadLines, expect: source.files }));
      } else if (source?.from === 'bundled') startLoad(bundledSet(source.name)?.title ?? source.name, (c) => c.loadBundled(source.name, siteBase(), { skipBadLines: false }));
      else if (source?.from === 'url') startLoad(source.url, (c) => c.loadUrl(source.url, { skipBadLines: get().skipBadLines }));
    }

    return {
      datasets: [],
      dataWaiting: false,
      datasetsKnown: false,
      loadProgress: null,
      loadError: null,
      dataLoading: false,
      shownDatasetId: null,
      skipBadLines: false,
      setSkipBadLines: (skip) => set({ skipBadLines: skip }),
      loadFiles: (files) => {
        if (files.length === 0) return;
        const what = files.length === 1 ? files[0].name : `${files.length} files`;
        startLoad(what, (c) => c.loadFiles(files, { skipBadLines: get().skipBadLines }));
      },
      loadUrl: (url) => {
        const trimmed = url.trim();
        let parsed: URL;
        try {
          // Relative links resolve against the page, as they would in an <a href>.
          parsed = new URL(trimmed, typeof window === 'undefined' ? undefined : window.location.href);
        } catch {
          set({ loadError: { ok: false, cancelled: false, error: `'${trimmed.slice(0, 200)}' is not a URL` } });
          return;
        }
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
          set({ loadError: { ok: false, cancelled: false, error: `only http and https links can be loaded (got ${parsed.protocol})` } });
          return;
        }
        startLoad(parsed.href, (c) => c.loadUrl(parsed.href, { skipBadLines: get().skipBadLines }));
      },
      useBundled: (name) => {
        const set_ = bundledSet(name);
        if (!set_) return;
        const here = get().datasets.find((d) => d.source?.from === 'bundled' && d.source.name === name);
        if (here) get().useDataset(here.id);
        else startLoad(set_.title, (c) => c.loadBundled(name, siteBase(), { skipBadLines: false }), (info) => get().useDataset(info.id));
      },
      supplyLinkedFiles: (files) => {
        const data = get().config.data;
        if (data.kind === 'stored') loadLinked(data.source, files);
      },
      supplyLinkedCorpusFiles: (files) => loadLinked(get().linkedCorpus?.source, files),
      fetchLinkedData: () => {
        const data = get().config.data;
        if (data.kind === 'stored') loadLinked(data.source);
      },
      fetchLinkedCorpus: () => loadLinked(get().linkedCorpus?.source),
      cancelLoad: () => {
        const commands = link.commands;
        if (!commands || !get().dataLoading) return;
        callWorker(get, 'cancel the load', () => commands.cancelLoad());
      },
      refreshDatasets: () => {
        const commands = link.commands;
        if (!commands) return;
        callWorker(get, 'list the stored data sets', () => commands.listDatasets().then((list) => set({ datasets: list, datasetsKnown: true })));
      },
      deleteDataset: (id) => {
        const commands = link.commands;
        if (!commands) return;
        callWorker(get, 'delete the data set', async () => {
          await commands.deleteDataset(id);
          const gone = get().datasets.find((d) => d.id === id);
          set((s) => ({
            datasets: s.datasets.filter((d) => d.id !== id),
            shownDatasetId: s.shownDatasetId === id ? null : s.shownDatasetId,
          }));
          const data = get().config.data;
          if (data.kind === 'stored' && data.id === id) {
            get().pushNotice('info', `"${gone?.name ?? data.name}" was deleted: back to synthetic data.`);
            get().useSynthetic();
          }
        });
      },
      showDataset: (id) => set({ shownDatasetId: id }),
      useDataset: (id) => {
        const info = get().datasets.find((d) => d.id === id);
        if (!info) {
          get().pushNotice('warning', 'That data set is no longer in this browser.');
          return;
        }
        if (info.kind !== 'features') {
          get().pushNotice('warning', `"${info.name}" is a text collection: the rankers here train on feature vectors (LETOR files).`);
          return;
        }
        const current = get().config.data;
        if (current.kind === 'stored' && current.id === id) {
          set({ shownDatasetId: id });
          return;
        }
        if (current.kind === 'synthetic') lastSynthetic = structuredClone(current);
        // A second stored set keeps the normalisation and split chosen for the first.
        const normalization = current.kind === 'stored' ? current.normalization : 'zscore';
        const testFraction = current.kind === 'stored' ? current.testFraction : 0.25;
        const result = get().updateConfig((c) => {
          c.data = { kind: 'stored', id: info.id, name: info.name.slice(0, 200), normalization, testFraction, ...(info.source ? { source: info.source } : {}) };
        });
        if (result.ok) set({ shownDatasetId: id });
      },
      useSynthetic: () => {
        if (get().config.data.kind === 'synthetic') return;
        const data = lastSynthetic ?? syntheticDataSchema.parse({ kind: 'synthetic' });
        get().updateConfig((c) => {
          c.data = structuredClone(data);
        });
      },
      dismissLoadError: () => set({ loadError: null }),
    };
  };
}
