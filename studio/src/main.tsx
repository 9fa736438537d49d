/**
 * Synapse Studio (docs/studio.md): a page the gateway serves at /studio. Queries and mutations
 * go over HTTP with urql, streams over graphql-ws through `synapse/client`, both to the
 * gateway's own /graphql with the user's key.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import './studio.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
