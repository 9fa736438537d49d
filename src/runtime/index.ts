export { DEFAULT_MAX_STEPS, MODEL_DIALECTS, withAgentLoop } from './agent-loop.js';
export type { RuntimeTools } from './tool-execution.js';
export { AgentRuntime } from './agent-runtime.js';
