import type { z } from 'zod';
import { allowedUrlProtocols, IN_PROCESS_DIALECT, isDialectName } from './dialect-names.js';

/**
 * Rules about one agent that depend on its dialect, so no single key's schema can state them.
 * They run even when other keys of the agent are invalid (so a user sees every problem at once),
 * which is why they read the value defensively instead of trusting its type.
 */
export function checkAgentRules(agent: unknown, ctx: z.core.$RefinementCtx): void {
  if (!isRecord(agent) || !isDialectName(agent.dialect)) return;
  const dialect = agent.dialect;
  const report = (key: string, message: string): void => {
    ctx.addIssue({ code: 'custom', path: [key], message, input: agent[key] });
  };

  if (dialect !== IN_PROCESS_DIALECT) {
    if (agent.url === undefined) {
      report('url', `required for dialect "${dialect}"`);
    } else if (typeof agent.url === 'string') {
      const problem = urlProblem(agent.url, allowedUrlProtocols(dialect), dialect);
      if (problem !== undefined) report('url', problem);
    }
  }
  if (dialect === 'langgraph' && agent.assistantId === undefined) {
    report('assistantId', 'required for dialect "langgraph" (the graph or assistant to run)');
  }
  if (dialect !== 'langgraph' && agent.assistantId !== undefined) {
    report('assistantId', `only used by dialect "langgraph", not "${dialect}"`);
  }
  if (dialect !== IN_PROCESS_DIALECT && agent.demo !== undefined) {
    report('demo', `only used by dialect "demo", not "${dialect}"`);
  }
}

/**
 * Rejects an empty list and duplicate agent ids. A duplicate is reported at its later occurrence
 * (`agents[3].id`), the one a user most likely copied and forgot to rename.
 */
export function checkAgentList(agents: unknown, ctx: z.core.$RefinementCtx): void {
  if (!Array.isArray(agents)) return;
  if (agents.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: 'must list at least one agent (leave `agents` out to get the built-in demo agent)',
      input: agents,
    });
  }
  const firstIndex = new Map<string, number>();
  agents.forEach((agent: unknown, index) => {
    if (!isRecord(agent) || typeof agent.id !== 'string') return;
    const earlier = firstIndex.get(agent.id);
    if (earlier === undefined) {
      firstIndex.set(agent.id, index);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: [index, 'id'],
      message: `duplicate agent id "${agent.id}" (already used by agents[${earlier}])`,
      input: agent.id,
    });
  });
}

// The URL itself is never echoed: it may carry credentials substituted from the environment.
function urlProblem(url: string, protocols: readonly string[], dialect: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid absolute URL';
  }
  if (protocols.includes(parsed.protocol)) return undefined;
  const wanted = protocols.map((protocol) => `${protocol}//`).join(' or ');
  const article = wanted.startsWith('h') ? 'an' : 'a';
  return `dialect "${dialect}" needs ${article} ${wanted} URL, not ${parsed.protocol}//`;
}

/** True for a plain object (the kind JSON and YAML mappings parse to), false for arrays and null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
