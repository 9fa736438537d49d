import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The browser examples: `index.html` (Apollo Client), `urql.html` (urql) and `chat.html` (the AI
 * SDK's useChat on Synapse's UI message stream endpoint), built into
 * examples/web/dist. `synapse/client/*` points at the sources, so no `npm run build` is needed
 * first; an app of your own imports the same paths from the installed package.
 */
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^synapse\/client\/apollo$/, replacement: here('../../src/client/apollo.ts') },
      { find: /^synapse\/client\/urql$/, replacement: here('../../src/client/urql.ts') },
      { find: /^synapse\/client$/, replacement: here('../../src/client/index.ts') },
    ],
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    rollupOptions: { input: { apollo: here('index.html'), urql: here('urql.html'), chat: here('chat.html') } },
  },
  server: {
    // `npm run web`: the page talks to the gateway through the dev server: SYNAPSE_GATEWAY
    // (e.g. http://127.0.0.1:4100, the gateway's origin), else a gateway on :4000.
    proxy: {
      '/graphql': { target: process.env.SYNAPSE_GATEWAY ?? 'http://127.0.0.1:4000', ws: true },
      '/ai-sdk': { target: process.env.SYNAPSE_GATEWAY ?? 'http://127.0.0.1:4000' },
    },
  },
});
