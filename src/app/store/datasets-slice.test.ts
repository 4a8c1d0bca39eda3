import { describe, expect, it, vi } from 'vitest';
import type { DatasetInfo } from '../../core/data/library';
import type { ExperimentConfig } from '../../core/experiment/config';
import type { DataSource } from '../../core/data/source';
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
  const bundled: string[] = [];
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
    loadBundled: (name, base) => {
      bundled.push(`${name} from ${base}`);
      return new Promise<LoadOutcome>((resolve) => (answer = resolve));
    },
    cancelLoad: vi.fn(async () => {}),
    listDatasets: async () => [info('old', { createdAt: 5 })],
    deleteDataset: vi.fn(async () => {}),
    simulateClicks: async () => ({ ok: false, error: 'not used' }),
    cancelClicks: async () => {},
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
  return { commands, loads, options, bundled, answer: (o: LoadOutcome) => answer(o) };
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

describe("a link's data set (issue 9)", () => {
  const sha = (c: string) => c.repeat(64);
  const files: DataSource = { from: 'files', files: [{ name: 'train.txt', bytes: 10, sha256: sha('a') }] };
  const linked = (source: DataSource, id = 'elsewhere'): ExperimentConfig => {
    const config = structuredClone(createRankPlayStore().getState().config);
    config.data = { kind: 'stored', id, name: 'Fold1', normalization: 'minmax', testFraction: 0.25, source };
    return config;
  };

  it("Use writes the set's source into the config, so a link carries it", () => {
    const { s } = setup();
    s().applyWorkerEvent({ type: 'datasets', list: [info('fold1', { name: 'Fold1', source: files })] });
    s().useDataset('fold1');
    expect(s().config.data).toMatchObject({ kind: 'stored', id: 'fold1', source: files });
  });

  it("waits (no doomed load) for a set this browser lacks, and asks for files: a match takes the link's place", async () => {
    const { s, worker } = setup();
    s().replaceConfig(linked(files));
    expect(s().dataWaiting).toBe(true);
    s().applyWorkerEvent({ type: 'datasets', list: [] });
    expect(worker.loads).toEqual([]);
    s().supplyLinkedFiles([new File(['x'], 'train.txt')]);
    expect(worker.options.at(-1)?.expect).toEqual(files.files);
    worker.answer({ ok: true, info: info('here', { source: files }) });
    await settle();
    expect(s().dataWaiting).toBe(false);
    expect(s().config.data).toMatchObject({ kind: 'stored', id: 'here', name: 'Fold1', normalization: 'minmax', source: files });
    expect(worker.loads.at(-1)?.data).toMatchObject({ id: 'here' });
  });

  it('a wrong file leaves the link waiting, with the reason shown', async () => {
    const { s, worker } = setup();
    s().replaceConfig(linked(files));
    s().applyWorkerEvent({ type: 'datasets', list: [] });
    s().supplyLinkedFiles([new File(['y'], 'train.txt')]);
    worker.answer({ ok: false, cancelled: false, error: 'The chosen files do not match this link, so nothing was loaded: …' });
    await settle();
    expect(s().dataWaiting).toBe(true);
    expect(s().loadError?.error).toMatch(/do not match this link/);
    expect(worker.loads).toEqual([]);
  });

  it('uses the same data already here under another id, without loading it again', () => {
    const { s, worker } = setup();
    s().replaceConfig(linked(files));
    s().applyWorkerEvent({ type: 'datasets', list: [info('mine', { source: { from: 'files', files: [{ ...files.files[0], name: 'renamed.txt' }] } })] });
    expect(s().dataWaiting).toBe(false);
    expect(s().config.data).toMatchObject({ id: 'mine' });
    expect(worker.loads.at(-1)?.data).toMatchObject({ id: 'mine' });
    expect(s().notices.at(-1)?.message).toMatch(/already in this browser/);
  });

  it('loads the run at once when the set itself is here', () => {
    const { s, worker } = setup();
    s().replaceConfig(linked(files, 'fold1'));
    expect(worker.loads).toEqual([]);
    s().applyWorkerEvent({ type: 'datasets', list: [info('fold1', { source: files })] });
    expect(worker.loads.at(-1)?.data).toMatchObject({ id: 'fold1' });
  });

  it('fetches a bundled set by itself, once, from the site', async () => {
    const { s, worker } = setup();
    s().replaceConfig(linked({ from: 'bundled', name: 'rankplay-demo-letor' }));
    s().applyWorkerEvent({ type: 'datasets', list: [] });
    expect(worker.bundled).toEqual(['rankplay-demo-letor from http://localhost/']);
    worker.answer({ ok: false, cancelled: false, error: 'HTTP 404' });
    await settle();
    s().applyWorkerEvent({ type: 'datasets', list: [] });
    expect(worker.bundled).toHaveLength(1);
  });

  it('a URL source waits for the visitor to ask', async () => {
    const { s, worker } = setup();
    s().replaceConfig(linked({ from: 'url', url: 'https://data.example/train.txt' }));
    s().applyWorkerEvent({ type: 'datasets', list: [] });
    expect(s().dataLoading).toBe(false);
    s().fetchLinkedData();
    expect(s().dataLoading).toBe(true);
    worker.answer({ ok: true, info: info('u', { source: { from: 'url', url: 'https://data.example/train.txt' } }) });
    await settle();
    expect(s().config.data).toMatchObject({ id: 'u' });
  });

  it('useBundled loads the bundled set and trains on it; the second time it is already here', async () => {
    const { s, worker } = setup();
    s().useBundled('rankplay-demo-letor');
    const source: DataSource = { from: 'bundled', name: 'rankplay-demo-letor' };
    worker.answer({ ok: true, info: info('b1', { source }) });
    await settle();
    expect(s().config.data).toMatchObject({ kind: 'stored', id: 'b1', source });
    s().useSynthetic();
    s().useBundled('rankplay-demo-letor');
    expect(worker.bundled).toHaveLength(1);
    expect(s().config.data).toMatchObject({ id: 'b1' });
  });
});

