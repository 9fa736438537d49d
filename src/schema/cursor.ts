import { GraphQLError } from 'graphql';
import { GraphqlErrorCode } from '../errors/index.js';
import type { WorkflowCursor, WorkflowRecord } from '../store/index.js';

/**
 * Opaque, stable cursors for the newest-first workflow order: the keyset `(createdAt, id)`,
 * base64url-encoded with a version tag so the format can change without breaking old clients.
 */
export function encodeCursor(workflow: WorkflowRecord): string {
  return Buffer.from(JSON.stringify(['w1', workflow.createdAt.getTime(), workflow.id])).toString('base64url');
}

/** Our cursors are about 80 characters; anything much longer is not one, and is not decoded. */
const MAX_CURSOR_LENGTH = 512;

export function decodeCursor(cursor: string, argument: 'after' | 'before' = 'after'): WorkflowCursor {
  const decoded = cursor.length <= MAX_CURSOR_LENGTH ? parseCursor(cursor) : null;
  if (decoded) return decoded;
  // Quoted in the error only when short: a hostile 30 KB string is not echoed back.
  const shown = cursor.length <= 64 ? `"${cursor}"` : `a ${cursor.length}-character string`;
  throw new GraphQLError(`${shown} is not a cursor of this connection`, {
    extensions: { code: GraphqlErrorCode.BAD_USER_INPUT, argument },
  });
}

function parseCursor(cursor: string): WorkflowCursor | null {
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
    // not ours
  }
  return null;
}
