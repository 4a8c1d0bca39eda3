import { defineConfig } from 'vite';

/**
 * Node scripts in scripts/ (e.g. `npm run make-demo-model`) are bundled like the CLI
 * (vite.cli.config.ts): tfjs's extensionless ESM imports need a bundler, and CommonJS output keeps
 * __dirname for the wasm loaders. One entry per build (SCRIPT picks it) because a single-file
 * bundle cannot have several inputs. The output goes under node_modules/.cache, which git ignores.
 */
const script = process.env.SCRIPT ?? 'make-demo-model';

export default defineConfig({
  publicDir: false,
  build: {
    ssr: `scripts/${script}.ts`,
    outDir: 'node_modules/.cache/rankplay-scripts',
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    rollupOptions: {
      output: { format: 'cjs', entryFileNames: `${script}.cjs`, codeSplitting: false },
    },
  },
  // onnxruntime-web stays a runtime require: its Node build finds its .wasm files next to itself.
  ssr: { noExternal: true, external: ['onnxruntime-web'], target: 'node' },
  logLevel: 'warn',
});