describe("a link's text corpus (issue 9)", () => {
  const source: DataSource = { from: 'files', files: [{ name: 'corpus.jsonl', bytes: 10, sha256: 'c'.repeat(64) }] };
  const panels = { text: { split: 'all' as const, corpusSource: source, corpusName: 'my passages' } };

  it('waits on the demo corpus, asks for the files, and uses the set with the link\'s split once here', async () => {
    const { s, worker } = setup();
    s().setPanels(panels);
    expect(s().linkedCorpus).toEqual({ source, name: 'my passages', split: 'all' });
    expect(s().textForm).toMatchObject({ corpus: 'demo', split: 'test' });
    s().applyWorkerEvent({ type: 'datasets', list: [] });
    expect(s().linkedCorpus).not.toBeNull();
    s().supplyLinkedCorpusFiles([new File(['x'], 'corpus.jsonl')]);
    expect(worker.options.at(-1)?.expect).toEqual(source.files);
    worker.answer({ ok: true, info: info('t1', { kind: 'text', source }) });
    await settle();
    expect(s().linkedCorpus).toBeNull();
    expect(s().textForm).toMatchObject({ corpus: 't1', split: 'all' });
    // The feature experiment was not touched.
    expect(s().config.data.kind).toBe('synthetic');
  });

  it('uses a text set already here with the same contents, and the demo corpus when the visitor says so', () => {
    const { s } = setup();
    s().setPanels(panels);
    s().applyWorkerEvent({ type: 'datasets', list: [info('mine', { kind: 'text', source })] });
    expect(s().textForm).toMatchObject({ corpus: 'mine', split: 'all' });

    const other = setup();
    other.s().setPanels(panels);
    other.s().applyWorkerEvent({ type: 'datasets', list: [] });
    other.s().dropLinkedCorpus();
    expect(other.s().linkedCorpus).toBeNull();
    // The set arriving later changes nothing: the visitor chose the demo corpus.
    other.s().applyWorkerEvent({ type: 'datasets', list: [info('mine', { kind: 'text', source })] });
    expect(other.s().textForm.corpus).toBe('demo');
  });
});
