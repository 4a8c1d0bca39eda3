import { describe, expect, it, vi } from 'vitest';
import type { DatasetInfo } from '../../core/data/library';
import type { ExperimentConfig } from '../../core/experiment/config';
import type { LoadOptions, LoadOutcome, LoadProgressEvent } from '../../worker/protocol';
import { createRankPlayStore } from './index';
import { selectLoadFraction, selectLoadRowsPerSecond, selectShownDataset } from './selectors';
import type { WorkerCommands } from './types';

function info(id: string, over: Partial<DatasetInfo> = {}): DatasetInfo {
  return { id, name: `set ${id}`, kind: 'features', createdAt: 1, files: [], splits: {}, warnings: [], storage: { where: 'indexeddb' }, ...over };
}

function progress(rows: number, bytesRead: number, totalBytes: number | null): LoadProgressEvent {
  return { type: 'load-progress', file: 'train.txt', fileIndex: 0, fileCount: 1, bytesRead, totalBytes, rows, elapsedMs: 500 };
}

/** A worker stand-in: loads answer when the test says so. */
function fakeWorker() {
  let answer: (o: LoadOutcome) => void = () => {};
  const loads: ExperimentConfig[] = [];
  const options: LoadOptions[] = [];
  const commands: WorkerCommands = {
    load: async (config) => {
      loads.push(config);
    },
    play: async () => {},
    pause: async () => {},
    step: async () => {},
    reset: async () => {},
    setBackend: async () => {
      throw new Error('not used');
    },
    loadFiles: (_files, opts) => {
      options.push(opts);
      return new Promise<LoadOutcome>((resolve) => (answer = resolve));
    },
    loadUrl: () => new Promise<LoadOutcome>((resolve) => (answer = resolve)),
    cancelLoad: vi.fn(async () => {}),
    listDatasets: async () => [info('old', { createdAt: 5 })],
    deleteDataset: vi.fn(async () => {}),
    simulateClicks: async () => ({ ok: false, error: 'not used' }),
    fitClickLog: async () => ({ ok: false, cancelled: false, error: 'not used' }),
    cancelClickLogFit: async () => {},
    compareEstimators: async () => ({ ok: false, cancelled: false, error: 'not used' }),
    cancelCompare: async () => {},
    inspectQuery: async () => ({ ok: false, error: 'not used' }),
    exportRunFiles: async () => ({ ok: false, error: 'not used' }),
    textBm25: async () => ({ ok: false, cancelled: false, error: 'not used' }),
    textRerank: async () => ({ ok: false, cancelled: false, error: 'not used' }),
    textQuery: async () => ({ ok: false, error: 'not used' }),
    textExportRun: async () => ({ ok: false, error: 'not used' }),
    textCancel: async () => {},
    textModelCacheSize: async () => ({ ok: false, error: 'not used' }),
    textClearModelCache: async () => ({ ok: false, error: 'not used' }),
    adaptMethods: async () => ({ methods: [], targets: [] }),
    adaptCount: async () => ({ ok: false, error: 'not used' }),
    adaptStart: async () => ({ ok: false, cancelled: false, error: 'not used' }),
    adaptResume: async () => ({ ok: false, cancelled: false, error: 'not used' }),
    adaptSaved: async () => null,
    adaptDiscardSaved: async () => {},
    adaptCancel: async () => {},
    adaptQuery: async () => ({ ok: false, error: 'not used' }),
    adaptExportPeft: async () => ({ ok: false, error: 'not used' }),
    adaptExportMerged: async () => ({ ok: false, error: 'not used' }),
    adaptLoadPeft: async () => ({ ok: false, error: 'not used' }),
  };
  return { commands, loads, options, answer: (o: LoadOutcome) => answer(o) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const store = createRankPlayStore();
  const worker = fakeWorker();
  store.getState().attachWorker(worker.commands);
  return { store, s: store.getState, worker };
}

describe('datasets slice', () => {
  it('tracks a load: progress while it runs, the new set (shown) when it ends, late progress ignored', async () => {
    const { s, worker } = setup();
    s().setSkipBadLines(true);
    s().loadFiles([new File(['x'], 'train.txt')]);
    expect(s().dataLoading).toBe(true);
    expect(worker.options).toEqual([{ skipBadLines: true }]);

    s().applyWorkerEvent(progress(1000, 250, 1000));
    expect(selectLoadFraction(s())).toBe(0.25);
    expect(selectLoadRowsPerSecond(s())).toBe(2000);

    worker.answer({ ok: true, info: info('new') });
    await settle();
    expect(s().dataLoading).toBe(false);
    expect(s().loadProgress).toBeNull();
    expect(s().datasets.map((d) => d.id)).toEqual(['new']);
    expect(selectShownDataset(s())?.id).toBe('new');

    s().applyWorkerEvent(progress(2000, 500, 1000));
    expect(s().loadProgress).toBeNull();
  });

  it('keeps what was loaded before when a load fails, and shows unknown sizes as indeterminate', async () => {
    const { s, worker } = setup();
    s().applyWorkerEvent({ type: 'datasets', list: [info('a')] });
    s().loadFiles([new File(['x'], 'bad.txt')]);
    s().applyWorkerEvent(progress(10, 100, null));
    expect(selectLoadFraction(s())).toBeNull();
    worker.answer({ ok: false, cancelled: false, error: 'bad.txt, line 3: nope', file: 'bad.txt', line: 3 });
    await settle();
    expect(s().loadError).toMatchObject({ line: 3, cancelled: false });
    expect(s().datasets.map((d) => d.id)).toEqual(['a']);
  });

  it('refuses a non-http URL without asking the worker', () => {
    const { s } = setup();
    s().loadUrl('javascript:alert(1)');
    expect(s().dataLoading).toBe(false);
    expect(s().loadError?.error).toMatch(/only http and https/);
  });

  it('Use switches config.data to the stored set; Back restores the synthetic settings used before', async () => {
    const { s, worker } = setup();
    s().applyWorkerEvent({ type: 'datasets', list: [info('fold1', { name: 'Fold1' })] });
    s().updateConfig((c) => {
      if (c.data.kind === 'synthetic') c.data.queries = 77;
    });
    s().useDataset('fold1');
    expect(s().config.data).toEqual({ kind: 'stored', id: 'fold1', name: 'Fold1', normalization: 'zscore', testFraction: 0.25 });
    expect(worker.loads.at(-1)?.data.kind).toBe('stored');
    s().useSynthetic();
    expect(s().config.data).toMatchObject({ kind: 'synthetic', queries: 77 });
  });

  it('a text set cannot be trained on: a notice, and the config stays', () => {
    const { s } = setup();
    s().applyWorkerEvent({ type: 'datasets', list: [info('beir', { kind: 'text' })] });
    s().useDataset('beir');
    expect(s().config.data.kind).toBe('synthetic');
    expect(s().notices.at(-1)?.message).toMatch(/text collection/);
  });

  it('deleting the set in use goes back to synthetic data', async () => {
    const { s, worker } = setup();
    s().applyWorkerEvent({ type: 'datasets', list: [info('a'), info('b')] });
    s().useDataset('a');
    s().deleteDataset('a');
    await settle();
    expect(worker.commands.deleteDataset).toHaveBeenCalledWith('a');
    expect(s().datasets.map((d) => d.id)).toEqual(['b']);
    expect(s().config.data.kind).toBe('synthetic');
  });

  it('lists stored sets once asked, and shows the newest when none is picked or in use', async () => {
    const { s } = setup();
    expect(s().datasetsKnown).toBe(false);
    s().refreshDatasets();
    await settle();
    expect(s().datasetsKnown).toBe(true);
    s().applyWorkerEvent({ type: 'datasets', list: [info('x', { createdAt: 1 }), info('y', { createdAt: 9 })] });
    expect(selectShownDataset(s())?.id).toBe('y');
    s().showDataset('x');
    expect(selectShownDataset(s())?.id).toBe('x');
  });
});
