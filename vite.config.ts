import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [
    react(),
    // index.html's Content-Security-Policy is for the built app: the dev server injects an inline
    // script (React Fast Refresh's preamble) that a script-src without 'unsafe-inline' would block.
    {
      name: 'rankplay-csp-off-in-dev',
      apply: 'serve',
      transformIndexHtml: (html: string) => html.replace(/\s*<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, ''),
    },
  ],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    // The tfjs backends are loaded on demand; their chunks are large by nature.
    chunkSizeWarningLimit: 2500,
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
