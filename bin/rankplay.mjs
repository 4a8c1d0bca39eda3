#!/usr/bin/env node
// Entry of `npx rankplay`: runs the CLI bundle that `npm install` builds (the "prepare" script).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist-cli/rankplay.cjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('rankplay: the CLI is not built yet; run `npm run build:cli` (npm install does it).\n');
  process.exit(1);
}
createRequire(import.meta.url)(bundle);
