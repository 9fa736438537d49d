import type { AgentConfig } from '../config/index.js';

/**
 * The tool endpoint of a `synapse-ws` agent, derived from its WebSocket url the way the Python
 * wrapper lays them out (seeds/000): `ws://host:8000/ws/{agent_id}` serves its tools at
 * `http://host:8000/agents/{agent_id}/tool_call` (wss gives https). Undefined when the agent is
 * not `synapse-ws` or its url names no agent.
 */
export function deriveAgentToolUrl(agent: Pick<AgentConfig, 'dialect' | 'url'>): string | undefined {
  if (agent.dialect !== 'synapse-ws' || agent.url === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(agent.url);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return undefined;
  const agentId = url.pathname.split('/').filter(Boolean).at(-1);
  if (agentId === undefined) return undefined;
  const base = `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}`;
  return `${base}/agents/${agentId}/tool_call`;
}
