import { a2aDialect } from './a2a.js';
import { agUiDialect } from './ag-ui.js';
import { aiSdkDialect } from './ai-sdk.js';
import { anthropicMessagesDialect } from './anthropic-messages.js';
import { chatWsDialect } from './chat-ws.js';
import { demoDialect } from './demo.js';
import { langgraphDialect } from './langgraph.js';
import { openaiChatDialect } from './openai-chat.js';
import { openaiResponsesDialect } from './openai-responses.js';
import { synapseWsDialect } from './synapse-ws.js';
import type { Dialect } from './types.js';
import { workflowSseDialect } from './workflow-sse.js';

/** The dialects this build implements, by the name agents use in the config. */
export const dialects: ReadonlyMap<string, Dialect> = new Map(
  [
    demoDialect,
    openaiChatDialect,
    openaiResponsesDialect,
    anthropicMessagesDialect,
    agUiDialect,
    aiSdkDialect,
    langgraphDialect,
    synapseWsDialect,
    workflowSseDialect,
    chatWsDialect,
    a2aDialect,
  ].map((dialect) => [dialect.name, dialect] as const),
);

export { demoDialect } from './demo.js';
export type {
  ChatMessage,
  Dialect,
  DialectResume,
  DialectRunContext,
  ResolvedInterrupt,
  RunInput,
  ToolDefinition,
  ModelTurn,
  ClientTool,
} from './types.js';
export type { ConversationMessage, ConversationToolCall } from './conversation.js';
