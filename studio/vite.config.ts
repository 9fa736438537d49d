import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Synapse Studio (docs/studio.md): built by `npm run build` into dist/studio, which the gateway
 * serves at /studio. `synapse/client` points at the sources, like the web example's.
 * `npm run studio` serves it from the sources with a proxy to a gateway (SYNAPSE_GATEWAY,
 * default :4000).
 */
export default defineConfig({
  root: here('.'),
  base: '/studio/',
  plugins: [react()],
  resolve: {
    alias: [{ find: /^synapse\/client$/, replacement: here('../src/client/index.ts') }],
  },
  build: {
    outDir: here('../dist/studio'),
    emptyOutDir: true,
    // Served same-origin under a strict CSP (src/server/studio.ts): no inline scripts or styles.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/graphql': { target: process.env.SYNAPSE_GATEWAY ?? 'http://127.0.0.1:4000', ws: true } },
  },
});
