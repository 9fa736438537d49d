import type { Dispatcher } from 'undici';
import { loadUndici } from '../transport/undici.js';
import { ToolCallError } from '../errors/index.js';

export interface HttpJsonRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  /** Sent as JSON when given. */
  body?: unknown;
  signal: AbortSignal;
  maxResultBytes: number;
  /** Names the source in error messages. */
  label: string;
}

export interface HttpJsonResponse {
  status: number;
  /** Parsed JSON when the response says it is JSON (or parses as JSON), else the text. */
  body: unknown;
}

/**
 * One request to a tool server over undici's pooled keep-alive client. The body is read with a
 * byte budget, so an oversized answer fails as soon as it passes `maxResultBytes` instead of
 * being buffered whole. Network failures become TOOL_UPSTREAM_ERROR; an abort propagates as is
 * (the caller knows whether it was its timeout or a shutdown).
 */
export async function httpJson(options: HttpJsonRequest): Promise<HttpJsonResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const { request } = await loadUndici();
  let response: Dispatcher.ResponseData;
  try {
    response = await request(options.url, {
      method: options.method as 'POST',
      headers,
      body,
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal.aborted) throw error;
    throw ToolCallError.upstream(`the tool server could not be reached (${options.label}): ${describe(error)}`, {
      cause: error,
    });
  }

  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxResultBytes) {
    response.body.destroy();
    throw ToolCallError.tooLarge(options.label, options.maxResultBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxResultBytes) {
        response.body.destroy();
        throw ToolCallError.tooLarge(options.label, options.maxResultBytes);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof ToolCallError || options.signal.aborted) throw error;
    throw ToolCallError.upstream(`the tool server's answer broke off (${options.label}): ${describe(error)}`, {
      cause: error,
    });
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const contentType = String(response.headers['content-type'] ?? '');
  return { status: response.statusCode, body: parseBody(text, contentType) };
}

function parseBody(text: string, contentType: string): unknown {
  const looksJson = /\bjson\b/i.test(contentType) || /^\s*[[{"]/.test(text);
  if (!looksJson || text.trim() === '') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}

/** The start of a body for an error message: never more than 200 characters. */
export function excerpt(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
