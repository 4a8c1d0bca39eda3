import { createRequire } from 'node:module';
import path from 'node:path';
import type { WasmLocator } from './backends';

/** In Node the wasm binaries are read from the installed package, not fetched. */
export const locateWasmInNode: WasmLocator = (mod) => {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  mod.setWasmPaths(path.join(path.dirname(pkg), 'dist') + path.sep);
};
