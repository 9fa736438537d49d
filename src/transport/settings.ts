import type { AgentConfig } from '../config/index.js';
import { UPSTREAM_BOUND_DEFAULTS, type UpstreamBoundSettings } from './upstream-bounds.js';

/** Defaults of the transport, used when an agent's config leaves a setting out. */
export const TRANSPORT_DEFAULTS = {
  connectMs: 10_000,
  headersMs: 60_000,
  /** undici's own limit between two body chunks; our idle timeout is usually the tighter one. */
  bodyMs: 300_000,
  firstEventMs: 60_000,
  idleMs: 120_000,
  totalMs: 1_800_000,
  /**
   * Connections per upstream origin. A streaming run holds one HTTP/1.1 connection for its whole
   * length (seconds to minutes), so this is how many runs stream at once from one provider: with
   * undici's usual 16, the 17th run on api.openai.com waited silently for a socket until its
   * first-event timeout (docs/performance.md, "Many runs at model pace"). 1,024 is above what one
   * instance serves at model pace and still bounds the sockets (file descriptors) one origin can
   * take. A run that finds the pool full is told so (a LogMessage and
   * `synapse_upstream_pool_waits_total`) and waits for a free connection.
   */
  poolConnections: 1_024,
  keepAliveMs: 30_000,
  /** Upper bound of one backoff delay, and of an honoured Retry-After. */
  maxBackoffMs: 30_000,
} as const;

/** Every knob of one agent's transport, resolved. */
export interface TransportSettings extends UpstreamBoundSettings {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
  firstEventMs: number;
  idleMs: number;
  totalMs: number;
  maxFrameBytes: number;
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  poolConnections: number;
  keepAliveMs: number;
  headers: Record<string, string>;
  /** Told when a request finds every connection of its origin's pool busy and must wait. */
  onPoolWait?: (wait: PoolWait) => void;
}

/** A request that waits for a connection: its pool is at its cap. */
export interface PoolWait {
  origin: string;
  /** The pool's cap (`agents[].pool.connections`). */
  connections: number;
  /** Requests of the pool running or waiting, this one not counted. */
  inUse: number;
}

export function transportSettings(agent: AgentConfig): TransportSettings {
  const timeouts = agent.timeouts ?? {};
  const pool = agent.pool ?? {};
  return {
    connectMs: timeouts.connectMs ?? TRANSPORT_DEFAULTS.connectMs,
    headersMs: timeouts.headersMs ?? TRANSPORT_DEFAULTS.headersMs,
    bodyMs: timeouts.bodyMs ?? TRANSPORT_DEFAULTS.bodyMs,
    firstEventMs: timeouts.firstEventMs ?? TRANSPORT_DEFAULTS.firstEventMs,
    idleMs: timeouts.idleMs ?? TRANSPORT_DEFAULTS.idleMs,
    totalMs: timeouts.totalMs ?? TRANSPORT_DEFAULTS.totalMs,
    maxFrameBytes: agent.maxFrameBytes,
    maxJsonDepth: agent.maxJsonDepth ?? UPSTREAM_BOUND_DEFAULTS.maxJsonDepth,
    maxToolCallArgumentsBytes: agent.maxToolCallArgumentsBytes ?? UPSTREAM_BOUND_DEFAULTS.maxToolCallArgumentsBytes,
    maxRunToolArgumentsBytes: agent.maxRunToolArgumentsBytes ?? UPSTREAM_BOUND_DEFAULTS.maxRunToolArgumentsBytes,
    attempts: agent.retry.attempts,
    backoffMs: agent.retry.backoffMs,
    maxBackoffMs: TRANSPORT_DEFAULTS.maxBackoffMs,
    poolConnections: pool.connections ?? TRANSPORT_DEFAULTS.poolConnections,
    keepAliveMs: pool.keepAliveMs ?? TRANSPORT_DEFAULTS.keepAliveMs,
    headers: agent.headers ?? {},
  };
}

/**
 * Delay before retry number `retry` (1 = the first retry): exponential from `backoffMs`, with
 * full jitter on the upper half so concurrent runs do not retry in lockstep; a Retry-After from
 * the upstream wins when it is longer. Bounded by `maxBackoffMs`.
 */
export function backoffDelay(
  settings: Pick<TransportSettings, 'backoffMs' | 'maxBackoffMs'>,
  retry: number,
  retryAfterMs: number | null,
  random = Math.random,
): number {
  const exponential = Math.min(settings.maxBackoffMs, settings.backoffMs * 2 ** (retry - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.min(settings.maxBackoffMs, Math.max(jittered, retryAfterMs ?? 0));
}
