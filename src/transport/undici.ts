import type * as UndiciModule from 'undici';

/**
 * undici loads on the first upstream or tool request, not at start: it is about 1 MB of
 * JavaScript that a gateway serving only the demo agent never needs (docs/performance.md, cold
 * start). One import, cached; every later call resolves at once.
 */
type Undici = typeof UndiciModule;

let loading: Promise<Undici> | undefined;

export function loadUndici(): Promise<Undici> {
  loading ??= import('undici');
  return loading;
}
