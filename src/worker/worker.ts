/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { locateWasmInBrowser } from '../compute/wasm-urls.browser';
import { Session } from './session';

// The worker entry: all training happens here, off the UI thread.
Comlink.expose(new Session(locateWasmInBrowser));
