import type { Dialect } from '../dialects/types.js';
import { MODEL_DIALECTS, withAgentLoop } from './agent-loop.js';
import type { ChildRunHost } from './subagent-runner.js';
import type { RuntimeTools } from './tool-execution.js';

/**
 * Chooses how a run of an agent is driven: the model dialects through the agent loop
 * (docs/runtime.md), every other dialect as it is.
 */
export class AgentRuntime {
  private readonly wrapped = new Map<Dialect, Dialect>();
  private host: ChildRunHost | null = null;

  constructor(private readonly tools: RuntimeTools) {}

  /** Where subagent calls start their child workflows (the RunManager and the store, once both exist). */
  useHost(host: ChildRunHost): void {
    this.host = host;
  }

  dialectFor(agent: { dialect: Dialect }): Dialect {
    if (!MODEL_DIALECTS.has(agent.dialect.name)) return agent.dialect;
    let loop = this.wrapped.get(agent.dialect);
    if (!loop) {
      loop = withAgentLoop(agent.dialect, this.tools, () => this.host);
      this.wrapped.set(agent.dialect, loop);
    }
    return loop;
  }
}
