import type { WebhookDeliveryRecord } from '../store/index.js';
import { builder } from './builder.js';
import { WorkflowRef } from './workflow.js';

const DeliveryStateEnum = builder.enumType('WebhookDeliveryState', {
  values: {
    PENDING: { description: 'Not delivered yet: the first attempt or a retry is due.' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Every retry failed (or the webhook left the config); no more attempts.' },
  } as const,
});

const WebhookDeliveryRef = builder.objectRef<WebhookDeliveryRecord>('WebhookDelivery').implement({
  description:
    'One webhook POST of a workflow status change to one endpoint, with its attempts (docs/run-control.md). The secret is never shown.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The `webhook-id` header of every attempt.' }),
    url: t.string({
      description: 'The endpoint, without its query string.',
      resolve: (delivery) => withoutQuery(delivery.url),
    }),
    event: t.string({
      description: "The body's `type`, such as workflow.succeeded.",
      resolve: (delivery) => `workflow.${delivery.status.toLowerCase()}`,
    }),
    state: t.field({ type: DeliveryStateEnum, resolve: (delivery) => delivery.state }),
    attempts: t.exposeInt('attempts'),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (delivery) => (delivery.state === 'PENDING' ? delivery.nextAttemptAt : null),
    }),
    deliveredAt: t.field({ type: 'DateTime', nullable: true, resolve: (delivery) => delivery.deliveredAt }),
    createdAt: t.field({ type: 'DateTime', resolve: (delivery) => delivery.createdAt }),
  }),
});

builder.objectField(WorkflowRef, 'webhookDeliveries', (t) =>
  t.field({
    type: [WebhookDeliveryRef],
    description: "The webhook deliveries of this workflow's status changes, oldest first (docs/run-control.md).",
    resolve: (workflow, _args, context) => context.store.webhooks.listForWorkflows([workflow.id]),
  }),
);

function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url;
  }
}
