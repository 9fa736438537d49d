import { z } from 'zod';
import type { RunInput } from '../dialects/index.js';
import { InvalidInputError } from '../errors/index.js';

const MessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool'], { error: 'must be one of system, user, assistant, tool' }),
  content: z.string().trim().min(1, { error: 'must not be empty' }),
});

/** An idempotency key (docs/run-control.md): 1–255 printable ASCII characters. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be 1–255 printable ASCII characters without spaces' });

const RunAgentInputSchema = z
  .object({
    prompt: z.string().trim().min(1, { error: 'must not be empty' }).nullish(),
    messages: z.array(MessageSchema).min(1, { error: 'must hold at least one message' }).nullish(),
    threadId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/, { error: 'must be 1–200 letters, digits, or _ . : -' })
      .nullish(),
    metadata: z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }).nullish(),
    clientTools: z
      .array(
        z.object({
          name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, {
            error: 'must be 1–128 letters, digits, "_", "." or "-", not starting with "." or "-"',
          }),
          description: z.string().nullish(),
          inputSchema: z.record(z.string(), z.unknown(), { error: 'must be a JSON Schema object' }),
        }),
      )
      .max(128, { error: 'at most 128 client tools' })
      .refine((tools) => new Set(tools.map((tool) => tool.name)).size === tools.length, {
        error: 'tool names must be unique',
      })
      .nullish(),
    idempotencyKey: idempotencyKeySchema.nullish(),
  })
  .refine((input) => input.prompt != null || input.messages != null, {
    error: 'give a prompt or messages',
    path: ['prompt'],
  });

export interface ParsedRunInput {
  input: RunInput;
  threadId: string | null;
  metadata: Record<string, unknown> | null;
  idempotencyKey: string | null;
}

/** Validates `RunAgentInput` beyond its GraphQL types; every problem becomes an InputIssue. */
export function parseRunInput(raw: {
  prompt?: string | null;
  messages?: readonly { role: string; content: string }[] | null;
  threadId?: string | number | null;
  metadata?: unknown;
  clientTools?: readonly { name: string; description?: string | null; inputSchema?: unknown }[] | null;
  idempotencyKey?: string | null;
}): ParsedRunInput {
  const result = RunAgentInputSchema.safeParse({
    ...raw,
    threadId: raw.threadId == null ? raw.threadId : String(raw.threadId),
  });
  if (!result.success) {
    throw new InvalidInputError(
      result.error.issues.map((issue) => ({
        field: ['input', ...issue.path]
          .map((part) => (typeof part === 'number' ? `[${part}]` : part))
          .join('.')
          .replaceAll('.[', '['),
        message: issue.message,
      })),
    );
  }
  const { prompt, messages, threadId, metadata, clientTools, idempotencyKey } = result.data;
  const history = messages ?? [];
  const input: RunInput = prompt
    ? { prompt, messages: [...history, { role: 'user', content: prompt }] }
    : { messages: history };
  if (clientTools && clientTools.length > 0) {
    input.clientTools = clientTools.map((tool) => ({
      name: tool.name,
      description: tool.description ?? null,
      inputSchema: tool.inputSchema,
    }));
  }
  return { input, threadId: threadId ?? null, metadata: metadata ?? null, idempotencyKey: idempotencyKey ?? null };
}
