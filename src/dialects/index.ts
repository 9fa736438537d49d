import { demoDialect } from './demo.js';
import { openaiChatDialect } from './openai-chat.js';
import type { Dialect } from './types.js';

/** The dialects this build implements, by the name agents use in the config. */
export const dialects: ReadonlyMap<string, Dialect> = new Map([
  [demoDialect.name, demoDialect],
  [openaiChatDialect.name, openaiChatDialect],
]);

export { demoDialect } from './demo.js';
export type { ChatMessage, Dialect, DialectRunContext, RunInput, ToolDefinition } from './types.js';
