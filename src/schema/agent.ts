import type { RegisteredAgent } from '../bridge/index.js';
import type { ToolDefinition } from '../dialects/index.js';
import { builder } from './builder.js';

export const ToolRef = builder.objectRef<ToolDefinition>('Tool').implement({
  description: 'A tool an agent can call; its input is described by a JSON Schema.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    inputSchema: t.field({ type: 'JSON', resolve: (tool) => tool.inputSchema }),
  }),
});

export const AgentRef = builder.objectRef<RegisteredAgent>('Agent').implement({
  description: 'An upstream agent from the configuration.',
  fields: (t) => ({
    id: t.id({ resolve: (agent) => agent.config.id }),
    dialect: t.string({
      description: 'The upstream protocol, such as openai-chat or demo.',
      resolve: (agent) => agent.config.dialect,
    }),
    description: t.string({ nullable: true, resolve: (agent) => agent.config.description ?? null }),
    tools: t.field({ type: [ToolRef], resolve: (agent, _args, context) => context.tools.list(agent.config.id) ?? [] }),
  }),
});

builder.queryFields((t) => ({
  agents: t.field({
    type: [AgentRef],
    description: 'Every configured agent.',
    resolve: (_root, _args, context) => context.agents.list(),
  }),
  agent: t.field({
    type: AgentRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => context.agents.get(String(args.id)) ?? null,
  }),
}));
