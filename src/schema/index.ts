import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './events.js';
import './agent.js';
import './workflow.js';
import './run.js';
import './interrupts.js';
import './workflow-links.js';
import './stream.js';
import './thread.js';
import './usage.js';
import './workflow-updates.js';
import './tools.js';
import './webhook-deliveries.js';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

/** The Synapse GraphQL schema, built once. */
export const schema: GraphQLSchema = builder.toSchema({ sortSchema: false });

/** The SDL written to `schema.graphql` (sorted, so diffs stay small). */
export function printSynapseSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

export type { SynapseContext, SynapseServices } from './context.js';
