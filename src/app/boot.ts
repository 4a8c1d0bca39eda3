import type { StoreApi } from 'zustand';
import { configToHash, configFromHash } from '../core/experiment/url-codec';
import type { WorkerEvent } from '../worker/protocol';
import type { RankPlayState } from './store';
import { readBackendParam, writeBackendToUrl, writeConfigToUrl } from './url-state';
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

  const fromHash = configFromHash(window.location.hash);
  if (fromHash.error) state().pushNotice('warning', fromHash.error);
  state().replaceConfig(fromHash.config);

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
  // Data sets kept from earlier visits; later changes arrive as 'datasets' events.
  state().refreshDatasets();

  window.addEventListener('hashchange', () => followPastedLink(store));
  return client;
}

/** A link pasted into the same tab changes only the hash: load its config, unless it is the one running. */
function followPastedLink(store: StoreApi<RankPlayState>): void {
  const state = store.getState();
  const decoded = configFromHash(window.location.hash);
  if (decoded.error) state.pushNotice('warning', decoded.error);
  if (configToHash(decoded.config) === configToHash(state.config)) {
    writeConfigToUrl(state.config);
    return;
  }
  state.replaceConfig(decoded.config);
}
