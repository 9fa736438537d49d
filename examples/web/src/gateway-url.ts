/**
 * The gateway's GraphQL endpoint: `?gateway=` in the page URL, or VITE_SYNAPSE_URL at build
 * time, or `/graphql` on the page's own origin (the Vite dev server proxies it, vite.config.ts).
 */
export function gatewayUrl(): { http: string; ws: string } {
  const fromQuery = new URLSearchParams(window.location.search).get('gateway');
  const http = new URL(fromQuery ?? import.meta.env.VITE_SYNAPSE_URL ?? '/graphql', window.location.href).href;
  return { http, ws: http.replace(/^http/, 'ws') };
}
