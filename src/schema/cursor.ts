import { GraphQLError } from 'graphql';
import type { WorkflowCursor, WorkflowRecord } from '../store/index.js';

/**
 * Opaque, stable cursors for the newest-first workflow order: the keyset `(createdAt, id)`,
 * base64url-encoded with a version tag so the format can change without breaking old clients.
 */
export function encodeCursor(workflow: WorkflowRecord): string {
  return Buffer.from(JSON.stringify(['w1', workflow.createdAt.getTime(), workflow.id])).toString('base64url');
}

export function decodeCursor(cursor: string, argument: 'after' | 'before' = 'after'): WorkflowCursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 3 &&
      decoded[0] === 'w1' &&
      Number.isSafeInteger(decoded[1]) &&
      typeof decoded[2] === 'string'
    ) {
      return { createdAt: new Date(decoded[1] as number), id: decoded[2] };
    }
  } catch {
    // fall through to the typed error
  }
  throw new GraphQLError(`"${cursor}" is not a cursor of this connection`, {
    extensions: { code: 'BAD_USER_INPUT', argument },
  });
}
