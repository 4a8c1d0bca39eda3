import { defineConfig } from 'vite';

/**
 * The Node CLI is bundled by Vite so that tfjs's extensionless ESM imports resolve (plain Node
 * cannot import them). CommonJS output keeps __dirname, which the wasm backend's loader uses.
 */
export default defineConfig({
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      output: { format: 'cjs', entryFileNames: 'rankplay.cjs', codeSplitting: false },
    },
  },
  ssr: { noExternal: true, target: 'node' },
  logLevel: 'warn',
});
