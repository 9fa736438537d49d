import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { WebhookConfig } from '../config/index.js';
import type { Logger } from '../logger.js';
import type { OutboxEntry, Store, WebhookDeliveryRecord } from '../store/index.js';

/** Delay before each retry (docs/run-control.md): the first two within 10 s, then growing, about 2 h 9 min in all. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS = [
  1_000, 5_000, 30_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000,
];

export interface WebhookDispatcherOptions {
  webhooks: readonly WebhookConfig[];
  retryDelaysMs?: readonly number[];
  pollMs?: number;
  timeoutMs?: number;
  /** This instance (the claim owner). */
  instanceId: string;
  /** Told about each attempt's outcome (metrics): delivered, retry (will try again) or failed (gave up). */
  onAttempt?: (outcome: 'delivered' | 'retry' | 'failed') => void;
}

interface Endpoint {
  /** sha256 of url and secret: names the endpoint in the store without the secret. */
  key: string;
  config: WebhookConfig;
  signer: Webhook;
}

/**
 * Webhooks from the store's outbox (docs/run-control.md), on every instance: status changes the
 * store recorded in `webhook_outbox` (in the transaction of the change) become one delivery per
 * matching endpoint; each due delivery is claimed by one instance, POSTed signed as Standard
 * Webhooks under its fixed `webhook-id`, and retried on failure with the configured delays.
 * The secret is only used to sign: it is never logged, stored or reported.
 */
export class WebhookDispatcher {
  private readonly endpoints: Endpoint[];
  private readonly delays: readonly number[];
  private readonly timeoutMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: { store: Store; logger: Logger },
    private readonly options: WebhookDispatcherOptions,
  ) {
    this.endpoints = options.webhooks.map((config) => ({
      key: createHash('sha256').update(`${config.url}\n${config.secret}`).digest('hex').slice(0, 32),
      config,
      signer: new Webhook(config.secret),
    }));
    this.delays = options.retryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  start(): void {
    if (this.stopped || this.timer) return;
    // kick() never rejects (a failed pass is logged there), so nothing is lost by not awaiting it.
    this.timer = setInterval(() => void this.kick(), this.options.pollMs ?? 500);
    this.timer.unref();
    void this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await Promise.all([...this.inFlight]);
  }

  /** One pass now (coalesced with one in progress). */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.pass()
      .catch((error: unknown) => this.deps.logger.error('webhook pass failed', { error: errorText(error) }))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async pass(): Promise<void> {
    const { webhooks } = this.deps.store;
    for (;;) {
      const entries = await webhooks.pendingFanOut(100);
      for (const entry of entries) await webhooks.fanOut(entry.id, this.deliveriesOf(entry));
      if (entries.length < 100) break;
    }
    const now = new Date();
    const due = await webhooks.due(now, 50);
    for (const delivery of due) {
      const endpoint = this.endpoints.find((candidate) => candidate.key === delivery.endpoint);
      if (
        !(await webhooks.claim(
          delivery.id,
          this.options.instanceId,
          now,
          new Date(Date.now() + this.timeoutMs + 5_000),
        ))
      )
        continue;
      if (!endpoint) {
        // Its endpoint (url and secret) left the config: nothing can sign it any more.
        await webhooks.record(delivery.id, this.options.instanceId, {
          state: 'FAILED',
          attempts: delivery.attempts,
          nextAttemptAt: now,
          statusCode: null,
          error: 'the webhook is no longer configured',
          deliveredAt: null,
        });
        continue;
      }
      const attempt = this.attempt(delivery, endpoint).finally(() => this.inFlight.delete(attempt));
      this.inFlight.add(attempt);
    }
  }

  private deliveriesOf(entry: OutboxEntry): Parameters<Store['webhooks']['fanOut']>[1] {
    const now = new Date();
    return this.endpoints
      .filter(({ config }) => (config.events as readonly string[]).includes(entry.status))
      .filter(({ config }) => !config.agents || (entry.agentId !== null && config.agents.includes(entry.agentId)))
      .map(({ key, config }) => ({
        id: `msg_${createHash('sha256').update(`${entry.id}\n${key}`).digest('hex').slice(0, 32)}`,
        outboxId: entry.id,
        endpoint: key,
        url: config.url,
        workflowId: entry.workflowId,
        status: entry.status,
        nextAttemptAt: now,
        createdAt: entry.createdAt,
      }));
  }

  private async attempt(delivery: WebhookDeliveryRecord, endpoint: Endpoint): Promise<void> {
    const { store, logger } = this.deps;
    const workflow = await store.getWorkflow(delivery.workflowId).catch(() => undefined);
    const body = JSON.stringify({
      type: `workflow.${delivery.status.toLowerCase()}`,
      timestamp: delivery.createdAt.toISOString(),
      data: {
        workflowId: delivery.workflowId,
        status: delivery.status,
        agentId: workflow?.agentId ?? null,
        threadId: workflow?.threadId ?? null,
        error: workflow?.error ?? null,
        usage: workflow?.usage ?? null,
      },
    });
    const sentAt = new Date();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(endpoint.config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': endpoint.signer.sign(delivery.id, sentAt, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      statusCode = response.status;
      await response.arrayBuffer().catch(() => undefined);
      if (statusCode < 200 || statusCode >= 300) error = `the endpoint answered HTTP ${statusCode}`;
    } catch (caught) {
      error = errorText(caught);
    }
    const attempts = delivery.attempts + 1;
    if (error === null) {
      await store.webhooks.record(delivery.id, this.options.instanceId, {
        state: 'DELIVERED',
        attempts,
        nextAttemptAt: sentAt,
        statusCode,
        error: null,
        deliveredAt: new Date(),
      });
      this.options.onAttempt?.('delivered');
      return;
    }
    const delay = this.delays[attempts - 1];
    const state = delay === undefined ? 'FAILED' : 'PENDING';
    await store.webhooks.record(delivery.id, this.options.instanceId, {
      state,
      attempts,
      nextAttemptAt: new Date(Date.now() + (delay ?? 0)),
      statusCode,
      error,
      deliveredAt: null,
    });
    this.options.onAttempt?.(state === 'FAILED' ? 'failed' : 'retry');
    logger.warn(state === 'FAILED' ? 'webhook delivery failed for good' : 'webhook delivery failed; will retry', {
      webhookId: delivery.id,
      workflowId: delivery.workflowId,
      url: redactUrl(endpoint.config.url),
      attempts,
      error,
    });
  }
}

/** The url without credentials or query (which may carry tokens), for logs. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${error.message} (${cause.code})` : error.message;
  }
  return String(error);
}
