import type { StoreApi } from 'zustand';
import { decodeLink, type DecodedLink } from '../core/share/link';
import type { WorkerEvent } from '../worker/protocol';
import type { RankPlayState } from './store';
import { sameExceptDataId } from './store/linked-data';
import { readBackendParam, writeBackendToUrl } from './url-state';
import { proxySink, startWorker, type WorkerClient } from './worker-client';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Startup, in order: the URL (backend and config), the worker's backend, then the first run.
 * The config goes into the store before init so that edits made while the backend starts are
 * the ones that get loaded.
 */
export async function boot(store: StoreApi<RankPlayState>): Promise<WorkerClient> {
  const state = store.getState;

  const backendParam = readBackendParam(window.location.search);
  if (backendParam.unknown !== undefined) {
    state().pushNotice('warning', `unknown backend '${backendParam.unknown}'; choosing automatically`);
    // Drop it from the address so a shared link does not carry the mistake along.
    writeBackendToUrl(null);
  }
  store.setState({ requestedBackend: backendParam.backend });

  // A share link (#l=, or a v1 #c= one, rewritten as #l= when the config is adopted).
  const opened = decodeLink(window.location.hash);
  adoptLink(store, opened);

  const client = startWorker((message) => state().pushNotice('error', message));
  const sink = proxySink((event: WorkerEvent) => state().applyWorkerEvent(event));

  try {
    const status = await client.api.init(backendParam.backend, sink);
    // The 'backend' event normally arrives first; this covers a worker that only returns it.
    store.setState({ backend: status, requestedBackend: status.requested });
  } catch (error) {
    state().pushNotice('error', `No compute backend could be started: ${errorText(error)}`);
    return client;
  }

  state().attachWorker(client.api);
  if (window.__RANKPLAY__) {
    window.__RANKPLAY__.loseGpuDevice = () => client.api.loseDeviceForTesting();
    window.__RANKPLAY__.scanFile = (file) => client.api.scanFile(file);
    window.__RANKPLAY__.rerankParity = (modelUrl, pairs, opts) => client.api.rerankParityForTesting(modelUrl, pairs, opts);
    window.__RANKPLAY__.rerankBench = (modelUrl, opts) => client.api.rerankBenchForTesting(modelUrl, opts);
    window.__RANKPLAY__.adaptBench = (opts) => client.api.adaptBenchForTesting(opts);
  }
  // Re-adopting the current config sends the first load and writes the normalised link.
  state().replaceConfig(state().config);
  if (opened.link.run) playWhenLoaded(store);
  // Data sets kept from earlier visits; later changes arrive as 'datasets' events.
  state().refreshDatasets();

  window.addEventListener('hashchange', () => followPastedLink(store));
  return client;
}

/** Shows what was wrong with a link and adopts its view, panel settings and config (the URL is rewritten as #l=). */
function adoptLink(store: StoreApi<RankPlayState>, decoded: DecodedLink): void {
  const state = store.getState();
  if (decoded.error) state.pushNotice('warning', decoded.error);
  if (decoded.notes) state.pushNotice('info', `Parts of this link were ignored: ${decoded.notes.join('; ')}.`);
  // An older link (v1 #c=) is upgraded silently: the rewritten address is the only trace.
  state.setShareView(decoded.link.view);
  adoptPanels(store, decoded);
  state.replaceConfig(decoded.link.experiment);
}

/**
 * The link's panel settings (absent: every panel at its defaults). Files never travel: a reranker
 * "from files" arrives as that choice alone, and the reader is told to pick the files.
 */
function adoptPanels(store: StoreApi<RankPlayState>, decoded: DecodedLink): void {
  const state = store.getState();
  const panels = decoded.link.panels;
  state.setPanels(panels);
  if (panels?.text?.model === 'files') {
    state.pushNotice('info', 'This link reranks with a model from files on the sender’s computer; files never travel in a link. Choose the model folder under Rerank text → Second stage.');
  }
}

/**
 * `run: true` in a link: press Play once the linked experiment is loaded (its step-0 evaluation
 * shown). Given up if the reader changes the config first.
 */
function playWhenLoaded(store: StoreApi<RankPlayState>): void {
  const config = store.getState().config;
  const ready = (s: RankPlayState): boolean => !s.loading && s.points.length > 0 && s.runState === 'idle';
  let done = false;
  const check = (s: RankPlayState): void => {
    if (done) return;
    // A link's data set arriving here changes only the config's data id: still the linked experiment.
    if (!sameExceptDataId(s.config, config)) done = true;
    else if (ready(s)) {
      done = true;
      s.play();
    }
    if (done) unsubscribe();
  };
  const unsubscribe = store.subscribe(check);
  check(store.getState());
}

/** A link pasted into the same tab changes only the hash: follow it, reloading the run only for a new config. */
function followPastedLink(store: StoreApi<RankPlayState>): void {
  const state = store.getState();
  const decoded = decodeLink(window.location.hash);
  if (JSON.stringify(decoded.link.experiment) === JSON.stringify(state.config)) {
    if (decoded.error) state.pushNotice('warning', decoded.error);
    // Also rewrites the address (an error's default link, or a v1 link as #l=).
    state.setShareView(decoded.link.view);
    adoptPanels(store, decoded);
  } else {
    adoptLink(store, decoded);
  }
  if (decoded.link.run) playWhenLoaded(store);
}
