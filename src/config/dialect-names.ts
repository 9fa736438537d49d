/**
 * The upstream dialects (docs/dialects.md), in the order that page lists them (with `demo`
 * first because it is the default). An agent's `dialect` must be one of these.
 */
export const DIALECT_NAMES = [
  'demo',
  'openai-chat',
  'openai-responses',
  'anthropic-messages',
  'ag-ui',
  'ai-sdk',
  'langgraph',
  'synapse-ws',
  'workflow-sse',
  'chat-ws',
  'a2a',
] as const;

/** One of {@link DIALECT_NAMES}. */
export type DialectName = (typeof DIALECT_NAMES)[number];

/** Dialects whose upstream is a WebSocket: their `url` must be `ws://` or `wss://`. */
export const WEBSOCKET_DIALECTS: readonly DialectName[] = ['synapse-ws', 'chat-ws'];

/** The dialect that runs in-process and so needs no `url`. */
export const IN_PROCESS_DIALECT: DialectName = 'demo';

/** Narrows an arbitrary value to a {@link DialectName}. */
export function isDialectName(value: unknown): value is DialectName {
  return typeof value === 'string' && (DIALECT_NAMES as readonly string[]).includes(value);
}

/** The URL schemes an agent of `dialect` may use, e.g. `['http:', 'https:']`. */
export function allowedUrlProtocols(dialect: DialectName): readonly string[] {
  return WEBSOCKET_DIALECTS.includes(dialect) ? ['ws:', 'wss:'] : ['http:', 'https:'];
}
