export { ArgumentValidator } from './argument-validator.js';
export type { ArgumentCheck, ArgumentIssue } from './argument-validator.js';
export { ToolRegistry } from './tool-registry.js';
export type { ToolRegistryOptions } from './tool-registry.js';
export { DEFAULT_MAX_RESULT_BYTES, DEFAULT_TOOL_TIMEOUT_MS } from './types.js';
export type { RegisteredTool, ToolDefinition, ToolOutcome, ToolSource, ToolSourceKind } from './types.js';
