import { GraphQLError } from 'graphql';
import { GraphqlErrorCode } from '../errors/index.js';
import type { UsageSummaryRow } from '../store/index.js';
import { builder } from './builder.js';

const UsageGroupEnum = builder.enumType('UsageGroup', {
  description: 'How `usageSummary` groups workflows: by agent id, or by UTC day of creation.',
  values: ['AGENT', 'DAY'] as const,
});

const UsageRowRef = builder.objectRef<UsageSummaryRow>('UsageRow').implement({
  description:
    'Token totals of one group. `key` is the agent id (`(none)` for workflows without an agent) or the day as YYYY-MM-DD (UTC).',
  fields: (t) => ({
    key: t.exposeString('key'),
    workflows: t.exposeInt('workflows', { description: 'Workflows in the group, with or without usage.' }),
    inputTokens: t.exposeInt('inputTokens'),
    outputTokens: t.exposeInt('outputTokens'),
    totalTokens: t.exposeInt('totalTokens', {
      description: 'The reported totals; input + output where a run reported no total.',
    }),
  }),
});

builder.queryFields((t) => ({
  usageSummary: t.field({
    type: [UsageRowRef],
    description:
      'Token totals of the caller’s workflows created in [from, to), grouped by agent or by day, ordered by key.',
    args: {
      groupBy: t.arg({ type: UsageGroupEnum, required: true }),
      from: t.arg({ type: 'DateTime', required: false, description: 'Inclusive.' }),
      to: t.arg({ type: 'DateTime', required: false, description: 'Exclusive.' }),
    },
    resolve: (_root, args, context) => {
      if (args.from != null && args.to != null && args.from > args.to) {
        throw new GraphQLError('from must not be later than to', {
          extensions: { code: GraphqlErrorCode.BAD_USER_INPUT, argument: 'from' },
        });
      }
      return context.store.usageSummary({
        tenantId: context.tenantId,
        groupBy: args.groupBy,
        from: args.from,
        to: args.to,
      });
    },
  }),
}));
